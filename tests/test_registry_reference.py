"""The model-registry contract against MLflow's own registry SqlAlchemyStore on SQLite: it must pass everything.

The store is built the way a plugin author would provide it (a fixture on a subclass of the contract), with the
``registry_uri`` of the same SQLite database, from which MLflow's registry builds the same store for the
public-API clauses.
"""

from __future__ import annotations

import pytest

from mlflow_plugin_conformance.contracts.model_registry_store import ModelRegistryStoreContract
from mlflow_plugin_conformance.reference import fresh_registry_sqlite_uri


@pytest.fixture(scope="module")
def _registry_db_uri(tmp_path_factory):
    return fresh_registry_sqlite_uri(tmp_path_factory.mktemp("registry-reference"))


def _reference_findings() -> dict[str, str]:
    """Clauses MLflow's own store violates on the installed MLflow (findings.py), as strict known failures."""
    import mlflow
    from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore

    from mlflow_plugin_conformance.findings import known_failures

    return known_failures(SqlAlchemyStore, mlflow.__version__)


class TestRegistrySqlAlchemyStore(ModelRegistryStoreContract):
    hypothesis_profile = "quick"  # the project's own run stays fast; CI runs the bundled suite with its profile

    @pytest.fixture
    def mlflow_conformance_capabilities(self):
        from mlflow_plugin_conformance import Capabilities

        return Capabilities(known_failures=_reference_findings())

    @pytest.fixture
    def model_registry_store(self, _registry_db_uri):
        from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore

        return SqlAlchemyStore(_registry_db_uri)

    @pytest.fixture
    def registry_uri(self, _registry_db_uri):
        return _registry_db_uri
