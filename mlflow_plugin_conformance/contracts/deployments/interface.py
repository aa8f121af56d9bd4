"""``deployments/interface/*``: the shape MLflow's plugin manager requires of a target module, and the signatures
MLflow calls."""

from __future__ import annotations

import inspect

import pytest

from ..base import clause


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
