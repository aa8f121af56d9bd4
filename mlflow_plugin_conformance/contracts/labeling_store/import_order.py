"""``labeling_store/import/*``: the store is registered whichever of its module and ``mlflow`` is imported
first."""

from __future__ import annotations

from .._local_mlflow import ImportOrderClauses
from ..shared.registry_probe import builder_registry_probe


class LabelingStoreImportOrderClauses(ImportOrderClauses):
    def _import_probe(self, subject):
        return builder_registry_probe("mlflow.labeling_store", "__import__('mlflow.genai.labeling.stores', "
                                      "fromlist=['x'])._labeling_store_registry._registry", subject)
