"""search_runs: comparators on every entity, AND, quoted keys, IN, order_by, default order, pagination, views."""

from __future__ import annotations

import math

from .._support import raises_mlflow_error
from ..base import clause
from ..shared.pagination import all_pages
from ._helpers import new_experiment, new_run, now_ms


def search_ids(store, experiment_ids, filter_string="", view_type=None, order_by=None, max_results=1000):
    """Run ids that search_runs returns, following every page."""
    from mlflow.entities import ViewType

    found, _ = all_pages(
        lambda max_results, page_token: store.search_runs(experiment_ids, filter_string,
                                                          view_type or ViewType.ACTIVE_ONLY, max_results=max_results,
                                                          order_by=order_by, page_token=page_token),
        max_results)
    return [r.info.run_id for r in found]


class _Fixture:
    """Three runs with known metrics, params, tags and names in a fresh experiment."""

    def __init__(self, store):
        from mlflow.entities import Metric, Param, RunTag

        self.experiment_id = new_experiment(store, "search")
        base = now_ms() - 100000
        spec = {
            "a": dict(metric=1.0, param="alpha", tag="Red", start=base + 1000),
            "b": dict(metric=2.0, param="beta", tag="green", start=base + 2000),
            "c": dict(metric=3.0, param="gamma", tag="blue", start=base + 3000),
        }
        self.ids = {}
        for name, s in spec.items():
            run = new_run(store, self.experiment_id, run_name=f"run-{name}", start_time=s["start"],
                          tags=[RunTag("color", s["tag"])], user_id=f"user-{name}")
            run_id = run.info.run_id
            store.log_batch(run_id, [Metric("acc", s["metric"], base, 0), Metric("my key", s["metric"], base, 0)],
                            [Param("model", s["param"]), Param("odd key", s["param"])],
                            [RunTag("only_" + name, "yes")])
            self.ids[name] = run_id

    def find(self, store, filter_string, **kwargs):
        by_id = {v: k for k, v in self.ids.items()}
        return sorted(by_id[i] for i in search_ids(store, [self.experiment_id], filter_string, **kwargs))


class SearchRunClauses:
    """Clauses of the ``tracking_store/search-runs/*`` family."""

    @clause("tracking_store/search-runs/metric-comparators")
    def test_search_runs_metric_comparators(self, tracking_store):
        """Metric filters support >, >=, =, !=, <, <= numerically; runs without the metric never match."""
        f = _Fixture(tracking_store)
        expected = {">": ["c"], ">=": ["b", "c"], "=": ["b"], "!=": ["a", "c"], "<": ["a"], "<=": ["a", "b"]}
        for op, names in expected.items():
            assert f.find(tracking_store, f"metrics.acc {op} 2") == names, f"metrics.acc {op} 2"
        assert f.find(tracking_store, "metrics.acc > 1.5") == ["b", "c"]
        assert f.find(tracking_store, "metrics.missing < 100") == []

    @clause("tracking_store/search-runs/param-comparators")
    def test_search_runs_param_comparators(self, tracking_store):
        """Param filters support =, !=, LIKE (case-sensitive) and ILIKE (case-insensitive)."""
        f = _Fixture(tracking_store)
        assert f.find(tracking_store, "params.model = 'beta'") == ["b"]
        assert f.find(tracking_store, "params.model != 'beta'") == ["a", "c"]
        assert f.find(tracking_store, "params.model LIKE '%a%a'") == ["a", "c"]
        assert f.find(tracking_store, "params.model LIKE 'BETA'") == []
        assert f.find(tracking_store, "params.model ILIKE 'BE%'") == ["b"]

    @clause("tracking_store/search-runs/tag-comparators")
    def test_search_runs_tag_comparators(self, tracking_store):
        """Tag filters support =, !=, LIKE and ILIKE; = is case-sensitive."""
        f = _Fixture(tracking_store)
        assert f.find(tracking_store, "tags.color = 'Red'") == ["a"]
        assert f.find(tracking_store, "tags.color = 'red'") == [], "= on tags is case-sensitive"
        assert f.find(tracking_store, "tags.color != 'Red'") == ["b", "c"]
        assert f.find(tracking_store, "tags.color LIKE 'R%'") == ["a"]
        assert f.find(tracking_store, "tags.color ILIKE '%E%'") == ["a", "b", "c"]

    # MLflow 3.11: SearchUtils.VALID_PARAM_COMPARATORS / VALID_TAG_COMPARATORS gained IS NULL and IS NOT NULL
    # (3.10.1 rejects them for runs).
    @clause("tracking_store/search-runs/null-comparators", since="3.11")
    def test_search_runs_null_comparators(self, tracking_store):
        """Param and tag filters support IS NULL (the run lacks the key) and IS NOT NULL (it has it)."""
        f = _Fixture(tracking_store)
        assert f.find(tracking_store, "params.model IS NOT NULL") == ["a", "b", "c"]
        assert f.find(tracking_store, "params.nothing IS NULL") == ["a", "b", "c"]
        assert f.find(tracking_store, "params.model IS NULL") == []
        assert f.find(tracking_store, "tags.only_b IS NOT NULL") == ["b"]
        assert f.find(tracking_store, "tags.only_b IS NULL") == ["a", "c"]

    @clause("tracking_store/search-runs/attribute-comparators")
    def test_search_runs_attribute_comparators(self, tracking_store):
        """Attribute filters: run_name, status, user_id with string comparators (LIKE/ILIKE included);
        start_time with numeric comparators; `attributes.` and bare forms are equivalent."""
        f = _Fixture(tracking_store)
        assert f.find(tracking_store, "attributes.run_name = 'run-a'") == ["a"]
        assert f.find(tracking_store, "run_name LIKE 'run-%'") == ["a", "b", "c"]
        assert f.find(tracking_store, "attributes.run_name ILIKE 'RUN-B'") == ["b"]
        assert f.find(tracking_store, "attributes.run_name != 'run-a'") == ["b", "c"]
        assert f.find(tracking_store, "attributes.status = 'RUNNING'") == ["a", "b", "c"]
        assert f.find(tracking_store, "attributes.user_id = 'user-c'") == ["c"]
        start_b = tracking_store.get_run(f.ids["b"]).info.start_time
        assert f.find(tracking_store, f"attributes.start_time >= {start_b}") == ["b", "c"]
        assert f.find(tracking_store, f"attributes.start_time < {start_b}") == ["a"]

    @clause("tracking_store/search-runs/run-id-in")
    def test_search_runs_run_id_in(self, tracking_store):
        """`attributes.run_id IN (...)` and `NOT IN (...)` select runs by id."""
        f = _Fixture(tracking_store)
        a, c = f.ids["a"], f.ids["c"]
        assert f.find(tracking_store, f"attributes.run_id IN ('{a}', '{c}')") == ["a", "c"]
        assert f.find(tracking_store, f"attributes.run_id NOT IN ('{a}')") == ["b", "c"]
        assert f.find(tracking_store, f"attributes.run_id = '{c}'") == ["c"]

    @clause("tracking_store/search-runs/and")
    def test_search_runs_and(self, tracking_store):
        """Clauses joined by AND must all hold."""
        f = _Fixture(tracking_store)
        assert f.find(tracking_store, "metrics.acc >= 2 AND params.model = 'gamma'") == ["c"]
        assert f.find(tracking_store, "metrics.acc >= 2 AND tags.color = 'Red'") == []
        assert f.find(tracking_store, "metrics.acc > 0 and params.model LIKE '%a' and tags.color != 'blue'") == \
            ["a", "b"]

    @clause("tracking_store/search-runs/quoted-keys")
    def test_search_runs_quoted_keys(self, tracking_store):
        """Keys with spaces can be written double-quoted or backticked: metrics."my key", params.`odd key`."""
        f = _Fixture(tracking_store)
        assert f.find(tracking_store, 'metrics."my key" > 2') == ["c"]
        assert f.find(tracking_store, "metrics.`my key` <= 1") == ["a"]
        assert f.find(tracking_store, "params.`odd key` = 'beta'") == ["b"]
        assert f.find(tracking_store, "tags.\"color\" = 'blue'") == ["c"]

    @clause("tracking_store/search-runs/order-by")
    def test_search_runs_order_by(self, tracking_store):
        """order_by on metrics, params, tags and attributes sorts ASC (the default) or DESC."""
        f = _Fixture(tracking_store)
        names = {v: k for k, v in f.ids.items()}

        def ordered(order):
            return [names[i] for i in search_ids(tracking_store, [f.experiment_id], order_by=[order])]

        cases = {
            "metrics.acc": ["a", "b", "c"], "metrics.acc ASC": ["a", "b", "c"], "metrics.acc DESC": ["c", "b", "a"],
            "params.model DESC": ["c", "b", "a"], "params.model ASC": ["a", "b", "c"],
            "tags.color ASC": ["a", "c", "b"],  # 'Red' < 'blue' < 'green' (binary order)
            "attributes.run_name DESC": ["c", "b", "a"], "attributes.start_time ASC": ["a", "b", "c"],
            "start_time DESC": ["c", "b", "a"],
        }
        for order, expected in cases.items():
            assert ordered(order) == expected, f"order_by {order!r}"

    @clause("tracking_store/search-runs/order-by-missing-and-nan-last")
    def test_search_runs_order_by_missing_and_nan_last(self, tracking_store):
        """Ordering by a metric puts NaN after every number and runs without the metric last, ASC and DESC."""
        from mlflow.entities import Metric

        experiment_id = new_experiment(tracking_store)
        ts = now_ms()
        values = {"low": 1.0, "high": 5.0, "nan": math.nan, "none": None}
        ids = {}
        for name, value in values.items():
            run_id = new_run(tracking_store, experiment_id, run_name=name).info.run_id
            if value is not None:
                tracking_store.log_metric(run_id, Metric("m", value, ts, 0))
            ids[run_id] = name
        for direction, numbers in (("ASC", ["low", "high"]), ("DESC", ["high", "low"])):
            got = [ids[i] for i in search_ids(tracking_store, [experiment_id], order_by=[f"metrics.m {direction}"])]
            assert got == [*numbers, "nan", "none"], f"metrics.m {direction}: {got}"

    @clause("tracking_store/search-runs/default-order")
    def test_search_runs_default_order(self, tracking_store):
        """Without order_by, runs come by start_time DESC, ties broken by run_id ASC."""
        experiment_id = new_experiment(tracking_store)
        base = now_ms()
        starts = [base, base + 10, base + 10, base - 10, base + 10]
        runs = [(s, new_run(tracking_store, experiment_id, start_time=s).info.run_id) for s in starts]
        expected = [run_id for _, run_id in sorted(runs, key=lambda r: (-r[0], r[1]))]
        assert search_ids(tracking_store, [experiment_id]) == expected

    @clause("tracking_store/search-runs/pagination")
    def test_search_runs_pagination(self, tracking_store):
        """Paging search_runs visits every match exactly once in the unpaged order, pages hold at most
        max_results, and the last page's token is None."""
        experiment_id = new_experiment(tracking_store)
        base = now_ms()
        for i in range(7):
            new_run(tracking_store, experiment_id, start_time=base + (i % 3))
        unpaged = search_ids(tracking_store, [experiment_id], max_results=1000)
        assert len(unpaged) == 7
        for size in (1, 2, 3, 7, 8):
            assert search_ids(tracking_store, [experiment_id], max_results=size) == unpaged, f"pages of {size}"

    @clause("tracking_store/search-runs/bad-page-token")
    def test_search_runs_bad_page_token(self, tracking_store):
        """A page token the store did not issue raises INVALID_PARAMETER_VALUE."""
        from mlflow.entities import ViewType

        experiment_id = new_experiment(tracking_store)
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="searching runs with a garbage page token"):
            tracking_store.search_runs([experiment_id], "", ViewType.ALL, page_token="not-a-real-token")

    @clause("tracking_store/search-runs/max-results-bounds")
    def test_search_runs_max_results_bounds(self, tracking_store):
        """max_results above 50000 raises INVALID_PARAMETER_VALUE."""
        from mlflow.entities import ViewType

        experiment_id = new_experiment(tracking_store)
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="searching runs with max_results=50001"):
            tracking_store.search_runs([experiment_id], "", ViewType.ALL, max_results=50001)

    @clause("tracking_store/search-runs/view-types")
    def test_search_runs_view_types(self, tracking_store):
        """ACTIVE_ONLY hides deleted runs, DELETED_ONLY shows only them, ALL shows both."""
        from mlflow.entities import ViewType

        experiment_id = new_experiment(tracking_store)
        active = new_run(tracking_store, experiment_id).info.run_id
        deleted = new_run(tracking_store, experiment_id).info.run_id
        tracking_store.delete_run(deleted)
        assert search_ids(tracking_store, [experiment_id], view_type=ViewType.ACTIVE_ONLY) == [active]
        assert search_ids(tracking_store, [experiment_id], view_type=ViewType.DELETED_ONLY) == [deleted]
        assert set(search_ids(tracking_store, [experiment_id], view_type=ViewType.ALL)) == {active, deleted}

    @clause("tracking_store/search-runs/several-experiments")
    def test_search_runs_several_experiments(self, tracking_store):
        """search_runs over several experiment ids returns the runs of all of them and no others."""
        e1, e2, e3 = (new_experiment(tracking_store) for _ in range(3))
        r1, r2 = new_run(tracking_store, e1).info.run_id, new_run(tracking_store, e2).info.run_id
        new_run(tracking_store, e3)
        assert set(search_ids(tracking_store, [e1, e2])) == {r1, r2}

    @clause("tracking_store/search-runs/invalid-filter")
    def test_search_runs_invalid_filter(self, tracking_store):
        """A malformed filter, an unknown entity or attribute, or a comparator the entity does not support raises
        INVALID_PARAMETER_VALUE."""
        from mlflow.entities import ViewType

        experiment_id = new_experiment(tracking_store)
        bad_filters = ["metrics.acc >", "metrics.acc > 'text'", "params.p > 'x'", "unknown.key = 'x'",
                       "attributes.nonexistent = 'x'", "metrics.acc = 1 OR metrics.acc = 2", "metrics.acc IS NULL",
                       "tags.t LIKE 5"]
        for bad in bad_filters:
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"searching runs with filter {bad!r}"):
                tracking_store.search_runs([experiment_id], bad, ViewType.ALL)

    @clause("tracking_store/search-runs/filter-literal-not-injection")
    def test_search_runs_filter_literal_not_injection(self, tracking_store):
        """Filter values that look like SQL injection are compared literally (or rejected), never executed."""
        from mlflow.entities import Param, ViewType
        from mlflow.exceptions import MlflowException

        experiment_id = new_experiment(tracking_store)
        run_id = new_run(tracking_store, experiment_id).info.run_id
        tracking_store.log_param(run_id, Param("p", "x"))
        for sneaky in ("x' OR '1'='1", "x'; DROP TABLE runs; --", "%' OR 1=1 --"):
            try:
                found = search_ids(tracking_store, [experiment_id], f"params.p = \"{sneaky}\"", ViewType.ALL)
            except MlflowException as exc:
                assert exc.error_code == "INVALID_PARAMETER_VALUE", f"{sneaky!r}: {exc.error_code}"
                continue
            assert found == [], f"filter value {sneaky!r} matched runs: it was not taken literally"
        assert tracking_store.get_run(run_id).data.params == {"p": "x"}, "the store was changed by a search"
