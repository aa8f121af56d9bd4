"""MLflow's reference implementations, for differential tests and for the suite's own tests.

Migrating a fresh SQLite database through MLflow's alembic history takes seconds; a migrated template is built
once per process and copied (milliseconds) for every fresh store.  Each kind has its own clearly headed section.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
import uuid
from pathlib import Path


def _sqlite_uri(path: Path) -> str:
    return "sqlite:///" + path.resolve().as_posix()


# ===========================================================================================================
# Model registry (owner: registry helper): registry SqlAlchemyStore on a copied, migrated SQLite template
# ===========================================================================================================

_registry_template_lock = threading.Lock()
_registry_template: Path | None = None


def registry_sqlite_template() -> Path:
    """A SQLite database migrated by MLflow's registry ``SqlAlchemyStore``, built once per process.

    Never open the template itself for writing: copy it with :func:`fresh_registry_sqlite_uri`.
    """
    global _registry_template
    with _registry_template_lock:
        if _registry_template is None or not _registry_template.exists():
            from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore

            directory = Path(tempfile.mkdtemp(prefix="mlflow-conformance-registry-template-"))
            atexit.register(shutil.rmtree, directory, ignore_errors=True)
            path = directory / "template.db"
            store = SqlAlchemyStore(_sqlite_uri(path))  # runs every migration
            store.engine.dispose()
            # MLflow >= 3.x caches one engine per URI on the class; older releases own one engine per store.
            engines = getattr(SqlAlchemyStore, "_engine_map", None)
            if engines is not None:
                engines.pop(store.db_uri, None)
            _registry_template = path
        return _registry_template


def fresh_registry_sqlite_uri(directory: str | Path) -> str:
    """The URI of a new copy of the migrated registry template inside ``directory`` (created if missing)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"registry-{uuid.uuid4().hex[:12]}.db"
    shutil.copyfile(registry_sqlite_template(), path)
    return _sqlite_uri(path)


def fresh_registry_store(directory: str | Path):
    """A fresh, empty registry ``SqlAlchemyStore`` (MLflow's reference implementation) on SQLite in ``directory``."""
    from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore

    return SqlAlchemyStore(fresh_registry_sqlite_uri(directory))
