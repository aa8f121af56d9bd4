"""``job_executor/jobs/*``: jobs submitted, waited for, and recovered, one behaviour per clause. When a job cannot
be submitted and waited for at all, the clauses on its result report themselves blocked by the clause of its
status."""

from __future__ import annotations

import json

from ...outcomes import blocked_by
from ..base import clause
from ._helpers import submit


def waited(executor, function, params, tmp_path, clause_id):
    """The JobResult of ``_jobs.<function>(**params)``; blocked by ``clause_id`` when submitting or waiting raises."""
    try:
        return executor.wait_for_job(submit(executor, function, params, tmp_path))
    except Exception as exc:
        blocked_by(clause_id, f"submitting or waiting for the job raised {type(exc).__name__}: {exc}")


class JobClauses:
    @clause("job_executor/jobs/succeed")
    def test_jobs_succeed(self, started_executor, tmp_path):
        """A submitted job that returns ends SUCCEEDED: ``wait_for_job`` returns a JobResult with that status."""
        from mlflow.entities._job_status import JobStatus

        result = started_executor.wait_for_job(submit(started_executor, "conformance_double", {"value": 21},
                                                      tmp_path))
        assert result.status == JobStatus.SUCCEEDED, f"{result}"

    @clause("job_executor/jobs/result")
    def test_jobs_result(self, started_executor, tmp_path):
        """A job runs with its parameters, and its JobResult carries the function's result as JSON."""
        from mlflow.entities._job_status import JobStatus

        result = waited(started_executor, "conformance_double", {"value": 21}, tmp_path, "job_executor/jobs/succeed")
        if result.status != JobStatus.SUCCEEDED:
            blocked_by("job_executor/jobs/succeed", f"the job ended {result.status}")
        assert json.loads(result.result) == {"doubled": 42}, f"the job's result is {result.result!r}"

    @clause("job_executor/jobs/fail")
    def test_jobs_fail(self, started_executor, tmp_path):
        """A job that raises ends FAILED (not SUCCEEDED, not a hang)."""
        from mlflow.entities._job_status import JobStatus

        result = started_executor.wait_for_job(submit(started_executor, "conformance_fail",
                                                      {"message": "conformance-boom"}, tmp_path))
        assert result.status == JobStatus.FAILED, f"{result}"

    @clause("job_executor/jobs/error-message")
    def test_jobs_error_message(self, started_executor, tmp_path):
        """The JobResult of a job that raised carries the error in ``error_message``."""
        from mlflow.entities._job_status import JobStatus

        result = waited(started_executor, "conformance_fail", {"message": "conformance-boom"}, tmp_path,
                        "job_executor/jobs/fail")
        if result.status != JobStatus.FAILED:
            blocked_by("job_executor/jobs/fail", f"the failing job ended {result.status}")
        assert "conformance-boom" in (result.error_message or ""), f"error_message is {result.error_message!r}"

    @clause("job_executor/jobs/recover-nothing")
    def test_jobs_recover_nothing(self, job_executor):
        """``recover_jobs([])`` returns an empty list (one result per job asked about)."""
        assert list(job_executor.recover_jobs([])) == []
