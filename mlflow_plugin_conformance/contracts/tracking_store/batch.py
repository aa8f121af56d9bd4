"""log_batch: metrics, params and tags together; limits; atomicity."""

from __future__ import annotations

from .._support import raises_mlflow_error
from ..base import clause
from ._helpers import new_run, now_ms


class BatchClauses:
    """Clauses of the ``tracking_store/batch/*`` family."""

    @clause("tracking_store/batch/all-entities")
    def test_batch_all_entities(self, tracking_store):
        """log_batch stores its metrics, params and tags together."""
        from mlflow.entities import Metric, Param, RunTag

        run_id = new_run(tracking_store).info.run_id
        ts = now_ms()
        tracking_store.log_batch(run_id, metrics=[Metric("m1", 1.5, ts, 0), Metric("m1", 2.5, ts + 1, 1),
                                                  Metric("m2", -3.0, ts, 0)],
                                 params=[Param("p1", "a"), Param("p2", "b")], tags=[RunTag("t1", "x")])
        data = tracking_store.get_run(run_id).data
        assert data.metrics == {"m1": 2.5, "m2": -3.0}
        assert data.params == {"p1": "a", "p2": "b"}
        assert data.tags.get("t1") == "x"
        assert len(tracking_store.get_metric_history(run_id, "m1")) == 2

    @clause("tracking_store/batch/limits-accepted")
    def test_batch_limits_accepted(self, tracking_store):
        """A batch at the limits (1000 metrics, or 100 params and 100 tags) is accepted and fully stored."""
        from mlflow.entities import Metric, Param, RunTag

        run_id = new_run(tracking_store).info.run_id
        ts = now_ms()
        tracking_store.log_batch(run_id, [Metric(f"m{i % 10}", float(i), ts, i) for i in range(1000)], [], [])
        assert sum(len(tracking_store.get_metric_history(run_id, f"m{k}")) for k in range(10)) == 1000
        tracking_store.log_batch(run_id, [], [Param(f"p{i}", str(i)) for i in range(100)],
                                 [RunTag(f"t{i}", str(i)) for i in range(100)])
        data = tracking_store.get_run(run_id).data
        assert len(data.params) == 100
        assert sum(1 for k in data.tags if k.startswith("t") and k[1:].isdigit()) == 100

    @clause("tracking_store/batch/over-limits-rejected")
    def test_batch_over_limits_rejected(self, tracking_store):
        """A batch with more than 1000 metrics, 100 params or 100 tags raises INVALID_PARAMETER_VALUE and stores
        nothing."""
        from mlflow.entities import Metric, Param, RunTag

        run_id = new_run(tracking_store).info.run_id
        ts = now_ms()
        too_many = {
            "1001 metrics": ([Metric("over", float(i), ts, i) for i in range(1001)], [], []),
            "101 params": ([], [Param(f"over{i}", "v") for i in range(101)], []),
            "101 tags": ([], [], [RunTag(f"over{i}", "v") for i in range(101)]),
        }
        for label, (metrics, params, tags) in too_many.items():
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"logging a batch of {label}"):
                tracking_store.log_batch(run_id, metrics, params, tags)
        data = tracking_store.get_run(run_id).data
        assert "over" not in data.metrics and not data.params
        assert not [k for k in data.tags if k.startswith("over")]

    @clause("tracking_store/batch/duplicate-param-keys-rejected")
    def test_batch_duplicate_param_keys_rejected(self, tracking_store):
        """A batch holding the same param key twice raises INVALID_PARAMETER_VALUE, even with equal values."""
        from mlflow.entities import Param

        run_id = new_run(tracking_store).info.run_id
        for values in (("a", "b"), ("a", "a")):
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"a batch with param key twice {values}"):
                tracking_store.log_batch(run_id, [], [Param("dup", values[0]), Param("dup", values[1])], [])
        assert "dup" not in tracking_store.get_run(run_id).data.params

    @clause("tracking_store/batch/invalid-batch-stores-nothing")
    def test_batch_invalid_batch_stores_nothing(self, tracking_store):
        """A batch with one invalid entry (bad metric name, bad value, or a param clash) is rejected with
        INVALID_PARAMETER_VALUE and none of its valid entries is stored."""
        from mlflow.entities import Metric, Param, RunTag

        run_id = new_run(tracking_store).info.run_id
        ts = now_ms()
        tracking_store.log_param(run_id, Param("fixed", "original"))
        bad_entries = {
            "an invalid metric name": ([Metric("../escape", 1.0, ts, 0)], [], []),
            "a metric value that is not a number": ([Metric("bad_value", "x", ts, 0)], [], []),
            "a param that changes a stored value": ([], [Param("fixed", "changed")], []),
        }
        for label, (metrics, params, tags) in bad_entries.items():
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"logging a batch with {label}"):
                tracking_store.log_batch(run_id, [Metric("ok_metric", 1.0, ts, 0), *metrics],
                                         [Param("ok_param", "v"), *params], [RunTag("ok_tag", "v"), *tags])
            data = tracking_store.get_run(run_id).data
            leaked = [name for name, present in (("metric", "ok_metric" in data.metrics),
                                                  ("param", "ok_param" in data.params),
                                                  ("tag", "ok_tag" in data.tags)) if present]
            assert not leaked, f"a batch with {label} was rejected but stored its valid {', '.join(leaked)}"
        assert tracking_store.get_run(run_id).data.params == {"fixed": "original"}

    @clause("tracking_store/batch/empty-batch")
    def test_batch_empty_batch(self, tracking_store):
        """An empty log_batch is accepted and changes nothing."""
        run_id = new_run(tracking_store).info.run_id
        before = tracking_store.get_run(run_id).data
        tracking_store.log_batch(run_id, [], [], [])
        after = tracking_store.get_run(run_id).data
        assert (after.metrics, after.params, after.tags) == (before.metrics, before.params, before.tags)
