"""Job functions for the job-executor contract: importable by their full name in a job's subprocess."""

from mlflow.server.jobs import job


@job(name="conformance_double", max_workers=1)
def conformance_double(value: int) -> dict:
    """Returns ``{"doubled": 2 * value}``."""
    return {"doubled": 2 * value}


@job(name="conformance_fail", max_workers=1)
def conformance_fail(message: str) -> dict:
    """Always fails with ``message`` (a job whose error must be reported, not swallowed)."""
    raise ValueError(message)
