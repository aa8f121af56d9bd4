"""An example MLflow plugin registering the scheme ``file-plugin`` for every plugin kind.

Each kind is a small, correct implementation built on MLflow's reference implementations:

* tracking store and model registry store: MLflow's ``SqlAlchemyStore`` on a SQLite file inside the directory
  the URI names (``file-plugin:///abs/dir``). SQLite rather than MLflow's ``FileStore``, because MLflow 3.13+
  refuses the FileStore unless ``MLFLOW_ALLOW_FILE_STORE=true`` and it is deprecated.
* artifact repository: MLflow's ``LocalArtifactRepository`` on the directory the URI names.

The builders import MLflow's store modules lazily (inside the function): MLflow loads these entry points while
``import mlflow`` is still running, and a top-level import of ``mlflow.store.tracking.sqlalchemy_store`` would be
a circular import that MLflow swallows with only a warning.
"""

from __future__ import annotations

SCHEME = "file-plugin"


def local_path(uri: str) -> str:
    """``file-plugin:///abs/dir`` or ``file-plugin:/abs/dir`` -> ``/abs/dir``; ``file-plugin:rel`` -> ``rel``."""
    from urllib.parse import unquote, urlparse

    parsed = urlparse(uri)
    if parsed.scheme != SCHEME:
        raise ValueError(f"not a {SCHEME} URI: {uri!r}")
    path = unquote(parsed.path)
    if parsed.netloc:  # file-plugin://relative/dir
        path = parsed.netloc + path
    return path


def tracking_store(store_uri: str, artifact_uri: str | None = None):
    """Builder for ``mlflow.tracking_store``: MLflow calls it with ``store_uri=`` and ``artifact_uri=``."""
    from ._stores import FilePluginTrackingStore

    return FilePluginTrackingStore(store_uri, artifact_uri)


def model_registry_store(store_uri: str, tracking_uri: str | None = None):
    """Builder for ``mlflow.model_registry_store``."""
    from ._stores import FilePluginModelRegistryStore

    return FilePluginModelRegistryStore(store_uri, tracking_uri)


def artifact_repository(artifact_uri: str, tracking_uri: str | None = None, registry_uri: str | None = None):
    """Builder for ``mlflow.artifact_repository``; MLflow calls it like a repository class."""
    from ._stores import FilePluginArtifactRepository

    return FilePluginArtifactRepository(artifact_uri, tracking_uri=tracking_uri, registry_uri=registry_uri)


# Import MLflow here, at the end, after the builders above exist. A user who imports a submodule first
# (``import mlflow_file_plugin.datasets``) runs this package first: MLflow then loads every entry point while this
# package is complete, and loads ``mlflow_file_plugin.datasets`` itself in full. Without it, that submodule's own
# ``from mlflow.data... import`` would start ``import mlflow`` while the submodule is half-defined, and MLflow would
# drop its dataset source and constructor with only a warning (AttributeError on the partial module).
import mlflow  # noqa: E402,F401
