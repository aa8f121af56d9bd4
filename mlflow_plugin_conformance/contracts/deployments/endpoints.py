"""``deployments/endpoints/*`` (feature ``deployments.endpoints``): endpoints and the deployments under them, where
the client offers them."""

from __future__ import annotations

import pytest

from .._support import unique_name
from ..base import clause
from ._helpers import frame, predictions_of, require_endpoints


class EndpointClauses:
    @clause("deployments/endpoints/lifecycle", feature="deployments.endpoints")
    def test_endpoints_lifecycle(self, deployment_client):
        """Where endpoints are offered: create returns a dict with the name; get, list and update see it; delete
        removes it and is idempotent; get of a deleted endpoint raises an MlflowException."""
        from mlflow.exceptions import MlflowException

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
        with pytest.raises(MlflowException):
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
