"""Assessments: feedback and expectations on traces and spans (level full, feature ``tracking_store.assessments``).

``mlflow.log_feedback`` / ``mlflow.log_expectation``, the review app and ``mlflow.genai.evaluate`` write
assessments through ``create_assessment``; ``mlflow.override_feedback`` creates one that *overrides* another
(the older becomes invalid); ``update_assessment`` edits in place, ``delete_assessment`` removes (and restores an
overridden one). Each clause checks one of these behaviours as MLflow's ``SqlAlchemyStore`` implements it.
"""

from __future__ import annotations

import uuid

from .._support import raises_mlflow_error
from ..base import clause
from ._genai import ASSESSMENTS, SpanSpec, log_trace, new_trace, search_trace_ids
from ._helpers import new_experiment


def _source(kind: str = "HUMAN", source_id: str = "alice"):
    from mlflow.entities import AssessmentSource

    return AssessmentSource(source_type=kind, source_id=source_id)


def _feedback(trace_id, name="quality", value=0.75, **kwargs):
    from mlflow.entities import Feedback

    kwargs.setdefault("source", _source())
    return Feedback(name=name, value=value, trace_id=trace_id, **kwargs)


def _expectation(trace_id, name="expected_answer", value=None, **kwargs):
    from mlflow.entities import Expectation

    kwargs.setdefault("source", _source())
    return Expectation(name=name, value={"answer": 4, "facts": ["a", "b"]} if value is None else value,
                       trace_id=trace_id, **kwargs)


def _trace(store):
    return new_trace(store, new_experiment(store))


class AssessmentClauses:
    """Clauses of the ``tracking_store/assessments/*`` family."""

    @clause("tracking_store/assessments/feedback-round-trip", level="full", feature=ASSESSMENTS, since="3.2")
    def test_assessments_feedback_round_trip(self, tracking_store):
        """create_assessment stores feedback; get_assessment returns its name, value, rationale, trace and
        source."""
        trace_id = _trace(tracking_store)
        created = tracking_store.create_assessment(_feedback(trace_id, rationale="good enough"))
        got = tracking_store.get_assessment(trace_id, created.assessment_id)
        view = (got.name, got.value, got.rationale, got.trace_id, got.source.source_type, got.source.source_id)
        assert view == ("quality", 0.75, "good enough", trace_id, "HUMAN", "alice"), f"feedback read back {view}"

    @clause("tracking_store/assessments/create-returns-id", level="full", feature=ASSESSMENTS, since="3.2")
    def test_assessments_create_returns_id(self, tracking_store):
        """create_assessment returns the assessment with a new assessment id and its creation time."""
        created = tracking_store.create_assessment(_feedback(_trace(tracking_store)))
        assert created.assessment_id, "create_assessment must return the assessment with its id"
        assert created.create_time_ms, "create_assessment must return the assessment with its creation time"

    @clause("tracking_store/assessments/expectation-round-trip", level="full", feature=ASSESSMENTS, since="3.2")
    def test_assessments_expectation_round_trip(self, tracking_store):
        """An expectation with a structured value (nested objects and lists) is read back with that value."""
        trace_id = _trace(tracking_store)
        created = tracking_store.create_assessment(_expectation(trace_id))
        got = tracking_store.get_assessment(trace_id, created.assessment_id)
        assert (got.name, got.value) == ("expected_answer", {"answer": 4, "facts": ["a", "b"]}), (
            f"expectation read back as {(got.name, got.value)}")

    @clause("tracking_store/assessments/feedback-value-types", level="full", feature=ASSESSMENTS, since="3.2")
    def test_assessments_feedback_value_types(self, tracking_store):
        """Feedback values keep their type: a boolean, a string, an integer and a list come back as such."""
        trace_id = _trace(tracking_store)
        values = {"b": True, "s": "yes", "i": 3, "l": ["x", 1]}
        ids = {k: tracking_store.create_assessment(_feedback(trace_id, name=k, value=v)).assessment_id
               for k, v in values.items()}
        got = {k: tracking_store.get_assessment(trace_id, i).value for k, i in ids.items()}
        assert got == values and type(got["b"]) is bool, f"feedback values read back {got}"

    @clause("tracking_store/assessments/feedback-error", level="full", feature=ASSESSMENTS, since="3.2")
    def test_assessments_feedback_error(self, tracking_store):
        """Feedback that failed (an LLM judge that raised) keeps its error code and message and has no value."""
        from mlflow.entities.assessment_error import AssessmentError

        trace_id = _trace(tracking_store)
        error = AssessmentError(error_code="RATE_LIMITED", error_message="judge rate limited")
        created = tracking_store.create_assessment(_feedback(trace_id, value=None, error=error))
        got = tracking_store.get_assessment(trace_id, created.assessment_id)
        view = (got.value, got.error.error_code if got.error else None, got.error.error_message if got.error else None)
        assert view == (None, "RATE_LIMITED", "judge rate limited"), f"failed feedback read back {view}"

    @clause("tracking_store/assessments/span-attachment", level="full", feature=ASSESSMENTS, since="3.3")
    def test_assessments_span_attachment(self, tracking_store):
        """An assessment attached to a span keeps its span id."""
        experiment_id = new_experiment(tracking_store)
        trace_id = log_trace(tracking_store, experiment_id, [SpanSpec("root", 0x51, None, start_ns=10**18,
                                                                     end_ns=10**18 + 5)])
        created = tracking_store.create_assessment(_feedback(trace_id, span_id=f"{0x51:016x}"))
        assert tracking_store.get_assessment(trace_id, created.assessment_id).span_id == f"{0x51:016x}"

    @clause("tracking_store/assessments/metadata", level="full", feature=ASSESSMENTS, since="3.2")
    def test_assessments_metadata(self, tracking_store):
        """An assessment's metadata is read back."""
        trace_id = _trace(tracking_store)
        created = tracking_store.create_assessment(_feedback(trace_id, metadata={"judge": "v2", "ü": "ß"}))
        got = tracking_store.get_assessment(trace_id, created.assessment_id).metadata
        assert got == {"judge": "v2", "ü": "ß"}, f"assessment metadata read back {got}"

    @clause("tracking_store/assessments/listed-on-trace", level="full", feature=ASSESSMENTS, since="3.2")
    def test_assessments_listed_on_trace(self, tracking_store):
        """The trace's TraceInfo (get_trace_info) lists its assessments."""
        trace_id = _trace(tracking_store)
        ids = {tracking_store.create_assessment(_feedback(trace_id, name=f"f{i}")).assessment_id for i in range(2)}
        ids.add(tracking_store.create_assessment(_expectation(trace_id)).assessment_id)
        listed = {a.assessment_id for a in tracking_store.get_trace_info(trace_id).assessments}
        assert listed == ids, f"get_trace_info listed assessments {listed}, created {ids}"

    @clause("tracking_store/assessments/get-unknown", level="full", feature=ASSESSMENTS, since="3.2")
    def test_assessments_get_unknown(self, tracking_store):
        """get_assessment of an unknown assessment id raises RESOURCE_DOES_NOT_EXIST."""
        trace_id = _trace(tracking_store)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown assessment"):
            tracking_store.get_assessment(trace_id, "a-" + uuid.uuid4().hex)

    @clause("tracking_store/assessments/create-on-unknown-trace", level="full", feature=ASSESSMENTS, since="3.2")
    def test_assessments_create_on_unknown_trace(self, tracking_store):
        """create_assessment on a trace that does not exist raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="assessing an unknown trace"):
            tracking_store.create_assessment(_feedback("tr-" + uuid.uuid4().hex))

    # -- update ------------------------------------------------------------------------------------------------

    @clause("tracking_store/assessments/update-value", level="full", feature=ASSESSMENTS, since="3.2")
    def test_assessments_update_value(self, tracking_store):
        """update_assessment with a new feedback value changes the value and keeps the source."""
        from mlflow.entities.assessment import FeedbackValue

        trace_id = _trace(tracking_store)
        created = tracking_store.create_assessment(_feedback(trace_id, value=0.1))
        tracking_store.update_assessment(trace_id, created.assessment_id, feedback=FeedbackValue(0.9))
        got = tracking_store.get_assessment(trace_id, created.assessment_id)
        assert (got.value, got.source.source_id) == (0.9, "alice"), f"after update: {(got.value, got.source)}"

    @clause("tracking_store/assessments/update-expectation", level="full", feature=ASSESSMENTS, since="3.2")
    def test_assessments_update_expectation(self, tracking_store):
        """update_assessment with a new expectation value changes an expectation's value."""
        from mlflow.entities.assessment import ExpectationValue

        trace_id = _trace(tracking_store)
        created = tracking_store.create_assessment(_expectation(trace_id, value="four"))
        tracking_store.update_assessment(trace_id, created.assessment_id, expectation=ExpectationValue("4"))
        assert tracking_store.get_assessment(trace_id, created.assessment_id).value == "4"

    @clause("tracking_store/assessments/update-rationale-and-name", level="full", feature=ASSESSMENTS, since="3.2")
    def test_assessments_update_rationale_and_name(self, tracking_store):
        """update_assessment changes the name and rationale it is given and keeps the value."""
        trace_id = _trace(tracking_store)
        created = tracking_store.create_assessment(_feedback(trace_id, value=0.5, rationale="old"))
        tracking_store.update_assessment(trace_id, created.assessment_id, name="renamed", rationale="new")
        got = tracking_store.get_assessment(trace_id, created.assessment_id)
        assert (got.name, got.rationale, got.value) == ("renamed", "new", 0.5), (
            f"after update: {(got.name, got.rationale, got.value)}")

    @clause("tracking_store/assessments/update-merges-metadata", level="full", feature=ASSESSMENTS, since="3.2")
    def test_assessments_update_merges_metadata(self, tracking_store):
        """update_assessment merges the metadata it is given into the existing metadata (new keys win)."""
        trace_id = _trace(tracking_store)
        created = tracking_store.create_assessment(_feedback(trace_id, metadata={"a": "1", "b": "2"}))
        tracking_store.update_assessment(trace_id, created.assessment_id, metadata={"b": "3", "c": "4"})
        got = tracking_store.get_assessment(trace_id, created.assessment_id).metadata
        assert got == {"a": "1", "b": "3", "c": "4"}, f"metadata after update: {got}"

    @clause("tracking_store/assessments/update-wrong-kind", level="full", feature=ASSESSMENTS, since="3.2")
    def test_assessments_update_wrong_kind(self, tracking_store):
        """A feedback value given to update an expectation is rejected with INVALID_PARAMETER_VALUE."""
        from mlflow.entities.assessment import FeedbackValue

        trace_id = _trace(tracking_store)
        created = tracking_store.create_assessment(_expectation(trace_id))
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="updating an expectation with a feedback value"):
            tracking_store.update_assessment(trace_id, created.assessment_id, feedback=FeedbackValue(1.0))

    @clause("tracking_store/assessments/update-unknown", level="full", feature=ASSESSMENTS, since="3.2")
    def test_assessments_update_unknown(self, tracking_store):
        """update_assessment of an unknown assessment raises RESOURCE_DOES_NOT_EXIST."""
        trace_id = _trace(tracking_store)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="updating an unknown assessment"):
            tracking_store.update_assessment(trace_id, "a-" + uuid.uuid4().hex, rationale="x")

    # -- overrides and validity --------------------------------------------------------------------------------

    @clause("tracking_store/assessments/new-is-valid", level="full", feature=ASSESSMENTS, since="3.3")
    def test_assessments_new_is_valid(self, tracking_store):
        """A newly created assessment is valid."""
        trace_id = _trace(tracking_store)
        created = tracking_store.create_assessment(_feedback(trace_id))
        assert tracking_store.get_assessment(trace_id, created.assessment_id).valid is True

    @clause("tracking_store/assessments/override-invalidates", level="full", feature=ASSESSMENTS, since="3.3")
    def test_assessments_override_invalidates(self, tracking_store):
        """An assessment created with ``overrides=<id>`` makes the overridden assessment invalid."""
        trace_id = _trace(tracking_store)
        original = tracking_store.create_assessment(_feedback(trace_id, value=0.2, source=_source("LLM_JUDGE", "j")))
        tracking_store.create_assessment(_feedback(trace_id, value=0.8, overrides=original.assessment_id))
        assert tracking_store.get_assessment(trace_id, original.assessment_id).valid is False

    @clause("tracking_store/assessments/override-records-link", level="full", feature=ASSESSMENTS, since="3.3")
    def test_assessments_override_records_link(self, tracking_store):
        """The overriding assessment is valid and names the assessment it overrides."""
        trace_id = _trace(tracking_store)
        original = tracking_store.create_assessment(_feedback(trace_id, value=0.2))
        newer = tracking_store.create_assessment(_feedback(trace_id, value=0.8, overrides=original.assessment_id))
        got = tracking_store.get_assessment(trace_id, newer.assessment_id)
        assert (got.overrides, got.valid) == (original.assessment_id, True), (
            f"overriding assessment read back with overrides={got.overrides!r}, valid={got.valid!r}")

    @clause("tracking_store/assessments/override-unknown", level="full", feature=ASSESSMENTS, since="3.3")
    def test_assessments_override_unknown(self, tracking_store):
        """Overriding an assessment that does not exist raises RESOURCE_DOES_NOT_EXIST."""
        trace_id = _trace(tracking_store)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="overriding an unknown assessment"):
            tracking_store.create_assessment(_feedback(trace_id, overrides="a-" + uuid.uuid4().hex))

    # -- delete ------------------------------------------------------------------------------------------------

    @clause("tracking_store/assessments/delete", level="full", feature=ASSESSMENTS, since="3.2")
    def test_assessments_delete(self, tracking_store):
        """delete_assessment removes the assessment: get_assessment then raises RESOURCE_DOES_NOT_EXIST."""
        trace_id = _trace(tracking_store)
        created = tracking_store.create_assessment(_feedback(trace_id))
        tracking_store.delete_assessment(trace_id, created.assessment_id)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted assessment"):
            tracking_store.get_assessment(trace_id, created.assessment_id)

    @clause("tracking_store/assessments/delete-idempotent", level="full", feature=ASSESSMENTS, since="3.2")
    def test_assessments_delete_idempotent(self, tracking_store):
        """delete_assessment of an assessment that is not there (already deleted) succeeds without error."""
        trace_id = _trace(tracking_store)
        created = tracking_store.create_assessment(_feedback(trace_id))
        tracking_store.delete_assessment(trace_id, created.assessment_id)
        tracking_store.delete_assessment(trace_id, created.assessment_id)

    @clause("tracking_store/assessments/delete-restores-overridden", level="full", feature=ASSESSMENTS,
            since="3.3")
    def test_assessments_delete_restores_overridden(self, tracking_store):
        """Deleting the overriding assessment makes the overridden one valid again."""
        trace_id = _trace(tracking_store)
        original = tracking_store.create_assessment(_feedback(trace_id, value=0.2))
        newer = tracking_store.create_assessment(_feedback(trace_id, value=0.8, overrides=original.assessment_id))
        tracking_store.delete_assessment(trace_id, newer.assessment_id)
        assert tracking_store.get_assessment(trace_id, original.assessment_id).valid is True

    # -- search ------------------------------------------------------------------------------------------------

    @clause("tracking_store/assessments/filter-feedback", level="full", feature=ASSESSMENTS, since="3.6")
    def test_assessments_filter_feedback(self, tracking_store):
        """The trace filter ``feedback.<name> = '<value>'`` returns the traces with such feedback."""
        experiment_id = new_experiment(tracking_store)
        good, bad = new_trace(tracking_store, experiment_id), new_trace(tracking_store, experiment_id)
        new_trace(tracking_store, experiment_id)
        tracking_store.create_assessment(_feedback(good, name="is_correct", value=True))
        tracking_store.create_assessment(_feedback(bad, name="is_correct", value=False))
        got = search_trace_ids(tracking_store, [experiment_id], "feedback.is_correct = 'true'")
        assert got == {good}, f"feedback.is_correct = 'true' found {got}, expected {{{good!r}}}"

    @clause("tracking_store/assessments/filter-ignores-overridden", level="full", feature=ASSESSMENTS,
            since="3.12")
    def test_assessments_filter_ignores_overridden(self, tracking_store):
        """A feedback filter matches valid assessments only: feedback that was overridden no longer matches."""
        experiment_id = new_experiment(tracking_store)
        trace_id = new_trace(tracking_store, experiment_id)
        original = tracking_store.create_assessment(_feedback(trace_id, name="is_correct", value=True))
        tracking_store.create_assessment(_feedback(trace_id, name="is_correct", value=False,
                                                   overrides=original.assessment_id))
        got = search_trace_ids(tracking_store, [experiment_id], "feedback.is_correct = 'true'")
        assert got == set(), f"overridden feedback still matched: {got}"

    @clause("tracking_store/assessments/filter-numeric-feedback", level="full", feature=ASSESSMENTS, since="3.16")
    def test_assessments_filter_numeric_feedback(self, tracking_store):
        """The trace filter ``feedback.<name> > <number>`` compares numeric feedback values."""
        experiment_id = new_experiment(tracking_store)
        high, low = new_trace(tracking_store, experiment_id), new_trace(tracking_store, experiment_id)
        tracking_store.create_assessment(_feedback(high, name="score", value=0.9))
        tracking_store.create_assessment(_feedback(low, name="score", value=0.3))
        got = search_trace_ids(tracking_store, [experiment_id], "feedback.score > 0.5")
        assert got == {high}, f"feedback.score > 0.5 found {got}"
