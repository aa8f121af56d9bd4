"""``deployments/import/*``: the target works whichever of its module and ``mlflow`` is imported first."""

from __future__ import annotations

from .._local_mlflow import ImportOrderClauses


class DeploymentsImportOrderClauses(ImportOrderClauses):
    def _import_probe(self, subject):
        """After both imports, ``get_deploy_client(<the client's own target URI>)`` builds the client's class (when
        the target's name is an installed entry point; a plugin's own test module without one checks the import
        only). The URI is the client's own: a target that needs more than its name to be built is built as it was
        here, and a module offering several targets is asked about this one only."""
        from mlflow.deployments.utils import parse_target_uri
        from mlflow.utils.plugins import get_entry_points

        cls = type(subject)
        target_uri = getattr(subject, "target_uri", None)
        target = parse_target_uri(target_uri) if isinstance(target_uri, str) else None
        entry_point = next((e for e in get_entry_points("mlflow.deployments") if e.name == target), None)
        module = entry_point.value.partition(":")[0].strip() if entry_point is not None else cls.__module__
        if entry_point is None:
            return module, ""
        return module, (
            "from mlflow.deployments import get_deploy_client\n"
            f"built = type(get_deploy_client({target_uri!r}))\n"
            f"assert (built.__module__, built.__qualname__) == {(cls.__module__, cls.__qualname__)!r}, built\n"
        )
