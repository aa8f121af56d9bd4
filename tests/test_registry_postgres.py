"""The model-registry contract against MLflow's registry SqlAlchemyStore on PostgreSQL (a real server on 127.0.0.1).

Uses ``services.postgres_server`` (the tracking helper's section of ``services.py``). Skipped when that module,
PostgreSQL or psycopg2 is missing; marked ``postgres``.
"""

from __future__ import annotations

import pytest

from mlflow_plugin_conformance import Capabilities
from mlflow_plugin_conformance.contracts.model_registry_store import ModelRegistryStoreContract

pytestmark = pytest.mark.postgres

def _postgres_findings() -> dict[str, str]:
    """MLflow's own registry store's divergences on PostgreSQL only (findings.py, backend postgresql)."""
    import mlflow
    from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore

    from mlflow_plugin_conformance.findings import known_failures

    on_postgres = known_failures(SqlAlchemyStore, mlflow.__version__, backend="postgresql")
    return {clause: why for clause, why in on_postgres.items()
            if clause not in known_failures(SqlAlchemyStore, mlflow.__version__)}


POSTGRES_FINDINGS = _postgres_findings()


@pytest.fixture(scope="module")
def mlflow_conformance_capabilities():
    """The divergences of MLflow's own store on PostgreSQL, declared as strict known failures (with those of
    the installed MLflow's store on any database, tests/test_registry_reference.py)."""
    from test_registry_reference import _reference_findings

    return Capabilities(known_failures={**POSTGRES_FINDINGS, **_reference_findings()})


@pytest.fixture(scope="module")
def registry_postgres_uri():
    services = pytest.importorskip("mlflow_plugin_conformance.services")
    if not hasattr(services, "postgres_server"):
        pytest.skip("mlflow_plugin_conformance.services has no postgres_server yet")
    pytest.importorskip("psycopg2")
    try:
        with services.postgres_server() as server:
            yield server.create_database("registry")
    except services.ServiceUnavailable as exc:
        pytest.skip(f"PostgreSQL unavailable: {exc}")


class TestRegistrySqlAlchemyStoreOnPostgres(ModelRegistryStoreContract):
    hypothesis_profile = "quick"

    @pytest.fixture
    def model_registry_store(self, registry_postgres_uri):
        from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore

        return SqlAlchemyStore(registry_postgres_uri)

    @pytest.fixture
    def registry_uri(self, registry_postgres_uri):
        return registry_postgres_uri
