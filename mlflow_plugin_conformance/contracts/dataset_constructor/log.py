"""``dataset_constructor/log/*``: a dataset logged to a run through MLflow's public API, and read back, one
behaviour per clause. When logging itself fails, the other clauses report themselves blocked by
``dataset_constructor/log/round-trip``."""

from __future__ import annotations

import pytest

from ...outcomes import blocked_by
from .._support import unique_name
from ..base import clause
from ..shared.mlflow_uris import mlflow_pointed_at
from .dataset import built, registered_source_type


class LogClauses:
    @pytest.fixture
    def logged_dataset(self, dataset_constructor, dataset_constructor_kwargs, dataset_tracking_uri):
        """``(dataset, dataset_inputs)``: a dataset logged with ``mlflow.log_input(dataset, context='training')``
        to a fresh run, and the run's dataset inputs read back."""
        import mlflow
        from mlflow.tracking import MlflowClient

        dataset = built(dataset_constructor, {**dataset_constructor_kwargs(0), "name": unique_name("ds")})
        with mlflow_pointed_at(tracking_uri=dataset_tracking_uri):
            with mlflow.start_run() as run:
                mlflow.log_input(dataset, context="training")
        return dataset, MlflowClient(dataset_tracking_uri).get_run(run.info.run_id).inputs.dataset_inputs

    def _logged(self, request):
        try:
            return request.getfixturevalue("logged_dataset")
        except Exception as exc:
            blocked_by("dataset_constructor/log/round-trip", f"logging the dataset raised {type(exc).__name__}")

    @clause("dataset_constructor/log/round-trip")
    def test_log_round_trip(self, logged_dataset):
        """``mlflow.log_input(dataset, context=...)`` stores one dataset input that reads back with the dataset's
        name, digest, source type and source (what the dataset's ``_to_mlflow_entity`` says)."""
        dataset, inputs = logged_dataset
        expected = dataset._to_mlflow_entity()
        assert len(inputs) == 1, f"{len(inputs)} dataset inputs logged"
        got = inputs[0].dataset
        for field in ("name", "digest", "source_type", "source"):
            assert getattr(got, field) == getattr(expected, field), (
                f"{field}: logged {getattr(got, field)!r}, dataset says {getattr(expected, field)!r}")

    @clause("dataset_constructor/log/get-source")
    def test_log_get_source(self, request):
        """``mlflow.data.get_source(input)`` rebuilds a source of the dataset's source class with the same
        ``to_dict``."""
        import mlflow.data

        dataset, inputs = self._logged(request)
        if len(inputs) != 1:
            blocked_by("dataset_constructor/log/round-trip", f"{len(inputs)} dataset inputs logged")
        if not registered_source_type(dataset.source._get_source_type()):
            blocked_by("dataset_constructor/dataset/source-registered", "the dataset's source type is not registered")
        source = mlflow.data.get_source(inputs[0])
        assert type(source) is type(dataset.source), (
            f"get_source rebuilt a {type(source).__name__}, the dataset's source is a {type(dataset.source).__name__}")
        assert source.to_dict() == dataset.source.to_dict(), f"{source.to_dict()} != {dataset.source.to_dict()}"
