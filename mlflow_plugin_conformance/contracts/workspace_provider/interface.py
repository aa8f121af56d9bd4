"""``workspace_provider/interface/*``: the store subclasses MLflow's workspace ``AbstractStore`` completely."""

from __future__ import annotations

from ..shared.interface import interface_clauses

InterfaceClauses = interface_clauses("mlflow.store.workspace.abstract_store:AbstractStore")
