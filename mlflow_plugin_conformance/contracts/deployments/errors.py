"""``deployments/errors/*``: what a client raises for a deployment that does not exist."""

from __future__ import annotations

from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ._helpers import frame


class ErrorClauses:
    @clause("deployments/errors/unknown-deployment")
    def test_errors_unknown_deployment(self, deployment_client, deployable_models):
        """get, update and predict of an unknown deployment raise an MlflowException (not KeyError,
        FileNotFoundError or None)."""
        from mlflow.exceptions import MlflowException

        name = unique_name("missing")
        calls = {
            "get_deployment": lambda: deployment_client.get_deployment(name),
            "update_deployment": lambda: deployment_client.update_deployment(name, model_uri=deployable_models[0]),
            "predict": lambda: deployment_client.predict(name, frame([1])),
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
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown deployment"):
            deployment_client.get_deployment(unique_name("missing"))
