"""``deployments/errors/*``: what a client raises for a deployment that does not exist, one call per clause.

MLflow's ``BaseDeploymentClient`` documents an ``MlflowException``, or requests' ``HTTPError`` for a remote
deployment service: both are accepted (with HTTP status 404 standing for RESOURCE_DOES_NOT_EXIST).
"""

from __future__ import annotations

import pytest

from ...outcomes import blocked_by
from .._support import error_code_of, unique_name
from ..base import clause
from ._helpers import clean_up, documented_errors, frame, http_status_of


def assert_documented_error(call, doing: str) -> None:
    """``call()`` raises an MlflowException or an HTTPError (not KeyError, FileNotFoundError, nor a result)."""
    try:
        result = call()
    except documented_errors():
        return
    except Exception as exc:
        pytest.fail(f"{doing} raised {type(exc).__name__}: {exc}; expected an MlflowException", pytrace=False)
    pytest.fail(f"{doing} returned {result!r}; expected an MlflowException", pytrace=False)


class ErrorClauses:
    @clause("deployments/errors/get-unknown")
    def test_errors_get_unknown(self, deployment_client):
        """``get_deployment`` of an unknown name raises an MlflowException (or an HTTPError from a remote service),
        not KeyError, FileNotFoundError or None."""
        assert_documented_error(lambda: deployment_client.get_deployment(unique_name("missing")),
                                "getting an unknown deployment")

    @clause("deployments/errors/update-unknown")
    def test_errors_update_unknown(self, deployment_client, deployable_models, deployment_options):
        """``update_deployment`` of an unknown name raises an MlflowException (or an HTTPError): it does not create
        the deployment."""
        name = unique_name("missing")
        try:
            assert_documented_error(lambda: deployment_client.update_deployment(name, model_uri=deployable_models[0],
                                                                                **deployment_options),
                                    "updating an unknown deployment")
        finally:
            clean_up(lambda: deployment_client.delete_deployment(name))

    @clause("deployments/errors/predict-unknown")
    def test_errors_predict_unknown(self, deployment_client):
        """``predict`` with an unknown deployment name raises an MlflowException (or an HTTPError), not an empty
        answer."""
        assert_documented_error(lambda: deployment_client.predict(unique_name("missing"), frame([1])),
                                "predicting with an unknown deployment")

    @clause("deployments/errors/get-unknown-code", level="full")
    def test_errors_get_unknown_code(self, deployment_client):
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
            blocked_by("deployments/errors/get-unknown", f"it raised {type(exc).__name__}, not an MlflowException")
        blocked_by("deployments/errors/get-unknown", "getting an unknown deployment raised nothing")
