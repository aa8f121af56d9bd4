"""``workspace_provider/import/*``: the provider is registered whichever of its module and ``mlflow`` is imported
first."""

from __future__ import annotations

from .._local_mlflow import ImportOrderClauses
from ..shared.registry_probe import builder_registry_probe


class WorkspaceProviderImportOrderClauses(ImportOrderClauses):
    def _import_probe(self, subject):
        return builder_registry_probe("mlflow.workspace_provider", "__import__('mlflow.tracking._workspace.registry', "
                                      "fromlist=['x'])._get_workspace_store_registry()._registry", subject)
