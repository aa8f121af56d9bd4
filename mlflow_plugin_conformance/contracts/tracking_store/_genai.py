"""What the GenAI families (traces, assessments, logged models, evaluation datasets, ...) share: building traces
and spans the way MLflow's tracing exporter hands them to a store, feature names, and small readers.

Spans are built from OpenTelemetry's ``ReadableSpan`` exactly as MLflow's exporter builds them (attributes JSON
encoded, the MLflow trace id in ``mlflow.traceRequestId``), so a store receives what it would receive from
``mlflow.start_span``. Times are generated, never read from a clock, so two stores given the same calls hold the
same values.
"""

from __future__ import annotations

import inspect
import json
import uuid
from dataclasses import dataclass, field

from ._helpers import now_ms

TRACES = "tracking_store.traces"
ASSESSMENTS = "tracking_store.assessments"
LOGGED_MODELS = "tracking_store.logged_models"
EVALUATION_DATASETS = "tracking_store.evaluation_datasets"
SCORERS = "tracking_store.scorers"
LABEL_SCHEMAS = "tracking_store.label_schemas"
ISSUES = "tracking_store.issues"
GATEWAY = "tracking_store.gateway"
GATEWAY_BUDGETS = "tracking_store.gateway_budgets"
MCP_SERVERS = "tracking_store.mcp_servers"
REVIEW_QUEUES = "tracking_store.review_queues"

def abstract_method_parameters(name: str) -> set[str]:
    """The parameter names of ``AbstractStore.<name>`` in the installed MLflow (empty when it has none)."""
    from mlflow.store.tracking.abstract_store import AbstractStore

    method = getattr(AbstractStore, name, None)
    return set(inspect.signature(method).parameters) if method is not None else set()


def search_traces_in(store, experiment_ids, **kwargs):
    """``store.search_traces`` over experiments, named as the installed MLflow's AbstractStore names them:
    ``locations`` from MLflow 3.5, ``experiment_ids`` before. Returns ``(trace_infos, next_page_token)``."""
    if isinstance(experiment_ids, str):
        experiment_ids = [experiment_ids]
    where = "locations" if "locations" in abstract_method_parameters("search_traces") else "experiment_ids"
    return store.search_traces(**{where: list(experiment_ids)}, **kwargs)


def search_all_traces(store, experiment_ids, page_size: int = 100, **kwargs) -> list:
    """Every TraceInfo ``search_traces`` returns, following page tokens (at most 100 pages)."""
    found, token = [], None
    for _ in range(100):
        infos, token = search_traces_in(store, experiment_ids, max_results=page_size, page_token=token, **kwargs)
        found.extend(infos)
        if not token:
            return found
    raise AssertionError("search_traces page tokens never ended (the last page must have token None)")


def search_trace_ids(store, experiment_ids, filter_string=None, **kwargs) -> set[str]:
    """The ids of the traces ``search_traces`` finds with ``filter_string`` (all pages)."""
    return {i.trace_id for i in search_all_traces(store, experiment_ids, filter_string=filter_string, **kwargs)}


def new_trace_id() -> tuple[str, int]:
    """An MLflow trace id ("tr-" + 32 hex digits) and the OpenTelemetry trace id it encodes."""
    otel_trace_id = uuid.uuid4().int
    return f"tr-{otel_trace_id:032x}", otel_trace_id


def trace_info(experiment_id: str, trace_id: str | None = None, *, request_time: int | None = None,
               state: str = "OK", execution_duration: int | None = 12, tags=None, metadata=None,
               request_preview: str | None = '{"q": 1}', response_preview: str | None = '{"a": 2}',
               client_request_id: str | None = None):
    """A TraceInfo (V3) as MLflow's client sends it to ``start_trace``."""
    from mlflow.entities import TraceInfo, TraceLocation, TraceState

    return TraceInfo(trace_id=trace_id or new_trace_id()[0],
                     trace_location=TraceLocation.from_experiment_id(experiment_id),
                     request_time=now_ms() if request_time is None else request_time,
                     state=TraceState(state), execution_duration=execution_duration,
                     request_preview=request_preview, response_preview=response_preview,
                     client_request_id=client_request_id, tags=dict(tags or {}),
                     trace_metadata=dict(metadata or {}))


def new_trace(store, experiment_id: str, **kwargs) -> str:
    """Start a trace (no spans) with ``start_trace``; return its id."""
    returned = store.start_trace(trace_info(experiment_id, **kwargs))
    assert returned is not None, "start_trace must return the stored TraceInfo"
    return returned.trace_id


@dataclass
class SpanSpec:
    """What a generated span holds; ``build`` turns it into MLflow's ``Span`` entity."""

    name: str
    span_id: int
    parent_id: int | None = None
    span_type: str = "UNKNOWN"
    start_ns: int = 0
    end_ns: int | None = 0
    status: str = "OK"  # OK, ERROR, UNSET
    status_message: str = ""
    attributes: dict = field(default_factory=dict)  # plain values; JSON-encoded like MLflow does
    inputs: object = None
    outputs: object = None
    events: list = field(default_factory=list)  # (name, time_ns, {attribute: value})

    def build(self, trace_id: str, otel_trace_id: int):
        from mlflow.entities import Span
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import Event, ReadableSpan
        from opentelemetry.trace import SpanContext, Status, StatusCode, TraceFlags

        attributes = {"mlflow.traceRequestId": json.dumps(trace_id), "mlflow.spanType": json.dumps(self.span_type)}
        if self.inputs is not None:
            attributes["mlflow.spanInputs"] = json.dumps(self.inputs)
        if self.outputs is not None:
            attributes["mlflow.spanOutputs"] = json.dumps(self.outputs)
        attributes.update({k: json.dumps(v) for k, v in self.attributes.items()})

        def context(span_id):
            return SpanContext(trace_id=otel_trace_id, span_id=span_id, is_remote=False,
                               trace_flags=TraceFlags(TraceFlags.SAMPLED))

        code = {"OK": StatusCode.OK, "ERROR": StatusCode.ERROR, "UNSET": StatusCode.UNSET}[self.status]
        otel = ReadableSpan(
            name=self.name, context=context(self.span_id),
            parent=context(self.parent_id) if self.parent_id is not None else None,
            start_time=self.start_ns, end_time=self.end_ns, attributes=attributes,
            status=Status(code, self.status_message or None) if code == StatusCode.ERROR else Status(code),
            events=[Event(name, attributes=attrs, timestamp=when) for name, when, attrs in self.events],
            resource=Resource.get_empty())  # as MLflow's Span.from_dict: no process-specific resource tags
        return Span(otel)


def span_hex(span_id: int) -> str:
    """MLflow's string form of a span id (16 hex digits), as ``Span.span_id`` returns it."""
    return f"{span_id:016x}"


def log_trace(store, experiment_id: str, specs: list[SpanSpec], *, start: bool = True, tags=None, metadata=None,
              request_time: int | None = None, execution_duration: int | None = None, state: str | None = None,
              trace_id: str | None = None):
    """Log a whole trace the way MLflow's exporter does: ``start_trace`` with the TraceInfo (unless ``start`` is
    False), then ``log_spans`` with every span. Returns the trace id."""
    if trace_id is None:
        trace_id, otel_trace_id = new_trace_id()
    else:
        otel_trace_id = int(trace_id.removeprefix("tr-"), 16)
    spans = [spec.build(trace_id, otel_trace_id) for spec in specs]
    if start:
        first = min(s.start_ns for s in specs) // 1_000_000 if specs else now_ms()
        last = max((s.end_ns or s.start_ns) for s in specs) // 1_000_000 if specs else first
        root = next((s for s in specs if s.parent_id is None), None)
        store.start_trace(trace_info(
            experiment_id, trace_id, request_time=first if request_time is None else request_time,
            execution_duration=(last - first) if execution_duration is None else execution_duration,
            state=state or ("ERROR" if root is not None and root.status == "ERROR" else "OK"),
            tags=tags, metadata=metadata))
    store.log_spans(experiment_id, spans)
    return trace_id


def simple_trace(store, experiment_id: str, *, name: str = "root", base_ms: int | None = None, children: int = 1,
                 **kwargs) -> str:
    """A trace of a root span (type CHAIN, with inputs and outputs) and ``children`` LLM spans under it."""
    base_ns = (now_ms() if base_ms is None else base_ms) * 1_000_000
    specs = [SpanSpec(name, 1, None, "CHAIN", base_ns, base_ns + 50_000_000, inputs={"q": "hi"},
                      outputs={"a": "hello"})]
    specs += [SpanSpec(f"child-{i}", 2 + i, 1, "LLM", base_ns + (i + 1) * 1_000_000,
                       base_ns + (i + 2) * 1_000_000, attributes={"model": f"m{i}"}) for i in range(children)]
    return log_trace(store, experiment_id, specs, **kwargs)


def state_name(state) -> str:
    """A TraceState (or its string) as its plain name: "OK", "ERROR", "IN_PROGRESS"."""
    return str(getattr(state, "value", state)).rsplit(".", 1)[-1]
