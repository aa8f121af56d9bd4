"""Traces and spans (level full, feature ``tracking_store.traces``).

MLflow 3's tracing client hands a finished trace to the store in two calls: ``start_trace(trace_info)`` with the
TraceInfo (V3) and ``log_spans(experiment_id, spans)`` with its spans; the UI and ``mlflow.search_traces`` read
them back through ``get_trace_info``, ``get_trace``, ``batch_get_traces`` and ``search_traces`` with MLflow's trace
filter grammar, and the retention job and UI delete them with ``delete_traces``. Each clause checks one of these
behaviours as MLflow's ``SqlAlchemyStore`` implements it. ``since`` is the MLflow release whose store interface
introduced the method or the filter.
"""

from __future__ import annotations

import uuid

from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ._genai import (
    TRACES,
    SpanSpec,
    log_trace,
    new_trace,
    search_all_traces,
    search_trace_ids,
    search_traces_in,
    simple_trace,
    span_hex,
    state_name,
)
from ._helpers import new_experiment, new_run

#: A fixed clock for generated traces (2023-11-14): searches compare generated times, never the wall clock.
BASE_MS = 1_700_000_000_000
MS = 1_000_000  # nanoseconds


def _ns(ms_offset: int) -> int:
    return (BASE_MS + ms_offset) * MS


def _user_tags(tags: dict) -> dict:
    """Tags a user set: MLflow adds its own ``mlflow.*`` bookkeeping tags (artifact location, spans location)."""
    return {k: v for k, v in tags.items() if not k.startswith("mlflow.")}


def _user_metadata(metadata: dict) -> dict:
    return {k: v for k, v in metadata.items() if not k.startswith("mlflow.")}


def _two_span_trace(store, experiment_id, **kwargs):
    """A root CHAIN span with an LLM child; returns (trace_id, specs)."""
    specs = [
        SpanSpec("root", 0x1A, None, "CHAIN", _ns(0), _ns(50), inputs={"question": "2+2?"}, outputs={"answer": 4}),
        SpanSpec("llm-call", 0x2B, 0x1A, "LLM", _ns(5), _ns(40), attributes={"temperature": 0.5, "model": "m-1"}),
    ]
    return log_trace(store, experiment_id, specs, **kwargs), specs


class TraceClauses:
    """Clauses of the ``tracking_store/traces/*`` family."""

    # -- start_trace / get_trace_info ------------------------------------------------------------------------

    # MLflow 3.2: the store's trace API takes a TraceInfo (V3): start_trace(trace_info), get_trace_info(trace_id);
    # 3.0 and 3.1 had the V2 API (start_trace(experiment_id, timestamp_ms, ...), request ids, TraceInfoV2).
    @clause("tracking_store/traces/start-and-get-info", level="full", feature=TRACES, since="3.2")
    def test_traces_start_and_get_info(self, tracking_store):
        """start_trace stores a TraceInfo; get_trace_info returns it with its id, experiment, request time,
        execution duration and state."""
        experiment_id = new_experiment(tracking_store)
        trace_id = new_trace(tracking_store, experiment_id, request_time=BASE_MS + 7, execution_duration=12,
                             state="ERROR")
        info = tracking_store.get_trace_info(trace_id)
        got = (info.trace_id, info.experiment_id, info.request_time, info.execution_duration, state_name(info.state))
        assert got == (trace_id, experiment_id, BASE_MS + 7, 12, "ERROR"), f"get_trace_info returned {got}"

    @clause("tracking_store/traces/start-returns-info", level="full", feature=TRACES, since="3.2")
    def test_traces_start_returns_info(self, tracking_store):
        """start_trace returns the stored TraceInfo, with the trace id it was given and its experiment."""
        from ._genai import trace_info

        experiment_id = new_experiment(tracking_store)
        given = trace_info(experiment_id)
        returned = tracking_store.start_trace(given)
        assert (returned.trace_id, returned.experiment_id) == (given.trace_id, experiment_id), (
            f"start_trace returned {returned!r}")

    @clause("tracking_store/traces/info-tags", level="full", feature=TRACES, since="3.2")
    def test_traces_info_tags(self, tracking_store):
        """The tags given to start_trace are read back by get_trace_info (the store may add its own mlflow.*
        tags)."""
        experiment_id = new_experiment(tracking_store)
        trace_id = new_trace(tracking_store, experiment_id, tags={"team": "conformance", "ünï": "çødé"})
        tags = _user_tags(tracking_store.get_trace_info(trace_id).tags)
        assert tags == {"team": "conformance", "ünï": "çødé"}, f"trace tags read back: {tags}"

    @clause("tracking_store/traces/info-metadata", level="full", feature=TRACES, since="3.2")
    def test_traces_info_metadata(self, tracking_store):
        """The metadata given to start_trace is read back by get_trace_info (the store may add mlflow.* keys)."""
        experiment_id = new_experiment(tracking_store)
        trace_id = new_trace(tracking_store, experiment_id, metadata={"conformance": "yes", "k2": "v2"})
        metadata = _user_metadata(tracking_store.get_trace_info(trace_id).trace_metadata)
        assert metadata == {"conformance": "yes", "k2": "v2"}, f"trace metadata read back: {metadata}"

    @clause("tracking_store/traces/info-previews", level="full", feature=TRACES, since="3.2")
    def test_traces_info_previews(self, tracking_store):
        """The request and response previews and the client request id given to start_trace are read back."""
        experiment_id = new_experiment(tracking_store)
        trace_id = new_trace(tracking_store, experiment_id, request_preview='{"in": "ü"}',
                             response_preview='{"out": 1}', client_request_id="client-42")
        info = tracking_store.get_trace_info(trace_id)
        got = (info.request_preview, info.response_preview, info.client_request_id)
        assert got == ('{"in": "ü"}', '{"out": 1}', "client-42"), f"previews read back: {got}"

    @clause("tracking_store/traces/get-info-unknown", level="full", feature=TRACES, since="3.2")
    def test_traces_get_info_unknown(self, tracking_store):
        """get_trace_info of an unknown trace id raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown trace"):
            tracking_store.get_trace_info("tr-" + uuid.uuid4().hex)

    @clause("tracking_store/traces/start-in-unknown-experiment", level="full", feature=TRACES, since="3.2")
    def test_traces_start_in_unknown_experiment(self, tracking_store):
        """start_trace in an experiment that does not exist raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="starting a trace in an unknown experiment"):
            new_trace(tracking_store, "987654321")

    # -- log_spans / get_trace -------------------------------------------------------------------------------

    @clause("tracking_store/traces/spans-round-trip", level="full", feature=TRACES, since="3.7")
    def test_traces_spans_round_trip(self, tracking_store):
        """get_trace returns every span log_spans stored, with its name, span id, type and start/end times."""
        experiment_id = new_experiment(tracking_store)
        trace_id, specs = _two_span_trace(tracking_store, experiment_id)
        spans = tracking_store.get_trace(trace_id).data.spans
        got = sorted((s.name, s.span_id, s.span_type, s.start_time_ns, s.end_time_ns) for s in spans)
        expected = sorted((p.name, span_hex(p.span_id), p.span_type, p.start_ns, p.end_ns) for p in specs)
        assert got == expected, f"spans read back {got}, logged {expected}"

    @clause("tracking_store/traces/span-parents", level="full", feature=TRACES, since="3.7")
    def test_traces_span_parents(self, tracking_store):
        """Each span read back by get_trace keeps its parent link (None for the root), so the span tree is
        intact."""
        experiment_id = new_experiment(tracking_store)
        specs = [SpanSpec("root", 1, None, start_ns=_ns(0), end_ns=_ns(9)),
                 SpanSpec("a", 2, 1, start_ns=_ns(1), end_ns=_ns(4)),
                 SpanSpec("b", 3, 2, start_ns=_ns(2), end_ns=_ns(3)),
                 SpanSpec("c", 4, 1, start_ns=_ns(5), end_ns=_ns(8))]
        trace_id = log_trace(tracking_store, experiment_id, specs)
        got = {s.span_id: s.parent_id for s in tracking_store.get_trace(trace_id).data.spans}
        expected = {span_hex(p.span_id): span_hex(p.parent_id) if p.parent_id else None for p in specs}
        assert got == expected, f"parent links read back {got}, logged {expected}"

    @clause("tracking_store/traces/span-attributes", level="full", feature=TRACES, since="3.7")
    def test_traces_span_attributes(self, tracking_store):
        """Span attributes (strings, numbers, booleans, lists, nested objects, unicode) and the span's inputs
        and outputs come back from get_trace with their values and types."""
        experiment_id = new_experiment(tracking_store)
        attributes = {"s": "text ✓", "i": 7, "f": 0.25, "b": True, "l": [1, "two"], "o": {"k": {"n": None}}}
        specs = [SpanSpec("root", 1, None, "TOOL", _ns(0), _ns(3), attributes=attributes,
                          inputs={"query": "what?"}, outputs=["answer", 1])]
        trace_id = log_trace(tracking_store, experiment_id, specs)
        span = tracking_store.get_trace(trace_id).data.spans[0]
        got = {k: span.attributes.get(k) for k in attributes}
        assert got == attributes, f"span attributes read back {got}, logged {attributes}"
        assert (span.inputs, span.outputs) == ({"query": "what?"}, ["answer", 1]), (
            f"span inputs/outputs read back {(span.inputs, span.outputs)}")

    @clause("tracking_store/traces/span-events", level="full", feature=TRACES, since="3.7")
    def test_traces_span_events(self, tracking_store):
        """Span events (name, timestamp, attributes) come back from get_trace in their order."""
        experiment_id = new_experiment(tracking_store)
        events = [("retry", _ns(1), {"attempt": 1}), ("exception", _ns(2), {"exception.message": "boom"})]
        trace_id = log_trace(tracking_store, experiment_id, [SpanSpec("root", 1, None, start_ns=_ns(0),
                                                                       end_ns=_ns(3), events=events)])
        span = tracking_store.get_trace(trace_id).data.spans[0]
        got = [(e.name, e.timestamp, dict(e.attributes)) for e in span.events]
        assert got == events, f"span events read back {got}, logged {events}"

    @clause("tracking_store/traces/span-status", level="full", feature=TRACES, since="3.7")
    def test_traces_span_status(self, tracking_store):
        """A span's status code and message (ERROR with a description, OK) come back from get_trace."""
        experiment_id = new_experiment(tracking_store)
        specs = [SpanSpec("root", 1, None, start_ns=_ns(0), end_ns=_ns(5), status="OK"),
                 SpanSpec("failing", 2, 1, start_ns=_ns(1), end_ns=_ns(2), status="ERROR",
                          status_message="tool failed")]
        trace_id = log_trace(tracking_store, experiment_id, specs)
        got = {s.name: (state_name(s.status.status_code), s.status.description or "")
               for s in tracking_store.get_trace(trace_id).data.spans}
        assert got == {"root": ("OK", ""), "failing": ("ERROR", "tool failed")}, f"span statuses read back {got}"

    @clause("tracking_store/traces/get-trace-info-matches", level="full", feature=TRACES, since="3.7")
    def test_traces_get_trace_info_matches(self, tracking_store):
        """get_trace's TraceInfo is the trace's: its id, experiment and the tags given to start_trace."""
        experiment_id = new_experiment(tracking_store)
        trace_id, _ = _two_span_trace(tracking_store, experiment_id, tags={"k": "v"})
        info = tracking_store.get_trace(trace_id).info
        got = (info.trace_id, info.experiment_id, _user_tags(info.tags))
        assert got == (trace_id, experiment_id, {"k": "v"}), f"get_trace returned info {got}"

    @clause("tracking_store/traces/get-trace-unknown", level="full", feature=TRACES, since="3.7")
    def test_traces_get_trace_unknown(self, tracking_store):
        """get_trace of an unknown trace id raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown trace with spans"):
            tracking_store.get_trace("tr-" + uuid.uuid4().hex)

    @clause("tracking_store/traces/log-spans-creates-trace", level="full", feature=TRACES, since="3.3")
    def test_traces_log_spans_creates_trace(self, tracking_store):
        """log_spans for a trace that was never started creates its TraceInfo in the experiment (the OTLP
        route): request time = earliest span start, duration up to the latest span end, state from the root
        span."""
        experiment_id = new_experiment(tracking_store)
        specs = [SpanSpec("root", 1, None, start_ns=_ns(10), end_ns=_ns(70), status="ERROR"),
                 SpanSpec("child", 2, 1, start_ns=_ns(20), end_ns=_ns(30))]
        trace_id = log_trace(tracking_store, experiment_id, specs, start=False)
        info = tracking_store.get_trace_info(trace_id)
        got = (info.experiment_id, info.request_time, info.execution_duration, state_name(info.state))
        assert got == (experiment_id, BASE_MS + 10, 60, "ERROR"), f"trace created by log_spans: {got}"

    @clause("tracking_store/traces/log-spans-in-batches", level="full", feature=TRACES, since="3.7")
    def test_traces_log_spans_in_batches(self, tracking_store):
        """Spans of one trace logged by several log_spans calls (as a batching exporter sends them) are all
        returned by get_trace."""
        from ._genai import new_trace_id

        experiment_id = new_experiment(tracking_store)
        trace_id, otel = new_trace_id()
        specs = [SpanSpec("root", 1, None, start_ns=_ns(0), end_ns=_ns(9))] + [
            SpanSpec(f"s{i}", 2 + i, 1, start_ns=_ns(1 + i), end_ns=_ns(2 + i)) for i in range(4)]
        for batch in (specs[3:], specs[1:3], specs[:1]):
            tracking_store.log_spans(experiment_id, [s.build(trace_id, otel) for s in batch])
        names = sorted(s.name for s in tracking_store.get_trace(trace_id).data.spans)
        assert names == sorted(s.name for s in specs), f"spans after three log_spans calls: {names}"

    @clause("tracking_store/traces/log-spans-overwrites", level="full", feature=TRACES, since="3.7")
    def test_traces_log_spans_overwrites(self, tracking_store):
        """Logging a span again (an exporter's retry, or an updated span) replaces it: get_trace returns it
        once, with the later content."""
        experiment_id = new_experiment(tracking_store)
        first = [SpanSpec("root", 1, None, start_ns=_ns(0), end_ns=_ns(5), attributes={"version": 1})]
        trace_id = log_trace(tracking_store, experiment_id, first)
        second = [SpanSpec("root", 1, None, start_ns=_ns(0), end_ns=_ns(5), attributes={"version": 2})]
        log_trace(tracking_store, experiment_id, second, start=False, trace_id=trace_id)
        spans = tracking_store.get_trace(trace_id).data.spans
        got = [s.attributes.get("version") for s in spans]
        assert got == [2], f"a re-logged span read back as {got} (expected it once, with version 2)"

    @clause("tracking_store/traces/log-spans-several-traces", level="full", feature=TRACES, since="3.7")
    def test_traces_log_spans_several_traces(self, tracking_store):
        """One log_spans call may carry spans of several traces: each trace gets its own spans."""
        from ._genai import new_trace_id

        experiment_id = new_experiment(tracking_store)
        (a, a_otel), (b, b_otel) = new_trace_id(), new_trace_id()
        spans = [SpanSpec("a-root", 1, None, start_ns=_ns(0), end_ns=_ns(2)).build(a, a_otel),
                 SpanSpec("b-root", 1, None, start_ns=_ns(0), end_ns=_ns(2)).build(b, b_otel),
                 SpanSpec("b-child", 2, 1, start_ns=_ns(1), end_ns=_ns(2)).build(b, b_otel)]
        tracking_store.log_spans(experiment_id, spans)
        got = {t: sorted(s.name for s in tracking_store.get_trace(t).data.spans) for t in (a, b)}
        assert got == {a: ["a-root"], b: ["b-child", "b-root"]}, f"spans per trace: {got}"

    @clause("tracking_store/traces/large-trace", level="full", feature=TRACES, since="3.7")
    def test_traces_large_trace(self, tracking_store):
        """A large trace (300 spans, a 256 KiB input and a 1000-item attribute) is stored and read back
        whole."""
        experiment_id = new_experiment(tracking_store)
        big_input = {"document": "x" * (256 * 1024)}
        specs = [SpanSpec("root", 1, None, "AGENT", _ns(0), _ns(1000), inputs=big_input,
                          attributes={"items": list(range(1000))})]
        specs += [SpanSpec(f"step-{i}", 2 + i, 1, "TOOL", _ns(1 + i), _ns(2 + i)) for i in range(299)]
        trace_id = log_trace(tracking_store, experiment_id, specs)
        spans = tracking_store.get_trace(trace_id).data.spans
        root = next((s for s in spans if s.parent_id is None), None)
        assert len(spans) == 300, f"{len(spans)} of 300 spans read back"
        assert root is not None and root.inputs == big_input, "the 256 KiB input did not come back intact"
        assert root.attributes.get("items") == list(range(1000)), "the 1000-item attribute did not come back"

    # -- batch reads -----------------------------------------------------------------------------------------

    @clause("tracking_store/traces/batch-get-traces", level="full", feature=TRACES, since="3.6")
    def test_traces_batch_get_traces(self, tracking_store):
        """batch_get_traces returns each requested trace with its spans."""
        experiment_id = new_experiment(tracking_store)
        ids = [simple_trace(tracking_store, experiment_id, name=f"t{i}", base_ms=BASE_MS + i, children=i)
               for i in range(3)]
        traces = tracking_store.batch_get_traces(ids)
        got = {t.info.trace_id: len(t.data.spans) for t in traces}
        assert got == {ids[0]: 1, ids[1]: 2, ids[2]: 3}, f"batch_get_traces returned traces with span counts {got}"

    @clause("tracking_store/traces/batch-get-traces-skips-unknown", level="full", feature=TRACES, since="3.6")
    def test_traces_batch_get_traces_skips_unknown(self, tracking_store):
        """batch_get_traces leaves out ids it does not know (no error, no placeholder)."""
        experiment_id = new_experiment(tracking_store)
        known = simple_trace(tracking_store, experiment_id)
        traces = tracking_store.batch_get_traces([known, "tr-" + uuid.uuid4().hex])
        assert [t.info.trace_id for t in traces] == [known], (
            f"batch_get_traces returned {[t.info.trace_id for t in traces]}")

    @clause("tracking_store/traces/batch-get-trace-infos", level="full", feature=TRACES, since="3.9")
    def test_traces_batch_get_trace_infos(self, tracking_store):
        """batch_get_trace_infos returns the TraceInfo of each requested trace (unknown ids left out)."""
        experiment_id = new_experiment(tracking_store)
        ids = {new_trace(tracking_store, experiment_id, tags={"n": str(i)}) for i in range(3)}
        infos = tracking_store.batch_get_trace_infos(sorted(ids) + ["tr-" + uuid.uuid4().hex])
        assert {i.trace_id for i in infos} == ids and len(infos) == 3, (
            f"batch_get_trace_infos returned {[i.trace_id for i in infos]}")

    # -- search_traces: scope, pagination, order --------------------------------------------------------------

    @clause("tracking_store/traces/search-pagination", level="full", feature=TRACES, since="3.2")
    def test_traces_search_pagination(self, tracking_store):
        """search_traces pages through an experiment's traces with page tokens: every trace once, no
        duplicates, no page larger than max_results."""
        experiment_id = new_experiment(tracking_store)
        ids = {new_trace(tracking_store, experiment_id, request_time=BASE_MS + i) for i in range(5)}
        seen = [i.trace_id for i in search_all_traces(tracking_store, [experiment_id], page_size=2)]
        assert sorted(seen) == sorted(ids), f"pages held {seen}, expected each of {sorted(ids)} once"

    @clause("tracking_store/traces/search-experiment-scope", level="full", feature=TRACES, since="3.2")
    def test_traces_search_experiment_scope(self, tracking_store):
        """search_traces returns only traces of the experiments it is given, across several experiments."""
        a, b, other = (new_experiment(tracking_store) for _ in range(3))
        wanted = {new_trace(tracking_store, a), new_trace(tracking_store, b)}
        new_trace(tracking_store, other)
        got = search_trace_ids(tracking_store, [a, b])
        assert got == wanted, f"search over two experiments returned {got}, expected {wanted}"

    @clause("tracking_store/traces/search-default-order", level="full", feature=TRACES, since="3.2")
    def test_traces_search_default_order(self, tracking_store):
        """Without order_by, search_traces returns the newest trace first (request time descending)."""
        experiment_id = new_experiment(tracking_store)
        by_time = {BASE_MS + t: new_trace(tracking_store, experiment_id, request_time=BASE_MS + t)
                   for t in (30, 10, 20)}
        infos, _ = search_traces_in(tracking_store, [experiment_id], max_results=10)
        expected = [by_time[t] for t in sorted(by_time, reverse=True)]
        assert [i.trace_id for i in infos] == expected, "traces were not ordered newest first"

    @clause("tracking_store/traces/search-order-by-timestamp", level="full", feature=TRACES, since="3.2")
    def test_traces_search_order_by_timestamp(self, tracking_store):
        """order_by=["timestamp_ms ASC"] returns the oldest trace first."""
        experiment_id = new_experiment(tracking_store)
        by_time = {BASE_MS + t: new_trace(tracking_store, experiment_id, request_time=BASE_MS + t)
                   for t in (30, 10, 20)}
        infos, _ = search_traces_in(tracking_store, [experiment_id], max_results=10, order_by=["timestamp_ms ASC"])
        assert [i.trace_id for i in infos] == [by_time[t] for t in sorted(by_time)], "not ordered oldest first"

    @clause("tracking_store/traces/search-order-by-execution-time", level="full", feature=TRACES, since="3.2")
    def test_traces_search_order_by_execution_time(self, tracking_store):
        """order_by=["execution_time_ms DESC"] returns the slowest trace first."""
        experiment_id = new_experiment(tracking_store)
        by_duration = {d: new_trace(tracking_store, experiment_id, execution_duration=d, request_time=BASE_MS + i)
                       for i, d in enumerate((5, 500, 50))}
        infos, _ = search_traces_in(tracking_store, [experiment_id], max_results=10,
                                    order_by=["execution_time_ms DESC"])
        assert [i.trace_id for i in infos] == [by_duration[d] for d in (500, 50, 5)], "not ordered slowest first"

    @clause("tracking_store/traces/search-invalid-filter", level="full", feature=TRACES, since="3.2")
    def test_traces_search_invalid_filter(self, tracking_store):
        """A filter naming an unknown entity or attribute is rejected with INVALID_PARAMETER_VALUE."""
        experiment_id = new_experiment(tracking_store)
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="searching traces with an invalid filter"):
            search_traces_in(tracking_store, [experiment_id], filter_string="trace.no_such_attribute = 'x'")

    # -- search_traces: filters --------------------------------------------------------------------------------

    def _filter_finds(self, store, experiment_id, filter_string, expected):
        got = search_trace_ids(store, [experiment_id], filter_string)
        assert got == set(expected), f"search_traces(filter={filter_string!r}) returned {got}, expected {expected}"

    @clause("tracking_store/traces/filter-status", level="full", feature=TRACES, since="3.2")
    def test_traces_filter_status(self, tracking_store):
        """The filter ``trace.status = 'ERROR'`` returns exactly the traces in state ERROR."""
        experiment_id = new_experiment(tracking_store)
        failed = new_trace(tracking_store, experiment_id, state="ERROR")
        new_trace(tracking_store, experiment_id, state="OK")
        self._filter_finds(tracking_store, experiment_id, "trace.status = 'ERROR'", {failed})

    @clause("tracking_store/traces/filter-timestamp-range", level="full", feature=TRACES, since="3.2")
    def test_traces_filter_timestamp_range(self, tracking_store):
        """Filters on ``trace.timestamp_ms`` with ``>=`` and ``<`` select the traces in that time range."""
        experiment_id = new_experiment(tracking_store)
        ids = {t: new_trace(tracking_store, experiment_id, request_time=BASE_MS + t) for t in (0, 100, 200)}
        self._filter_finds(tracking_store, experiment_id,
                           f"trace.timestamp_ms >= {BASE_MS + 100} AND trace.timestamp_ms < {BASE_MS + 200}",
                           {ids[100]})

    @clause("tracking_store/traces/filter-execution-time", level="full", feature=TRACES, since="3.2")
    def test_traces_filter_execution_time(self, tracking_store):
        """The filter ``trace.execution_time_ms > N`` returns the traces that took longer than N ms."""
        experiment_id = new_experiment(tracking_store)
        slow = new_trace(tracking_store, experiment_id, execution_duration=900)
        new_trace(tracking_store, experiment_id, execution_duration=90)
        self._filter_finds(tracking_store, experiment_id, "trace.execution_time_ms > 100", {slow})

    @clause("tracking_store/traces/filter-end-time", level="full", feature=TRACES, since="3.6")
    def test_traces_filter_end_time(self, tracking_store):
        """The filter ``trace.end_time_ms`` compares request time plus execution duration."""
        experiment_id = new_experiment(tracking_store)
        late = new_trace(tracking_store, experiment_id, request_time=BASE_MS, execution_duration=500)
        new_trace(tracking_store, experiment_id, request_time=BASE_MS + 100, execution_duration=100)
        self._filter_finds(tracking_store, experiment_id, f"trace.end_time_ms > {BASE_MS + 300}", {late})

    @clause("tracking_store/traces/filter-tag", level="full", feature=TRACES, since="3.2")
    def test_traces_filter_tag(self, tracking_store):
        """The filter ``tag.<key> = '<value>'`` returns the traces with that tag value."""
        experiment_id = new_experiment(tracking_store)
        match = new_trace(tracking_store, experiment_id, tags={"env": "prod"})
        new_trace(tracking_store, experiment_id, tags={"env": "dev"})
        new_trace(tracking_store, experiment_id)
        self._filter_finds(tracking_store, experiment_id, "tag.env = 'prod'", {match})

    @clause("tracking_store/traces/filter-tag-not-equal", level="full", feature=TRACES, since="3.2")
    def test_traces_filter_tag_not_equal(self, tracking_store):
        """The filter ``tag.<key> != '<value>'`` returns the traces whose tag has another value (traces
        without the tag do not match)."""
        experiment_id = new_experiment(tracking_store)
        new_trace(tracking_store, experiment_id, tags={"env": "prod"})
        other = new_trace(tracking_store, experiment_id, tags={"env": "dev"})
        new_trace(tracking_store, experiment_id)
        self._filter_finds(tracking_store, experiment_id, "tag.env != 'prod'", {other})

    @clause("tracking_store/traces/filter-tag-like", level="full", feature=TRACES, since="3.2")
    def test_traces_filter_tag_like(self, tracking_store):
        """The filter ``tags.<key> LIKE '<pattern>'`` matches tag values with SQL wildcards, case-sensitively."""
        experiment_id = new_experiment(tracking_store)
        match = new_trace(tracking_store, experiment_id, tags={"user": "alice@example.com"})
        new_trace(tracking_store, experiment_id, tags={"user": "ALICE@EXAMPLE.COM"})
        new_trace(tracking_store, experiment_id, tags={"user": "alice@example.org"})
        self._filter_finds(tracking_store, experiment_id, "tags.user LIKE 'alice%.com'", {match})

    @clause("tracking_store/traces/filter-tag-is-null", level="full", feature=TRACES, since="3.11")
    def test_traces_filter_tag_is_null(self, tracking_store):
        """The filter ``tag.<key> IS NULL`` returns the traces without that tag."""
        experiment_id = new_experiment(tracking_store)
        new_trace(tracking_store, experiment_id, tags={"reviewed": "yes"})
        untagged = new_trace(tracking_store, experiment_id)
        self._filter_finds(tracking_store, experiment_id, "tag.reviewed IS NULL", {untagged})

    @clause("tracking_store/traces/filter-metadata", level="full", feature=TRACES, since="3.2")
    def test_traces_filter_metadata(self, tracking_store):
        """The filter ``metadata.<key> = '<value>'`` returns the traces with that metadata value."""
        experiment_id = new_experiment(tracking_store)
        match = new_trace(tracking_store, experiment_id, metadata={"app_version": "2"})
        new_trace(tracking_store, experiment_id, metadata={"app_version": "1"})
        self._filter_finds(tracking_store, experiment_id, "metadata.app_version = '2'", {match})

    @clause("tracking_store/traces/filter-metadata-is-not-null", level="full", feature=TRACES, since="3.9")
    def test_traces_filter_metadata_is_not_null(self, tracking_store):
        """The filter ``metadata.<key> IS NOT NULL`` returns the traces that carry that metadata key."""
        experiment_id = new_experiment(tracking_store)
        match = new_trace(tracking_store, experiment_id, metadata={"app_version": "2"})
        new_trace(tracking_store, experiment_id)
        self._filter_finds(tracking_store, experiment_id, "metadata.app_version IS NOT NULL", {match})

    @clause("tracking_store/traces/filter-name", level="full", feature=TRACES, since="3.2")
    def test_traces_filter_name(self, tracking_store):
        """The filter ``trace.name = '<name>'`` matches the trace name (the ``mlflow.traceName`` tag)."""
        experiment_id = new_experiment(tracking_store)
        match = new_trace(tracking_store, experiment_id, tags={"mlflow.traceName": "predict"})
        new_trace(tracking_store, experiment_id, tags={"mlflow.traceName": "train"})
        self._filter_finds(tracking_store, experiment_id, "trace.name = 'predict'", {match})

    @clause("tracking_store/traces/filter-request-id-in", level="full", feature=TRACES, since="3.2")
    def test_traces_filter_request_id_in(self, tracking_store):
        """The filter ``trace.request_id IN ('a', 'b')`` returns exactly those traces."""
        experiment_id = new_experiment(tracking_store)
        ids = [new_trace(tracking_store, experiment_id) for _ in range(3)]
        self._filter_finds(tracking_store, experiment_id, f"trace.request_id IN ('{ids[0]}', '{ids[2]}')",
                           {ids[0], ids[2]})

    @clause("tracking_store/traces/filter-run-id", level="full", feature=TRACES, since="3.2")
    def test_traces_filter_run_id(self, tracking_store):
        """The filter ``trace.run_id = '<run>'`` returns the traces whose ``mlflow.sourceRun`` metadata names the
        run (traces logged inside ``mlflow.start_run()``)."""
        experiment_id = new_experiment(tracking_store)
        run_id = new_run(tracking_store, experiment_id).info.run_id
        inside = new_trace(tracking_store, experiment_id, metadata={"mlflow.sourceRun": run_id})
        new_trace(tracking_store, experiment_id)
        self._filter_finds(tracking_store, experiment_id, f"trace.run_id = '{run_id}'", {inside})

    @clause("tracking_store/traces/filter-span-name", level="full", feature=TRACES, since="3.4")
    def test_traces_filter_span_name(self, tracking_store):
        """The filter ``span.name = '<name>'`` returns the traces having a span of that name (any span, not only
        the root)."""
        experiment_id = new_experiment(tracking_store)
        match = log_trace(tracking_store, experiment_id, [
            SpanSpec("root", 1, None, start_ns=_ns(0), end_ns=_ns(9)),
            SpanSpec("retrieve_docs", 2, 1, start_ns=_ns(1), end_ns=_ns(2))])
        log_trace(tracking_store, experiment_id, [SpanSpec("root", 1, None, start_ns=_ns(0), end_ns=_ns(9))])
        self._filter_finds(tracking_store, experiment_id, "span.name = 'retrieve_docs'", {match})

    @clause("tracking_store/traces/filter-span-type", level="full", feature=TRACES, since="3.4")
    def test_traces_filter_span_type(self, tracking_store):
        """The filter ``span.type = '<type>'`` returns the traces having a span of that type."""
        experiment_id = new_experiment(tracking_store)
        match = log_trace(tracking_store, experiment_id, [
            SpanSpec("root", 1, None, "AGENT", _ns(0), _ns(9)), SpanSpec("r", 2, 1, "RETRIEVER", _ns(1), _ns(2))])
        log_trace(tracking_store, experiment_id, [SpanSpec("root", 1, None, "AGENT", _ns(0), _ns(9))])
        self._filter_finds(tracking_store, experiment_id, "span.type = 'RETRIEVER'", {match})

    @clause("tracking_store/traces/filter-span-attribute", level="full", feature=TRACES, since="3.6")
    def test_traces_filter_span_attribute(self, tracking_store):
        """The filter ``span.attributes.<key> LIKE '%<text>%'`` returns the traces having a span whose attribute
        contains the text."""
        experiment_id = new_experiment(tracking_store)
        match = log_trace(tracking_store, experiment_id, [
            SpanSpec("root", 1, None, start_ns=_ns(0), end_ns=_ns(9), attributes={"vendor": "acme-llm-7"})])
        log_trace(tracking_store, experiment_id, [
            SpanSpec("root", 1, None, start_ns=_ns(0), end_ns=_ns(9), attributes={"vendor": "other"})])
        self._filter_finds(tracking_store, experiment_id, "span.attributes.vendor LIKE '%acme%'", {match})

    @clause("tracking_store/traces/filter-combined", level="full", feature=TRACES, since="3.2")
    def test_traces_filter_combined(self, tracking_store):
        """Conditions joined with AND must all hold (tag and status together)."""
        experiment_id = new_experiment(tracking_store)
        both = new_trace(tracking_store, experiment_id, state="ERROR", tags={"env": "prod"})
        new_trace(tracking_store, experiment_id, state="OK", tags={"env": "prod"})
        new_trace(tracking_store, experiment_id, state="ERROR", tags={"env": "dev"})
        self._filter_finds(tracking_store, experiment_id, "trace.status = 'ERROR' AND tag.env = 'prod'", {both})

    # -- trace tags --------------------------------------------------------------------------------------------

    @clause("tracking_store/traces/set-tag", level="full", feature=TRACES, since="3.2")
    def test_traces_set_tag(self, tracking_store):
        """set_trace_tag adds a tag and overwrites an existing one (the last value wins)."""
        trace_id = new_trace(tracking_store, new_experiment(tracking_store))
        tracking_store.set_trace_tag(trace_id, "k", "v1")
        tracking_store.set_trace_tag(trace_id, "k", "v2")
        assert tracking_store.get_trace_info(trace_id).tags.get("k") == "v2"

    @clause("tracking_store/traces/delete-tag", level="full", feature=TRACES, since="3.2")
    def test_traces_delete_tag(self, tracking_store):
        """delete_trace_tag removes the tag and leaves the trace's other tags."""
        trace_id = new_trace(tracking_store, new_experiment(tracking_store), tags={"keep": "1", "drop": "2"})
        tracking_store.delete_trace_tag(trace_id, "drop")
        assert _user_tags(tracking_store.get_trace_info(trace_id).tags) == {"keep": "1"}

    @clause("tracking_store/traces/delete-missing-tag", level="full", feature=TRACES, since="3.2")
    def test_traces_delete_missing_tag(self, tracking_store):
        """delete_trace_tag of a tag the trace does not have raises RESOURCE_DOES_NOT_EXIST."""
        trace_id = new_trace(tracking_store, new_experiment(tracking_store))
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="deleting a trace tag that does not exist"):
            tracking_store.delete_trace_tag(trace_id, "never-set")

    # -- delete_traces -----------------------------------------------------------------------------------------

    @clause("tracking_store/traces/delete-by-ids", level="full", feature=TRACES, since="3.2")
    def test_traces_delete_by_ids(self, tracking_store):
        """delete_traces(trace_ids=...) removes exactly those traces and returns how many it deleted."""
        experiment_id = new_experiment(tracking_store)
        ids = [new_trace(tracking_store, experiment_id) for _ in range(3)]
        assert tracking_store.delete_traces(experiment_id, trace_ids=ids[:2]) == 2
        assert search_trace_ids(tracking_store, [experiment_id]) == {ids[2]}

    @clause("tracking_store/traces/delete-by-max-timestamp", level="full", feature=TRACES, since="3.2")
    def test_traces_delete_by_max_timestamp(self, tracking_store):
        """delete_traces(max_timestamp_millis=T) removes the traces requested at or before T (inclusive) and
        returns their number."""
        experiment_id = new_experiment(tracking_store)
        ids = {t: new_trace(tracking_store, experiment_id, request_time=BASE_MS + t) for t in (0, 10, 20)}
        assert tracking_store.delete_traces(experiment_id, max_timestamp_millis=BASE_MS + 10) == 2
        assert search_trace_ids(tracking_store, [experiment_id]) == {ids[20]}

    @clause("tracking_store/traces/delete-max-traces-oldest-first", level="full", feature=TRACES, since="3.2")
    def test_traces_delete_max_traces_oldest_first(self, tracking_store):
        """delete_traces with max_traces=N removes at most N of the selected traces, the oldest first."""
        experiment_id = new_experiment(tracking_store)
        ids = {t: new_trace(tracking_store, experiment_id, request_time=BASE_MS + t) for t in (30, 0, 20, 10)}
        assert tracking_store.delete_traces(experiment_id, max_timestamp_millis=BASE_MS + 100, max_traces=2) == 2
        assert search_trace_ids(tracking_store, [experiment_id]) == {ids[20], ids[30]}

    @clause("tracking_store/traces/delete-scoped-to-experiment", level="full", feature=TRACES, since="3.2")
    def test_traces_delete_scoped_to_experiment(self, tracking_store):
        """delete_traces deletes only in the experiment it is given: the same criteria leave other experiments'
        traces alone."""
        mine, other = new_experiment(tracking_store), new_experiment(tracking_store)
        new_trace(tracking_store, mine, request_time=BASE_MS)
        kept = new_trace(tracking_store, other, request_time=BASE_MS)
        tracking_store.delete_traces(mine, max_timestamp_millis=BASE_MS + 1)
        assert search_trace_ids(tracking_store, [other]) == {kept}

    @clause("tracking_store/traces/delete-nothing-to-delete", level="full", feature=TRACES, since="3.2")
    def test_traces_delete_nothing_to_delete(self, tracking_store):
        """delete_traces in an experiment that has no traces (the retention job's usual case) returns 0."""
        experiment_id = new_experiment(tracking_store)
        assert tracking_store.delete_traces(experiment_id, max_timestamp_millis=BASE_MS) == 0

    @clause("tracking_store/traces/deleted-trace-not-found", level="full", feature=TRACES, since="3.2")
    def test_traces_deleted_trace_not_found(self, tracking_store):
        """A deleted trace is gone: get_trace_info raises RESOURCE_DOES_NOT_EXIST."""
        experiment_id = new_experiment(tracking_store)
        trace_id = new_trace(tracking_store, experiment_id)
        tracking_store.delete_traces(experiment_id, trace_ids=[trace_id])
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted trace"):
            tracking_store.get_trace_info(trace_id)

    @clause("tracking_store/traces/delete-requires-criteria", level="full", feature=TRACES, since="3.2")
    def test_traces_delete_requires_criteria(self, tracking_store):
        """delete_traces with neither trace_ids nor max_timestamp_millis raises INVALID_PARAMETER_VALUE (and
        deletes nothing)."""
        experiment_id = new_experiment(tracking_store)
        trace_id = new_trace(tracking_store, experiment_id)
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="deleting traces without criteria"):
            tracking_store.delete_traces(experiment_id)
        assert search_trace_ids(tracking_store, [experiment_id]) == {trace_id}

    # -- runs and prompts ----------------------------------------------------------------------------------------

    @clause("tracking_store/traces/link-to-run", level="full", feature=TRACES, since="3.3")
    def test_traces_link_to_run(self, tracking_store):
        """link_traces_to_run links traces to a run: the filter ``trace.run_id = '<run>'`` then finds them."""
        experiment_id = new_experiment(tracking_store)
        run_id = new_run(tracking_store, experiment_id).info.run_id
        linked = new_trace(tracking_store, experiment_id)
        new_trace(tracking_store, experiment_id)
        tracking_store.link_traces_to_run([linked], run_id)
        self._filter_finds(tracking_store, experiment_id, f"trace.run_id = '{run_id}'", {linked})

    @clause("tracking_store/traces/link-limit", level="full", feature=TRACES, since="3.3")
    def test_traces_link_limit(self, tracking_store):
        """link_traces_to_run rejects more than 100 traces in one call with INVALID_PARAMETER_VALUE."""
        experiment_id = new_experiment(tracking_store)
        run_id = new_run(tracking_store, experiment_id).info.run_id
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="linking 101 traces to a run"):
            tracking_store.link_traces_to_run([f"tr-{i:032x}" for i in range(101)], run_id)

    @clause("tracking_store/traces/unlink-from-run", level="full", feature=TRACES, since="3.5")
    def test_traces_unlink_from_run(self, tracking_store):
        """unlink_traces_from_run removes the link: the filter ``trace.run_id = '<run>'`` no longer finds the
        trace. (MLflow's SQL store does not offer it: unsupported there.)"""
        experiment_id = new_experiment(tracking_store)
        run_id = new_run(tracking_store, experiment_id).info.run_id
        trace_id = new_trace(tracking_store, experiment_id)
        tracking_store.link_traces_to_run([trace_id], run_id)
        tracking_store.unlink_traces_from_run([trace_id], run_id)
        self._filter_finds(tracking_store, experiment_id, f"trace.run_id = '{run_id}'", set())

    @clause("tracking_store/traces/link-prompts", level="full", feature=TRACES, since="3.7")
    def test_traces_link_prompts(self, tracking_store):
        """link_prompts_to_trace links prompt versions to a trace: the filter ``prompt = '<name>/<version>'``
        then finds it."""
        from mlflow.entities.model_registry.prompt_version import PromptVersion

        experiment_id = new_experiment(tracking_store)
        linked = new_trace(tracking_store, experiment_id)
        new_trace(tracking_store, experiment_id)
        name = unique_name("prompt")
        tracking_store.link_prompts_to_trace(linked, [PromptVersion(name=name, version=3, template="Hi {{x}}")])
        self._filter_finds(tracking_store, experiment_id, f"prompt = '{name}/3'", {linked})

    # -- what the UI's charts and analyses query -------------------------------------------------------------------

    @clause("tracking_store/traces/metrics-trace-count", level="full", feature=TRACES, since="3.9")
    def test_traces_metrics_trace_count(self, tracking_store):
        """query_trace_metrics (the UI's overview charts) counts an experiment's traces: metric trace_count
        with aggregation COUNT."""
        from mlflow.entities.trace_metrics import AggregationType, MetricAggregation, MetricViewType

        experiment_id = new_experiment(tracking_store)
        for i in range(3):
            new_trace(tracking_store, experiment_id, request_time=BASE_MS + i)
        points = tracking_store.query_trace_metrics([experiment_id], MetricViewType.TRACES, "trace_count",
                                                    [MetricAggregation(AggregationType.COUNT)])
        values = [p.values for p in points]
        assert len(values) == 1 and list(values[0].values()) == [3], f"trace_count COUNT returned {values}"

    @clause("tracking_store/traces/metrics-by-status", level="full", feature=TRACES, since="3.9")
    def test_traces_metrics_by_status(self, tracking_store):
        """query_trace_metrics groups by the trace_status dimension: one data point per status, with its
        count."""
        from mlflow.entities.trace_metrics import AggregationType, MetricAggregation, MetricViewType

        experiment_id = new_experiment(tracking_store)
        for state in ("OK", "OK", "ERROR"):
            new_trace(tracking_store, experiment_id, state=state)
        points = tracking_store.query_trace_metrics([experiment_id], MetricViewType.TRACES, "trace_count",
                                                    [MetricAggregation(AggregationType.COUNT)],
                                                    dimensions=["trace_status"])
        got = {p.dimensions.get("trace_status"): list(p.values.values()) for p in points}
        assert got == {"OK": [2], "ERROR": [1]}, f"trace_count by trace_status returned {got}"

    @clause("tracking_store/traces/filter-correlation", level="full", feature=TRACES, since="3.4")
    def test_traces_filter_correlation(self, tracking_store):
        """calculate_trace_filter_correlation (the UI's insights) counts the traces matching each filter and
        both together."""
        experiment_id = new_experiment(tracking_store)
        for state, env in (("ERROR", "prod"), ("ERROR", "prod"), ("OK", "prod"), ("OK", "dev")):
            new_trace(tracking_store, experiment_id, state=state, tags={"env": env})
        result = tracking_store.calculate_trace_filter_correlation([experiment_id], "trace.status = 'ERROR'",
                                                                   "tag.env = 'prod'")
        got = (result.filter1_count, result.filter2_count, result.joint_count, result.total_count)
        assert got == (2, 3, 2, 4), f"(filter1, filter2, joint, total) counts were {got}"

    @clause("tracking_store/traces/completed-sessions", level="full", feature=TRACES, since="3.9")
    def test_traces_completed_sessions(self, tracking_store):
        """find_completed_sessions returns the sessions (``mlflow.trace.session`` metadata) whose last trace
        falls in the window, with their first and last trace times, and leaves out sessions still going on."""
        experiment_id = new_experiment(tracking_store)
        done, ongoing = unique_name("session"), unique_name("session")
        for t, session in ((100, done), (200, done), (150, ongoing), (500, ongoing)):
            new_trace(tracking_store, experiment_id, request_time=BASE_MS + t,
                      metadata={"mlflow.trace.session": session})
        found = tracking_store.find_completed_sessions(experiment_id, BASE_MS, BASE_MS + 300)
        got = [(s.session_id, s.first_trace_timestamp_ms, s.last_trace_timestamp_ms) for s in found]
        assert got == [(done, BASE_MS + 100, BASE_MS + 200)], f"completed sessions: {got}"
