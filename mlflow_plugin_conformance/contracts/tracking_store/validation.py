"""Validation: names and values MLflow rejects are rejected with INVALID_PARAMETER_VALUE at every entry point."""

from __future__ import annotations

from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ._helpers import new_experiment, new_run, now_ms

#: Names of metrics, params and tags that MLflow's validation rejects (``mlflow/utils/validation.py``), with why.
INVALID_NAMES = {
    "": "empty",
    "../escape": "parent-directory segment",
    "/absolute": "leading slash",
    "a//b": "not a normalised path",
    ".": "the current directory",
    "bad!char": "character outside [/\\w.\\- :]",
    "new\nline": "newline",
    "k" * 251: "longer than 250 characters",
}


def _entry_points(store, run_id, experiment_id, name):
    from mlflow.entities import ExperimentTag, Metric, Param, RunTag

    ts = now_ms()
    return {
        "log_metric": lambda: store.log_metric(run_id, Metric(name, 1.0, ts, 0)),
        "log_param": lambda: store.log_param(run_id, Param(name, "v")),
        "set_tag": lambda: store.set_tag(run_id, RunTag(name, "v")),
        "log_batch(metrics)": lambda: store.log_batch(run_id, [Metric(name, 1.0, ts, 0)], [], []),
        "log_batch(params)": lambda: store.log_batch(run_id, [], [Param(name, "v")], []),
        "log_batch(tags)": lambda: store.log_batch(run_id, [], [], [RunTag(name, "v")]),
        "set_experiment_tag": lambda: store.set_experiment_tag(experiment_id, ExperimentTag(name, "v")),
    }


class ValidationClauses:
    """Clauses of the ``tracking_store/validation/*`` family."""

    @clause("tracking_store/validation/invalid-names-rejected")
    def test_validation_invalid_names_rejected(self, tracking_store):
        """Every name MLflow rejects (empty, `..`, leading `/`, unnormalised, bad characters, over 250 characters)
        raises INVALID_PARAMETER_VALUE from log_metric, log_param, set_tag, log_batch and set_experiment_tag,
        and nothing is stored."""
        experiment_id = new_experiment(tracking_store)
        run_id = new_run(tracking_store, experiment_id).info.run_id
        for name, why in INVALID_NAMES.items():
            for entry, call in _entry_points(tracking_store, run_id, experiment_id, name).items():
                with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"{entry} with a name that is {why}"):
                    call()
        data = tracking_store.get_run(run_id).data
        assert not data.metrics and not data.params, f"invalid names were stored: {data.metrics} {data.params}"
        assert not set(INVALID_NAMES) & set(data.tags)
        assert not set(INVALID_NAMES) & set(tracking_store.get_experiment(experiment_id).tags)

    @clause("tracking_store/validation/valid-name-characters")
    def test_validation_valid_name_characters(self, tracking_store):
        """Names made of letters, digits, `_ - . / :` and spaces, up to 250 characters, are accepted."""
        from mlflow.entities import Metric, Param, RunTag

        run_id = new_run(tracking_store).info.run_id
        names = ["a", "with space", "dir/sub/leaf", "colon:ok", "dots.and-dashes_", "ünïcödé", "k" * 250]
        ts = now_ms()
        for name in names:
            tracking_store.log_metric(run_id, Metric(name, 1.0, ts, 0))
            tracking_store.log_param(run_id, Param(name, "v"))
            tracking_store.set_tag(run_id, RunTag(name, "v"))
        data = tracking_store.get_run(run_id).data
        for name in names:
            assert name in data.metrics and name in data.params and name in data.tags, f"{name!r} was not stored"

    @clause("tracking_store/validation/experiment-name-rejected")
    def test_validation_experiment_name_rejected(self, tracking_store):
        """An experiment name that is not a string or is longer than 500 characters raises
        INVALID_PARAMETER_VALUE from create_experiment."""
        for bad, why in ((None, "None"), (123, "not a string"), ("e" * 501, "over 500 characters")):
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"creating an experiment named {why}"):
                tracking_store.create_experiment(bad)

    # MLflow 3.12: SqlAlchemyStore.rename_experiment validates the new name (3.11.1 stores any name).
    @clause("tracking_store/validation/experiment-rename-rejected", since="3.12")
    def test_validation_experiment_rename_rejected(self, tracking_store):
        """Renaming an experiment to an empty name or one longer than 500 characters raises
        INVALID_PARAMETER_VALUE."""
        experiment_id = new_experiment(tracking_store)
        for bad, why in (("", "empty"), ("e" * 501, "over 500 characters")):
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"renaming an experiment to a name {why}"):
                tracking_store.rename_experiment(experiment_id, bad)

    @clause("tracking_store/validation/experiment-tag-value-limit")
    def test_validation_experiment_tag_value_limit(self, tracking_store):
        """An experiment tag value over 20000 characters raises INVALID_PARAMETER_VALUE (it is not truncated)."""
        from mlflow.entities import ExperimentTag

        experiment_id = new_experiment(tracking_store)
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="setting a 20001-character experiment tag"):
            tracking_store.set_experiment_tag(experiment_id, ExperimentTag("big", "x" * 20001))
        assert "big" not in tracking_store.get_experiment(experiment_id).tags

    @clause("tracking_store/validation/experiment-name-max-length")
    def test_validation_experiment_name_max_length(self, tracking_store):
        """An experiment name of 256 characters is accepted and round-trips. (MLflow's validation allows 500, but
        its own SQL schema stores 256: on PostgreSQL longer names fail, so the contract promises 256.)"""
        name = unique_name("x")
        name = name + "n" * (256 - len(name))
        experiment_id = tracking_store.create_experiment(name)
        assert tracking_store.get_experiment(experiment_id).name == name
