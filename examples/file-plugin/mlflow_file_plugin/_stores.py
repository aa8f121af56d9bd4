"""The store classes; imported only from the builders in ``__init__`` (after ``import mlflow`` finished)."""

from __future__ import annotations

import os
from pathlib import Path

from mlflow.store.artifact.local_artifact_repo import LocalArtifactRepository
from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore as RegistrySqlAlchemyStore
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

from . import local_path


def _sqlite_uri(directory: str, filename: str) -> str:
    Path(directory).mkdir(parents=True, exist_ok=True)
    return "sqlite:///" + os.path.abspath(os.path.join(directory, filename)).replace(os.sep, "/")


class FilePluginTrackingStore(SqlAlchemyStore):
    """MLflow's SQL tracking store on ``<dir>/tracking.db``; artifacts default to ``<dir>/artifacts``."""

    is_plugin = True

    def __init__(self, store_uri: str, artifact_uri: str | None = None):
        directory = local_path(store_uri)
        if artifact_uri is None:
            artifact_uri = Path(os.path.abspath(directory), "artifacts").as_uri()
        super().__init__(_sqlite_uri(directory, "tracking.db"), artifact_uri)
        self.plugin_uri = store_uri


class FilePluginModelRegistryStore(RegistrySqlAlchemyStore):
    """MLflow's SQL model registry store on ``<dir>/registry.db``."""

    is_plugin = True

    def __init__(self, store_uri: str, tracking_uri: str | None = None):
        super().__init__(_sqlite_uri(local_path(store_uri), "registry.db"))
        self.plugin_uri = store_uri


class FilePluginArtifactRepository(LocalArtifactRepository):
    """MLflow's local artifact repository on the directory the ``file-plugin`` URI names."""

    is_plugin = True

    def __init__(self, artifact_uri: str, tracking_uri: str | None = None, registry_uri: str | None = None):
        directory = os.path.abspath(local_path(artifact_uri))
        # Older MLflow (2.22, 3.0) builds repositories from the URI alone; its ArtifactRepository takes nothing else.
        given = {k: v for k, v in (("tracking_uri", tracking_uri), ("registry_uri", registry_uri)) if v is not None}
        super().__init__(Path(directory).as_uri(), **given)
        self.artifact_uri = artifact_uri
