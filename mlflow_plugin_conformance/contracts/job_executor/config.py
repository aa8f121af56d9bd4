"""``job_executor/config/*``: what the executor keeps from the configuration MLflow built it with."""

from __future__ import annotations

from ..base import clause


class ConfigClauses:
    @clause("job_executor/config/kept")
    def test_config_kept(self, job_executor):
        """The executor keeps the ``JobExecutorConfig`` MLflow built it with (``AbstractJobExecutor.__init__``
        called) and ``check_requirements`` passes on this machine."""
        from mlflow.server.jobs.executor import JobExecutorConfig

        assert isinstance(job_executor.config, JobExecutorConfig)
        assert job_executor.remote_execution in (True, False)
        job_executor.check_requirements()
