"""Broken job executors for the clauses split out with issue 11 (one realistic bug each), built on MLflow's local
job executor. ``tests/test_kinds_new_mutants.py`` runs them."""

from __future__ import annotations

import json

from mlflow.server.jobs.local_executor import LocalJobExecutor


class BrokenJobNoSuperInit(LocalJobExecutor):
    """__init__ keeps the configuration under its own name and never calls the base's: no ``config``."""

    def __init__(self, config):
        self.settings = config


class BrokenJobRemoteExecutionString(LocalJobExecutor):
    """remote_execution answers a string."""

    @property
    def remote_execution(self):
        return "no"


class BrokenJobRequirementsRaise(LocalJobExecutor):
    """check_requirements asks for a tool this machine does not have."""

    def check_requirements(self):
        raise RuntimeError("the 'conformance-missing-tool' command is required to run jobs")


class BrokenJobSucceededAsRunning(LocalJobExecutor):
    """wait_for_job reports a finished, successful job as still RUNNING."""

    def wait_for_job(self, job_id):
        from mlflow.entities._job_status import JobStatus

        result = super().wait_for_job(job_id)
        if result.status == JobStatus.SUCCEEDED:
            result.status = JobStatus.RUNNING
        return result


class BrokenJobResultRepr(LocalJobExecutor):
    """wait_for_job returns the job's result as the repr of the Python value, not JSON."""

    def wait_for_job(self, job_id):
        result = super().wait_for_job(job_id)
        if result.result is not None:
            result.result = repr(json.loads(result.result))
        return result


class BrokenJobDropsErrorMessage(LocalJobExecutor):
    """wait_for_job drops the error message of a failed job."""

    def wait_for_job(self, job_id):
        result = super().wait_for_job(job_id)
        result.error_message = None
        return result


class BrokenJobRecoverInventsJobs(LocalJobExecutor):
    """recover_jobs answers one placeholder even when asked about no job."""

    def recover_jobs(self, jobs):
        return [*super().recover_jobs(jobs), None] if not jobs else super().recover_jobs(jobs)
