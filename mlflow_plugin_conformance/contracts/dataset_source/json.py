"""``dataset_source/json/*``: the JSON form MLflow stores a source in, and parses it back from."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings

from ...strategies import dataset_file_names
from .._support import unique_name
from ..base import clause


class JsonClauses:
    @clause("dataset_source/json/round-trip")
    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.differing_executors])
    @given(file_name=dataset_file_names())
    def test_json_round_trip(self, dataset_source, dataset_raw_source, dataset_source_folder, file_name):
        """For any file name (unicode, spaces, '#', '?', '%', quotes): ``to_json`` is a JSON object equal to
        ``to_dict``; ``from_json(to_json(s))`` and MLflow's ``get_dataset_source_from_json(json, type)`` give a
        source of the plugin's class with the same ``to_dict``."""
        from mlflow.data.dataset_source_registry import get_dataset_source_from_json

        source = dataset_source._resolve(dataset_raw_source(dataset_source_folder / unique_name("rt"), file_name))
        as_dict = source.to_dict()
        text = source.to_json()
        assert isinstance(text, str)
        assert json.loads(text) == as_dict, "to_json is not the JSON of to_dict"
        again = dataset_source.from_json(text)
        assert isinstance(again, dataset_source) and again.to_dict() == as_dict
        through_mlflow = get_dataset_source_from_json(text, dataset_source._get_source_type())
        assert isinstance(through_mlflow, dataset_source), (
            f"MLflow parses the source type into {type(through_mlflow).__name__}")
        assert through_mlflow.to_dict() == as_dict
