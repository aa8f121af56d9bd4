"""``dataset_constructor/log/*``: a dataset logged to a run through MLflow's public API, and read back."""

from __future__ import annotations

from .._support import unique_name
from ..base import clause
from ..shared.mlflow_uris import mlflow_pointed_at


class LogClauses:
    @clause("dataset_constructor/log/round-trip")
    def test_log_round_trip(self, dataset_constructor, dataset_constructor_kwargs, dataset_tracking_uri):
        """``mlflow.log_input(dataset, context=...)`` stores it; the run's dataset input reads back with the same
        name, digest, source type and source, and ``mlflow.data.get_source`` rebuilds an equal source."""
        import mlflow
        from mlflow.tracking import MlflowClient

        dataset = dataset_constructor(**dataset_constructor_kwargs(0), name=unique_name("ds"))
        expected = dataset._to_mlflow_entity()
        with mlflow_pointed_at(tracking_uri=dataset_tracking_uri):
            with mlflow.start_run() as run:
                mlflow.log_input(dataset, context="training")
            inputs = MlflowClient(dataset_tracking_uri).get_run(run.info.run_id).inputs.dataset_inputs
        assert len(inputs) == 1, f"{len(inputs)} dataset inputs logged"
        got = inputs[0].dataset
        for field in ("name", "digest", "source_type", "source"):
            assert getattr(got, field) == getattr(expected, field), (
                f"{field}: logged {getattr(got, field)!r}, dataset says {getattr(expected, field)!r}")
        assert {t.key: t.value for t in inputs[0].tags}.get("mlflow.data.context") == "training"
        source = mlflow.data.get_source(inputs[0])
        assert type(source) is type(dataset.source) and source.to_dict() == dataset.source.to_dict()
