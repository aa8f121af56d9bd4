"""``dataset_source/import/*``: the source is registered whichever of its module and ``mlflow`` is imported first."""

from __future__ import annotations

from .._local_mlflow import ImportOrderClauses, entry_points_of


class DatasetSourceImportOrderClauses(ImportOrderClauses):
    def _import_probe(self, subject):
        return subject.__module__, entry_points_of("mlflow.dataset_source", subject.__module__) + (
            "import mlflow.data\n"
            "from mlflow.data.dataset_source_registry import _dataset_source_registry as r\n"
            "names = [c.__qualname__ for c in r.sources]\n"
            "for e in eps:\n"
            "    assert e.value.split(':')[1].strip() in names, 'not registered in this import order: ' + e.value\n"
        )
