"""A differential state machine: the plugin and MLflow's reference ``SqlAlchemyStore`` (SQLite) receive the same
generated operations, and every observable result is compared.

Ids are mapped (the plugin's experiment and run ids to the reference's), clocks normalised (start and end times
and metric timestamps are generated, never read from either store's clock; creation times are not compared).
Outcomes are compared as values or as MLflow error codes, so a plugin that accepts what MLflow rejects (or the
reverse) is caught too. A failure shrinks to a minimal operation sequence, printed as Python the author can
replay.

Reuse: ``TrackingStoreDifferentialMachine.bind(lambda: MyStore(...))`` returns a machine class; run it with
``hypothesis.stateful.run_state_machine_as_test`` or take its ``TestCase`` for unittest/pytest collection.
"""

from __future__ import annotations

import itertools
import math

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from ... import strategies as ms
from .._support import unique_name
from ..base import clause
from ..shared.differential import IdMappingMachine
from ._helpers import SQL_MAX_FLOAT

EXPERIMENT_SUFFIXES = ("a", "b", "c")
METRIC_KEYS = ("m1", "m2")
PARAM_KEYS = ("p1", "p2")
TAG_KEYS = ("t1", "t2")
VALUES = ("a", "b", "c", "B")
STATUSES = ("RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED")
#: Metric values: the edge cases often, any double or integer otherwise.
METRIC_VALUES = st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 1.0, 2.5]) | ms.metric_values()


def _number(value):
    if value is None:
        return None
    value = float(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return math.copysign(SQL_MAX_FLOAT, value)
    return value


class Pair:
    """The same entity in both stores."""

    def __init__(self, plugin_id: str, reference_id: str, label: str):
        self.plugin_id, self.reference_id, self.label = plugin_id, reference_id, label

    def __repr__(self):
        return self.label


class TrackingStoreDifferentialMachine(IdMappingMachine):
    """Drive a plugin tracking store and MLflow's reference store with the same operations; compare results.

    Set ``plugin_store_factory`` (via :meth:`bind`). The plugin store may be shared with other tests: the machine
    isolates itself with a unique experiment-name prefix and only ever reads its own experiments and runs.
    """

    experiments = Bundle("experiments")
    runs = Bundle("runs")

    def __init__(self):
        super().__init__()
        import mlflow

        from ...capabilities import version_at_least

        self.prefix = unique_name("diff")
        self.clock = itertools.count(1_700_000_000_000, 1000)
        self.experiment_map: dict[str, str] = {}  # plugin id -> reference id
        self.run_map: dict[str, str] = {}
        self.experiment_pairs: list[Pair] = []
        self.counter = itertools.count()
        self.last_run: Pair | None = None
        self.deletes_experiment_tags = version_at_least(mlflow.__version__, "3.2")

    def fresh_reference(self, directory):
        from ...reference import fresh_reference_tracking_store

        return fresh_reference_tracking_store(directory)

    def id_maps(self):
        return self.run_map, self.experiment_map

    def _run_view(self, run):
        info, data = run.info, run.data
        return {
            "experiment_id": info.experiment_id, "status": info.status, "lifecycle": info.lifecycle_stage,
            "run_name": info.run_name, "start_time": info.start_time, "end_time": info.end_time,
            "user_id": info.user_id, "metrics": {k: _number(v) for k, v in data.metrics.items()},
            "params": dict(data.params), "tags": dict(data.tags),
        }

    @initialize(target=experiments)
    def first_experiment(self):
        return self.create_experiment("first", tags=False)

    @invariant()
    def last_touched_run_agrees(self):
        """After every step, the run touched last reads the same in both stores (run data and histories)."""
        run = self.last_run
        if run is None:
            return
        self.get_run(run)
        for key in METRIC_KEYS:
            self.get_metric_history(run, key)

    # -- experiments -----------------------------------------------------------------------------------------

    @rule(target=experiments, suffix=st.sampled_from(EXPERIMENT_SUFFIXES), tags=st.booleans())
    def create_experiment(self, suffix, tags):
        from mlflow.entities import ExperimentTag

        name = f"{self.prefix}-{suffix}"
        tag_list = [ExperimentTag("team", suffix)] if tags else []
        plugin, reference = self.both(f"create_experiment({name!r})",
                                      lambda: self.plugin.create_experiment(name, tags=tag_list),
                                      lambda: self.reference.create_experiment(name, tags=tag_list),
                                      normalise=lambda _: "created")
        if not plugin.ok:
            return multiple()
        self.experiment_map[plugin.value] = reference.value
        pair = Pair(plugin.value, reference.value, f"experiment{next(self.counter)}")
        self.experiment_pairs.append(pair)
        return pair

    @rule(experiment=experiments)
    def get_experiment(self, experiment):
        def view(e):
            return (e.experiment_id, e.name, e.lifecycle_stage, dict(e.tags))

        self.both(f"get_experiment({experiment})", lambda: self.plugin.get_experiment(experiment.plugin_id),
                  lambda: self.reference.get_experiment(experiment.reference_id), view)

    @rule(experiment=experiments, delete=st.booleans())
    def delete_or_restore_experiment(self, experiment, delete):
        method = "delete_experiment" if delete else "restore_experiment"
        self.both(f"{method}({experiment})", lambda: getattr(self.plugin, method)(experiment.plugin_id),
                  lambda: getattr(self.reference, method)(experiment.reference_id), lambda _: None)

    @rule(experiment=experiments, suffix=st.sampled_from(EXPERIMENT_SUFFIXES + ("renamed",)))
    def rename_experiment(self, experiment, suffix):
        name = f"{self.prefix}-{suffix}"
        self.both(f"rename_experiment({experiment}, {name!r})",
                  lambda: self.plugin.rename_experiment(experiment.plugin_id, name),
                  lambda: self.reference.rename_experiment(experiment.reference_id, name), lambda _: None)

    @rule(experiment=experiments, key=st.sampled_from(TAG_KEYS), value=st.sampled_from(VALUES),
          delete=st.booleans())
    def experiment_tag(self, experiment, key, value, delete):
        from mlflow.entities import ExperimentTag

        # delete_experiment_tag is part of the store interface from MLflow 3.2 (AbstractStore, SqlAlchemyStore):
        # before, the step sets the tag (the same draws, so the sequences of newer versions are unchanged).
        if delete and self.deletes_experiment_tags:
            self.both(f"delete_experiment_tag({experiment}, {key!r})",
                      lambda: self.plugin.delete_experiment_tag(experiment.plugin_id, key),
                      lambda: self.reference.delete_experiment_tag(experiment.reference_id, key), lambda _: None)
        else:
            self.both(f"set_experiment_tag({experiment}, {key!r}, {value!r})",
                      lambda: self.plugin.set_experiment_tag(experiment.plugin_id, ExperimentTag(key, value)),
                      lambda: self.reference.set_experiment_tag(experiment.reference_id, ExperimentTag(key, value)),
                      lambda _: None)

    @rule(view=st.sampled_from([1, 2, 3]), pattern=st.sampled_from(["%", "%a", "%-_"]))
    def search_experiments(self, view, pattern):
        flt = f"name LIKE '{self.prefix}{pattern}'"

        def names(found):  # sorted by name: ids differ between the stores (mapped after normalising)
            return sorted(((e.name, e.experiment_id, e.lifecycle_stage) for e in found), key=lambda t: t[0])

        self.both(f"search_experiments(view_type={view}, filter={flt!r})",
                  lambda: self.plugin.search_experiments(view_type=view, filter_string=flt, max_results=1000),
                  lambda: self.reference.search_experiments(view_type=view, filter_string=flt, max_results=1000),
                  names)

    # -- runs ------------------------------------------------------------------------------------------------

    @rule(target=runs, experiment=experiments, name=st.sampled_from([None, "x", "y"]),
          tag_name=st.sampled_from([None, "x", "z"]))
    def create_run(self, experiment, name, tag_name):
        from mlflow.entities import RunTag

        start = next(self.clock)
        tags = [RunTag("mlflow.runName", tag_name)] if tag_name else []
        generated = {}

        def normalise(run):
            view = self._run_view(run)
            if name is None and tag_name is None:  # a generated name: random in both, compared by presence
                generated["name"] = view["run_name"]
                view["run_name"] = bool(view["run_name"])
                view["tags"]["mlflow.runName"] = view["tags"].get("mlflow.runName") == generated["name"]
            return view

        plugin, reference = self.both(
            f"create_run({experiment}, run_name={name!r}, tags={tags})",
            lambda: self.plugin.create_run(experiment.plugin_id, "user", start, list(tags), name),
            lambda: self.reference.create_run(experiment.reference_id, "user", start, list(tags), name),
            normalise)
        if not plugin.ok:
            return multiple()
        created, reference_created = plugin.value.info, reference.value.info
        self.run_map[created.run_id] = reference_created.run_id
        if name is None and tag_name is None:  # make names equal so later comparisons hold
            fixed = f"generated-{next(self.counter)}"
            self.plugin.update_run_info(created.run_id, _status(created.status), None, fixed)
            self.reference.update_run_info(reference_created.run_id, _status(reference_created.status), None, fixed)
        pair = Pair(created.run_id, reference_created.run_id, f"run{next(self.counter)}")
        self.last_run = pair
        return pair

    @rule(run=runs)
    def get_run(self, run):
        self.both(f"get_run({run})", lambda: self.plugin.get_run(run.plugin_id),
                  lambda: self.reference.get_run(run.reference_id), self._run_view)

    @rule(run=runs, delete=st.booleans())
    def delete_or_restore_run(self, run, delete):
        self.last_run = run
        method = "delete_run" if delete else "restore_run"
        self.both(f"{method}({run})", lambda: getattr(self.plugin, method)(run.plugin_id),
                  lambda: getattr(self.reference, method)(run.reference_id), lambda _: None)

    @rule(run=runs, status=st.sampled_from(STATUSES), end=st.booleans(), name=st.sampled_from([None, "x", "w"]))
    def update_run_info(self, run, status, end, name):
        self.last_run = run
        end_time = next(self.clock) if end else None

        def view(info):
            return (info.status, info.end_time, info.run_name)

        self.both(f"update_run_info({run}, {status}, {end_time}, {name!r})",
                  lambda: self.plugin.update_run_info(run.plugin_id, _status(status), end_time, name),
                  lambda: self.reference.update_run_info(run.reference_id, _status(status), end_time, name), view)

    @rule(run=runs, key=st.sampled_from(METRIC_KEYS), value=METRIC_VALUES, ts=st.integers(0, 3),
          step=st.integers(-2, 3))
    def log_metric(self, run, key, value, ts, step):
        self.last_run = run
        from mlflow.entities import Metric

        metric = Metric(key, value, ts, step)
        self.both(f"log_metric({run}, {metric})", lambda: self.plugin.log_metric(run.plugin_id, metric),
                  lambda: self.reference.log_metric(run.reference_id, metric), lambda _: None)

    @rule(run=runs, key=st.sampled_from(PARAM_KEYS), value=st.sampled_from(VALUES))
    def log_param(self, run, key, value):
        self.last_run = run
        from mlflow.entities import Param

        self.both(f"log_param({run}, {key!r}, {value!r})", lambda: self.plugin.log_param(run.plugin_id,
                                                                                       Param(key, value)),
                  lambda: self.reference.log_param(run.reference_id, Param(key, value)), lambda _: None)

    @rule(run=runs, key=st.sampled_from(TAG_KEYS + ("mlflow.runName",)), value=st.sampled_from(VALUES),
          delete=st.booleans())
    def run_tag(self, run, key, value, delete):
        self.last_run = run
        from mlflow.entities import RunTag

        if delete:
            self.both(f"delete_tag({run}, {key!r})", lambda: self.plugin.delete_tag(run.plugin_id, key),
                      lambda: self.reference.delete_tag(run.reference_id, key), lambda _: None)
        else:
            self.both(f"set_tag({run}, {key!r}, {value!r})",
                      lambda: self.plugin.set_tag(run.plugin_id, RunTag(key, value)),
                      lambda: self.reference.set_tag(run.reference_id, RunTag(key, value)), lambda _: None)

    @rule(run=runs, metrics=st.lists(ms.metrics(keys=list(METRIC_KEYS)).map(
              lambda m: type(m)(m.key, m.value, m.timestamp % 4, m.step % 5)), max_size=4),
          params=st.lists(st.tuples(st.sampled_from(PARAM_KEYS + ("p3",)), st.sampled_from(VALUES)), max_size=3),
          tags=st.lists(st.tuples(st.sampled_from(TAG_KEYS), st.sampled_from(VALUES)), max_size=3))
    def log_batch(self, run, metrics, params, tags):
        self.last_run = run
        from mlflow.entities import Param, RunTag

        param_list = [Param(k, v) for k, v in params]
        tag_list = [RunTag(k, v) for k, v in tags]
        self.both(f"log_batch({run}, {metrics}, {param_list}, {tag_list})",
                  lambda: self.plugin.log_batch(run.plugin_id, metrics, param_list, tag_list),
                  lambda: self.reference.log_batch(run.reference_id, metrics, param_list, tag_list),
                  lambda _: None)

    @rule(run=runs, key=st.sampled_from(METRIC_KEYS))
    def get_metric_history(self, run, key):
        def view(history):
            return [(m.key, _number(m.value), m.timestamp, m.step) for m in history]

        self.both(f"get_metric_history({run}, {key!r})", lambda: self.plugin.get_metric_history(run.plugin_id, key),
                  lambda: self.reference.get_metric_history(run.reference_id, key), view)

    @precondition(lambda self: self.experiment_pairs)
    @rule(filter_string=ms.run_filter_strings(METRIC_KEYS, PARAM_KEYS, TAG_KEYS, VALUES),
          order_by=ms.run_order_bys(METRIC_KEYS, PARAM_KEYS, TAG_KEYS), view=st.sampled_from([1, 2, 3]),
          page_size=st.sampled_from([1, 2, 1000]))
    def search_runs(self, filter_string, order_by, view, page_size):
        plugin_ids = [p.plugin_id for p in self.experiment_pairs]
        reference_ids = [p.reference_id for p in self.experiment_pairs]

        def pages(store, ids):
            found, token = [], None
            for _ in range(500):
                page = store.search_runs(ids, filter_string, view, max_results=page_size, order_by=order_by,
                                         page_token=token)
                found.extend(r.info.run_id for r in page)
                token = page.token
                if not token:
                    return found
            raise AssertionError("page tokens never ended")

        self.both(f"search_runs(filter={filter_string!r}, order_by={order_by}, view_type={view}, "
                  f"max_results={page_size})",
                  lambda: pages(self.plugin, plugin_ids), lambda: pages(self.reference, reference_ids))


def _status(name):
    from mlflow.entities import RunStatus

    return RunStatus.from_string(name)


def machine_settings():
    """The loaded profile's example count, with short runs and the shared store fixture allowed."""
    return ms.suite_settings(stateful_step_count=20, deadline=None,
                    suppress_health_check=[*settings.default.suppress_health_check, HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture, HealthCheck.differing_executors, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large])


class DifferentialClauses:
    """Clauses of the ``tracking_store/differential/*`` family."""

    @clause("tracking_store/differential/state-machine")
    def test_differential_state_machine(self, tracking_store, tmp_path):
        """Any sequence of experiment, run, metric, param, tag, batch and search operations gives the same
        results (values or error codes, ids mapped, clocks normalised) on the plugin as on MLflow's reference
        SqlAlchemyStore, including search_runs with generated filters, order_by, view types and page sizes."""
        from ...reference import close_tracking_store, fresh_reference_tracking_store

        reference = fresh_reference_tracking_store(tmp_path)
        try:
            machine = TrackingStoreDifferentialMachine.bind(lambda: tracking_store, lambda: reference)
            run_state_machine_as_test(machine, settings=machine_settings())
        finally:
            close_tracking_store(reference)
