"""``job_executor/config/*``: what the executor keeps from the configuration MLflow built it with, and what it
answers about itself."""

from __future__ import annotations

from ..base import clause


class ConfigClauses:
    @clause("job_executor/config/kept")
    def test_config_kept(self, job_executor):
        """The executor keeps the ``JobExecutorConfig`` MLflow built it with as ``config``
        (``AbstractJobExecutor.__init__`` was called)."""
        from mlflow.server.jobs.executor import JobExecutorConfig

        config = getattr(job_executor, "config", None)
        assert isinstance(config, JobExecutorConfig), f"config is {config!r}, not the JobExecutorConfig"

    @clause("job_executor/config/remote-execution")
    def test_config_remote_execution(self, job_executor):
        """``remote_execution`` is a bool (MLflow's job runner branches on it)."""
        remote = job_executor.remote_execution
        assert remote is True or remote is False, f"remote_execution is {remote!r}"

    @clause("job_executor/config/requirements")
    def test_config_requirements(self, job_executor):
        """``check_requirements()`` passes on this machine (MLflow's server calls it before starting the
        executor; an executor that cannot run here raises with what is missing)."""
        job_executor.check_requirements()
