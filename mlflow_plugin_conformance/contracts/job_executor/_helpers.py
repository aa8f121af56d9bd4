"""What only the job-executor contract uses: submitting one of the contract's job functions."""

from __future__ import annotations

import uuid

#: The module of the job functions (``_jobs.py``), as the executor's subprocess imports it.
JOBS_MODULE = "mlflow_plugin_conformance.contracts.job_executor._jobs"


def submit(executor, function: str, params: dict, tmp_path) -> str:
    """Submit ``_jobs.<function>(**params)`` with a job context on a SQLite tracking URI under ``tmp_path``;
    return the job id."""
    from mlflow.server.jobs.executor import JobExecutionContext

    job_id = uuid.uuid4().hex
    context = JobExecutionContext(job_id=job_id, tracking_uri=f"sqlite:///{(tmp_path / 'jobs.db').as_posix()}")
    executor.submit_job(job_id, function, f"{JOBS_MODULE}.{function}", params, context)
    return job_id
