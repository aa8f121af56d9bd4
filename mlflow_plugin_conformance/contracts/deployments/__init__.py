"""The deployment-target contract (``mlflow.deployments``).

Subclass :class:`DeploymentsContract` and provide a ``deployment_client`` fixture returning the client (the
bundled suite builds it with ``mlflow.deployments.get_deploy_client(target_uri)``). The target's module (what the
entry point names) is found through MLflow's plugin store from the client's ``target_uri``; override the
``deployment_target_module`` fixture to give it yourself. Two tiny pyfunc models (``x + 1`` and ``2 x``) saved to a
temporary directory are deployed; nothing leaves the machine. A target that needs a ``config`` or ``flavor`` to
deploy, or models in its own format or location, gets them from the ``mlflow_deployment_options`` and
``mlflow_deployable_models`` fixtures (define them in ``conftest.py``: they reach the bundled suite too).
"""

from __future__ import annotations

import pytest

from ...outcomes import blocked_by
from .._support import unique_name
from ..base import ContractBase, required_fixture
from ..shared.import_order import ImportOrderClauses
from ..shared.local_mlflow import save_tiny_model
from .client import ClientClauses
from .endpoints import EndpointClauses
from .errors import ErrorClauses
from .interface import InterfaceClauses
from .lifecycle import LifecycleClauses
from .module import ModuleClauses

__all__ = ["DeploymentsContract"]

_EXAMPLE = """    @pytest.fixture
    def deployment_client(self, tmp_path):
        return MyDeploymentClient(f"my-target:{tmp_path}")"""


class DeploymentsContract(
    InterfaceClauses,
    ModuleClauses,
    ClientClauses,
    LifecycleClauses,
    ErrorClauses,
    EndpointClauses,
    ImportOrderClauses,
    ContractBase,
):
    """Contract clauses for a deployment target. Provide the ``deployment_client`` fixture."""

    kind_key = "deployments"
    target_fixture = "deployment_client"

    deployment_client = required_fixture("deployment_client", "DeploymentsContract", _EXAMPLE)

    @pytest.fixture
    def deployment_target_module(self, deployment_client):
        """The plugin module MLflow validated for the client's target (``plugin_store[target_uri]``)."""
        from mlflow.deployments.interface import plugin_store

        target_uri = getattr(deployment_client, "target_uri", None)
        if not isinstance(target_uri, str):
            blocked_by("deployments/client/target-uri", "the client has no target_uri to find its target module by")
        return plugin_store[target_uri]

    @pytest.fixture(scope="class")
    @classmethod
    def deployable_models(cls, tmp_path_factory, mlflow_deployable_models):
        """``(model_plus_one_uri, model_double_uri)``: two models predicting ``x + 1`` and ``2 x`` for a column
        ``x``. Default: the ``mlflow_deployable_models`` fixture when it gives them (a target that deploys only
        its own format or location), else two tiny pyfunc models saved to a temporary directory."""
        if mlflow_deployable_models is not None:
            return tuple(mlflow_deployable_models)
        folder = tmp_path_factory.mktemp("deploy-models")
        return save_tiny_model(folder / "plus-one", 1, 1), save_tiny_model(folder / "double", 2, 0)

    @pytest.fixture
    def deployment_options(self, mlflow_deployment_options):
        """Keyword arguments every ``create_deployment`` and ``update_deployment`` call passes besides the name and
        the model URI (``config``, ``flavor``): the ``mlflow_deployment_options`` fixture (default: none)."""
        return dict(mlflow_deployment_options or {})

    @pytest.fixture
    def deployment(self, deployment_client, deployable_models, deployment_options):
        """A deployment of the ``x + 1`` model under a unique name, deleted at teardown."""
        name = unique_name("dep")
        try:
            deployment_client.create_deployment(name, deployable_models[0], **deployment_options)
        except Exception as exc:
            blocked_by("deployments/lifecycle/create", f"create_deployment raised {type(exc).__name__}: {exc}")
        yield name
        try:
            deployment_client.delete_deployment(name)
        except Exception:
            pass
