"""Clauses that exist only through ``mlflow server``: one family, ``server``, for each kind a server can put a
plugin behind (tracking store, model registry store, artifact repository).

Each store contract includes its kind's class here, so the clauses belong to the contract like any other family;
they are declared ``routes=("server",)``, so in process they are not-applicable by that declaration, and
through the server (``--mlflow-conformance-via=server``, see ``routes.py``) they talk raw HTTP to the server
backed by the plugin (the ``mlflow_conformance_server`` fixture): several worker processes see one consistent
store, an error the plugin raises reaches the client with its code, requests at MLflow's limits pass through,
and the web UI's read paths answer. ``_http.py`` pins connections to worker processes; ``_limits.py`` reads
MLflow's size limits.
"""

from .artifact_repository import ArtifactServerClauses
from .model_registry_store import ModelRegistryServerClauses
from .tracking_store import TrackingServerClauses

__all__ = ["ArtifactServerClauses", "ModelRegistryServerClauses", "TrackingServerClauses"]
