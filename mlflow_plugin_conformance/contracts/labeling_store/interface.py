"""``labeling_store/interface/*``: the store subclasses MLflow's ``AbstractLabelingStore`` completely."""

from __future__ import annotations

from ..shared.interface import interface_clauses

InterfaceClauses = interface_clauses("mlflow.genai.labeling.stores:AbstractLabelingStore")
