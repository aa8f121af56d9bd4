"""Hypothesis properties: round trips over arbitrary valid inputs, rejection of arbitrary invalid inputs.

The number of examples follows the loaded profile (quick / ci / thorough). The store fixture is shared across
examples (built once per class); each example isolates itself in a new run.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ... import strategies as ms
from .._support import raises_mlflow_error
from ..base import clause
from ._helpers import metric_key_tuple, new_experiment, same_float


def property_settings():
    """The loaded profile's settings, allowing the (shared, class-scoped) store fixture inside @given."""
    return ms.suite_settings(suppress_health_check=[*settings.default.suppress_health_check,
                                           HealthCheck.function_scoped_fixture, HealthCheck.differing_executors, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])


_experiment_of_store: dict[int, tuple[object, str]] = {}


def _experiment(store) -> str:
    """One experiment per store for all property examples (a store with thousands of experiments would make
    every later search slow); the store object is kept so a recycled ``id()`` never maps to a stale id."""
    cached = _experiment_of_store.get(id(store))
    if cached is None or cached[0] is not store:
        cached = _experiment_of_store[id(store)] = (store, new_experiment(store, "props"))
    return cached[1]


def _fresh_run(store) -> str:
    """A new run for each example: examples are isolated from each other and from other clauses."""
    return store.create_run(_experiment(store), "hypothesis", 0, [], "hypothesis").info.run_id


class PropertyClauses:
    """Clauses of the ``tracking_store/properties/*`` family."""

    @clause("tracking_store/properties/metric-history-round-trip")
    @property_settings()
    @given(values_times_steps=st.lists(st.tuples(ms.metric_values(), ms.metric_timestamps(), ms.metric_steps()),
                                       min_size=1, max_size=12))
    @example(values_times_steps=[(2.0, 2, 0), (1.0, 1, 1), (1.0, 1, 1)])  # logged out of order, one repeated
    def test_properties_metric_history_round_trip(self, tracking_store, values_times_steps):
        """For any valid metric points of one key (NaN, +-inf, any step and timestamp), the history holds each
        distinct point exactly once, ordered by (timestamp, step, value), and the run's value is the latest by
        (step, timestamp, value)."""
        from mlflow.entities import Metric

        points = [Metric("m", value, timestamp, step) for value, timestamp, step in values_times_steps]
        run_id = _fresh_run(tracking_store)
        tracking_store.log_batch(run_id, points, [], [])
        stored = [metric_key_tuple(m) for m in tracking_store.get_metric_history(run_id, "m")]
        expected_set = {metric_key_tuple(p) for p in points}
        assert sorted(stored, key=repr) == sorted(expected_set, key=repr), "history differs from what was logged"
        times = [(t, s) for _, _, t, s in stored]
        assert times == sorted(times), f"history not ordered by timestamp, step: {times}"
        latest = tracking_store.get_run(run_id).data.metrics["m"]
        best = max(points, key=lambda p: (p.step, p.timestamp, float("-inf") if p.value != p.value else p.value))
        candidates = [p.value for p in points if (p.step, p.timestamp) == (best.step, best.timestamp)]
        assert any(same_float(latest, v) for v in candidates), f"latest value {latest}, expected {best.value}"

    @clause("tracking_store/properties/params-and-tags-round-trip")
    @property_settings()
    @given(params=st.dictionaries(ms.valid_keys(), ms.param_values(), max_size=8),
           tags=st.dictionaries(ms.valid_keys().map(lambda k: "u." + k[:200]), ms.tag_values(), max_size=8))
    @example(params={"é" * 250: "v"}, tags={"u." + "ü" * 200: "v"})
    def test_properties_params_and_tags_round_trip(self, tracking_store, params, tags):
        """For any valid param and tag names and values (unicode, up to the length limits), log_batch stores them
        and get_run returns them unchanged."""
        from mlflow.entities import Param, RunTag

        run_id = _fresh_run(tracking_store)
        tracking_store.log_batch(run_id, [], [Param(k, v) for k, v in params.items()],
                                 [RunTag(k, v) for k, v in tags.items()])
        data = tracking_store.get_run(run_id).data
        assert data.params == params
        assert {k: v for k, v in data.tags.items() if k.startswith("u.")} == tags

    @clause("tracking_store/properties/invalid-keys-rejected")
    @property_settings()
    @given(key=ms.invalid_keys(), entry=st.sampled_from(["log_metric", "log_param", "set_tag", "log_batch"]))
    @example(key="k" * 251, entry="set_tag")
    @example(key="../up", entry="log_batch")
    def test_properties_invalid_keys_rejected(self, tracking_store, key, entry):
        """Any invalid name is rejected with INVALID_PARAMETER_VALUE by every write entry point and nothing is
        stored."""
        from mlflow.entities import Metric, Param, RunTag

        run_id = _fresh_run(tracking_store)
        calls = {
            "log_metric": lambda: tracking_store.log_metric(run_id, Metric(key, 1.0, 0, 0)),
            "log_param": lambda: tracking_store.log_param(run_id, Param(key, "v")),
            "set_tag": lambda: tracking_store.set_tag(run_id, RunTag(key, "v")),
            "log_batch": lambda: tracking_store.log_batch(run_id, [Metric(key, 1.0, 0, 0)], [Param(key, "v")], []),
        }
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"{entry} with key {key!r}"):
            calls[entry]()
        data = tracking_store.get_run(run_id).data
        assert not data.metrics and not data.params and key not in data.tags

    @clause("tracking_store/properties/invalid-metric-values-rejected", routes=("in-process",))
    @property_settings()
    @given(value=ms.invalid_metric_values())
    def test_properties_invalid_metric_values_rejected(self, tracking_store, value):
        """Any metric value that is not a number (None, bool, string) is rejected with INVALID_PARAMETER_VALUE
        and nothing is stored."""
        from mlflow.entities import Metric

        run_id = _fresh_run(tracking_store)
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"logging metric value {value!r}"):
            tracking_store.log_batch(run_id, [Metric("m", value, 0, 0)], [], [])
        assert tracking_store.get_run(run_id).data.metrics == {}

    @clause("tracking_store/properties/invalid-filters-rejected")
    @property_settings()
    @given(filter_string=ms.invalid_run_filter_strings())
    @example(filter_string="params.p1 > 'a'")
    @example(filter_string="tags.t1 < 'a' AND metrics.m1 > 0")
    def test_properties_invalid_filters_rejected(self, tracking_store, filter_string):
        """Every malformed search_runs filter raises INVALID_PARAMETER_VALUE."""
        from mlflow.entities import ViewType

        experiment_id = _experiment(tracking_store)
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"search_runs with filter {filter_string!r}"):
            tracking_store.search_runs([experiment_id], filter_string, ViewType.ALL)
