"""``dataset_constructor/import/*``: the constructor is registered whichever of its module and ``mlflow`` is
imported first."""

from __future__ import annotations

from .._local_mlflow import ImportOrderClauses, entry_points_of


class DatasetConstructorImportOrderClauses(ImportOrderClauses):
    def _import_probe(self, subject):
        return subject.__module__, entry_points_of("mlflow.dataset_constructor", subject.__module__) + (
            "import mlflow.data\n"
            "from mlflow.data.dataset_registry import get_registered_constructors\n"
            "for e in eps:\n"
            "    assert e.name in get_registered_constructors(), 'not registered in this import order: ' + e.name\n"
            "    assert getattr(mlflow.data, e.name, None) is get_registered_constructors()[e.name], e.name\n"
        )
