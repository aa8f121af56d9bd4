"""Family ``experiment-id``: what ``get_experiment_id()`` returns."""

from __future__ import annotations

import pytest

from ..base import clause


class ExperimentIdClauses:
    @clause("default_experiment_provider/experiment-id/existing")
    def test_experiment_id_existing(self, default_experiment_provider, provider_context):
        """In context, ``get_experiment_id()`` returns the id (a str) of an existing, active experiment of the
        tracking server MLflow is connected to."""
        from mlflow.exceptions import MlflowException
        from mlflow.tracking import MlflowClient

        with self.in_context(default_experiment_provider, provider_context):
            experiment_id = default_experiment_provider.get_experiment_id()
        assert isinstance(experiment_id, str) and experiment_id, (
            f"get_experiment_id() returned {experiment_id!r} ({type(experiment_id).__name__}); MLflow expects a "
            "non-empty str")
        try:
            experiment = MlflowClient().get_experiment(experiment_id)
        except MlflowException as exc:
            pytest.fail(f"get_experiment_id() returned {experiment_id!r}, which the tracking server does not know: "
                        f"{exc.message}", pytrace=False)
        assert experiment.lifecycle_stage == "active", (
            f"experiment {experiment_id} is {experiment.lifecycle_stage}: runs cannot be created in it")
