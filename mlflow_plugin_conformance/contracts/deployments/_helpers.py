"""What only the deployment-target contract uses: the inputs it sends and how it reads predictions back."""

from __future__ import annotations


def frame(values):
    """A one-column DataFrame ``x`` (the input of the tiny models the contract deploys)."""
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


def require_endpoints(deployment_client) -> None:
    """End the clause as unsupported when the client does not offer endpoints (the base's methods raise)."""
    from mlflow.deployments import BaseDeploymentClient

    from ...outcomes import unsupported

    if type(deployment_client).create_endpoint is BaseDeploymentClient.create_endpoint:
        unsupported("deployments.endpoints", "the client does not override create_endpoint (the base raises)")


def documented_errors() -> tuple[type, ...]:
    """What MLflow's ``BaseDeploymentClient`` documents a client raises on a missing or conflicting deployment: an
    ``MlflowException``, or requests' ``HTTPError`` for a remote deployment service."""
    from mlflow.exceptions import MlflowException
    from requests.exceptions import HTTPError

    return MlflowException, HTTPError


def http_status_of(exc: BaseException) -> int | None:
    """The HTTP status of a requests ``HTTPError`` (None for anything else)."""
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None


def names_listed(listing, clause_id: str, what: str) -> list[str]:
    """The 'name' of every entry of a ``list_deployments`` / ``list_endpoints`` answer; the clause is blocked by
    ``clause_id`` (which reports it) when the answer is not a list of dicts with a 'name'."""
    from ...outcomes import blocked_by

    if not isinstance(listing, list) or not all(isinstance(d, dict) and "name" in d for d in listing):
        blocked_by(clause_id, f"{what} did not return a list of dicts with a 'name': {listing!r}")
    return [d["name"] for d in listing]


def predicted(deployment_client, name, values, *, endpoint=None, clause_id="deployments/lifecycle/predict"):
    """The predictions of deployment ``name`` for ``x = values``; blocked by ``clause_id`` when predict raises."""
    from ...outcomes import blocked_by

    kwargs = {"endpoint": endpoint} if endpoint is not None else {}
    try:
        return predictions_of(deployment_client.predict(name, frame(values), **kwargs))
    except Exception as exc:
        blocked_by(clause_id, f"predict raised {type(exc).__name__}: {exc}")


def clean_up(call) -> None:
    """Best-effort clean-up after a clause: ``call()``, whatever it raises. Deleting is checked by its own clauses
    (``lifecycle/delete*``, ``endpoints/delete*``); a clean-up error must not replace the clause's own verdict
    (it did on a real target, whose 404 on delete was reported as a failed update)."""
    try:
        call()
    except Exception:  # noqa: BLE001 (reported by the delete clauses, not here)
        pass
