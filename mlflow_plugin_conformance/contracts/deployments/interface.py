"""``deployments/interface/*``: the shape MLflow's plugin manager requires of a target module, and the signatures
MLflow calls."""

from __future__ import annotations

import inspect

import pytest

from ...outcomes import blocked_by
from ..base import clause
from ._helpers import frame, predictions_of


class InterfaceClauses:
    @clause("deployments/interface/module-functions")
    def test_interface_module_functions(self, deployment_target_module):
        """The target module (what the entry point names) defines callable ``run_local`` and ``target_help``:
        MLflow's plugin manager refuses a target without them, and its command line calls them."""
        missing = [name for name in ("run_local", "target_help")
                   if not callable(getattr(deployment_target_module, name, None))]
        assert not missing, f"the target module has no callable {' and no callable '.join(missing)}"

    @clause("deployments/interface/one-client-class")
    def test_interface_one_client_class(self, deployment_target_module, deployment_client):
        """The target module holds exactly one ``BaseDeploymentClient`` subclass, the class of the client
        ``get_deploy_client`` returns (MLflow's plugin manager refuses a target with two)."""
        from mlflow.deployments import BaseDeploymentClient

        classes = [obj for _, obj in inspect.getmembers(deployment_target_module, inspect.isclass)
                   if issubclass(obj, BaseDeploymentClient) and obj is not BaseDeploymentClient]
        assert len(classes) == 1, f"the module has {len(classes)} BaseDeploymentClient subclasses: {classes}"
        assert type(deployment_client) is classes[0], (
            f"the client is a {type(deployment_client).__name__}, the module's class is {classes[0].__name__}")

    @clause("deployments/interface/run-local-signature")
    def test_interface_run_local_signature(self, deployment_target_module):
        """``run_local`` accepts MLflow's call ``run_local(name, model_uri, flavor, config)`` (positional: MLflow's
        ``mlflow.deployments.run_local`` passes no target)."""
        signature = inspect.signature(deployment_target_module.run_local)
        try:
            signature.bind("name", "model-uri", None, None)
        except TypeError as exc:
            pytest.fail(f"run_local{signature} cannot take MLflow's call (name, model_uri, flavor, config): {exc}")

    @clause("deployments/interface/predict-keywords")
    def test_interface_predict_keywords(self, deployment_client, deployment):
        """``predict`` takes its parameters by the names MLflow's ``BaseDeploymentClient.predict`` gives them:
        ``client.predict(deployment_name=..., inputs=...)`` returns the same predictions as the positional call.
        Users' code calls it so, and so does MLflow (its LLM-judge and evaluation helpers call
        ``predict(endpoint=..., inputs=...)``): a client that renames them raises TypeError there."""
        data, expected = [0, 2, -1], [1.0, 3.0, 0.0]
        try:
            positional = predictions_of(deployment_client.predict(deployment, frame(data)))
        except Exception as exc:
            blocked_by("deployments/lifecycle/predict", f"predict(name, inputs) raised {type(exc).__name__}: {exc}")
        if positional != expected:
            blocked_by("deployments/lifecycle/predict", f"predict(name, inputs) predicted {positional}")
        signature = inspect.signature(deployment_client.predict)
        try:
            response = deployment_client.predict(deployment_name=deployment, inputs=frame(data))
        except TypeError as exc:
            pytest.fail(f"predict{signature} cannot be called with MLflow's keywords deployment_name= and inputs= "
                        f"(MLflow's BaseDeploymentClient.predict(deployment_name=None, inputs=None, endpoint=None)): "
                        f"{exc}", pytrace=False)
        assert predictions_of(response) == expected, (
            f"predict(deployment_name=..., inputs=...) predicted {predictions_of(response)}, the positional call "
            f"{expected}")
