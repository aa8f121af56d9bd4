"""``deployments/interface/*``: the shape MLflow's plugin manager requires of a target module, and the signatures
MLflow calls."""

from __future__ import annotations

import inspect

import pytest

from ...outcomes import blocked_by
from ..base import clause
from ._helpers import frame, predictions_of


class InterfaceClauses:
    @clause("deployments/interface/module")
    def test_interface_module(self, deployment_target_module, deployment_client):
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
