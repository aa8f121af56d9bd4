"""``job_executor/interface/*``: the executor subclasses MLflow's ``AbstractJobExecutor`` completely."""

from __future__ import annotations

from ..shared.interface import interface_clauses

InterfaceClauses = interface_clauses("mlflow.server.jobs.executor:AbstractJobExecutor")
