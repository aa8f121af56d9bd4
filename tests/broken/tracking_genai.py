"""Deliberately broken tracking stores for the GenAI families (traces, assessments, logged models, evaluation
datasets, scorers, label schemas, issues, review queues, gateway, MCP servers): each is MLflow's SqlAlchemyStore
with one method changed the way a plugin author might get it wrong, and one clause must catch it.

``BROKEN_TRACKING_GENAI_STORES`` maps a variant name to (class, the clause id that must fail). The mutations are
built by a few factories (``_after`` changes a result, ``_before`` changes the arguments, ``_recode`` answers with
another error code, ``_swallow`` hides an error, ``_noop`` does nothing); each variant's docstring names its bug.

``CORRECT_EXTENSIONS`` maps stores that implement what MLflow's SQL store does not (unlink_traces_from_run, MCP
server links on traces) or fix what it gets wrong, correctly, to the clause they must pass: the clauses are
checked against a passing implementation too. ``CAUGHT_BY_TRACE_MACHINE`` lists variants the trace differential
machine must also catch.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import uuid

from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE, RESOURCE_DOES_NOT_EXIST
from mlflow.store.entities.paged_list import PagedList
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore
from mlflow.utils.search_utils import SearchTraceUtils, SearchUtils

BROKEN_TRACKING_GENAI_STORES: dict[str, tuple[type, str]] = {}
CORRECT_EXTENSIONS: dict[str, tuple[type, str]] = {}


def _set(obj, attribute, value):
    """A copy of ``obj`` with ``attribute`` replaced (plain attribute, property backing or frozen dataclass)."""
    copied = copy.copy(obj)
    try:
        setattr(copied, attribute, value)
        return copied
    except AttributeError:
        if dataclasses.is_dataclass(obj):
            return dataclasses.replace(obj, **{attribute: value})
        setattr(copied, "_" + attribute, value)
        return copied


def _variant(name, clause, doc, registry=BROKEN_TRACKING_GENAI_STORES, **methods):
    cls_name = "Genai_" + re.sub(r"\W", "_", name)
    cls = type(cls_name, (SqlAlchemyStore,), {"__doc__": doc, "__module__": __name__, **methods})
    globals()[cls_name] = cls
    registry[name] = (cls, "tracking_store/" + clause)
    return cls


def _after(method, change):
    """``method`` runs, then ``change(result, self, *args, **kwargs)`` is returned instead of its result."""
    def changed(self, *args, **kwargs):
        return change(getattr(SqlAlchemyStore, method)(self, *args, **kwargs), self, *args, **kwargs)
    return changed


def _before(method, change):
    """``change(self, args, kwargs)`` returns the (args, kwargs) ``method`` then runs with."""
    def changed(self, *args, **kwargs):
        args, kwargs = change(self, list(args), dict(kwargs))
        return getattr(SqlAlchemyStore, method)(self, *args, **kwargs)
    return changed


def _arg(args, kwargs, index, name, default=None):
    return args[index] if len(args) > index else kwargs.get(name, default)


def _with_arg(args, kwargs, index, name, value):
    if len(args) > index:
        args[index] = value
    else:
        kwargs[name] = value
    return args, kwargs


def _recode(method, code=INVALID_PARAMETER_VALUE, when="RESOURCE_DOES_NOT_EXIST"):
    def changed(self, *args, **kwargs):
        try:
            return getattr(SqlAlchemyStore, method)(self, *args, **kwargs)
        except MlflowException as exc:
            if exc.error_code == when:
                raise MlflowException(exc.message, error_code=code) from None
            raise
    return changed


def _swallow(method, when=("RESOURCE_DOES_NOT_EXIST",), result=None):
    def changed(self, *args, **kwargs):
        try:
            return getattr(SqlAlchemyStore, method)(self, *args, **kwargs)
        except MlflowException as exc:
            if exc.error_code in when:
                return result() if callable(result) else result
            raise
    return changed


def _noop(result=None):
    def changed(self, *args, **kwargs):
        return result(*args, **kwargs) if callable(result) else result
    return changed


# -- span helpers ------------------------------------------------------------------------------------------------


def _rebuild_spans(spans, change):
    """Spans rebuilt from their dicts after ``change(span_dict)`` (which may return None to drop the span)."""
    from mlflow.entities import Span

    rebuilt = []
    for span in spans:
        data = change(span.to_dict())
        if data is not None:
            rebuilt.append(Span.from_dict(data))
    return rebuilt


def _stored_span_ids(store, trace_id):
    try:
        return {s.span_id for s in store.get_trace(trace_id, allow_partial=True).data.spans}
    except MlflowException:
        return set()


def _drop_clauses(filter_string, pattern):
    """The filter without the AND-clauses matching ``pattern`` (a plugin that ignores those conditions)."""
    if not filter_string:
        return filter_string
    kept = [c for c in re.split(r"\s+AND\s+", filter_string, flags=re.IGNORECASE) if not re.search(pattern, c)]
    return " AND ".join(kept) or None


def _filtering(pattern=None, rewrite=None):
    """search_traces with its filter rewritten: clauses matching ``pattern`` dropped, or ``rewrite(filter)``."""
    def change(self, args, kwargs):
        flt = _arg(args, kwargs, 1, "filter_string")
        flt = rewrite(flt) if rewrite else _drop_clauses(flt, pattern)
        return _with_arg(args, kwargs, 1, "filter_string", flt)
    return _before("search_traces", change)


# == traces ======================================================================================================

_variant("trace-info-loses-duration", "traces/start-and-get-info",
         "get_trace_info leaves out the execution duration.",
         get_trace_info=_after("get_trace_info", lambda r, *a, **k: _set(r, "execution_duration", None)))
_variant("start-trace-returns-none", "traces/start-returns-info", "start_trace returns nothing.",
         start_trace=_after("start_trace", lambda r, *a, **k: None))
_variant("start-trace-drops-tags", "traces/info-tags", "start_trace stores no user tags.",
         start_trace=_before("start_trace", lambda self, a, k: ([_set(a[0], "tags", {})], k)))
_variant("start-trace-drops-metadata", "traces/info-metadata", "start_trace stores no metadata.",
         start_trace=_before("start_trace", lambda self, a, k: ([_set(a[0], "trace_metadata", {})], k)))
_variant("start-trace-drops-client-request-id", "traces/info-previews",
         "start_trace forgets the client request id.",
         start_trace=_before("start_trace", lambda self, a, k: ([_set(a[0], "client_request_id", None)], k)))
_variant("unknown-trace-info-400", "traces/get-info-unknown",
         "get_trace_info answers an unknown trace with INVALID_PARAMETER_VALUE.", get_trace_info=_recode("get_trace_info"))
_variant("start-trace-unknown-experiment-400", "traces/start-in-unknown-experiment",
         "start_trace answers an unknown experiment with INVALID_PARAMETER_VALUE.", start_trace=_recode("start_trace"))
_variant("log-spans-drops-last", "traces/spans-round-trip", "log_spans loses the last span of each call.",
         log_spans=_before("log_spans", lambda self, a, k: ([a[0], a[1][:-1] if len(a[1]) > 1 else a[1]], k)))
_variant("log-spans-flattens-tree", "traces/span-parents",
         "log_spans attaches every span to the root (grandchildren lose their parent).",
         log_spans=_before("log_spans", lambda self, a, k: ([a[0], _rebuild_spans(a[1], lambda d: {
             **d, "parent_span_id": (a[1][0].to_dict()["span_id"] if d["parent_span_id"] else None)})], k)))


def _stringified(data):
    data["attributes"] = {key: value if key.startswith("mlflow.") else json.dumps(str(json.loads(value)))
                          for key, value in data["attributes"].items()}
    return data


_variant("span-attributes-as-strings", "traces/span-attributes", "log_spans stores every attribute as a string.",
         log_spans=_before("log_spans", lambda self, a, k: ([a[0], _rebuild_spans(a[1], _stringified)], k)))
_variant("span-events-dropped", "traces/span-events", "log_spans drops span events.",
         log_spans=_before("log_spans", lambda self, a, k: ([a[0], _rebuild_spans(a[1], lambda d: {**d, "events": []})],
                                                            k)))
_variant("span-status-message-dropped", "traces/span-status", "log_spans drops the status message.",
         log_spans=_before("log_spans", lambda self, a, k: ([a[0], _rebuild_spans(
             a[1], lambda d: {**d, "status": {**d["status"], "message": ""}})], k)))


def _trace_without_tags(trace, *a, **k):
    from mlflow.entities import Trace

    return Trace(info=_set(trace.info, "tags", {}), data=trace.data)


_variant("get-trace-info-without-tags", "traces/get-trace-info-matches", "get_trace returns its TraceInfo without tags.",
         get_trace=_after("get_trace", _trace_without_tags))
_variant("unknown-trace-400", "traces/get-trace-unknown",
         "get_trace answers an unknown trace with INVALID_PARAMETER_VALUE.", get_trace=_recode("get_trace"))


def _start_with_wall_clock(self, location, spans, *args, **kwargs):
    from mlflow_plugin_conformance.contracts.tracking_store._genai import trace_info

    for trace_id in {s.trace_id for s in spans}:
        try:
            self.get_trace_info(trace_id)
        except MlflowException:
            self.start_trace(trace_info(location, trace_id, execution_duration=None))
    return SqlAlchemyStore.log_spans(self, location, spans, *args, **kwargs)


_variant("log-spans-new-trace-wall-clock", "traces/log-spans-creates-trace",
         "log_spans creates a missing trace stamped with the wall clock and state OK, not from its spans.",
         log_spans=_start_with_wall_clock)
_variant("log-spans-first-batch-only", "traces/log-spans-in-batches",
         "log_spans ignores spans of a trace that already has spans.",
         log_spans=_before("log_spans", lambda self, a, k: ([a[0], [s for s in a[1] if not _stored_span_ids(
             self, s.trace_id)]], k)))
_variant("log-spans-keeps-first-copy", "traces/log-spans-overwrites", "log_spans keeps the first copy of a span.",
         log_spans=_before("log_spans", lambda self, a, k: ([a[0], [s for s in a[1] if s.span_id not in
                                                                    _stored_span_ids(self, s.trace_id)]], k)))
_variant("log-spans-one-trace-per-call", "traces/log-spans-several-traces",
         "log_spans stores only the spans of the first trace of a call.",
         log_spans=_before("log_spans", lambda self, a, k: ([a[0], [s for s in a[1] if s.trace_id == a[1][0].trace_id]],
                                                            k)))
_variant("log-spans-256-limit", "traces/large-trace", "log_spans keeps at most 256 spans per call.",
         log_spans=_before("log_spans", lambda self, a, k: ([a[0], a[1][:256]], k)))
_variant("batch-get-two-only", "traces/batch-get-traces", "batch_get_traces returns at most two traces.",
         batch_get_traces=_after("batch_get_traces", lambda r, *a, **k: r[:2]))


def _batch_strict(self, trace_ids, *args, **kwargs):
    for trace_id in trace_ids:
        self.get_trace_info(trace_id)
    return SqlAlchemyStore.batch_get_traces(self, trace_ids, *args, **kwargs)


_variant("batch-get-unknown-raises", "traces/batch-get-traces-skips-unknown",
         "batch_get_traces raises RESOURCE_DOES_NOT_EXIST when one id is unknown.", batch_get_traces=_batch_strict)
_variant("batch-get-infos-drops-first", "traces/batch-get-trace-infos",
         "batch_get_trace_infos leaves out the first requested trace.",
         batch_get_trace_infos=_before("batch_get_trace_infos", lambda self, a, k: ([a[0][1:]] + a[1:], k)))


def _token_skips(result, *a, **k):
    infos, token = result
    if token:
        token = SearchTraceUtils.create_page_token(SearchTraceUtils.parse_start_offset_from_page_token(token) + 1)
    return infos, token


_variant("trace-pagination-off-by-one", "traces/search-pagination",
         "search_traces' next-page token skips a trace at each page boundary.",
         search_traces=_after("search_traces", _token_skips))


def _first_location(self, a, k):
    key = "locations" if k.get("locations") else "experiment_ids"
    if k.get(key):
        k[key] = k[key][:1]
    elif a:
        a[0] = a[0][:1]
    return a, k


_variant("trace-search-first-experiment", "traces/search-experiment-scope",
         "search_traces searches the first experiment only.", search_traces=_before("search_traces", _first_location))


def _order(rewrite):
    def change(self, a, k):
        order_by = _arg(a, k, 3, "order_by")
        return _with_arg(a, k, 3, "order_by", rewrite(order_by))
    return _before("search_traces", change)


_variant("trace-default-order-oldest-first", "traces/search-default-order",
         "search_traces without order_by returns the oldest trace first.",
         search_traces=_order(lambda o: o or ["timestamp_ms ASC"]))
_variant("trace-order-by-ignored", "traces/search-order-by-timestamp", "search_traces ignores order_by.",
         search_traces=_order(lambda o: None))
_variant("trace-order-by-duration-ignored", "traces/search-order-by-execution-time",
         "search_traces ignores order_by on execution time.",
         search_traces=_order(lambda o: [c for c in (o or []) if "execution_time" not in c] or None))
_variant("trace-invalid-filter-accepted", "traces/search-invalid-filter",
         "search_traces answers an invalid filter with no traces instead of an error.",
         search_traces=_swallow("search_traces", when=("INVALID_PARAMETER_VALUE",), result=lambda: ([], None)))
_variant("trace-status-filter-ignored", "traces/filter-status", "search_traces ignores status conditions.",
         search_traces=_filtering(r"status"))
_variant("trace-time-filter-inclusive", "traces/filter-timestamp-range",
         "search_traces treats '<' on the request time as '<='.",
         search_traces=_filtering(rewrite=lambda f: f and f.replace("timestamp_ms < ", "timestamp_ms <= ")))
_variant("trace-duration-filter-ignored", "traces/filter-execution-time",
         "search_traces ignores execution-time conditions.", search_traces=_filtering(r"execution_time"))
_variant("trace-end-time-filter-ignored", "traces/filter-end-time", "search_traces ignores end-time conditions.",
         search_traces=_filtering(r"end_time"))
_variant("trace-tag-filter-key-only", "traces/filter-tag", "search_traces matches a tag by its key alone.",
         search_traces=_filtering(rewrite=lambda f: f and re.sub(r"(tags?\.\w+) = '[^']*'", r"\1 IS NOT NULL", f)))
_variant("trace-tag-not-equal-ignored", "traces/filter-tag-not-equal", "search_traces ignores '!=' on tags.",
         search_traces=_filtering(r"tags?\.\w+ !="))
_variant("trace-tag-like-case-insensitive", "traces/filter-tag-like",
         "search_traces matches LIKE on tags case-insensitively.",
         search_traces=_filtering(rewrite=lambda f: f and f.replace(" LIKE ", " ILIKE ")))
_variant("trace-tag-is-null-inverted", "traces/filter-tag-is-null", "search_traces inverts 'IS NULL' on tags.",
         search_traces=_filtering(rewrite=lambda f: f and f.replace(" IS NULL", " IS NOT NULL")))
_variant("trace-metadata-filter-ignored", "traces/filter-metadata", "search_traces ignores metadata conditions.",
         search_traces=_filtering(r"metadata\."))
_variant("trace-metadata-null-filter-ignored", "traces/filter-metadata-is-not-null",
         "search_traces ignores 'IS NOT NULL' on metadata.", search_traces=_filtering(r"metadata\.\w+ IS NOT NULL"))
_variant("trace-name-filter-ignored", "traces/filter-name", "search_traces ignores the trace name.",
         search_traces=_filtering(r"trace\.name"))
_variant("trace-in-filter-first-only", "traces/filter-request-id-in",
         "search_traces matches only the first value of an IN list.",
         search_traces=_filtering(rewrite=lambda f: f and re.sub(r"IN \('([^']*)'[^)]*\)", r"= '\1'", f)))
_variant("trace-run-filter-ignored", "traces/filter-run-id", "search_traces ignores the run id.",
         search_traces=_filtering(r"run_id"))
_variant("trace-span-name-filter-ignored", "traces/filter-span-name", "search_traces ignores span names.",
         search_traces=_filtering(r"span\.name"))
_variant("trace-span-type-filter-ignored", "traces/filter-span-type", "search_traces ignores span types.",
         search_traces=_filtering(r"span\.type"))
_variant("trace-span-attribute-filter-ignored", "traces/filter-span-attribute",
         "search_traces ignores span attributes.", search_traces=_filtering(r"span\.attributes"))
_variant("trace-filter-first-condition-only", "traces/filter-combined",
         "search_traces applies only the first AND condition.",
         search_traces=_filtering(rewrite=lambda f: f and re.split(r"\s+AND\s+", f)[0]))


def _set_tag_once(self, trace_id, key, value):
    if key in self.get_trace_info(trace_id).tags:
        return None
    return SqlAlchemyStore.set_trace_tag(self, trace_id, key, value)


_variant("trace-tag-first-value-wins", "traces/set-tag", "set_trace_tag does not overwrite a tag.",
         set_trace_tag=_set_tag_once)
_variant("trace-tag-delete-noop", "traces/delete-tag", "delete_trace_tag does nothing.", delete_trace_tag=_noop())
_variant("trace-tag-delete-missing-silent", "traces/delete-missing-tag",
         "delete_trace_tag of a missing tag succeeds silently.", delete_trace_tag=_swallow("delete_trace_tag"))
_variant("delete-traces-returns-none", "traces/delete-by-ids", "delete_traces does not return the count.",
         delete_traces=_after("delete_traces", lambda r, *a, **k: None))
_variant("delete-traces-exclusive-time", "traces/delete-by-max-timestamp",
         "delete_traces treats max_timestamp_millis as exclusive.",
         _delete_traces=lambda self, e, ts=None, n=None, ids=None: SqlAlchemyStore._delete_traces(
             self, e, ts - 1 if ts is not None else None, n, ids))


def _delete_newest_first(self, experiment_id, max_timestamp_millis=None, max_traces=None, trace_ids=None):
    if max_traces is None:
        return SqlAlchemyStore._delete_traces(self, experiment_id, max_timestamp_millis, max_traces, trace_ids)
    infos, _ = SqlAlchemyStore.search_traces(self, locations=[experiment_id], max_results=1000,
                                            filter_string=f"trace.timestamp_ms <= {max_timestamp_millis}")
    newest = [i.trace_id for i in infos][:max_traces]  # default order: newest first
    return SqlAlchemyStore._delete_traces(self, experiment_id, None, None, newest)


_variant("delete-traces-newest-first", "traces/delete-max-traces-oldest-first",
         "delete_traces with max_traces deletes the newest traces first.", _delete_traces=_delete_newest_first)


def _delete_everywhere(self, experiment_id, max_timestamp_millis=None, max_traces=None, trace_ids=None):
    total = 0
    for experiment in self.search_experiments(view_type=3, max_results=50000):
        total += SqlAlchemyStore._delete_traces(self, experiment.experiment_id, max_timestamp_millis, max_traces,
                                                trace_ids)
    return total


_variant("delete-traces-all-experiments", "traces/delete-scoped-to-experiment",
         "delete_traces deletes matching traces of every experiment.", _delete_traces=_delete_everywhere)
def _delete_requires_traces(self, experiment_id, max_timestamp_millis=None, max_traces=None, trace_ids=None):
    infos, _ = SqlAlchemyStore.search_traces(self, locations=[experiment_id], max_results=1)
    if not infos:
        raise MlflowException(f"No traces in experiment {experiment_id}")  # no error code, as FileStore does
    return SqlAlchemyStore._delete_traces(self, experiment_id, max_timestamp_millis, max_traces, trace_ids)


_variant("delete-traces-empty-experiment-raises", "traces/delete-nothing-to-delete",
         "delete_traces raises when the experiment has no traces.", _delete_traces=_delete_requires_traces)
_variant("delete-traces-deferred", "traces/deleted-trace-not-found",
         "delete_traces only counts the traces ('deleted later') and deletes nothing.",
         _delete_traces=lambda self, e, ts=None, n=None, ids=None: len(ids or []))
_variant("delete-traces-no-criteria-deletes-all", "traces/delete-requires-criteria",
         "delete_traces without criteria deletes every trace of the experiment.",
         delete_traces=lambda self, experiment_id, max_timestamp_millis=None, max_traces=None, trace_ids=None: (
             SqlAlchemyStore._delete_traces(self, experiment_id, max_timestamp_millis or 2**62, max_traces, trace_ids)
             if not trace_ids else SqlAlchemyStore._delete_traces(self, experiment_id, None, None, trace_ids)))
_variant("link-traces-noop", "traces/link-to-run", "link_traces_to_run does nothing.", link_traces_to_run=_noop())


def _link_in_chunks(self, trace_ids, run_id):
    for start in range(0, len(trace_ids), 100):
        SqlAlchemyStore.link_traces_to_run(self, trace_ids[start:start + 100], run_id)


_variant("link-traces-no-limit", "traces/link-limit", "link_traces_to_run accepts any number of traces.",
         link_traces_to_run=_link_in_chunks)


def _unlink_association(self, trace_ids, run_id):
    from mlflow.entities.entity_type import EntityAssociationType
    from mlflow.store.tracking.dbmodels.models import SqlEntityAssociation

    with self.ManagedSessionMaker(read_only=False) as session:
        session.query(SqlEntityAssociation).filter(
            SqlEntityAssociation.source_type == EntityAssociationType.TRACE,
            SqlEntityAssociation.source_id.in_(list(trace_ids)),
            SqlEntityAssociation.destination_type == EntityAssociationType.RUN,
            SqlEntityAssociation.destination_id == run_id).delete(synchronize_session=False)


_variant("unlink-traces", "traces/unlink-from-run",
         "MLflow's SQL store plus a correct unlink_traces_from_run (deletes the trace-run associations).",
         registry=CORRECT_EXTENSIONS, unlink_traces_from_run=_unlink_association)
_variant("unlink-traces-noop", "traces/unlink-from-run", "unlink_traces_from_run does nothing.",
         unlink_traces_from_run=_noop())
_variant("link-prompts-noop", "traces/link-prompts", "link_prompts_to_trace does nothing.",
         link_prompts_to_trace=_noop())


def _count_plus_one(points, *a, **k):
    return PagedList([_set(p, "values", {key: v + 1 for key, v in p.values.items()}) for p in points], points.token)


_variant("trace-metrics-off-by-one", "traces/metrics-trace-count", "query_trace_metrics counts one trace too many.",
         query_trace_metrics=_after("query_trace_metrics", _count_plus_one))
_variant("trace-metrics-dimensions-ignored", "traces/metrics-by-status",
         "query_trace_metrics ignores the dimensions.",
         query_trace_metrics=_before("query_trace_metrics", lambda self, a, k: (a[:4], {
             key: value for key, value in k.items() if key != "dimensions"})))
_variant("correlation-counts-swapped", "traces/filter-correlation",
         "calculate_trace_filter_correlation reports the two filters' counts swapped.",
         calculate_trace_filter_correlation=_after("calculate_trace_filter_correlation", lambda r, *a, **k: _set(
             _set(r, "filter1_count", r.filter2_count), "filter2_count", r.filter1_count)))
_variant("sessions-ongoing-included", "traces/completed-sessions",
         "find_completed_sessions ignores the window's upper bound (ongoing sessions count as completed).",
         find_completed_sessions=_before("find_completed_sessions", lambda self, a, k: ([a[0], a[1], 2**62] + a[3:],
                                                                                         k)))

# == assessments =================================================================================================


def _assessment_arg(change):
    return _before("create_assessment", lambda self, a, k: ([change(copy.copy(a[0]))], k))


def _without(attribute):
    def change(assessment):
        setattr(assessment, attribute, None)
        return assessment
    return change


_variant("assessment-drops-rationale", "assessments/feedback-round-trip", "create_assessment drops the rationale.",
         create_assessment=_assessment_arg(_without("rationale")))
_variant("assessment-returned-without-id", "assessments/create-returns-id",
         "create_assessment returns the assessment without its id.",
         create_assessment=_after("create_assessment", lambda r, *a, **k: _set(r, "assessment_id", None)))
_variant("expectation-value-as-text", "assessments/expectation-round-trip",
         "get_assessment returns structured expectation values as text.",
         get_assessment=_after("get_assessment", lambda r, *a, **k: _set(r, "expectation", _set(
             r.expectation, "value", str(r.expectation.value))) if r.expectation is not None else r))


def _bool_as_int(assessment):
    if assessment.feedback is not None and isinstance(assessment.feedback.value, bool):
        assessment.feedback = _set(assessment.feedback, "value", int(assessment.feedback.value))
    return assessment


_variant("feedback-bool-as-int", "assessments/feedback-value-types", "create_assessment stores booleans as 0/1.",
         create_assessment=_assessment_arg(_bool_as_int))


def _without_error(assessment):
    if assessment.feedback is not None:
        assessment.feedback = _set(assessment.feedback, "error", None)
    return assessment


_variant("feedback-drops-error", "assessments/feedback-error", "create_assessment drops the feedback's error.",
         create_assessment=_assessment_arg(_without_error))
_variant("assessment-drops-span", "assessments/span-attachment", "create_assessment drops the span id.",
         create_assessment=_assessment_arg(_without("span_id")))
_variant("assessment-drops-metadata", "assessments/metadata", "create_assessment drops the metadata.",
         create_assessment=_assessment_arg(_without("metadata")))
_variant("trace-info-without-assessments", "assessments/listed-on-trace",
         "get_trace_info does not list the trace's assessments.",
         get_trace_info=_after("get_trace_info", lambda r, *a, **k: _set(r, "assessments", [])))
_variant("unknown-assessment-400", "assessments/get-unknown",
         "get_assessment answers an unknown assessment with INVALID_PARAMETER_VALUE.",
         get_assessment=_recode("get_assessment"))
_variant("assess-unknown-trace-400", "assessments/create-on-unknown-trace",
         "create_assessment on an unknown trace answers INVALID_PARAMETER_VALUE.",
         create_assessment=_recode("create_assessment"))
_variant("update-ignores-feedback", "assessments/update-value", "update_assessment ignores a new feedback value.",
         update_assessment=_before("update_assessment", lambda self, a, k: (a, {**k, "feedback": None})))
_variant("update-ignores-expectation", "assessments/update-expectation",
         "update_assessment ignores a new expectation value.",
         update_assessment=_before("update_assessment", lambda self, a, k: (a, {**k, "expectation": None})))
_variant("update-ignores-name", "assessments/update-rationale-and-name", "update_assessment ignores a new name.",
         update_assessment=_before("update_assessment", lambda self, a, k: (a, {**k, "name": None})))
_variant("update-ignores-metadata", "assessments/update-merges-metadata", "update_assessment ignores new metadata.",
         update_assessment=_before("update_assessment", lambda self, a, k: (a, {**k, "metadata": None})))


def _expectation_from_feedback(self, a, k):
    from mlflow.entities.assessment import ExpectationValue

    existing = self.get_assessment(a[0], a[1])
    if k.get("feedback") is not None and existing.expectation is not None:
        k = {**k, "expectation": ExpectationValue(k["feedback"].value), "feedback": None}
    return a, k


_variant("update-kind-unchecked", "assessments/update-wrong-kind",
         "update_assessment applies a feedback value to an expectation.",
         update_assessment=_before("update_assessment", _expectation_from_feedback))
_variant("update-unknown-400", "assessments/update-unknown",
         "update_assessment answers an unknown assessment with INVALID_PARAMETER_VALUE.",
         update_assessment=_recode("update_assessment"))
_variant("assessment-validity-unset", "assessments/new-is-valid", "get_assessment returns no validity.",
         get_assessment=_after("get_assessment", lambda r, *a, **k: _set(r, "valid", None)))


def _override_without_invalidating(self, assessment):
    overrides = assessment.overrides
    created = SqlAlchemyStore.create_assessment(self, _without("overrides")(copy.copy(assessment)))
    created.overrides = overrides
    return created


_variant("override-keeps-original-valid", "assessments/override-invalidates",
         "create_assessment with overrides does not invalidate the overridden assessment.",
         create_assessment=_override_without_invalidating)
_variant("override-link-lost", "assessments/override-records-link",
         "get_assessment does not return which assessment it overrides.",
         get_assessment=_after("get_assessment", lambda r, *a, **k: _set(r, "overrides", None)))


def _override_unchecked(self, assessment):
    try:
        return SqlAlchemyStore.create_assessment(self, assessment)
    except MlflowException as exc:
        if exc.error_code == "RESOURCE_DOES_NOT_EXIST" and assessment.overrides:
            return SqlAlchemyStore.create_assessment(self, _without("overrides")(copy.copy(assessment)))
        raise


_variant("override-unknown-accepted", "assessments/override-unknown",
         "create_assessment accepts overrides of an assessment that does not exist.",
         create_assessment=_override_unchecked)
_variant("delete-assessment-noop", "assessments/delete", "delete_assessment does nothing.",
         delete_assessment=_noop())


def _delete_strict(self, trace_id, assessment_id):
    self.get_assessment(trace_id, assessment_id)
    return SqlAlchemyStore.delete_assessment(self, trace_id, assessment_id)


_variant("delete-assessment-missing-raises", "assessments/delete-idempotent",
         "delete_assessment of an assessment already deleted raises RESOURCE_DOES_NOT_EXIST.",
         delete_assessment=_delete_strict)


def _delete_without_restoring(self, trace_id, assessment_id):
    from mlflow.store.tracking.dbmodels.models import SqlAssessments

    overrides = self.get_assessment(trace_id, assessment_id).overrides
    SqlAlchemyStore.delete_assessment(self, trace_id, assessment_id)
    if overrides:
        with self.ManagedSessionMaker(read_only=False) as session:
            session.query(SqlAssessments).filter_by(assessment_id=overrides).update({"valid": False})


_variant("delete-override-keeps-invalid", "assessments/delete-restores-overridden",
         "deleting an overriding assessment leaves the overridden one invalid.",
         delete_assessment=_delete_without_restoring)
_variant("feedback-filter-ignored", "assessments/filter-feedback", "search_traces ignores feedback conditions.",
         search_traces=_filtering(r"feedback\."))


def _feedback_including_invalid(self, *args, **kwargs):
    flt = _arg(list(args), kwargs, 1, "filter_string")
    match = re.search(r"feedback\.(\w+) = '(\w+)'", flt or "")
    if not match:
        return SqlAlchemyStore.search_traces(self, *args, **kwargs)
    args, kwargs = _with_arg(list(args), dict(kwargs), 1, "filter_string", _drop_clauses(flt, r"feedback\."))
    infos, token = SqlAlchemyStore.search_traces(self, *args, **kwargs)
    name, value = match.groups()
    return [i for i in infos if any(a.name == name and json.dumps(a.value) == value for a in i.assessments)], token


_variant("feedback-filter-matches-overridden", "assessments/filter-ignores-overridden",
         "search_traces' feedback filter also matches overridden (invalid) feedback.",
         search_traces=_feedback_including_invalid)
_variant("numeric-feedback-filter-ignored", "assessments/filter-numeric-feedback",
         "search_traces ignores numeric feedback comparisons.", search_traces=_filtering(r"feedback\.\w+ [<>]"))

# == logged models ===============================================================================================


def _lm_kwarg(name, value):
    names = ["experiment_id", "name", "source_run_id", "tags", "params", "model_type"]

    def change(self, a, k):
        return _with_arg(a, k, names.index(name), name, value)
    return _before("create_logged_model", change)


_variant("logged-model-drops-type", "logged-models/create-get", "create_logged_model drops the model type.",
         create_logged_model=_lm_kwarg("model_type", None))
_variant("logged-model-drops-params", "logged-models/create-tags-and-params", "create_logged_model drops params.",
         create_logged_model=_lm_kwarg("params", None))
def _unnamed_stays_unnamed(model, self, experiment_id, name=None, *args, **kwargs):
    from mlflow.store.tracking.dbmodels.models import SqlLoggedModel

    if name is None:
        with self.ManagedSessionMaker(read_only=False) as session:
            session.query(SqlLoggedModel).filter(SqlLoggedModel.model_id == model.model_id).update({"name": ""})
    return model


_variant("logged-model-empty-name", "logged-models/generated-name",
         "create_logged_model without a name stores an empty name.",
         create_logged_model=_after("create_logged_model", _unnamed_stays_unnamed))


def _created_ready(r, self, *a, **k):
    from mlflow.entities import LoggedModelStatus

    return self.finalize_logged_model(r.model_id, LoggedModelStatus.READY)


_variant("logged-model-born-ready", "logged-models/initial-status-pending", "create_logged_model creates it READY.",
         create_logged_model=_after("create_logged_model", _created_ready))


def _always_ready(self, model_id, status):
    from mlflow.entities import LoggedModelStatus

    return SqlAlchemyStore.finalize_logged_model(self, model_id, LoggedModelStatus.READY)


_variant("finalize-always-ready", "logged-models/finalize", "finalize_logged_model always sets READY.",
         finalize_logged_model=_always_ready)
_variant("logged-model-shared-location", "logged-models/artifact-location",
         "create_logged_model gives every model of an experiment the same artifact location.",
         create_logged_model=_after("create_logged_model", lambda r, *a, **k: _set(
             r, "artifact_location", r.artifact_location.split("/models/")[0] + "/models")))
_variant("logged-model-unknown-experiment-400", "logged-models/create-in-unknown-experiment",
         "create_logged_model in an unknown experiment answers INVALID_PARAMETER_VALUE.",
         create_logged_model=_recode("create_logged_model"))
_variant("unknown-logged-model-400", "logged-models/get-unknown",
         "get_logged_model answers an unknown id with INVALID_PARAMETER_VALUE.",
         get_logged_model=_recode("get_logged_model"))


def _tags_without_overwrite(self, model_id, tags):
    existing = self.get_logged_model(model_id).tags
    return SqlAlchemyStore.set_logged_model_tags(self, model_id, [t for t in tags if t.key not in existing])


_variant("logged-model-tags-no-overwrite", "logged-models/set-tags", "set_logged_model_tags keeps existing values.",
         set_logged_model_tags=_tags_without_overwrite)
_variant("logged-model-tag-delete-noop", "logged-models/delete-tag", "delete_logged_model_tag does nothing.",
         delete_logged_model_tag=_noop())
_variant("logged-model-tag-delete-missing-silent", "logged-models/delete-missing-tag",
         "delete_logged_model_tag of a missing tag succeeds silently.",
         delete_logged_model_tag=_swallow("delete_logged_model_tag"))


def _versions_tag(self, name, version, model_id, keep_existing):
    from mlflow.entities import LoggedModelTag

    entry = {"name": name, "version": version}
    recorded = json.loads(self.get_logged_model(model_id).tags.get("mlflow.modelVersions") or "[]")
    recorded = recorded + [entry] if keep_existing else [entry]
    self.set_logged_model_tags(model_id, [LoggedModelTag("mlflow.modelVersions", json.dumps(recorded))])


def _versions_tag_fixed(self, name, version, model_id):
    from mlflow.entities import LoggedModelTag

    entry = {"name": name, "version": version}
    recorded = json.loads(self.get_logged_model(model_id).tags.get("mlflow.modelVersions") or "[]")
    if entry not in recorded:
        recorded.append(entry)
    self.set_logged_model_tags(model_id, [LoggedModelTag("mlflow.modelVersions", json.dumps(recorded))])


_variant("model-versions-tag-overwritten", "logged-models/model-versions-tag",
         "set_model_versions_tags keeps only the last version.",
         set_model_versions_tags=lambda self, n, v, m: _versions_tag(self, n, v, m, keep_existing=False))
_variant("model-versions-tag-duplicates", "logged-models/model-versions-tag-repeated",
         "set_model_versions_tags records a version again each time.",
         set_model_versions_tags=lambda self, n, v, m: _versions_tag(self, n, v, m, keep_existing=True))
_variant("model-versions-tag-fixed", "logged-models/model-versions-tag-repeated",
         "MLflow's SQL store with set_model_versions_tags recording each (name, version) once (as the example "
         "plugin does).", registry=CORRECT_EXTENSIONS, set_model_versions_tags=_versions_tag_fixed)
_variant("logged-model-delete-noop", "logged-models/delete", "delete_logged_model does nothing.",
         delete_logged_model=_noop())

_DELETED = "conformance.soft-deleted"


def _soft_delete(self, model_id):
    from mlflow.entities import LoggedModelTag

    SqlAlchemyStore.set_logged_model_tags(self, model_id, [LoggedModelTag(_DELETED, "true")])


def _get_unless_soft_deleted(self, model_id, *args, **kwargs):
    model = SqlAlchemyStore.get_logged_model(self, model_id, *args, **kwargs)
    if model.tags.get(_DELETED):
        raise MlflowException(f"Logged model {model_id} not found", RESOURCE_DOES_NOT_EXIST)
    return model


_variant("logged-model-soft-delete-searchable", "logged-models/deleted-not-searched",
         "delete_logged_model marks the model with a tag that get_logged_model honours and search ignores.",
         delete_logged_model=_soft_delete, get_logged_model=_get_unless_soft_deleted)


def _metrics_without_model(self, run_id, metrics, params, tags):
    from mlflow.entities import Metric

    metrics = [Metric(m.key, m.value, m.timestamp, m.step) for m in metrics]
    return SqlAlchemyStore.log_batch(self, run_id, metrics, params, tags)


_variant("model-metrics-unlinked", "logged-models/metrics", "log_batch drops the metrics' model id.",
         log_batch=_metrics_without_model)
_variant("log-outputs-noop", "logged-models/log-outputs", "log_outputs does nothing.", log_outputs=_noop())
_variant("log-inputs-drops-models", "logged-models/log-inputs", "log_inputs drops the models.",
         log_inputs=_before("log_inputs", lambda self, a, k: ([a[0]], {"datasets": _arg(a, k, 1, "datasets")})))


def _record_overwrites(self, run_id, mlflow_model):
    if "mlflow.log-model.history" in self.get_run(run_id).data.tags:
        self.delete_tag(run_id, "mlflow.log-model.history")
    return SqlAlchemyStore.record_logged_model(self, run_id, mlflow_model)


_variant("record-logged-model-overwrites", "logged-models/record-logged-model",
         "record_logged_model replaces the history instead of appending.", record_logged_model=_record_overwrites)


def _lm_token_skips(page, *a, **k):
    from mlflow.utils.search_utils import SearchLoggedModelsPaginationToken

    if page.token:
        token = SearchLoggedModelsPaginationToken.decode(page.token)
        token.offset += 1
        page = PagedList(list(page), token.encode())
    return page


_variant("logged-model-pagination-off-by-one", "logged-models/search-pagination",
         "search_logged_models' next-page token skips a model at each page boundary.",
         search_logged_models=_after("search_logged_models", _lm_token_skips))
_variant("logged-model-search-first-experiment", "logged-models/search-experiment-scope",
         "search_logged_models searches the first experiment only.",
         search_logged_models=_before("search_logged_models", lambda self, a, k: ([a[0][:1]] + a[1:], k)))
_variant("logged-model-default-order-oldest", "logged-models/search-default-order",
         "search_logged_models without order_by returns the oldest model first.",
         search_logged_models=_before("search_logged_models", lambda self, a, k: (a, {**k, "order_by": k.get(
             "order_by") or [{"field_name": "creation_timestamp", "ascending": True}]})))


def _lm_filter_dropping(pattern):
    def change(self, a, k):
        return _with_arg(a, k, 1, "filter_string", _drop_clauses(_arg(a, k, 1, "filter_string"), pattern))
    return _before("search_logged_models", change)


_variant("logged-model-name-filter-ignored", "logged-models/search-filter-name",
         "search_logged_models ignores name conditions.", search_logged_models=_lm_filter_dropping(r"^\s*name"))
_variant("logged-model-metric-filter-ignored", "logged-models/search-filter-metric",
         "search_logged_models ignores metric conditions.", search_logged_models=_lm_filter_dropping(r"metrics\."))
_variant("logged-model-param-filter-ignored", "logged-models/search-filter-param",
         "search_logged_models ignores param conditions.", search_logged_models=_lm_filter_dropping(r"params\."))
_variant("logged-model-tag-filter-ignored", "logged-models/search-filter-tag",
         "search_logged_models ignores tag conditions.", search_logged_models=_lm_filter_dropping(r"tags\."))
_variant("logged-model-datasets-ignored", "logged-models/search-datasets",
         "search_logged_models ignores the datasets argument.",
         search_logged_models=_before("search_logged_models", lambda self, a, k: (a[:2], {
             key: v for key, v in k.items() if key != "datasets"})))
_variant("logged-model-metric-order-ignored", "logged-models/search-order-by-metric",
         "search_logged_models ignores ordering by metrics.",
         search_logged_models=_before("search_logged_models", lambda self, a, k: (a, {**k, "order_by": [
             o for o in (k.get("order_by") or []) if not o["field_name"].startswith("metrics.")] or None})))
_variant("logged-model-order-ignored", "logged-models/search-order-by-name",
         "search_logged_models ignores order_by.",
         search_logged_models=_before("search_logged_models", lambda self, a, k: (a, {**k, "order_by": None})))
_variant("logged-model-invalid-filter-accepted", "logged-models/search-invalid-filter",
         "search_logged_models answers an invalid filter with no models.",
         search_logged_models=_swallow("search_logged_models", when=("INVALID_PARAMETER_VALUE",),
                                       result=lambda: PagedList([], None)))

# == evaluation datasets =========================================================================================

_variant("dataset-name-replaced", "evaluation-datasets/create-get", "create_dataset ignores the given name.",
         create_dataset=_before("create_dataset", lambda self, a, k: ([f"dataset-{uuid.uuid4().hex[:8]}"] + a[1:], k)))
_variant("dataset-drops-tags", "evaluation-datasets/create-tags", "create_dataset drops the tags.",
         create_dataset=_before("create_dataset", lambda self, a, k: (a[:1], {**k, "tags": None})))
_variant("unknown-dataset-400", "evaluation-datasets/get-unknown",
         "get_dataset answers an unknown id with INVALID_PARAMETER_VALUE.", get_dataset=_recode("get_dataset"))
_variant("dataset-delete-noop", "evaluation-datasets/delete", "delete_dataset does nothing.", delete_dataset=_noop())


def _replace_tags(self, dataset_id, tags):
    for key in list(self.get_dataset(dataset_id).tags):
        if key not in tags and not key.startswith("mlflow."):
            self.delete_dataset_tag(dataset_id, key)
    return SqlAlchemyStore.set_dataset_tags(self, dataset_id, tags)


_variant("dataset-tags-replaced", "evaluation-datasets/set-tags-merges",
         "set_dataset_tags replaces the tags instead of merging.", set_dataset_tags=_replace_tags)
_variant("dataset-tag-delete-noop", "evaluation-datasets/delete-tag", "delete_dataset_tag does nothing.",
         delete_dataset_tag=_noop())
_variant("dataset-tags-unknown-silent", "evaluation-datasets/set-tags-unknown",
         "set_dataset_tags on an unknown dataset succeeds silently.", set_dataset_tags=_swallow("set_dataset_tags"))
_variant("dataset-first-experiment-only", "evaluation-datasets/experiment-ids",
         "create_dataset links only the first experiment.",
         create_dataset=_before("create_dataset", lambda self, a, k: (a[:1], {
             **k, "experiment_ids": (k.get("experiment_ids") or [])[:1]})))
_variant("dataset-add-experiments-noop", "evaluation-datasets/add-to-experiments",
         "add_dataset_to_experiments does nothing.", add_dataset_to_experiments=_noop())
_variant("dataset-remove-experiments-noop", "evaluation-datasets/remove-from-experiments",
         "remove_dataset_from_experiments does nothing.", remove_dataset_from_experiments=_noop())
_variant("dataset-add-unknown-silent", "evaluation-datasets/add-to-unknown-dataset",
         "add_dataset_to_experiments for an unknown dataset succeeds silently.",
         add_dataset_to_experiments=_swallow("add_dataset_to_experiments"))
_variant("dataset-upsert-counts-swapped", "evaluation-datasets/records-insert",
         "upsert_dataset_records reports inserted records as updated.",
         upsert_dataset_records=_after("upsert_dataset_records", lambda r, *a, **k: {
             "inserted": r["updated"], "updated": r["inserted"]}))
_variant("dataset-records-drop-expectations", "evaluation-datasets/records-round-trip",
         "upsert_dataset_records drops the expectations.",
         upsert_dataset_records=_before("upsert_dataset_records", lambda self, a, k: ([a[0], [
             {key: v for key, v in r.items() if key != "expectations"} for r in a[1]]], k)))


def _upsert_keeps_existing(self, dataset_id, records):
    existing = {json.dumps(r.inputs, sort_keys=True) for r in self._load_dataset_records(dataset_id, None)[0]}
    fresh = [r for r in records if json.dumps(r.get("inputs", {}), sort_keys=True) not in existing]
    result = SqlAlchemyStore.upsert_dataset_records(self, dataset_id, fresh)
    return {"inserted": result["inserted"], "updated": len(records) - len(fresh)}


_variant("dataset-upsert-keeps-old-record", "evaluation-datasets/records-upsert-updates",
         "upsert_dataset_records reports a known record as updated but keeps the old one.",
         upsert_dataset_records=_upsert_keeps_existing)
_variant("dataset-records-delete-noop", "evaluation-datasets/records-delete",
         "delete_dataset_records deletes nothing (and reports success).",
         delete_dataset_records=_noop(lambda dataset_id, ids: len(ids)))
_variant("dataset-records-unknown-silent", "evaluation-datasets/records-of-unknown-dataset",
         "upsert_dataset_records into an unknown dataset succeeds with nothing stored.",
         upsert_dataset_records=_swallow("upsert_dataset_records", when=("RESOURCE_DOES_NOT_EXIST", "BAD_REQUEST"),
                                         result=lambda: {"inserted": 0, "updated": 0}))


def _checked_upsert(self, dataset_id, records):
    self.get_dataset(dataset_id)
    return SqlAlchemyStore.upsert_dataset_records(self, dataset_id, records)


_variant("dataset-records-checked", "evaluation-datasets/records-of-unknown-dataset",
         "MLflow's SQL store with upsert_dataset_records checking the dataset first (as the example plugin does).",
         registry=CORRECT_EXTENSIONS, upsert_dataset_records=_checked_upsert)
_variant("dataset-search-experiments-ignored", "evaluation-datasets/search-by-experiment",
         "search_datasets ignores experiment_ids.",
         search_datasets=_before("search_datasets", lambda self, a, k: ([], {**k, "experiment_ids": None})))


def _ds_filter_ignored(self, a, k):
    return [], {key: v for key, v in k.items() if key != "filter_string"}


_variant("dataset-name-filter-ignored", "evaluation-datasets/search-by-name", "search_datasets ignores the filter.",
         search_datasets=_before("search_datasets", _ds_filter_ignored))
_variant("dataset-tag-filter-ignored", "evaluation-datasets/search-by-tag", "search_datasets ignores tag filters.",
         search_datasets=_before("search_datasets", lambda self, a, k: ([], {**k, "filter_string": _drop_clauses(
             k.get("filter_string"), r"tags\.")})))


def _ds_token_skips(page, *a, **k):
    if page.token:
        page = PagedList(list(page), SearchUtils.create_page_token(
            SearchUtils.parse_start_offset_from_page_token(page.token) + 1))
    return page


_variant("dataset-pagination-off-by-one", "evaluation-datasets/search-pagination",
         "search_datasets' next-page token skips a dataset at each page boundary.",
         search_datasets=_after("search_datasets", _ds_token_skips))
_variant("dataset-order-ignored", "evaluation-datasets/search-order-by-name", "search_datasets ignores order_by.",
         search_datasets=_before("search_datasets", lambda self, a, k: ([], {**k, "order_by": None})))
_variant("dataset-invalid-filter-accepted", "evaluation-datasets/search-invalid-filter",
         "search_datasets answers an invalid filter with no datasets.",
         search_datasets=_swallow("search_datasets", when=("INVALID_PARAMETER_VALUE",),
                                  result=lambda: PagedList([], None)))

# == scorers =====================================================================================================


def _int_experiment(version, *a, **k):
    version = copy.copy(version)
    version._experiment_id = int(version._experiment_id)
    return version


_variant("scorer-experiment-id-int", "scorers/register-and-get", "get_scorer returns the experiment id as a number.",
         get_scorer=_after("get_scorer", _int_experiment))


def _register_overwrites(self, experiment_id, name, serialized_scorer):
    try:
        self.delete_scorer(experiment_id, name)
    except MlflowException:
        pass
    return SqlAlchemyStore.register_scorer(self, experiment_id, name, serialized_scorer)


_variant("scorer-register-overwrites", "scorers/versions-increment",
         "register_scorer replaces the scorer (always version 1).", register_scorer=_register_overwrites)
_variant("scorer-version-ignored", "scorers/get-version", "get_scorer ignores the version.",
         get_scorer=lambda self, experiment_id, name, version=None: SqlAlchemyStore.get_scorer(self, experiment_id,
                                                                                               name))
_variant("scorer-list-all-versions", "scorers/list-latest", "list_scorers lists every version.",
         list_scorers=lambda self, experiment_id: [v for s in SqlAlchemyStore.list_scorers(self, experiment_id)
                                                   for v in self.list_scorer_versions(experiment_id, s.scorer_name)])
_variant("scorer-versions-latest-only", "scorers/list-versions", "list_scorer_versions lists only the latest.",
         list_scorer_versions=lambda self, experiment_id, name: [self.get_scorer(experiment_id, name)])
_variant("scorer-across-first-experiment", "scorers/list-across-experiments",
         "list_scorers_across_experiments lists the first experiment only.",
         list_scorers_across_experiments=_before("list_scorers_across_experiments", lambda self, a, k: ([a[0][:1]], k)))
_variant("scorer-delete-version-deletes-all", "scorers/delete-version", "delete_scorer ignores the version.",
         delete_scorer=lambda self, experiment_id, name, version=None: SqlAlchemyStore.delete_scorer(
             self, experiment_id, name))
_variant("scorer-delete-latest-only", "scorers/delete-all-versions",
         "delete_scorer without a version deletes only the latest.",
         delete_scorer=lambda self, experiment_id, name, version=None: SqlAlchemyStore.delete_scorer(
             self, experiment_id, name, version or self.get_scorer(experiment_id, name).scorer_version))
_variant("unknown-scorer-400", "scorers/get-unknown", "get_scorer answers an unknown scorer with "
         "INVALID_PARAMETER_VALUE.", get_scorer=_recode("get_scorer"))
_variant("scorer-blank-name-defaulted", "scorers/invalid-name", "register_scorer names a blank-named scorer "
         "'scorer'.", register_scorer=_before("register_scorer", lambda self, a, k: (
             [a[0], a[1].strip() or "scorer", a[2]], k)))
_variant("online-configs-placeholders", "scorers/online-configs-none",
         "get_online_scoring_configs returns a placeholder for each scorer.",
         get_online_scoring_configs=lambda self, scorer_ids: [None for _ in scorer_ids])
_variant("online-config-any-scorer", "scorers/online-config-needs-gateway-model",
         "upsert_online_scoring_config accepts scorers without a gateway model.",
         upsert_online_scoring_config=_swallow("upsert_online_scoring_config", when=("INVALID_PARAMETER_VALUE",)))


def _existing_experiments(self, experiment_ids):
    found = []
    for experiment_id in experiment_ids:
        try:
            self.get_experiment(experiment_id)
            found.append(experiment_id)
        except MlflowException:
            pass
    return found


_variant("active-experiments-keeps-deleted", "scorers/filter-active-experiments",
         "filter_active_experiment_ids keeps deleted experiments.", filter_active_experiment_ids=_existing_experiments)

# == label schemas, issues, review queues ========================================================================

_variant("label-schema-drops-instruction", "label-schemas/create-get", "create_label_schema drops the instruction.",
         create_label_schema=_before("create_label_schema", lambda self, a, k: (a, {**k, "instruction": None})))
_variant("label-schema-by-name-title-cased", "label-schemas/get-by-name",
         "get_label_schema_by_name looks the name up title-cased ('quality' as 'Quality').",
         get_label_schema_by_name=lambda self, experiment_id, name: SqlAlchemyStore.get_label_schema_by_name(
             self, experiment_id, name.title()))


def _schema_get_or_create(self, experiment_id, **kwargs):
    try:
        return SqlAlchemyStore.create_label_schema(self, experiment_id, **kwargs)
    except MlflowException as exc:
        if exc.error_code != "RESOURCE_ALREADY_EXISTS":
            raise
        return self.get_label_schema_by_name(experiment_id, kwargs["name"])


_variant("label-schema-duplicate-returns-existing", "label-schemas/duplicate-name",
         "create_label_schema with a taken name returns the existing schema.",
         create_label_schema=_schema_get_or_create)
_variant("label-schema-list-one-page", "label-schemas/list",
         "list_label_schemas returns one schema and no page token.",
         list_label_schemas=lambda self, experiment_id, max_results=100, page_token=None: PagedList(
             list(SqlAlchemyStore.list_label_schemas(self, experiment_id, 1)), None))
_variant("label-schema-update-ignores-comment", "label-schemas/update",
         "update_label_schema ignores enable_comment.",
         update_label_schema=_before("update_label_schema", lambda self, a, k: (a, {**k, "enable_comment": None})))
_variant("label-schema-delete-noop", "label-schemas/delete", "delete_label_schema does nothing.",
         delete_label_schema=_noop())
_variant("unknown-label-schema-400", "label-schemas/get-unknown",
         "get_label_schema answers an unknown id with INVALID_PARAMETER_VALUE.",
         get_label_schema=_recode("get_label_schema"))
_variant("issue-drops-severity", "issues/create-get", "create_issue drops the severity.",
         create_issue=_before("create_issue", lambda self, a, k: (a, {**k, "severity": None})))
_variant("issue-update-ignores-status", "issues/update", "update_issue ignores the status.",
         update_issue=_before("update_issue", lambda self, a, k: (a[:1], {**k, "status": None})))
_variant("unknown-issue-400", "issues/get-unknown", "get_issue answers an unknown id with INVALID_PARAMETER_VALUE.",
         get_issue=_recode("get_issue"))
_variant("issue-search-all-experiments", "issues/search-experiment", "search_issues ignores the experiment.",
         search_issues=_before("search_issues", lambda self, a, k: ([], {**k, "experiment_id": None})))
_variant("issue-search-filter-ignored", "issues/search-status", "search_issues ignores the filter.",
         search_issues=_before("search_issues", lambda self, a, k: (a, {**k, "filter_string": None})))
_variant("review-queue-first-user-only", "review-queues/create-get", "create_review_queue keeps only the first user.",
         create_review_queue=_before("create_review_queue", lambda self, a, k: (a, {
             **k, "users": (k.get("users") or [])[:1]})))


def _queue_by_name_missing(self, experiment_id, *, name):
    raise MlflowException(f"Review queue {name!r} not found", RESOURCE_DOES_NOT_EXIST)


_variant("review-queue-by-name-missing", "review-queues/get-by-name",
         "get_review_queue_by_name never finds a queue.", get_review_queue_by_name=_queue_by_name_missing)


def _queue_get_or_create(self, experiment_id, **kwargs):
    try:
        return SqlAlchemyStore.create_review_queue(self, experiment_id, **kwargs)
    except MlflowException as exc:
        if exc.error_code != "RESOURCE_ALREADY_EXISTS":
            raise
        return self.get_review_queue_by_name(experiment_id, name=kwargs["name"])


_variant("review-queue-duplicate-returns-existing", "review-queues/duplicate-name",
         "create_review_queue with a taken name returns the existing queue.", create_review_queue=_queue_get_or_create)
_variant("review-queue-list-ignores-user", "review-queues/list-by-user", "list_review_queues ignores the user.",
         list_review_queues=_before("list_review_queues", lambda self, a, k: (a, {**k, "user": None})))
_variant("user-queue-always-new", "review-queues/user-queue",
         "get_or_create_user_queue creates a new queue each time.",
         get_or_create_user_queue=lambda self, experiment_id, *, user: self.create_review_queue(
             experiment_id, name=f"{user}-{uuid.uuid4().hex[:8]}", queue_type="custom", users=[user]))
_variant("review-queue-update-ignores-users", "review-queues/update", "update_review_queue ignores the users.",
         update_review_queue=_before("update_review_queue", lambda self, a, k: (a, {**k, "users": None})))
_variant("review-queue-delete-noop", "review-queues/delete", "delete_review_queue does nothing.",
         delete_review_queue=_noop())
_variant("unknown-review-queue-400", "review-queues/get-unknown",
         "get_review_queue answers an unknown id with INVALID_PARAMETER_VALUE.",
         get_review_queue=_recode("get_review_queue"))
_variant("review-queue-adds-first-item", "review-queues/items-added-pending",
         "add_items_to_review_queue adds only the first item.",
         add_items_to_review_queue=_before("add_items_to_review_queue", lambda self, a, k: (a, {
             **k, "item_ids": k["item_ids"][:1]})))
_variant("review-item-status-noop", "review-queues/item-status", "set_review_queue_item_status does nothing.",
         set_review_queue_item_status=_noop())


def _remove_all_items(self, queue_id, *, item_ids):
    every = [i.item_id for i in self.list_review_queue_items(queue_id)]
    return SqlAlchemyStore.remove_items_from_review_queue(self, queue_id, item_ids=every)


_variant("review-queue-removes-all-items", "review-queues/items-removed",
         "remove_items_from_review_queue empties the queue.", remove_items_from_review_queue=_remove_all_items)

# == gateway =====================================================================================================

_PLAINTEXT: dict[str, dict] = {}


def _secret_kept_plain(self, secret_name, secret_value, *args, **kwargs):
    info = SqlAlchemyStore.create_gateway_secret(self, secret_name, secret_value, *args, **kwargs)
    _PLAINTEXT[info.secret_id] = dict(secret_value)
    return info


def _secret_info_plain(info, *a, **k):
    return _set(info, "masked_values", _PLAINTEXT.get(info.secret_id, info.masked_values))


_variant("gateway-secret-readable", "gateway/secret-masked",
         "get_secret_info returns the secret's value instead of a masked one.",
         create_gateway_secret=_secret_kept_plain, get_secret_info=_after("get_secret_info", _secret_info_plain))
_variant("gateway-secrets-provider-list-empty", "gateway/secret-by-name-and-list",
         "list_secret_infos returns nothing when filtered by provider.",
         list_secret_infos=lambda self, provider=None: [] if provider else SqlAlchemyStore.list_secret_infos(self))
_variant("gateway-secret-delete-noop", "gateway/secret-update-and-delete", "delete_gateway_secret does nothing.",
         delete_gateway_secret=_noop())
_variant("gateway-model-update-ignores-model", "gateway/model-definition-round-trip",
         "update_gateway_model_definition ignores the model name.",
         update_gateway_model_definition=_before("update_gateway_model_definition", lambda self, a, k: (a, {
             **k, "model_name": None})))
_variant("gateway-model-delete-in-use-silent", "gateway/model-definition-in-use",
         "delete_gateway_model_definition of a definition in use succeeds silently.",
         delete_gateway_model_definition=_swallow("delete_gateway_model_definition", when=("INVALID_STATE",)))


def _endpoint_by_id_only(self, endpoint_id=None, name=None):
    return SqlAlchemyStore.get_gateway_endpoint(self, endpoint_id)


_variant("gateway-endpoint-by-id-only", "gateway/endpoint-round-trip",
         "get_gateway_endpoint ignores a name and looks up by id only.", get_gateway_endpoint=_endpoint_by_id_only)
_variant("gateway-endpoint-rename-ignored", "gateway/endpoint-update-and-delete",
         "update_gateway_endpoint ignores the name.",
         update_gateway_endpoint=_before("update_gateway_endpoint", lambda self, a, k: (a[:1], {**k, "name": None})))
_variant("gateway-detach-noop", "gateway/endpoint-models", "detach_model_from_endpoint does nothing.",
         detach_model_from_endpoint=_noop())
_variant("gateway-endpoint-tag-delete-noop", "gateway/endpoint-tags", "delete_gateway_endpoint_tag does nothing.",
         delete_gateway_endpoint_tag=_noop())
_variant("gateway-binding-delete-noop", "gateway/endpoint-bindings", "delete_endpoint_binding does nothing.",
         delete_endpoint_binding=_noop())
_variant("unknown-gateway-endpoint-400", "gateway/get-unknown-endpoint",
         "get_gateway_endpoint answers an unknown id with INVALID_PARAMETER_VALUE.",
         get_gateway_endpoint=_recode("get_gateway_endpoint"))
_variant("gateway-cost-none", "gateway/trace-cost-empty", "sum_gateway_trace_cost returns None for no traces.",
         sum_gateway_trace_cost=_after("sum_gateway_trace_cost", lambda r, *a, **k: r or None))
_variant("gateway-guardrail-delete-noop", "gateway/guardrail-round-trip", "delete_gateway_guardrail does nothing.",
         delete_gateway_guardrail=_noop())
_variant("gateway-guardrail-order-ignored", "gateway/endpoint-guardrails",
         "update_endpoint_guardrail_config ignores the execution order.",
         update_endpoint_guardrail_config=_before("update_endpoint_guardrail_config", lambda self, a, k: (
             a[:2], {**k, "execution_order": None})))
_variant("budget-amount-truncated", "gateway-budgets/create-get",
         "get_budget_policy returns the amount truncated to an integer.",
         get_budget_policy=_after("get_budget_policy", lambda r, *a, **k: _set(r, "budget_amount",
                                                                              float(int(r.budget_amount)))))
_variant("budget-update-ignores-amount", "gateway-budgets/update", "update_budget_policy ignores the amount.",
         update_budget_policy=_before("update_budget_policy", lambda self, a, k: (a[:1], {
             **k, "budget_amount": None})))
_variant("budget-delete-noop", "gateway-budgets/delete", "delete_budget_policy does nothing.",
         delete_budget_policy=_noop())

# == MCP servers =================================================================================================

_variant("mcp-server-drops-description", "mcp-servers/create-get", "create_mcp_server drops the description.",
         create_mcp_server=_before("create_mcp_server", lambda self, a, k: (a[:1], {**k, "description": None})))


def _mcp_name_repaired(self, name, *args, **kwargs):
    try:
        return SqlAlchemyStore.create_mcp_server(self, name, *args, **kwargs)
    except MlflowException as exc:
        if exc.error_code != "INVALID_PARAMETER_VALUE":
            raise
        return SqlAlchemyStore.create_mcp_server(self, f"org.auto/{name}", *args, **kwargs)


_variant("mcp-server-name-repaired", "mcp-servers/invalid-name",
         "create_mcp_server puts an invalid name under a default namespace instead of rejecting it.",
         create_mcp_server=_mcp_name_repaired)
_variant("mcp-server-update-ignored", "mcp-servers/update", "update_mcp_server ignores the description.",
         update_mcp_server=lambda self, name, **kwargs: self.get_mcp_server(name))
_variant("mcp-server-search-filter-ignored", "mcp-servers/search", "search_mcp_servers ignores the filter.",
         search_mcp_servers=_before("search_mcp_servers", lambda self, a, k: ([], {**k, "filter_string": None})))
_variant("mcp-server-delete-noop", "mcp-servers/delete", "delete_mcp_server does nothing.",
         delete_mcp_server=_noop())
_variant("mcp-server-tag-delete-noop", "mcp-servers/tags", "delete_mcp_server_tag does nothing.",
         delete_mcp_server_tag=_noop())
_variant("mcp-version-drops-description", "mcp-servers/version-round-trip",
         "create_mcp_server_version drops the description from server.json.",
         create_mcp_server_version=_before("create_mcp_server_version", lambda self, a, k: ([
             {key: v for key, v in a[0].items() if key != "description"}] + a[1:], k)))
_variant("mcp-latest-is-oldest", "mcp-servers/latest-version",
         "get_latest_mcp_server_version returns the oldest version.",
         get_latest_mcp_server_version=lambda self, name: sorted(self.search_mcp_server_versions(name),
                                                                 key=lambda v: v.version)[0])
_variant("mcp-version-status-ignored", "mcp-servers/version-update",
         "update_mcp_server_version ignores the status.",
         update_mcp_server_version=lambda self, name, version, **kwargs: self.get_mcp_server_version(name, version))
_variant("mcp-version-tag-delete-noop", "mcp-servers/version-tags", "delete_mcp_server_version_tag does nothing.",
         delete_mcp_server_version_tag=_noop())
_variant("mcp-alias-delete-noop", "mcp-servers/aliases", "delete_mcp_server_alias does nothing.",
         delete_mcp_server_alias=_noop())
_variant("mcp-version-delete-noop", "mcp-servers/delete-version", "delete_mcp_server_version does nothing.",
         delete_mcp_server_version=_noop())
_variant("mcp-access-endpoint-url-ignored", "mcp-servers/access-endpoints",
         "update_mcp_access_endpoint ignores the url.",
         update_mcp_access_endpoint=lambda self, server_name, endpoint_id, **kwargs: self.get_mcp_access_endpoint(
             server_name, endpoint_id))

_MCP_LINKS: dict[str, list] = {}


def _link_mcp(self, trace_id, mcp_servers):
    self.get_trace_info(trace_id)
    _MCP_LINKS.setdefault(trace_id, []).extend(mcp_servers)


_variant("mcp-trace-links", "mcp-servers/link-to-trace",
         "MLflow's SQL store plus correct (in-memory, one process) MCP server links on traces.",
         registry=CORRECT_EXTENSIONS, link_mcp_server_versions_to_trace=_link_mcp,
         get_mcp_server_versions_for_trace=lambda self, trace_id: list(_MCP_LINKS.get(trace_id, [])))
_variant("mcp-trace-links-lost", "mcp-servers/link-to-trace",
         "link_mcp_server_versions_to_trace accepts links that get_mcp_server_versions_for_trace never returns.",
         link_mcp_server_versions_to_trace=_link_mcp, get_mcp_server_versions_for_trace=lambda self, trace_id: [])

#: Variants the trace differential machine (tracking_store/differential/traces) must catch as well.
CAUGHT_BY_TRACE_MACHINE = ["trace-pagination-off-by-one", "delete-traces-newest-first",
                           "override-keeps-original-valid"]
