"""Deliberately broken plugins that pass in process and fail only behind ``mlflow server``.

Each is one of MLflow's own stores with one realistic defect that no single-process caller can see: a value
MLflow cannot put into its protobuf messages, state kept in one process's memory while the server runs several
worker processes, or an exception MLflow's server cannot turn into the error code it carries. The module is
installed as the distribution ``server-route-mutants`` (see ``tests/test_server_route_broken.py``), whose entry
points name the builders below; the URI's path is the directory the store keeps its files in.

``SERVER_ROUTE_MUTANTS`` maps ``(kind key, entry-point name)`` to the clauses that must fail through the server
(and pass in process).
"""

from __future__ import annotations

import os
import shutil
import time
from urllib.parse import urlparse

#: (kind, entry-point name) -> the clauses that fail through the server; each passes in process.
SERVER_ROUTE_MUTANTS = {
    # process-local state
    ("tracking_store", "process-local"): ("tracking_store/server/workers-consistent",),
    ("model_registry_store", "process-local"): ("model_registry_store/server/workers-consistent",),
    ("artifact_repository", "process-local"): ("artifact_repository/server/workers-consistent",),
    # values MLflow cannot serialise
    ("tracking_store", "unserialisable"): ("tracking_store/experiments/create-and-get",
                                           "tracking_store/server/workers-consistent"),
    ("model_registry_store", "unserialisable"): ("model_registry_store/server/workers-consistent",),
    # exceptions MLflow's server cannot map to their error code
    ("tracking_store", "unmapped-error"): ("tracking_store/experiments/get-unknown",
                                           "tracking_store/server/error-codes"),
    ("model_registry_store", "unmapped-error"): ("model_registry_store/server/error-codes",),
    ("artifact_repository", "unmapped-error"): ("artifact_repository/server/error-codes",),
}

DIST = "server-route-mutants"
ENTRY_POINTS = {
    "mlflow.tracking_store": {name: f"server_route_mutants:tracking_{name.replace('-', '_')}"
                              for kind, name in SERVER_ROUTE_MUTANTS if kind == "tracking_store"},
    "mlflow.model_registry_store": {name: f"server_route_mutants:registry_{name.replace('-', '_')}"
                                    for kind, name in SERVER_ROUTE_MUTANTS if kind == "model_registry_store"},
    "mlflow.artifact_repository": {name: f"server_route_mutants:artifacts_{name.replace('-', '_')}"
                                   for kind, name in SERVER_ROUTE_MUTANTS if kind == "artifact_repository"},
}


def _directory(uri: str) -> str:
    parsed = urlparse(uri)
    path = (parsed.netloc + parsed.path) if parsed.netloc else parsed.path
    os.makedirs(path, exist_ok=True)
    return os.path.abspath(path)


def _sqlite(directory: str, name: str) -> str:
    """A SQLite database at ``directory/name``, copied from the suite's migrated template when there is one."""
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        try:
            from mlflow_plugin_conformance.reference import sqlite_template

            shutil.copyfile(sqlite_template(), path)
        except Exception:
            pass  # MLflow migrates a fresh database itself
    return "sqlite:///" + path


def _unmappable(exc):
    """The same MlflowException with the caught exception attached as extra detail: MLflow's server serialises
    every keyword of an MlflowException into the JSON error, and an exception object is not JSON."""
    from mlflow.exceptions import MlflowException
    from mlflow.protos.databricks_pb2 import ErrorCode

    return MlflowException(exc.message, error_code=ErrorCode.Value(exc.error_code), cause=exc)


# -- process-local state -------------------------------------------------------------------------------------------


def tracking_process_local(store_uri, artifact_uri=None):
    """An 'in-memory' tracking store: each process keeps its own database (the server's workers each get one)."""
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    directory = _directory(store_uri)
    return SqlAlchemyStore(_sqlite(directory, f"tracking-{os.getpid()}.db"),
                           artifact_uri or f"file://{directory}/artifacts")


_MODEL_CACHE: dict = {}


def registry_process_local(store_uri, tracking_uri=None):
    """Caches registered models in process memory, invalidated by this process's own writes only."""
    from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore

    class CachingRegistry(SqlAlchemyStore):
        def __getattribute__(self, name):
            value = super().__getattribute__(name)
            if callable(value) and not name.startswith(("_", "get_", "search_")):
                _MODEL_CACHE.clear()  # a write by this process: its cache is fresh again
            return value

        def get_registered_model(self, name):
            if name not in _MODEL_CACHE:
                _MODEL_CACHE[name] = super().get_registered_model(name)
            return _MODEL_CACHE[name]

    return CachingRegistry(_sqlite(_directory(store_uri), "registry.db"))


_LISTING_CACHE: dict = {}


def artifacts_process_local(artifact_uri, tracking_uri=None, registry_uri=None):
    """Caches directory listings in process memory, invalidated by this process's own writes only."""
    from mlflow.store.artifact.local_artifact_repo import LocalArtifactRepository

    class CachingRepository(LocalArtifactRepository):
        def list_artifacts(self, path=None):
            key = (self.artifact_dir, path or "")
            if key not in _LISTING_CACHE:
                _LISTING_CACHE[key] = super().list_artifacts(path)
            return list(_LISTING_CACHE[key])

        def log_artifact(self, local_file, artifact_path=None):
            _LISTING_CACHE.clear()
            return super().log_artifact(local_file, artifact_path)

        def log_artifacts(self, local_dir, artifact_path=None):
            _LISTING_CACHE.clear()
            return super().log_artifacts(local_dir, artifact_path)

        def delete_artifacts(self, artifact_path=None):
            _LISTING_CACHE.clear()
            return super().delete_artifacts(artifact_path)

    return CachingRepository("file://" + _directory(artifact_uri))


# -- values MLflow cannot serialise ----------------------------------------------------------------------------------


def tracking_unserialisable(store_uri, artifact_uri=None):
    """Stamps an experiment's last_update_time with time.time() * 1000: a float where MLflow's protobuf field
    is an integer (in process nothing minds; every experiment the server returns fails to serialise)."""
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    class FloatTimestamps(SqlAlchemyStore):
        def get_experiment(self, experiment_id):
            experiment = super().get_experiment(experiment_id)
            experiment._last_update_time = time.time() * 1000
            return experiment

    directory = _directory(store_uri)
    return FloatTimestamps(_sqlite(directory, "tracking.db"), artifact_uri or f"file://{directory}/artifacts")


def registry_unserialisable(store_uri, tracking_uri=None):
    """Keeps user ids as integers (its own user table's keys): an int where MLflow's protobuf field is a string."""
    from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore

    class IntegerUserIds(SqlAlchemyStore):
        def get_model_version(self, name, version):
            model_version = super().get_model_version(name, version)
            model_version._user_id = 1001
            return model_version

    return IntegerUserIds(_sqlite(_directory(store_uri), "registry.db"))


# -- exceptions MLflow's server cannot map ---------------------------------------------------------------------------


def tracking_unmapped_error(store_uri, artifact_uri=None):
    """Re-raises 'not found' with the original exception attached: the right code, but not JSON-serialisable."""
    from mlflow.exceptions import MlflowException
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    class DetailedErrors(SqlAlchemyStore):
        def get_experiment(self, experiment_id):
            try:
                return super().get_experiment(experiment_id)
            except MlflowException as exc:
                raise _unmappable(exc) from exc

        def get_run(self, run_id):
            try:
                return super().get_run(run_id)
            except MlflowException as exc:
                raise _unmappable(exc) from exc

    directory = _directory(store_uri)
    return DetailedErrors(_sqlite(directory, "tracking.db"), artifact_uri or f"file://{directory}/artifacts")


def registry_unmapped_error(store_uri, tracking_uri=None):
    """Re-raises 'not found' with the original exception attached (see tracking_unmapped_error)."""
    from mlflow.exceptions import MlflowException
    from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore

    class DetailedErrors(SqlAlchemyStore):
        def get_registered_model(self, name):
            try:
                return super().get_registered_model(name)
            except MlflowException as exc:
                raise _unmappable(exc) from exc

        def get_model_version(self, name, version):
            try:
                return super().get_model_version(name, version)
            except MlflowException as exc:
                raise _unmappable(exc) from exc

    return DetailedErrors(_sqlite(_directory(store_uri), "registry.db"))


def artifacts_unmapped_error(artifact_uri, tracking_uri=None, registry_uri=None):
    """Reports a missing artifact as RESOURCE_DOES_NOT_EXIST with the OSError attached (not JSON-serialisable)."""
    from mlflow.exceptions import MlflowException
    from mlflow.protos.databricks_pb2 import RESOURCE_DOES_NOT_EXIST
    from mlflow.store.artifact.local_artifact_repo import LocalArtifactRepository

    class DetailedErrors(LocalArtifactRepository):
        def _download_file(self, remote_file_path, local_path):
            source = os.path.join(self.artifact_dir, *remote_file_path.split("/"))
            if not os.path.isfile(source):
                cause = FileNotFoundError(source)
                raise MlflowException(f"No such artifact: {remote_file_path!r}",
                                      error_code=RESOURCE_DOES_NOT_EXIST, cause=cause)
            super()._download_file(remote_file_path, local_path)

        def get_local_path(self, artifact_path):
            local = os.path.join(self.artifact_dir, *artifact_path.split("/"))
            if not os.path.exists(local):
                raise MlflowException(f"No such artifact: {artifact_path!r}", error_code=RESOURCE_DOES_NOT_EXIST,
                                      cause=FileNotFoundError(local))
            return super().get_local_path(artifact_path)

    return DetailedErrors("file://" + _directory(artifact_uri))
