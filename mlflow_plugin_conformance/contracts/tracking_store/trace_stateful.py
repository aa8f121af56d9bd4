"""A differential state machine for traces: the plugin and MLflow's reference ``SqlAlchemyStore`` (SQLite) receive
the same generated trace operations (start a trace, log spans, tag, assess, override, search with generated filters
and orders, delete by ids / time / count), and every observable result is compared.

Trace ids are chosen by the client in MLflow (``tr-<hex>``), so both stores get the same trace ids; experiment and
assessment ids are mapped. Times are generated, never read from a clock. Outcomes are compared as values or as MLflow
error codes. Operations on traces a step deleted are not replayed (what a store answers for a deleted trace's tag
is not part of MLflow's contract). A failure shrinks to a minimal sequence of operations, printed as Python.

Reuse: ``TraceDifferentialMachine.bind(lambda: MyStore(...))`` returns a machine class; run it with
``hypothesis.stateful.run_state_machine_as_test``.
"""

from __future__ import annotations

import itertools
import uuid

from hypothesis import strategies as st
from hypothesis.stateful import Bundle, initialize, invariant, multiple, precondition, rule
from hypothesis.stateful import run_state_machine_as_test

from ... import strategies as ms
from .._support import unique_name
from ..base import clause
from ..shared.differential import IdMappingMachine, Unordered
from ._genai import TRACES, SpanSpec, search_traces_in, trace_info
from .stateful import Pair, machine_settings

BASE_MS = 1_700_000_000_000
STEP_MS = 10
TAG_KEYS = ("t1", "t2")
METADATA_KEYS = ("m1",)
VALUES = ("a", "b", "c")
SPAN_NAMES = ("root", "llm", "tool")
SPAN_TYPES = ("CHAIN", "LLM", "TOOL")
FEEDBACK_NAMES = ("f1",)


def _user(mapping) -> dict:
    """What a user set (tags, metadata, and the trace name): MLflow keeps its own bookkeeping under ``mlflow.*``."""
    return {k: v for k, v in dict(mapping).items() if not k.startswith("mlflow.") or k == "mlflow.traceName"}


class TracePair(Pair):
    """One trace, held by both stores under the same id."""

    def __init__(self, trace_id: str, experiment: Pair, label: str):
        super().__init__(trace_id, trace_id, label)
        self.experiment = experiment
        self.next_span = 1
        self.has_spans = False


class TraceDifferentialMachine(IdMappingMachine):
    """Drive a plugin tracking store's trace API and MLflow's reference store with the same operations.

    Set ``plugin_store_factory`` (via :meth:`bind`). The plugin store may be shared with other tests: the machine
    isolates itself in experiments of its own (unique names) and traces with ids of its own.
    """

    reference_directory_prefix = "mlflow-trace-differential-"
    experiments = Bundle("trace_experiments")
    traces = Bundle("traces")
    assessments = Bundle("assessments")

    def __init__(self):
        super().__init__()
        import mlflow

        from ...capabilities import version_at_least

        self.prefix = unique_name("tracediff")
        self.trace_prefix = uuid.uuid4().hex[:20]
        self.counter = itertools.count()
        self.experiment_map: dict[str, str] = {}
        self.assessment_map: dict[str, str] = {}
        self.experiment_pairs: list[Pair] = []
        self.live: dict[str, TracePair] = {}
        self.last: TracePair | None = None
        version = mlflow.__version__
        self.reads_spans = version_at_least(version, "3.7")  # get_trace
        kinds = ["status", "timestamp", "execution_time", "tag", "metadata"]
        kinds += ["span_name", "span_type"] if version_at_least(version, "3.4") else []
        kinds += ["metadata_null"] if version_at_least(version, "3.9") else []
        kinds += ["tag_null"] if version_at_least(version, "3.11") else []
        # Feedback filters match valid assessments only from 3.12 (before, overridden feedback matched too).
        kinds += ["feedback"] if version_at_least(version, "3.12") else []
        self.filter_kinds = kinds

    def fresh_reference(self, directory):
        from ...reference import fresh_reference_tracking_store

        return fresh_reference_tracking_store(directory)

    def id_maps(self):
        return self.experiment_map, self.assessment_map

    def _assessment_view(self, a):
        value = getattr(a, "value", None)
        return (a.name, value, bool(a.valid), a.overrides, a.span_id)

    def _info_view(self, info):
        from ._genai import state_name

        return {"trace_id": info.trace_id, "experiment_id": info.experiment_id, "request_time": info.request_time,
                "execution_duration": info.execution_duration, "state": state_name(info.state),
                "tags": _user(info.tags), "metadata": _user(info.trace_metadata),
                "assessments": Unordered(self._assessment_view(a) for a in info.assessments)}

    def _spans_view(self, trace):
        return sorted((s.name, s.span_id, s.parent_id, s.span_type, s.start_time_ns, s.end_time_ns,
                       str(s.status.status_code), s.attributes.get("n")) for s in trace.data.spans)

    @initialize(target=experiments)
    def first_experiment(self):
        return self.create_experiment()

    @invariant()
    def last_touched_trace_agrees(self):
        """After every step, the trace touched last reads the same in both stores (its info, and its spans)."""
        if self.last is None:
            return
        self.get_trace_info(self.last)
        if self.reads_spans and self.last.has_spans and self.last.plugin_id in self.live:
            self.get_trace(self.last)

    # -- experiments and traces ------------------------------------------------------------------------------

    @rule(target=experiments)
    def create_experiment(self):
        name = f"{self.prefix}-{next(self.counter)}"
        plugin, reference = self.both(f"create_experiment({name!r})", lambda: self.plugin.create_experiment(name),
                                      lambda: self.reference.create_experiment(name), lambda _: "created")
        if not plugin.ok:
            return multiple()
        self.experiment_map[plugin.value] = reference.value
        pair = Pair(plugin.value, reference.value, f"experiment{len(self.experiment_pairs)}")
        self.experiment_pairs.append(pair)
        return pair

    def _new_trace_id(self) -> str:
        return f"tr-{self.trace_prefix}{next(self.counter):012x}"

    @rule(target=traces, experiment=experiments, at=st.integers(0, 5), duration=st.integers(0, 3),
          state=st.sampled_from(["OK", "ERROR"]),
          tags=st.dictionaries(st.sampled_from(TAG_KEYS), st.sampled_from(VALUES), max_size=2),
          metadata=st.dictionaries(st.sampled_from(METADATA_KEYS), st.sampled_from(VALUES), max_size=1))
    def start_trace(self, experiment, at, duration, state, tags, metadata):
        trace_id = self._new_trace_id()

        def info(experiment_id):
            return trace_info(experiment_id, trace_id, request_time=BASE_MS + at * STEP_MS,
                              execution_duration=duration * STEP_MS, state=state, tags=tags, metadata=metadata)

        plugin, _ = self.both(f"start_trace({experiment}, {trace_id!r}, request_time=+{at * STEP_MS}, "
                              f"duration={duration * STEP_MS}, state={state}, tags={tags}, metadata={metadata})",
                              lambda: self.plugin.start_trace(info(experiment.plugin_id)),
                              lambda: self.reference.start_trace(info(experiment.reference_id)), self._info_view)
        if not plugin.ok:
            return multiple()
        pair = TracePair(trace_id, experiment, f"trace{next(self.counter)}")
        self.live[trace_id] = pair
        self.last = pair
        return pair

    def _spans(self, pair: TracePair, count: int, kinds, error: bool, at: int):
        """``count`` spans for the trace: the first span of a trace is its root, later ones its children."""
        otel = int(pair.plugin_id.removeprefix("tr-"), 16)
        specs = []
        for i in range(count):
            span_id = pair.next_span
            pair.next_span += 1
            start = (BASE_MS + at * STEP_MS) * 1_000_000 + span_id
            specs.append(SpanSpec(SPAN_NAMES[kinds[i] % 3], span_id, None if span_id == 1 else 1,
                                  SPAN_TYPES[kinds[i] % 3], start, start + 5_000_000,
                                  status="ERROR" if error and span_id == 1 else "OK", attributes={"n": span_id}))
        return [s.build(pair.plugin_id, otel) for s in specs]

    @precondition(lambda self: self.live)
    @rule(trace=traces, count=st.integers(1, 3), kinds=st.lists(st.integers(0, 2), min_size=3, max_size=3),
          error=st.booleans())
    def log_spans(self, trace, count, kinds, error):
        if trace.plugin_id not in self.live:
            return
        self.last = trace
        spans = self._spans(trace, count, kinds, error, 0)
        self.both(f"log_spans({trace.experiment}, {count} spans of {trace})",
                  lambda: self.plugin.log_spans(trace.experiment.plugin_id, spans),
                  lambda: self.reference.log_spans(trace.experiment.reference_id, spans), lambda _: None)
        trace.has_spans = True

    @rule(target=traces, experiment=experiments, at=st.integers(0, 5), count=st.integers(1, 3),
          kinds=st.lists(st.integers(0, 2), min_size=3, max_size=3), error=st.booleans())
    def log_spans_of_new_trace(self, experiment, at, count, kinds, error):
        """The OTLP route: spans arrive for a trace nobody started; the store creates the trace."""
        pair = TracePair(self._new_trace_id(), experiment, f"trace{next(self.counter)}")
        spans = self._spans(pair, count, kinds, error, at)
        plugin, _ = self.both(f"log_spans({experiment}, {count} spans of new {pair})",
                              lambda: self.plugin.log_spans(experiment.plugin_id, spans),
                              lambda: self.reference.log_spans(experiment.reference_id, spans), lambda _: None)
        if not plugin.ok:
            return multiple()
        pair.has_spans = True
        self.live[pair.plugin_id] = pair
        self.last = pair
        return pair

    @rule(trace=traces)
    def get_trace_info(self, trace):
        self.both(f"get_trace_info({trace})", lambda: self.plugin.get_trace_info(trace.plugin_id),
                  lambda: self.reference.get_trace_info(trace.reference_id), self._info_view)

    def get_trace(self, trace):
        self.both(f"get_trace({trace})", lambda: self.plugin.get_trace(trace.plugin_id),
                  lambda: self.reference.get_trace(trace.reference_id), self._spans_view)

    # -- tags --------------------------------------------------------------------------------------------------

    @rule(trace=traces, key=st.sampled_from(TAG_KEYS + ("mlflow.traceName",)), value=st.sampled_from(VALUES),
          delete=st.booleans())
    def trace_tag(self, trace, key, value, delete):
        if trace.plugin_id not in self.live:
            return
        self.last = trace
        if delete:
            self.both(f"delete_trace_tag({trace}, {key!r})", lambda: self.plugin.delete_trace_tag(trace.plugin_id, key),
                      lambda: self.reference.delete_trace_tag(trace.reference_id, key), lambda _: None)
        else:
            self.both(f"set_trace_tag({trace}, {key!r}, {value!r})",
                      lambda: self.plugin.set_trace_tag(trace.plugin_id, key, value),
                      lambda: self.reference.set_trace_tag(trace.reference_id, key, value), lambda _: None)

    # -- assessments -------------------------------------------------------------------------------------------

    @rule(target=assessments, trace=traces, name=st.sampled_from(FEEDBACK_NAMES), value=st.booleans(),
          override=st.one_of(st.none(), assessments))
    def create_feedback(self, trace, name, value, override):
        from mlflow.entities import AssessmentSource, Feedback

        if trace.plugin_id not in self.live:
            return multiple()
        self.last = trace

        def feedback(overrides):
            return Feedback(name=name, value=value, trace_id=trace.plugin_id, overrides=overrides,
                            source=AssessmentSource(source_type="HUMAN", source_id="differential"))

        plugin, reference = self.both(
            f"create_assessment(feedback {name}={value} on {trace}, overrides={override})",
            lambda: self.plugin.create_assessment(feedback(override.plugin_id if override else None)),
            lambda: self.reference.create_assessment(feedback(override.reference_id if override else None)),
            lambda a: self._assessment_view(a)[:3])
        if not plugin.ok:
            return multiple()
        self.assessment_map[plugin.value.assessment_id] = reference.value.assessment_id
        return Pair(plugin.value.assessment_id, reference.value.assessment_id, f"assessment{next(self.counter)}")

    @rule(trace=traces, assessment=assessments)
    def delete_assessment(self, trace, assessment):
        if trace.plugin_id not in self.live:
            return
        self.last = trace
        self.both(f"delete_assessment({trace}, {assessment})",
                  lambda: self.plugin.delete_assessment(trace.plugin_id, assessment.plugin_id),
                  lambda: self.reference.delete_assessment(trace.reference_id, assessment.reference_id),
                  lambda _: None)

    # -- search and delete -------------------------------------------------------------------------------------

    @precondition(lambda self: self.experiment_pairs)
    @rule(data=st.data(), order_by=ms.trace_order_bys(), page_size=st.sampled_from([1, 2, 100]))
    def search_traces(self, data, order_by, page_size):
        filter_string = data.draw(ms.trace_filter_strings(
            base_ms=BASE_MS, time_step_ms=STEP_MS, tag_keys=TAG_KEYS, metadata_keys=METADATA_KEYS,
            string_values=VALUES, span_names=SPAN_NAMES, span_types=SPAN_TYPES, feedback_names=FEEDBACK_NAMES,
            kinds=self.filter_kinds), label="filter_string")

        def pages(store, experiment_ids):
            found, token = [], None
            for _ in range(500):
                infos, token = search_traces_in(store, experiment_ids, filter_string=filter_string or None,
                                                max_results=page_size, order_by=order_by, page_token=token)
                found.extend(i.trace_id for i in infos)
                if not token:
                    return found
            raise AssertionError("page tokens never ended")

        self.both(f"search_traces(filter={filter_string!r}, order_by={order_by}, max_results={page_size})",
                  lambda: pages(self.plugin, [p.plugin_id for p in self.experiment_pairs]),
                  lambda: pages(self.reference, [p.reference_id for p in self.experiment_pairs]))

    @rule(experiment=experiments, victims=st.lists(traces, max_size=3, unique_by=lambda t: t.plugin_id))
    def delete_traces_by_ids(self, experiment, victims):
        ids = [t.plugin_id for t in victims if t.plugin_id in self.live]
        if not ids:
            return
        self.both(f"delete_traces({experiment}, trace_ids={[str(t) for t in victims]})",
                  lambda: self.plugin.delete_traces(experiment.plugin_id, trace_ids=ids),
                  lambda: self.reference.delete_traces(experiment.reference_id, trace_ids=ids))
        self._forget_deleted(experiment)

    @rule(experiment=experiments, at=st.integers(0, 5), max_traces=st.one_of(st.none(), st.integers(1, 2)))
    def delete_traces_by_time(self, experiment, at, max_traces):
        cutoff = BASE_MS + at * STEP_MS
        self.both(f"delete_traces({experiment}, max_timestamp_millis=+{at * STEP_MS}, max_traces={max_traces})",
                  lambda: self.plugin.delete_traces(experiment.plugin_id, max_timestamp_millis=cutoff,
                                                    max_traces=max_traces),
                  lambda: self.reference.delete_traces(experiment.reference_id, max_timestamp_millis=cutoff,
                                                       max_traces=max_traces))
        self._forget_deleted(experiment)

    def _forget_deleted(self, experiment):
        """Keep ``live`` to the traces the reference still holds (the comparison above made the stores agree)."""
        infos, token, remaining = [], None, set()
        while True:
            infos, token = search_traces_in(self.reference, [experiment.reference_id], max_results=100,
                                            page_token=token)
            remaining.update(i.trace_id for i in infos)
            if not token:
                break
        for trace_id, pair in list(self.live.items()):
            if pair.experiment is experiment and trace_id not in remaining:
                del self.live[trace_id]


def trace_machine_settings():
    """A third of the loaded profile's examples (at least 5) of at most 15 steps: a trace step costs several
    store calls on each side (log_spans, searches over pages), so the machine stays within seconds on the quick
    profile and still runs hundreds of sequences on the thorough one."""
    from hypothesis import settings

    base = machine_settings()
    return settings(base, max_examples=max(5, settings.default.max_examples // 3), stateful_step_count=15)


class TraceDifferentialClauses:
    """The ``tracking_store/differential/traces`` clause."""

    @clause("tracking_store/differential/traces", level="full", feature=TRACES, since="3.3")
    def test_differential_traces(self, tracking_store, tmp_path):
        """Any sequence of trace operations (start_trace, log_spans including traces created by their spans,
        trace tags, feedback with overrides and deletion, delete_traces by ids, time and count) gives the same
        results on the plugin as on MLflow's reference SqlAlchemyStore, including search_traces with generated
        filters, orders and page sizes (values or error codes; experiment and assessment ids mapped)."""
        from ...reference import close_tracking_store, fresh_reference_tracking_store

        reference = fresh_reference_tracking_store(tmp_path)
        try:
            machine = TraceDifferentialMachine.bind(lambda: tracking_store, lambda: reference)
            run_state_machine_as_test(machine, settings=trace_machine_settings())
        finally:
            close_tracking_store(reference)
