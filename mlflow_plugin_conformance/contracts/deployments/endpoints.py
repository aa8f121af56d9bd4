"""``deployments/endpoints/*`` (feature ``deployments.endpoints``): endpoints and the deployments under them, where
the client offers them."""

from __future__ import annotations

import pytest

from .._support import unique_name
from ...outcomes import blocked_by
from ..base import clause
from ._helpers import documented_errors, frame, predictions_of, require_endpoints


class EndpointClauses:
    @clause("deployments/endpoints/lifecycle", feature="deployments.endpoints")
    def test_endpoints_lifecycle(self, deployment_client):
        """Where endpoints are offered: create returns a dict with the name; get, list and update see it; delete
        removes it and is idempotent; get of a deleted endpoint raises an MlflowException."""
        require_endpoints(deployment_client)
        name = unique_name("ep")
        created = deployment_client.create_endpoint(name, config={"k": "v"})
        assert isinstance(created, dict) and created.get("name") == name, f"create_endpoint returned {created!r}"
        got = deployment_client.get_endpoint(name)
        assert isinstance(got, dict) and got.get("name") == name, f"get_endpoint returned {got!r}"
        assert name in [e["name"] for e in deployment_client.list_endpoints()]
        deployment_client.update_endpoint(name, config={"k": "w"})
        deployment_client.delete_endpoint(name)
        assert name not in [e["name"] for e in deployment_client.list_endpoints()]
        with pytest.raises(documented_errors()):
            deployment_client.get_endpoint(name)
        deployment_client.delete_endpoint(name)

    @clause("deployments/endpoints/deployment-in-endpoint", feature="deployments.endpoints")
    def test_endpoints_deployment_in_endpoint(self, deployment_client, deployable_models):
        """Where endpoints are offered: a deployment created under an endpoint is listed and predicts there, and
        is not mixed into another endpoint's list."""
        require_endpoints(deployment_client)
        endpoint, other, name = unique_name("ep"), unique_name("ep"), unique_name("dep")
        deployment_client.create_endpoint(endpoint)
        deployment_client.create_endpoint(other)
        try:
            deployment_client.create_deployment(name, deployable_models[1], endpoint=endpoint)
            assert name in [d["name"] for d in deployment_client.list_deployments(endpoint=endpoint)]
            assert name not in [d["name"] for d in deployment_client.list_deployments(endpoint=other)]
            response = deployment_client.predict(name, frame([3]), endpoint=endpoint)
            assert predictions_of(response) == [6.0]
            deployment_client.delete_deployment(name, endpoint=endpoint)
        finally:
            deployment_client.delete_endpoint(endpoint)
            deployment_client.delete_endpoint(other)

    @clause("deployments/endpoints/predict-keywords", feature="deployments.endpoints")
    def test_endpoints_predict_keywords(self, deployment_client, deployable_models):
        """Where endpoints are offered: ``predict(deployment_name=..., inputs=..., endpoint=...)``, all by MLflow's
        keywords, predicts with the deployment under that endpoint (MLflow's own helpers pass ``endpoint=`` and
        ``inputs=`` by keyword)."""
        import inspect

        require_endpoints(deployment_client)
        endpoint, name = unique_name("ep"), unique_name("dep")
        deployment_client.create_endpoint(endpoint)
        try:
            deployment_client.create_deployment(name, deployable_models[1], endpoint=endpoint)
            try:
                positional = predictions_of(deployment_client.predict(name, frame([3]), endpoint=endpoint))
            except Exception as exc:
                blocked_by("deployments/endpoints/deployment-in-endpoint",
                           f"predict(name, inputs, endpoint=...) raised {type(exc).__name__}: {exc}")
            if positional != [6.0]:
                blocked_by("deployments/endpoints/deployment-in-endpoint",
                           f"predict(name, inputs, endpoint=...) predicted {positional}")
            try:
                response = deployment_client.predict(deployment_name=name, inputs=frame([3]), endpoint=endpoint)
            except TypeError as exc:
                pytest.fail(f"predict{inspect.signature(deployment_client.predict)} cannot be called with MLflow's "
                            f"keywords deployment_name=, inputs=, endpoint=: {exc}", pytrace=False)
            assert predictions_of(response) == [6.0]
        finally:
            deployment_client.delete_endpoint(endpoint)
