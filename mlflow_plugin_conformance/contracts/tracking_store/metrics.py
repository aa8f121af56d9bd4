"""Metrics: round trip, NaN and infinities, steps, history order and de-duplication, latest value, pagination."""

from __future__ import annotations

import math

from .._support import raises_mlflow_error
from ..base import clause
from ..shared.pagination import all_pages
from ._helpers import metric_key_tuple, new_run, now_ms, same_float


class MetricClauses:
    """Clauses of the ``tracking_store/metrics/*`` family."""

    @clause("tracking_store/metrics/round-trip")
    def test_metrics_round_trip(self, tracking_store):
        """A logged metric's value, timestamp and step come back unchanged from get_metric_history and the value
        from get_run."""
        from mlflow.entities import Metric

        run_id = new_run(tracking_store).info.run_id
        ts = now_ms()
        tracking_store.log_metric(run_id, Metric("loss", 0.125, ts, 3))
        history = tracking_store.get_metric_history(run_id, "loss")
        assert [(m.key, m.value, m.timestamp, m.step) for m in history] == [("loss", 0.125, ts, 3)]
        assert tracking_store.get_run(run_id).data.metrics == {"loss": 0.125}

    @clause("tracking_store/metrics/nan-and-infinities")
    def test_metrics_nan_and_infinities(self, tracking_store):
        """NaN round-trips as NaN; +inf and -inf come back as themselves or as +-1.7976931348623157e308 (what
        SQL stores keep), never dropped or turned into something else."""
        from mlflow.entities import Metric

        run_id = new_run(tracking_store).info.run_id
        values = {"nan": math.nan, "pos_inf": math.inf, "neg_inf": -math.inf, "neg_zero": -0.0}
        ts = now_ms()
        for key, value in values.items():
            tracking_store.log_metric(run_id, Metric(key, value, ts, 0))
        latest = tracking_store.get_run(run_id).data.metrics
        for key, value in values.items():
            assert key in latest, f"metric {key} ({value}) was not stored"
            assert same_float(latest[key], value), f"metric {key}: logged {value}, read back {latest[key]}"
            history = tracking_store.get_metric_history(run_id, key)
            assert len(history) == 1 and same_float(history[0].value, value), f"history of {key}: {history}"

    @clause("tracking_store/metrics/steps-negative-and-huge")
    def test_metrics_steps_negative_and_huge(self, tracking_store):
        """Steps may be negative or as large as a signed 64-bit integer allows; they round-trip exactly."""
        from mlflow.entities import Metric

        run_id = new_run(tracking_store).info.run_id
        steps = [-(2**63) + 1, -5, 0, 2**31 + 7, 2**63 - 1]
        ts = now_ms()
        for step in steps:
            tracking_store.log_metric(run_id, Metric("s", float(step % 1000), ts, step))
        got = sorted(m.step for m in tracking_store.get_metric_history(run_id, "s"))
        assert got == sorted(steps)

    @clause("tracking_store/metrics/history-order")
    def test_metrics_history_order(self, tracking_store):
        """get_metric_history returns every logged value ordered by (timestamp, step, value), whatever the
        logging order."""
        from mlflow.entities import Metric

        run_id = new_run(tracking_store).info.run_id
        base = now_ms()
        points = [(base + 3, 1, 0.5), (base + 1, 2, 0.7), (base + 1, 1, 0.9), (base + 1, 1, 0.1), (base + 2, 0, -1.0)]
        for ts, step, value in points:
            tracking_store.log_metric(run_id, Metric("ordered", value, ts, step))
        got = [(m.timestamp, m.step, m.value) for m in tracking_store.get_metric_history(run_id, "ordered")]
        assert got == sorted(points), f"history order {got}"

    @clause("tracking_store/metrics/history-deduplicates")
    def test_metrics_history_deduplicates(self, tracking_store):
        """Logging an identical (key, value, timestamp, step) twice stores it once; different values at the same
        step are all kept."""
        from mlflow.entities import Metric

        run_id = new_run(tracking_store).info.run_id
        ts = now_ms()
        for value in (1.0, 1.0, 2.0):
            tracking_store.log_metric(run_id, Metric("dup", value, ts, 0))
        tracking_store.log_batch(run_id, [Metric("dup", 1.0, ts, 0)], [], [])
        got = sorted(m.value for m in tracking_store.get_metric_history(run_id, "dup"))
        assert got == [1.0, 2.0], f"history {got}: identical points must be stored once"

    @clause("tracking_store/metrics/latest-value")
    def test_metrics_latest_value(self, tracking_store):
        """The run's metric value is the point with the largest (step, timestamp, value), not the last logged."""
        from mlflow.entities import Metric

        run_id = new_run(tracking_store).info.run_id
        base = now_ms()
        tracking_store.log_metric(run_id, Metric("a", 10.0, base + 100, 5))
        tracking_store.log_metric(run_id, Metric("a", 20.0, base + 500, 4))  # later time, lower step
        tracking_store.log_metric(run_id, Metric("b", 1.0, base + 10, 2))
        tracking_store.log_metric(run_id, Metric("b", 3.0, base + 20, 2))  # same step, later time
        tracking_store.log_metric(run_id, Metric("b", 2.0, base + 20, 2))  # same step and time, lower value
        tracking_store.log_metric(run_id, Metric("c", 7.0, base, -1))
        metrics = tracking_store.get_run(run_id).data.metrics
        assert metrics == {"a": 10.0, "b": 3.0, "c": 7.0}, f"latest values {metrics}"

    @clause("tracking_store/metrics/history-unknown-key-empty")
    def test_metrics_history_unknown_key_empty(self, tracking_store):
        """get_metric_history of a key never logged on an existing run returns an empty list."""
        run_id = new_run(tracking_store).info.run_id
        assert list(tracking_store.get_metric_history(run_id, "never-logged")) == []

    # MLflow 3.2: SqlAlchemyStore.get_metric_history pages with max_results/page_token; before (3.1.0) it ignored
    # max_results and refused any page_token.
    @clause("tracking_store/metrics/history-pagination", since="3.2")
    def test_metrics_history_pagination(self, tracking_store):
        """get_metric_history with max_results pages through the history in order: no point twice, none
        skipped, the last page's token is None."""
        from mlflow.entities import Metric

        run_id = new_run(tracking_store).info.run_id
        base = now_ms()
        tracking_store.log_batch(run_id, [Metric("paged", float(i), base + i, i) for i in range(11)], [], [])
        full = [metric_key_tuple(m) for m in tracking_store.get_metric_history(run_id, "paged")]
        assert len(full) == 11
        for size in (1, 4, 11, 20):
            items, _ = all_pages(
                lambda max_results, page_token: tracking_store.get_metric_history(
                    run_id, "paged", max_results=max_results, page_token=page_token),
                size)
            assert [metric_key_tuple(m) for m in items] == full, f"pages of {size} differ from the full history"

    @clause("tracking_store/metrics/bulk-interval-from-steps")
    def test_metrics_bulk_interval_from_steps(self, tracking_store):
        """get_metric_history_bulk_interval_from_steps returns the points at the requested steps only, ordered by
        step, at most max_results."""
        from mlflow.entities import Metric

        run_id = new_run(tracking_store).info.run_id
        base = now_ms()
        tracking_store.log_batch(run_id, [Metric("bulk", float(i) / 2, base + i, i) for i in range(10)], [], [])
        got = tracking_store.get_metric_history_bulk_interval_from_steps(run_id, "bulk", [7, 2, 4, 99], 10)
        assert [(m.step, m.value) for m in got] == [(2, 1.0), (4, 2.0), (7, 3.5)]
        limited = tracking_store.get_metric_history_bulk_interval_from_steps(run_id, "bulk", [2, 4, 7], 2)
        assert [m.step for m in limited] == [2, 4]

    # MLflow 3.5: AbstractStore.get_metric_history_bulk_interval (3.4.0 has no such store method).
    @clause("tracking_store/metrics/bulk-interval", since="3.5")
    def test_metrics_bulk_interval(self, tracking_store):
        """get_metric_history_bulk_interval samples each run's history within [start_step, end_step], keeping the
        first and last step and tagging each point with its run id."""
        from mlflow.entities import Metric

        base = now_ms()
        run_ids = []
        for _ in range(2):
            run_id = new_run(tracking_store).info.run_id
            tracking_store.log_batch(run_id, [Metric("iv", float(i), base + i, i) for i in range(20)], [], [])
            run_ids.append(run_id)
        got = tracking_store.get_metric_history_bulk_interval(run_ids, "iv", max_results=5, start_step=2,
                                                               end_step=15)
        for run_id in run_ids:
            steps = sorted(m.step for m in got if m.run_id == run_id)
            assert steps, f"no points for run {run_id}"
            assert all(2 <= s <= 15 for s in steps), f"steps outside [2, 15]: {steps}"
            assert steps[0] == 2 and steps[-1] == 15, f"the first and last step in range are kept: {steps}"
            assert len(steps) <= 6, f"max_results=5 samples about 5 points, got {len(steps)}"

    @clause("tracking_store/metrics/invalid-values-rejected", routes=("in-process",))
    def test_metrics_invalid_values_rejected(self, tracking_store):
        """A metric value that is None, a bool or not a number raises INVALID_PARAMETER_VALUE and nothing is
        stored."""
        from mlflow.entities import Metric

        run_id = new_run(tracking_store).info.run_id
        for bad in (None, True, "1.0"):
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"logging metric value {bad!r}"):
                tracking_store.log_metric(run_id, Metric("bad", bad, now_ms(), 0))
        assert "bad" not in tracking_store.get_run(run_id).data.metrics


