"""MLflow's reference implementations, for differential tests and for validating the suite itself.

Migrating a fresh SQLite database through MLflow's Alembic history takes seconds; a differential state machine
needs a fresh reference store per Hypothesis example. So the migrated database is built once per process (the
*template*) and copied for each fresh store.
"""

from __future__ import annotations

# -- tracking store --------------------------------------------------------------------------------------------

import os
import shutil
import tempfile
import threading
import uuid
from pathlib import Path

_template_lock = threading.Lock()
_tracking_template: Path | None = None


def _sqlite_uri(path: Path) -> str:
    return "sqlite:///" + path.resolve().as_posix()


def tracking_sqlite_template() -> Path:
    """Path of a SQLite database migrated to the installed MLflow's tracking schema (built once per process)."""
    global _tracking_template
    with _template_lock:
        if _tracking_template is None or not _tracking_template.exists():
            from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

            directory = Path(tempfile.mkdtemp(prefix="mlflow-conformance-template-"))
            path = directory / "tracking-template.db"
            store = SqlAlchemyStore(_sqlite_uri(path), (directory / "artifacts").as_uri())
            store.engine.dispose()
            _tracking_template = path
        return _tracking_template


def fresh_reference_tracking_store(directory: str | os.PathLike | None = None, artifact_uri: str | None = None):
    """A new, empty ``SqlAlchemyStore`` on a copy of the migrated SQLite template.

    ``directory`` receives the database file (a new temporary directory when None); artifacts default to
    ``<directory>/artifacts``.
    """
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    directory = Path(directory) if directory is not None else Path(tempfile.mkdtemp(prefix="mlflow-reference-"))
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"reference-{uuid.uuid4().hex[:8]}.db"
    shutil.copyfile(tracking_sqlite_template(), path)
    return SqlAlchemyStore(_sqlite_uri(path), artifact_uri or (directory / "artifacts").as_uri())


def close_tracking_store(store) -> None:
    """Release a SQL store's connections (SQLite files can then be removed)."""
    engine = getattr(store, "engine", None)
    if engine is not None:
        engine.dispose()
