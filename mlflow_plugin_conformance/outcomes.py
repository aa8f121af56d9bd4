"""The one way a clause says it did not pass or fail: its outcome travels as data, never as message text.

A clause ends in one of these outcomes:

- ``passed`` / ``failed``: pytest's own verdict on the clause body;
- ``unsupported``: the plugin does not offer an optional feature. Either it said so (NotImplementedError or
  MLflow's ``NOT_IMPLEMENTED`` from an optional clause; the harness turns that into this outcome), it was
  declared (``mlflow_conformance_unsupported``), or a clause found it missing and called :func:`unsupported`;
- ``known-failure``: declared with a reason (``mlflow_conformance_known_failures``); strict, so an unexpected
  pass fails;
- ``not-applicable``: the clause cannot mean anything here (the installed MLflow predates it, the platform lacks
  what it needs): :func:`not_applicable`;
- ``not-run``: the clause could not check anything for a reason that is not the plugin's defect (the target did
  not build, a provider is not in context): :func:`not_run`;
- ``blocked``: a prerequisite of the clause is itself broken, and that other clause reports it:
  :func:`blocked_by`. The report shows the blocking clause, so one bug reads as one failure.

Each helper raises :class:`ClauseOutcome`, a pytest skip that carries the outcome as attributes. The harness
reads them from the exception in ``pytest_runtest_makereport`` and records them in the report's
``user_properties`` (which pytest-xdist carries from workers), so no outcome is ever parsed out of a message.
"""

from __future__ import annotations

from typing import NoReturn

import pytest

PASSED = "passed"
FAILED = "failed"
UNSUPPORTED = "unsupported"
KNOWN_FAILURE = "known-failure"
NOT_APPLICABLE = "not-applicable"
NOT_RUN = "not-run"
BLOCKED = "blocked"
OUTCOMES = (PASSED, FAILED, UNSUPPORTED, KNOWN_FAILURE, NOT_APPLICABLE, NOT_RUN, BLOCKED)


class ClauseOutcome(pytest.skip.Exception):
    """A clause ended with ``outcome`` (not passed, not failed); ``why`` says so in words.

    ``feature`` names the optional feature an ``unsupported`` outcome is about; ``blocked_by`` the clause id
    whose failure kept this clause from checking anything.
    """

    # pytest's short summary (-rs, -rA) prints a skip as "<where>: <message>". These make it the clause's own
    # location and "<outcome>: <why>", as for pytest's own skips, not this module's line and the class's dotted name.
    __module__ = "builtins"
    __qualname__ = "Skipped"

    def __init__(self, outcome: str, why: str, *, feature: str | None = None, blocked_by: str | None = None):
        if outcome not in OUTCOMES or outcome in (PASSED, FAILED, KNOWN_FAILURE):
            raise ValueError(f"a clause cannot end early with outcome {outcome!r}")
        super().__init__(why if why.startswith(outcome) else f"{outcome}: {why}", _use_item_location=True)
        self.outcome = outcome
        self.why = why
        self.feature = feature
        self.blocked_by = blocked_by


def unsupported(feature: str | None, why: str) -> NoReturn:
    """End the clause as *unsupported*: the plugin does not offer ``feature`` (``"kind.feature"``), as ``why``
    says (e.g. "the repository has no presigned download").  Only for optional behaviour: a core clause that finds
    something missing fails instead."""
    raise ClauseOutcome(UNSUPPORTED, why, feature=feature)


def not_applicable(why: str) -> NoReturn:
    """End the clause as *not-applicable*: it cannot mean anything in this environment (``why`` says why)."""
    raise ClauseOutcome(NOT_APPLICABLE, why)


def not_run(why: str) -> NoReturn:
    """End the clause as *not-run*: nothing was checked, for a reason that is not a defect of the plugin."""
    raise ClauseOutcome(NOT_RUN, why)


def blocked_by(clause_id: str, why: str) -> NoReturn:
    """End the clause as *blocked* by ``clause_id``: a prerequisite it needs is broken, and ``clause_id`` (which
    reports that failure) is where to look.  One bug then reads as one failure, not as a wall of red."""
    raise ClauseOutcome(BLOCKED, f"blocked by {clause_id}: {why}", blocked_by=clause_id)


def recorded_outcome(exc: BaseException | None) -> ClauseOutcome | None:
    """The :class:`ClauseOutcome` a phase ended with, or None when it ended otherwise."""
    return exc if isinstance(exc, ClauseOutcome) else None


def is_not_implemented(exc: BaseException) -> bool:
    """True for NotImplementedError and for MLflow's NOT_IMPLEMENTED error (HTTP 501), however raised."""
    if isinstance(exc, NotImplementedError):
        return True
    if getattr(exc, "error_code", None) == "NOT_IMPLEMENTED":
        return True
    # MLflow's HTTP clients (the mlflow-artifacts repository) raise requests' HTTPError for an answer they do
    # not turn into an MlflowException: a 501 is the server saying NOT_IMPLEMENTED
    return getattr(getattr(exc, "response", None), "status_code", None) == 501


def classify(when: str, report_outcome: str, was_xfail: bool, ended_with: ClauseOutcome | None) -> str | None:
    """The clause outcome one pytest report phase says (None: this phase says nothing new).

    A plain ``pytest.skip`` with no outcome attached (a user's own skip) counts as *not-run*.
    """
    if was_xfail:
        # pytest marks an expected failure as 'skipped' with wasxfail; a strict unexpected pass is 'failed'.
        return KNOWN_FAILURE if report_outcome == "skipped" else FAILED
    if report_outcome == "failed":
        return FAILED
    if report_outcome == "skipped":
        return ended_with.outcome if ended_with is not None else NOT_RUN
    if report_outcome == "passed" and when == "call":
        return PASSED
    return None
