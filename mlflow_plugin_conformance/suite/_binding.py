"""Bind a contract class to the targets selected on the command line."""

from __future__ import annotations

import pytest

from ..contracts.base import BuildFailure


def bind_to_targets(contract: type, class_name: str, module: str) -> type:
    """A test class ``class_name`` that runs ``contract`` once per selected target of its kind.

    The plugin's ``pytest_generate_tests`` parametrizes ``mlflow_target`` (class scope) with the targets of
    ``contract.kind_key``; the kind's fixture unwraps the target built by ``mlflow_built_target``.
    """
    fixture_name = contract.target_fixture

    def built_instance(self, mlflow_built_target):
        if isinstance(mlflow_built_target, BuildFailure):
            return mlflow_built_target
        return mlflow_built_target.instance

    built_instance.__name__ = fixture_name

    def bound_target(self, mlflow_target):
        """Puts ``mlflow_target`` in every clause's fixture closure, so every clause is parametrized."""
        return mlflow_target

    def built_uri(self, mlflow_built_target):
        """The URI the target was built from (None when the build failed)."""
        return getattr(mlflow_built_target, "uri", None)

    namespace = {
        "__module__": module,
        "__doc__": f"{contract.__name__}, run against each selected {contract.kind_key} target.",
        "_mlflow_conformance_kind": contract.kind_key,
        fixture_name: pytest.fixture(name=fixture_name)(built_instance),
        "_mlflow_bound_target": pytest.fixture(autouse=True)(bound_target),
    }
    uri_fixture = getattr(contract, "uri_fixture", None)
    if uri_fixture:  # a contract that needs the target's URI (e.g. end-to-end through MLflow's public API)
        built_uri.__name__ = uri_fixture
        namespace[uri_fixture] = pytest.fixture(name=uri_fixture)(built_uri)
    return type(class_name, (contract,), namespace)
