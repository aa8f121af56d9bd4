"""``deployments/import/*``: the target works whichever of its module and ``mlflow`` is imported first."""

from __future__ import annotations

from .._local_mlflow import ImportOrderClauses, entry_points_of


class DeploymentsImportOrderClauses(ImportOrderClauses):
    def _import_probe(self, subject):
        module = type(subject).__module__
        return module, entry_points_of("mlflow.deployments", module) + (
            "from mlflow.deployments import get_deploy_client\n"
            "for e in eps:\n"
            f"    assert type(get_deploy_client(e.name)).__name__ == {type(subject).__name__!r}, e.name\n"
        )
