"""``deployments/errors/*``: what a client raises for a deployment that does not exist.

MLflow's ``BaseDeploymentClient`` documents an ``MlflowException``, or requests' ``HTTPError`` for a remote
deployment service: both are accepted (with HTTP status 404 standing for RESOURCE_DOES_NOT_EXIST).
"""

from __future__ import annotations

import pytest

from .._support import error_code_of, unique_name
from ..base import clause
from ._helpers import documented_errors, frame, http_status_of


class ErrorClauses:
    @clause("deployments/errors/unknown-deployment")
    def test_errors_unknown_deployment(self, deployment_client, deployable_models):
        """get, update and predict of an unknown deployment raise an MlflowException (or an HTTPError from a remote
        service), not KeyError, FileNotFoundError or None."""
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
            except documented_errors():
                continue
            except Exception as exc:
                wrong.append(f"{label} raised {type(exc).__name__}: {exc}")
            else:
                wrong.append(f"{label} returned {result!r}")
        assert not wrong, "an unknown deployment must raise MlflowException:\n" + "\n".join(wrong)

    @clause("deployments/errors/unknown-deployment-code", level="full")
    def test_errors_unknown_deployment_code(self, deployment_client):
        """get_deployment of an unknown name raises error code RESOURCE_DOES_NOT_EXIST (HTTP 404 for servers)."""
        try:
            deployment_client.get_deployment(unique_name("missing"))
        except documented_errors() as exc:
            if error_code_of(exc) == "NOT_IMPLEMENTED":
                raise
            code, status = error_code_of(exc), http_status_of(exc)
            assert code == "RESOURCE_DOES_NOT_EXIST" or status == 404, (
                f"getting an unknown deployment raised {type(exc).__name__} with "
                f"{f'error code {code}' if code else f'HTTP status {status}'}, expected RESOURCE_DOES_NOT_EXIST "
                f"(404): {exc}")
            return
        except NotImplementedError:
            raise
        except Exception as exc:
            pytest.fail(f"getting an unknown deployment raised {type(exc).__name__}, expected an MlflowException "
                        f"with error code RESOURCE_DOES_NOT_EXIST: {exc}", pytrace=False)
        pytest.fail("getting an unknown deployment raised nothing, expected RESOURCE_DOES_NOT_EXIST", pytrace=False)
