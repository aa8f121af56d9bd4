"""The job-executor contract (``mlflow.job_executors``, MLflow 3.17, experimental).

Subclass :class:`JobExecutorContract` and provide the ``job_executor`` fixture: an executor built from a
``JobExecutorConfig`` (the bundled suite builds it through MLflow's job executor registry). Jobs run functions of
this package (``_jobs.py``) that MLflow's job decorator marks.
"""

from __future__ import annotations

import pytest

from ..base import ContractBase, required_fixture
from .config import ConfigClauses
from .interface import InterfaceClauses
from .jobs import JobClauses

__all__ = ["JobExecutorContract"]

_EXAMPLE = """    @pytest.fixture
    def job_executor(self):
        from mlflow.server.jobs.executor import JobExecutorConfig
        return MyExecutor(JobExecutorConfig())"""


class JobExecutorContract(InterfaceClauses, ConfigClauses, JobClauses, ContractBase):
    """Contract clauses for a job executor. Provide the ``job_executor`` fixture (an instance built from a
    ``JobExecutorConfig``). Jobs run a function of this package that MLflow's job decorator marks."""

    kind_key = "job_executor"
    target_fixture = "job_executor"

    job_executor = required_fixture("job_executor", "JobExecutorContract", _EXAMPLE)

    @pytest.fixture
    def started_executor(self, job_executor):
        job_executor.start_executor()
        yield job_executor
