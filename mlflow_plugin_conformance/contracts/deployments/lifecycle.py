"""``deployments/lifecycle/*``: create, get, list, predict with, update and delete a deployment."""

from __future__ import annotations

import pytest

from .._support import unique_name
from ..base import clause
from ._helpers import documented_errors, frame, predictions_of


class LifecycleClauses:
    @clause("deployments/lifecycle/create-get")
    def test_lifecycle_create_get(self, deployment_client, deployable_models):
        """``create_deployment`` returns a dict with the name; ``get_deployment`` returns a dict with the name."""
        name = unique_name("dep")
        created = deployment_client.create_deployment(name, deployable_models[0])
        try:
            assert isinstance(created, dict) and created.get("name") == name, f"create returned {created!r}"
            got = deployment_client.get_deployment(name)
            assert isinstance(got, dict) and got.get("name") == name, f"get_deployment returned {got!r}"
        finally:
            deployment_client.delete_deployment(name)

    @clause("deployments/lifecycle/list")
    def test_lifecycle_list(self, deployment_client, deployment):
        """``list_deployments`` returns a list of dicts, each with a 'name', including every live deployment."""
        listed = deployment_client.list_deployments()
        assert isinstance(listed, list), f"list_deployments returned {type(listed).__name__}, not a list"
        assert all(isinstance(d, dict) and "name" in d for d in listed), f"entries without 'name': {listed!r}"
        assert deployment in [d["name"] for d in listed]

    @clause("deployments/lifecycle/duplicate-create")
    def test_lifecycle_duplicate_create(self, deployment_client, deployment, deployable_models):
        """Creating a deployment whose name exists raises an MlflowException and leaves the first one serving."""
        with pytest.raises(documented_errors()):
            deployment_client.create_deployment(deployment, deployable_models[1])
        assert predictions_of(deployment_client.predict(deployment, frame([1, 2]))) == [2.0, 3.0]

    @clause("deployments/lifecycle/predict")
    def test_lifecycle_predict(self, deployment_client, deployment):
        """``predict`` on a DataFrame returns the model's predictions (a PredictionsResponse / dict, a DataFrame
        or an array), in input order."""
        response = deployment_client.predict(deployment, frame([0, 1, 5, -3]))
        assert predictions_of(response) == [1.0, 2.0, 6.0, -2.0]

    @clause("deployments/lifecycle/update-model")
    def test_lifecycle_update_model(self, deployment_client, deployment, deployable_models):
        """``update_deployment(name, model_uri=...)`` serves the new model from then on (also when the old one
        has already served predictions)."""
        assert predictions_of(deployment_client.predict(deployment, frame([1, 4]))) == [2.0, 5.0]
        deployment_client.update_deployment(deployment, model_uri=deployable_models[1])
        assert predictions_of(deployment_client.predict(deployment, frame([1, 4]))) == [2.0, 8.0]

    @clause("deployments/lifecycle/delete")
    def test_lifecycle_delete(self, deployment_client, deployable_models):
        """``delete_deployment`` removes it (get raises, list omits it) and is idempotent: deleting again, or a
        name that never existed, does not raise."""
        name = unique_name("dep")
        deployment_client.create_deployment(name, deployable_models[0])
        deployment_client.delete_deployment(name)
        assert name not in [d["name"] for d in deployment_client.list_deployments()]
        with pytest.raises(documented_errors()):
            deployment_client.get_deployment(name)
        deployment_client.delete_deployment(name)
        deployment_client.delete_deployment(unique_name("never"))
