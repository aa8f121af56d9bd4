"""``scorer_store/interface/*``: the store subclasses MLflow's ``AbstractScorerStore`` completely."""

from __future__ import annotations

from ..shared.interface import interface_clauses

InterfaceClauses = interface_clauses("mlflow.genai.scorers.registry:AbstractScorerStore")
