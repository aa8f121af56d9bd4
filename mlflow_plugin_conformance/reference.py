"""MLflow's reference implementations, for differential tests and for validating the suite itself.

Migrating a fresh SQLite database through MLflow's Alembic history takes seconds; a differential state machine
needs a fresh reference store per Hypothesis example, and every ``mlflow server`` a test starts needs a database.
So one migrated database (the *template*) is built per MLflow installation and copied (milliseconds) for every
fresh store. Tracking and model-registry stores share MLflow's one schema, so they share the template.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
import uuid
from pathlib import Path

_template_lock = threading.Lock()

#: Where the migrated template is kept between runs; set by the pytest plugin to pytest's cache directory (or
#: the session's pytest-managed temporary directory under ``-p no:cacheprovider``), so a run leaves nothing in
#: the system's temporary directory. ``MLFLOW_CONFORMANCE_CACHE_DIR`` overrides it (a shared cache for many runs).
_cache_directory: Path | None = None


def use_cache_directory(directory: str | os.PathLike) -> None:
    global _cache_directory
    _cache_directory = Path(directory)


def cache_directory() -> Path:
    """The directory the migrated template lives in (see ``_cache_directory``)."""
    chosen = os.environ.get("MLFLOW_CONFORMANCE_CACHE_DIR") or _cache_directory or tempfile.gettempdir()
    path = Path(chosen)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sqlite_uri(path: Path) -> str:
    return "sqlite:///" + path.resolve().as_posix()


def _forget_engine(store_cls, db_uri: str) -> None:
    """MLflow >= 3.x caches one engine per URI on the store class; older releases own one engine per store."""
    engines = getattr(store_cls, "_engine_map", None)
    if engines is not None:
        engines.pop(db_uri, None)


def sqlite_template() -> Path:
    """A SQLite database migrated to the installed MLflow's schema head; never open it for writing, copy it.

    Built once per MLflow installation (keyed by version and location) in :func:`cache_directory` and reused
    by later processes sharing that directory; a concurrent builder's result is as good as ours (the file is
    moved into place atomically).
    """
    import mlflow
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    key = hashlib.sha256(f"{mlflow.__version__}:{mlflow.__file__}".encode()).hexdigest()[:16]
    template = cache_directory() / f"mlflow-conformance-schema-{key}.db"
    with _template_lock:
        if template.exists():
            return template
        building = Path(tempfile.mkdtemp(prefix="mlflow-conformance-schema-", dir=template.parent))
        try:
            uri = _sqlite_uri(building / "db")
            store = SqlAlchemyStore(uri, (building / "artifacts").as_uri())  # runs every migration
            store.engine.dispose()
            _forget_engine(SqlAlchemyStore, uri)
            os.replace(building / "db", template)
        finally:
            shutil.rmtree(building, ignore_errors=True)
    return template


def fresh_sqlite_uri(directory: str | os.PathLike, stem: str = "reference") -> str:
    """The URI of a new copy of the migrated template inside ``directory`` (created if missing)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{stem}-{uuid.uuid4().hex[:12]}.db"
    shutil.copyfile(sqlite_template(), path)
    return _sqlite_uri(path)


# -- tracking store --------------------------------------------------------------------------------------------


def fresh_reference_tracking_store(directory: str | os.PathLike | None = None, artifact_uri: str | None = None):
    """A new, empty tracking ``SqlAlchemyStore`` on a copy of the template.

    ``directory`` receives the database file (a new temporary directory when None); artifacts default to
    ``<directory>/artifacts``.
    """
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    directory = Path(directory) if directory is not None else Path(tempfile.mkdtemp(prefix="mlflow-reference-"))
    return SqlAlchemyStore(fresh_sqlite_uri(directory), artifact_uri or (directory / "artifacts").as_uri())


def close_tracking_store(store) -> None:
    """Release a SQL store's connections (SQLite files can then be removed)."""
    engine = getattr(store, "engine", None)
    if engine is not None:
        engine.dispose()
    db_uri = getattr(store, "db_uri", None)
    if db_uri:
        _forget_engine(type(store), db_uri)


# -- model registry store --------------------------------------------------------------------------------------


def fresh_registry_sqlite_uri(directory: str | os.PathLike) -> str:
    """The URI of a new registry database (a copy of the template) inside ``directory``."""
    return fresh_sqlite_uri(directory, "registry")


def fresh_registry_store(directory: str | os.PathLike):
    """A fresh, empty registry ``SqlAlchemyStore`` (MLflow's reference implementation) on SQLite in ``directory``."""
    from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore

    return SqlAlchemyStore(fresh_registry_sqlite_uri(directory))


# -- artifact repository ---------------------------------------------------------------------------------------


def fresh_reference_artifact_repository(directory: str | os.PathLike):
    """A new, empty ``LocalArtifactRepository`` (MLflow's reference artifact repository) rooted at ``directory``
    (created if missing)."""
    from mlflow.store.artifact.local_artifact_repo import LocalArtifactRepository

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    return LocalArtifactRepository(directory.resolve().as_uri())
