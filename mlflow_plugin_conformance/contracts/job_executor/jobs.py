"""``job_executor/jobs/*``: jobs submitted, waited for, and recovered."""

from __future__ import annotations

import json

from ..base import clause
from ._helpers import submit


class JobClauses:
    @clause("job_executor/jobs/succeed")
    def test_jobs_succeed(self, started_executor, tmp_path):
        """A submitted job runs with its parameters: ``wait_for_job`` returns a JobResult with status SUCCEEDED and
        the function's JSON result."""
        from mlflow.entities._job_status import JobStatus

        job_id = submit(started_executor, "conformance_double", {"value": 21}, tmp_path)
        result = started_executor.wait_for_job(job_id)
        assert result.status == JobStatus.SUCCEEDED, f"{result}"
        assert json.loads(result.result) == {"doubled": 42}

    @clause("job_executor/jobs/fail")
    def test_jobs_fail(self, started_executor, tmp_path):
        """A job that raises ends FAILED with the error in ``error_message`` (not SUCCEEDED, not a hang)."""
        from mlflow.entities._job_status import JobStatus

        job_id = submit(started_executor, "conformance_fail", {"message": "conformance-boom"}, tmp_path)
        result = started_executor.wait_for_job(job_id)
        assert result.status == JobStatus.FAILED, f"{result}"
        assert "conformance-boom" in (result.error_message or "")

    @clause("job_executor/jobs/recover-nothing")
    def test_jobs_recover_nothing(self, job_executor):
        """``recover_jobs([])`` returns an empty list (one result per job asked about)."""
        assert list(job_executor.recover_jobs([])) == []
