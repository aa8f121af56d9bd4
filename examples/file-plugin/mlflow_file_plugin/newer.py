"""Workspace provider and scorer store ``file-plugin`` (groups ``mlflow.workspace_provider``, ``mlflow.scorer_store``).

Both are thin: the workspace store is MLflow's SQL workspace store on ``workspaces.db`` in the URI's directory;
the scorer store is MLflow's tracking-store-backed scorer store on the plugin's own tracking store (the same
``file-plugin://`` URI). The builders import MLflow lazily, like the store builders in ``__init__``.
"""

from __future__ import annotations


def workspace_provider(workspace_uri: str):
    """Builder MLflow calls as ``builder(workspace_uri=...)``."""
    import os

    from mlflow.store.workspace.sqlalchemy_store import SqlAlchemyStore

    from . import local_path

    directory = local_path(workspace_uri)
    os.makedirs(directory, exist_ok=True)
    return SqlAlchemyStore("sqlite:///" + os.path.abspath(os.path.join(directory, "workspaces.db")))


def scorer_store(tracking_uri: str | None = None):
    """Builder MLflow calls as ``builder(tracking_uri=...)``: scorers live in the plugin's tracking store."""
    from mlflow.genai.scorers.registry import MlflowTrackingStore

    return MlflowTrackingStore(tracking_uri=tracking_uri)
