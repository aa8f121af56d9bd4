"""Issues (level full, feature ``tracking_store.issues``): problems found in an experiment's traces (by people or
by MLflow's issue discovery), with a status and severity. Each clause checks one behaviour as MLflow's
``SqlAlchemyStore`` implements it.
"""

from __future__ import annotations

import uuid

from .._support import raises_mlflow_error
from ..base import clause
from ._genai import ISSUES
from ._helpers import new_experiment


def _issue(store, experiment_id, name="slow answers", **kwargs):
    return store.create_issue(experiment_id, name, "Answers take more than 10 s", **kwargs)


def _value(enum_or_str):
    return str(getattr(enum_or_str, "value", enum_or_str))


class IssueClauses:
    """Clauses of the ``tracking_store/issues/*`` family."""

    @clause("tracking_store/issues/create-get", level="full", feature=ISSUES, since="3.11")
    def test_issues_create_get(self, tracking_store):
        """create_issue stores an issue; get_issue returns its experiment, name, description, status (PENDING
        by default) and severity."""
        from mlflow.entities.issue import IssueSeverity

        experiment_id = new_experiment(tracking_store)
        created = _issue(tracking_store, experiment_id, severity=IssueSeverity.HIGH)
        got = tracking_store.get_issue(created.issue_id)
        view = (got.experiment_id, got.name, got.description, _value(got.status), _value(got.severity))
        assert view == (experiment_id, "slow answers", "Answers take more than 10 s", "pending", "high"), (
            f"issue read back {view}")

    @clause("tracking_store/issues/update", level="full", feature=ISSUES, since="3.11")
    def test_issues_update(self, tracking_store):
        """update_issue changes the status and name it is given and keeps the description."""
        from mlflow.entities.issue import IssueStatus

        created = _issue(tracking_store, new_experiment(tracking_store))
        tracking_store.update_issue(created.issue_id, status=IssueStatus.RESOLVED, name="fixed")
        got = tracking_store.get_issue(created.issue_id)
        assert (_value(got.status), got.name, got.description) == ("resolved", "fixed", created.description)

    @clause("tracking_store/issues/get-unknown", level="full", feature=ISSUES, since="3.11")
    def test_issues_get_unknown(self, tracking_store):
        """get_issue of an unknown id raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown issue"):
            tracking_store.get_issue("iss-" + uuid.uuid4().hex)

    @clause("tracking_store/issues/search-experiment", level="full", feature=ISSUES, since="3.11")
    def test_issues_search_experiment(self, tracking_store):
        """search_issues(experiment_id=...) returns the experiment's issues and none of another experiment."""
        experiment_id, other = new_experiment(tracking_store), new_experiment(tracking_store)
        ids = {_issue(tracking_store, experiment_id, name=f"i{i}").issue_id for i in range(2)}
        _issue(tracking_store, other)
        assert {i.issue_id for i in tracking_store.search_issues(experiment_id=experiment_id)} == ids

    @clause("tracking_store/issues/search-status", level="full", feature=ISSUES, since="3.11")
    def test_issues_search_status(self, tracking_store):
        """The filter ``status = '<status>'`` returns the issues in that status."""
        from mlflow.entities.issue import IssueStatus

        experiment_id = new_experiment(tracking_store)
        resolved = _issue(tracking_store, experiment_id, name="a").issue_id
        _issue(tracking_store, experiment_id, name="b")
        tracking_store.update_issue(resolved, status=IssueStatus.RESOLVED)
        found = tracking_store.search_issues(experiment_id=experiment_id, filter_string="status = 'resolved'")
        assert [i.issue_id for i in found] == [resolved], f"status = 'resolved' found {[i.name for i in found]}"
