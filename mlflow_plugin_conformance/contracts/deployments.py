"""The deployment-target contract (``mlflow.deployments``).

Subclass :class:`DeploymentsContract` and provide a ``deployment_client`` fixture returning the client (the
bundled suite builds it with ``mlflow.deployments.get_deploy_client(target_uri)``). The target's module (what the
entry point names) is found through MLflow's plugin store from the client's ``target_uri``; override the
``deployment_target_module`` fixture to give it yourself. Two tiny pyfunc models (``x + 1`` and ``2 x``) saved to a
temporary directory are deployed; nothing leaves the machine.
"""

from __future__ import annotations

import inspect

import pytest

from ._local_mlflow import ImportOrderClauses, entry_points_of, save_tiny_model
from ..outcomes import unsupported
from ._support import unique_name
from .base import ContractBase, clause, required_fixture

_EXAMPLE = """    @pytest.fixture
    def deployment_client(self, tmp_path):
        return MyDeploymentClient(f"my-target:{tmp_path}")"""



def _frame(values):
    import pandas as pd

    return pd.DataFrame({"x": list(values)})


def predictions_of(response) -> list:
    """The predictions of a ``predict`` response as a flat list of numbers: a ``PredictionsResponse`` (dict with
    'predictions'), a DataFrame, a Series, an array or a list are accepted, as MLflow's own targets return."""
    import numpy as np
    import pandas as pd

    if isinstance(response, dict):
        assert "predictions" in response, f"predict returned a dict without 'predictions': {response!r}"
        response = response["predictions"]
    if isinstance(response, pd.DataFrame):
        response = response.iloc[:, 0]
    if isinstance(response, list) and response and isinstance(response[0], dict):
        response = [next(iter(row.values())) for row in response]
    return [float(v) for v in np.asarray(response, dtype=float).reshape(-1)]


class DeploymentsContract(ImportOrderClauses, ContractBase):
    """Contract clauses for a deployment target. Provide the ``deployment_client`` fixture."""

    kind_key = "deployments"
    target_fixture = "deployment_client"

    deployment_client = required_fixture("deployment_client", "DeploymentsContract", _EXAMPLE)

    # -- fixtures --------------------------------------------------------------------------------------------------

    @pytest.fixture
    def deployment_target_module(self, deployment_client):
        """The plugin module MLflow validated for the client's target (``plugin_store[target_uri]``)."""
        from mlflow.deployments.interface import plugin_store

        return plugin_store[deployment_client.target_uri]

    @pytest.fixture(scope="class")
    @classmethod
    def deployable_models(cls, tmp_path_factory):
        """``(model_plus_one_uri, model_double_uri)``: two pyfunc models with different predictions."""
        folder = tmp_path_factory.mktemp("deploy-models")
        return save_tiny_model(folder / "plus-one", 1, 1), save_tiny_model(folder / "double", 2, 0)

    @pytest.fixture
    def deployment(self, deployment_client, deployable_models):
        """A deployment of the ``x + 1`` model under a unique name, deleted at teardown."""
        name = unique_name("dep")
        deployment_client.create_deployment(name, deployable_models[0])
        yield name
        try:
            deployment_client.delete_deployment(name)
        except Exception:
            pass

    def _import_probe(self, subject):
        module = type(subject).__module__
        return module, entry_points_of("mlflow.deployments", module) + (
            "from mlflow.deployments import get_deploy_client\n"
            "for e in eps:\n"
            f"    assert type(get_deploy_client(e.name)).__name__ == {type(subject).__name__!r}, e.name\n"
        )

    # -- module --------------------------------------------------------------------------------------------------

    @clause("deployments/module/interface")
    def test_module_interface(self, deployment_target_module, deployment_client):
        """The target module defines ``run_local`` and ``target_help`` and exactly one ``BaseDeploymentClient``
        subclass, the class of the client ``get_deploy_client`` returns."""
        from mlflow.deployments import BaseDeploymentClient

        module = deployment_target_module
        for name in ("run_local", "target_help"):
            assert callable(getattr(module, name, None)), f"the target module has no callable {name}"
        classes = [obj for _, obj in inspect.getmembers(module, inspect.isclass)
                   if issubclass(obj, BaseDeploymentClient) and obj is not BaseDeploymentClient]
        assert len(classes) == 1, f"the module has {len(classes)} BaseDeploymentClient subclasses: {classes}"
        assert type(deployment_client) is classes[0]

    @clause("deployments/module/target-help")
    def test_module_target_help(self, deployment_target_module):
        """``target_help()`` takes no argument and returns a non-empty string (``mlflow deployments help``)."""
        text = deployment_target_module.target_help()
        assert isinstance(text, str) and text.strip(), f"target_help() returned {text!r}"

    @clause("deployments/module/run-local-signature")
    def test_module_run_local_signature(self, deployment_target_module):
        """``run_local`` accepts MLflow's call ``run_local(name, model_uri, flavor, config)`` (positional: MLflow's
        ``mlflow.deployments.run_local`` passes no target)."""
        signature = inspect.signature(deployment_target_module.run_local)
        try:
            signature.bind("name", "model-uri", None, None)
        except TypeError as exc:
            pytest.fail(f"run_local{signature} cannot take MLflow's call (name, model_uri, flavor, config): {exc}")

    @clause("deployments/client/target-uri")
    def test_client_target_uri(self, deployment_client):
        """The client keeps the ``target_uri`` it was built from (``BaseDeploymentClient.__init__`` was called)."""
        assert isinstance(getattr(deployment_client, "target_uri", None), str), (
            "the client has no target_uri: its __init__ does not call super().__init__(target_uri)")

    # -- deployments ---------------------------------------------------------------------------------------------

    @clause("deployments/lifecycle/create-get")
    def test_lifecycle_create_get(self, deployment_client, deployable_models):
        """``create_deployment`` returns a dict with the name; ``get_deployment`` returns a dict with the name."""
        name = unique_name("dep")
        created = deployment_client.create_deployment(name, deployable_models[0])
        try:
            assert isinstance(created, dict) and created.get("name") == name, f"create returned {created!r}"
            got = deployment_client.get_deployment(name)
            assert isinstance(got, dict) and got.get("name") == name, f"get_deployment returned {got!r}"
        finally:
            deployment_client.delete_deployment(name)

    @clause("deployments/lifecycle/list")
    def test_lifecycle_list(self, deployment_client, deployment):
        """``list_deployments`` returns a list of dicts, each with a 'name', including every live deployment."""
        listed = deployment_client.list_deployments()
        assert isinstance(listed, list), f"list_deployments returned {type(listed).__name__}, not a list"
        assert all(isinstance(d, dict) and "name" in d for d in listed), f"entries without 'name': {listed!r}"
        assert deployment in [d["name"] for d in listed]

    @clause("deployments/lifecycle/duplicate-create")
    def test_lifecycle_duplicate_create(self, deployment_client, deployment, deployable_models):
        """Creating a deployment whose name exists raises an MlflowException and leaves the first one serving."""
        from mlflow.exceptions import MlflowException

        with pytest.raises(MlflowException):
            deployment_client.create_deployment(deployment, deployable_models[1])
        assert predictions_of(deployment_client.predict(deployment, _frame([1, 2]))) == [2.0, 3.0]

    @clause("deployments/lifecycle/predict")
    def test_lifecycle_predict(self, deployment_client, deployment):
        """``predict`` on a DataFrame returns the model's predictions (a PredictionsResponse / dict, a DataFrame
        or an array), in input order."""
        response = deployment_client.predict(deployment, _frame([0, 1, 5, -3]))
        assert predictions_of(response) == [1.0, 2.0, 6.0, -2.0]

    @clause("deployments/lifecycle/update-model")
    def test_lifecycle_update_model(self, deployment_client, deployment, deployable_models):
        """``update_deployment(name, model_uri=...)`` serves the new model from then on (also when the old one
        has already served predictions)."""
        assert predictions_of(deployment_client.predict(deployment, _frame([1, 4]))) == [2.0, 5.0]
        deployment_client.update_deployment(deployment, model_uri=deployable_models[1])
        assert predictions_of(deployment_client.predict(deployment, _frame([1, 4]))) == [2.0, 8.0]

    @clause("deployments/lifecycle/delete")
    def test_lifecycle_delete(self, deployment_client, deployable_models):
        """``delete_deployment`` removes it (get raises, list omits it) and is idempotent: deleting again, or a
        name that never existed, does not raise."""
        from mlflow.exceptions import MlflowException

        name = unique_name("dep")
        deployment_client.create_deployment(name, deployable_models[0])
        deployment_client.delete_deployment(name)
        assert name not in [d["name"] for d in deployment_client.list_deployments()]
        with pytest.raises(MlflowException):
            deployment_client.get_deployment(name)
        deployment_client.delete_deployment(name)
        deployment_client.delete_deployment(unique_name("never"))

    # -- errors ----------------------------------------------------------------------------------------------------

    @clause("deployments/errors/unknown-deployment")
    def test_errors_unknown_deployment(self, deployment_client, deployable_models):
        """get, update and predict of an unknown deployment raise an MlflowException (not KeyError,
        FileNotFoundError or None)."""
        from mlflow.exceptions import MlflowException

        name = unique_name("missing")
        calls = {
            "get_deployment": lambda: deployment_client.get_deployment(name),
            "update_deployment": lambda: deployment_client.update_deployment(name, model_uri=deployable_models[0]),
            "predict": lambda: deployment_client.predict(name, _frame([1])),
        }
        wrong = []
        for label, call in calls.items():
            try:
                result = call()
            except MlflowException:
                continue
            except Exception as exc:
                wrong.append(f"{label} raised {type(exc).__name__}: {exc}")
            else:
                wrong.append(f"{label} returned {result!r}")
        assert not wrong, "an unknown deployment must raise MlflowException:\n" + "\n".join(wrong)

    @clause("deployments/errors/unknown-deployment-code", level="full")
    def test_errors_unknown_deployment_code(self, deployment_client):
        """get_deployment of an unknown name raises error code RESOURCE_DOES_NOT_EXIST (HTTP 404 for servers)."""
        from ._support import raises_mlflow_error

        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown deployment"):
            deployment_client.get_deployment(unique_name("missing"))

    # -- endpoints (optional) --------------------------------------------------------------------------------------

    def _require_endpoints(self, deployment_client):
        from mlflow.deployments import BaseDeploymentClient

        if type(deployment_client).create_endpoint is BaseDeploymentClient.create_endpoint:
            unsupported("deployments.endpoints", "the client does not override create_endpoint (the base raises)")

    @clause("deployments/endpoints/lifecycle", feature="deployments.endpoints")
    def test_endpoints_lifecycle(self, deployment_client):
        """Where endpoints are offered: create returns a dict with the name; get, list and update see it; delete
        removes it and is idempotent; get of a deleted endpoint raises an MlflowException."""
        from mlflow.exceptions import MlflowException

        self._require_endpoints(deployment_client)
        name = unique_name("ep")
        created = deployment_client.create_endpoint(name, config={"k": "v"})
        assert isinstance(created, dict) and created.get("name") == name, f"create_endpoint returned {created!r}"
        got = deployment_client.get_endpoint(name)
        assert isinstance(got, dict) and got.get("name") == name, f"get_endpoint returned {got!r}"
        assert name in [e["name"] for e in deployment_client.list_endpoints()]
        deployment_client.update_endpoint(name, config={"k": "w"})
        deployment_client.delete_endpoint(name)
        assert name not in [e["name"] for e in deployment_client.list_endpoints()]
        with pytest.raises(MlflowException):
            deployment_client.get_endpoint(name)
        deployment_client.delete_endpoint(name)

    @clause("deployments/endpoints/deployment-in-endpoint", feature="deployments.endpoints")
    def test_endpoints_deployment_in_endpoint(self, deployment_client, deployable_models):
        """Where endpoints are offered: a deployment created under an endpoint is listed and predicts there, and
        is not mixed into another endpoint's list."""
        self._require_endpoints(deployment_client)
        endpoint, other, name = unique_name("ep"), unique_name("ep"), unique_name("dep")
        deployment_client.create_endpoint(endpoint)
        deployment_client.create_endpoint(other)
        try:
            deployment_client.create_deployment(name, deployable_models[1], endpoint=endpoint)
            assert name in [d["name"] for d in deployment_client.list_deployments(endpoint=endpoint)]
            assert name not in [d["name"] for d in deployment_client.list_deployments(endpoint=other)]
            response = deployment_client.predict(name, _frame([3]), endpoint=endpoint)
            assert predictions_of(response) == [6.0]
            deployment_client.delete_deployment(name, endpoint=endpoint)
        finally:
            deployment_client.delete_endpoint(endpoint)
            deployment_client.delete_endpoint(other)
