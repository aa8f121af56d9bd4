"""How the model-registry contract behaves for its users: forgotten fixtures, optional families, the bundled suite."""

from __future__ import annotations

import pytest

from mlflow_plugin_conformance.reference import sqlite_template

_HEADER = '''
import pytest
from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore

from mlflow_plugin_conformance.contracts.model_registry_store import ModelRegistryStoreContract
from mlflow_plugin_conformance.reference import fresh_registry_sqlite_uri
'''


@pytest.fixture(scope="session", autouse=True)
def _registry_template():
    sqlite_template()


def _outcomes(reprec) -> dict[str, object]:
    return {r.nodeid.rsplit("::", 1)[-1]: r for r in reprec.getreports("pytest_runtest_logreport")
            if r.when == "call" or (r.when == "setup" and not r.passed)}


def _clause_outcomes(reprec) -> dict[str, dict]:
    """clause id -> the outcome record the plugin attached to its report (outcome, reason, blocked_by...)."""
    found = {}
    for report in reprec.getreports("pytest_runtest_logreport"):
        for name, data in report.user_properties:
            if name == "mlflow_clause":
                found[data["clause"]] = data
    return found


def test_registry_missing_registry_uri_fails_with_instructions(pytester: pytest.Pytester):
    """A subclass without ``registry_uri`` fails the end-to-end clauses, saying which fixture to add."""
    pytester.makepyfile(_HEADER + '''
class TestNoUri(ModelRegistryStoreContract):
    @pytest.fixture
    def model_registry_store(self, tmp_path):
        return SqlAlchemyStore(fresh_registry_sqlite_uri(tmp_path))
''')
    reprec = pytester.inline_run("-k", "end_to_end", "-p", "no:cacheprovider")
    outcomes = _outcomes(reprec)
    assert sorted(outcomes) == ["test_end_to_end_client_registry_calls", "test_end_to_end_copy_model_version",
                                "test_end_to_end_register_and_load_prompt", "test_end_to_end_register_model",
                                "test_end_to_end_register_model_from_run"]
    for report in outcomes.values():
        assert report.failed
        assert "`registry_uri` fixture" in str(report.longrepr)


def test_registry_missing_store_fixture_fails_with_instructions(pytester: pytest.Pytester):
    """A subclass without ``model_registry_store`` fails loudly instead of passing."""
    pytester.makepyfile(_HEADER + '''
class TestNothing(ModelRegistryStoreContract):
    pass
''')
    reprec = pytester.inline_run("-k", "build_instance or registered_models_create_and_get", "-p", "no:cacheprovider")
    outcomes = _clause_outcomes(reprec)
    # One failure (the build clause) with the instructions, the other clause not-run: one bug, one headline.
    assert {c: o["outcome"] for c, o in outcomes.items()} == {
        "model_registry_store/build/instance": "failed", "model_registry_store/registered-models/create-and-get":
        "not-run"}
    assert "does not provide the `model_registry_store` fixture" in outcomes["model_registry_store/build/instance"][
        "reason"]


def test_registry_not_implemented_optional_is_unsupported_core_fails(pytester: pytest.Pytester):
    """NotImplementedError from webhooks (an optional family) is 'unsupported'; from a core method, a failure."""
    pytester.makepyfile(_HEADER + '''
class NoWebhooksNoAliases(SqlAlchemyStore):
    def create_webhook(self, *args, **kwargs):
        raise NotImplementedError("webhooks are not offered")

    def set_registered_model_alias(self, name, alias, version):
        raise NotImplementedError("aliases are not offered")


class TestPartial(ModelRegistryStoreContract):
    @pytest.fixture
    def model_registry_store(self, tmp_path):
        return NoWebhooksNoAliases(fresh_registry_sqlite_uri(tmp_path))
''')
    reprec = pytester.inline_run("-k", "webhooks_create_and_get or aliases_set_and_get", "-p", "no:cacheprovider")
    outcomes = _clause_outcomes(reprec)
    webhooks = outcomes["model_registry_store/webhooks/create-and-get"]
    import mlflow

    from mlflow_plugin_conformance.capabilities import version_at_least

    # webhooks came with MLflow 3.3: on older MLflow the clause is not-applicable before the store is asked
    expected = "unsupported" if version_at_least(mlflow.__version__, "3.3") else "not-applicable"
    assert webhooks["outcome"] == expected, webhooks
    assert outcomes["model_registry_store/aliases/set-and-get"]["outcome"] == "failed"


def test_registry_bundled_suite_passes_on_the_example_plugin(pytester: pytest.Pytester):
    """``pytest --mlflow-plugin-scheme=file-plugin`` runs the registry contract on the example plugin's entry
    point, built through MLflow's registry; the end-to-end clauses get ``registry_uri`` from the built target.

    (The other clauses run on the same SqlAlchemyStore in test_registry_reference.py.)
    """
    result = pytester.runpytest_subprocess(
        "--mlflow-plugin-scheme=file-plugin", "-p", "no:cacheprovider", "--mlflow-conformance-profile=quick",
        "--mlflow-conformance-clause=model_registry_store/end-to-end/*",
        "--mlflow-conformance-clause=model_registry_store/build/*",
        "--mlflow-conformance-clause=model_registry_store/interface/*",
        "--mlflow-conformance-clause=model_registry_store/registered-models/create-and-get", "-q")
    result.assert_outcomes(passed=9)
    assert "model_registry_store:file-plugin" in result.stdout.str()
