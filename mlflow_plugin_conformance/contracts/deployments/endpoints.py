"""``deployments/endpoints/*`` (feature ``deployments.endpoints``): endpoints and the deployments under them, where
the client offers them (a client that keeps the base's endpoint methods is unsupported here). Each clause checks
one behaviour; one whose prerequisite is broken reports itself blocked by the clause that checks it."""

from __future__ import annotations

import pytest

from ...outcomes import blocked_by, is_not_implemented, unsupported
from .._support import unique_name
from ..base import clause
from ._helpers import clean_up, documented_errors, frame, names_listed, predictions_of, require_endpoints

FEATURE = "deployments.endpoints"


class EndpointClauses:
    @pytest.fixture
    def endpoint(self, deployment_client):
        """An endpoint under a unique name (``create_endpoint(name, config=...)``), deleted at teardown."""
        require_endpoints(deployment_client)
        name = unique_name("ep")
        try:
            deployment_client.create_endpoint(name, config={"k": "v"})
        except Exception as exc:
            if is_not_implemented(exc):
                unsupported(FEATURE, f"create_endpoint raised {type(exc).__name__}")
            blocked_by("deployments/endpoints/create", f"create_endpoint raised {type(exc).__name__}: {exc}")
        yield name
        try:
            deployment_client.delete_endpoint(name)
        except Exception:
            pass

    @pytest.fixture
    def deployment_in_endpoint(self, deployment_client, endpoint, deployable_models, deployment_options):
        """A deployment of the ``2 x`` model created under ``endpoint`` (``create_deployment(..., endpoint=)``)."""
        name = unique_name("dep")
        try:
            deployment_client.create_deployment(name, deployable_models[1], endpoint=endpoint, **deployment_options)
        except Exception as exc:
            blocked_by("deployments/endpoints/deployment-listed",
                       f"create_deployment(..., endpoint=...) raised {type(exc).__name__}: {exc}")
        return name

    @clause("deployments/endpoints/create", feature=FEATURE)
    def test_endpoints_create(self, deployment_client):
        """``create_endpoint(name, config=...)`` returns a dict whose 'name' is the endpoint's name."""
        require_endpoints(deployment_client)
        name = unique_name("ep")
        try:
            created = deployment_client.create_endpoint(name, config={"k": "v"})
            assert isinstance(created, dict) and created.get("name") == name, f"create_endpoint returned {created!r}"
        finally:
            clean_up(lambda: deployment_client.delete_endpoint(name))

    @clause("deployments/endpoints/get", feature=FEATURE)
    def test_endpoints_get(self, deployment_client, endpoint):
        """``get_endpoint(name)`` of a live endpoint returns a dict whose 'name' is that name."""
        got = deployment_client.get_endpoint(endpoint)
        assert isinstance(got, dict) and got.get("name") == endpoint, f"get_endpoint returned {got!r}"

    @clause("deployments/endpoints/list", feature=FEATURE)
    def test_endpoints_list(self, deployment_client, endpoint):
        """``list_endpoints()`` returns a list of dicts, each with a 'name', the live endpoint's among them."""
        listed = deployment_client.list_endpoints()
        assert isinstance(listed, list) and all(isinstance(e, dict) and "name" in e for e in listed), (
            f"list_endpoints returned {listed!r}, not a list of dicts with a 'name'")
        assert endpoint in [e["name"] for e in listed], f"the live endpoint {endpoint!r} is not listed"

    @clause("deployments/endpoints/update", feature=FEATURE)
    def test_endpoints_update(self, deployment_client, endpoint):
        """``update_endpoint(name, config=...)`` of a live endpoint succeeds (MLflow's command line calls it so)."""
        deployment_client.update_endpoint(endpoint, config={"k": "w"})

    @clause("deployments/endpoints/delete", feature=FEATURE)
    def test_endpoints_delete(self, deployment_client, endpoint):
        """After ``delete_endpoint(name)``, ``get_endpoint(name)`` raises an MlflowException (or an HTTPError), also
        when the endpoint was read before."""
        try:
            deployment_client.get_endpoint(endpoint)
        except Exception as exc:
            blocked_by("deployments/endpoints/get", f"get_endpoint raised {type(exc).__name__}: {exc}")
        deployment_client.delete_endpoint(endpoint)
        with pytest.raises(documented_errors()):
            deployment_client.get_endpoint(endpoint)

    @clause("deployments/endpoints/delete-unlisted", feature=FEATURE)
    def test_endpoints_delete_unlisted(self, deployment_client, endpoint):
        """After ``delete_endpoint(name)``, ``list_endpoints()`` no longer lists it."""
        deployment_client.delete_endpoint(endpoint)
        names = names_listed(deployment_client.list_endpoints(), "deployments/endpoints/list", "list_endpoints")
        assert endpoint not in names, f"the deleted endpoint {endpoint!r} is still listed"

    @clause("deployments/endpoints/delete-absent", feature=FEATURE)
    def test_endpoints_delete_absent(self, deployment_client, endpoint):
        """Deleting an endpoint is idempotent, as MLflow's base class asks: deleting it again, or a name that never
        existed, does not raise."""
        deployment_client.delete_endpoint(endpoint)
        deployment_client.delete_endpoint(endpoint)
        deployment_client.delete_endpoint(unique_name("never"))

    @clause("deployments/endpoints/deployment-listed", feature=FEATURE)
    def test_endpoints_deployment_listed(self, deployment_client, endpoint, deployable_models, deployment_options):
        """A deployment created under an endpoint (``create_deployment(..., endpoint=...)``) is listed by
        ``list_deployments(endpoint=...)``."""
        name = unique_name("dep")
        deployment_client.create_deployment(name, deployable_models[1], endpoint=endpoint, **deployment_options)
        names = names_listed(deployment_client.list_deployments(endpoint=endpoint), "deployments/lifecycle/list",
                             "list_deployments(endpoint=...)")
        assert name in names, f"{name!r} is not listed under its endpoint: {names}"

    @clause("deployments/endpoints/deployment-isolated", feature=FEATURE)
    def test_endpoints_deployment_isolated(self, deployment_client, deployment_in_endpoint):
        """A deployment created under an endpoint is not listed under another endpoint."""
        other = unique_name("ep")
        deployment_client.create_endpoint(other)
        try:
            names = names_listed(deployment_client.list_deployments(endpoint=other), "deployments/lifecycle/list",
                                 "list_deployments(endpoint=...)")
        finally:
            clean_up(lambda: deployment_client.delete_endpoint(other))
        assert deployment_in_endpoint not in names, "a deployment is listed under an endpoint it is not in"

    @clause("deployments/endpoints/deployment-predicts", feature=FEATURE)
    def test_endpoints_deployment_predicts(self, deployment_client, deployment_in_endpoint, endpoint):
        """``predict(name, inputs, endpoint=...)`` predicts with the deployment under that endpoint."""
        response = deployment_client.predict(deployment_in_endpoint, frame([3]), endpoint=endpoint)
        assert predictions_of(response) == [6.0], f"predicted {predictions_of(response)} under the endpoint"
