"""Broken plugins for the import-order clauses of the store kinds (new in issue 11 item 4): one distribution,
``circular-stores``, with one module per kind, each subclassing MLflow's base class at its top level and naming the
class in its entry point. Imported after mlflow, every store registers; imported first, a module starts
``import mlflow`` while it is half-defined and MLflow drops the entry points it loads during that import.

Modules are imported in sorted order by the probe, so ``artifacts`` is really imported first (MLflow drops it) and
``tracking`` is caught from what it holds when it first asks for mlflow. MLflow 3.17 loads registry stores lazily,
on first use, so ``registry`` survives either order there.
"""

MODULES = {
    "circular_stores/__init__.py": "",
    "circular_stores/artifacts.py": """
        from mlflow.store.artifact.artifact_repo import ArtifactRepository


        class CircularArtifacts(ArtifactRepository):
            pass
    """,
    "circular_stores/registry.py": """
        from mlflow.store.model_registry.abstract_store import AbstractStore


        class CircularRegistry(AbstractStore):
            pass
    """,
    "circular_stores/tracking.py": """
        from mlflow.store.tracking.abstract_store import AbstractStore


        class CircularTracking(AbstractStore):
            def __init__(self, store_uri=None, artifact_uri=None):
                super().__init__()
    """,
}

ENTRY_POINTS = {
    "mlflow.artifact_repository": {"circular-stores": "circular_stores.artifacts:CircularArtifacts"},
    "mlflow.model_registry_store": {"circular-stores": "circular_stores.registry:CircularRegistry"},
    "mlflow.tracking_store": {"circular-stores": "circular_stores.tracking:CircularTracking"},
}

#: kind -> the clause that must fail (the mlflow-first clause of the same kind must pass).
CAUGHT_BY = {
    "artifact_repository": "artifact_repository/import-order/plugin-first",
    "tracking_store": "tracking_store/import-order/plugin-first",
}

#: A registry store that imports only in an interpreter where something else already loaded MLflow's SQL registry
#: store (the plugin uses ``mlflow.store.model_registry.sqlalchemy_store`` without importing it). It builds in a
#: long-lived process that happened to import that module; a fresh interpreter fails in both orders. (MLflow loads
#: registry stores lazily, so no import order drops a registry store by a circular import.)
IMPLICIT_MODULES = {
    "implicit_registry/__init__.py": "",
    "implicit_registry/store.py": """
        import mlflow.store.model_registry


        class ImplicitRegistry(mlflow.store.model_registry.sqlalchemy_store.SqlAlchemyStore):
            pass
    """,
}
IMPLICIT_ENTRY_POINTS = {
    "mlflow.model_registry_store": {"implicit-registry": "implicit_registry.store:ImplicitRegistry"},
}
