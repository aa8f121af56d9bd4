"""``deployments/lifecycle/*``: create, get, list, predict with, update and delete a deployment. Each clause
checks one behaviour; one whose prerequisite is broken (predicting, listing) reports itself blocked by the
clause that checks the prerequisite."""

from __future__ import annotations

import pytest

from ...outcomes import blocked_by
from .._support import unique_name
from ..base import clause
from ._helpers import clean_up, documented_errors, frame, names_listed, predicted, predictions_of


class LifecycleClauses:
    @clause("deployments/lifecycle/create")
    def test_lifecycle_create(self, deployment_client, deployable_models, deployment_options):
        """``create_deployment(name, model_uri)`` returns a dict whose 'name' is the deployment's name."""
        name = unique_name("dep")
        try:
            created = deployment_client.create_deployment(name, deployable_models[0], **deployment_options)
            assert isinstance(created, dict) and created.get("name") == name, (
                f"create_deployment returned {created!r}, not a dict with 'name': {name!r}")
        finally:
            clean_up(lambda: deployment_client.delete_deployment(name))

    @clause("deployments/lifecycle/get")
    def test_lifecycle_get(self, deployment_client, deployment):
        """``get_deployment(name)`` of a live deployment returns a dict whose 'name' is that name."""
        got = deployment_client.get_deployment(deployment)
        assert isinstance(got, dict) and got.get("name") == deployment, f"get_deployment returned {got!r}"

    @clause("deployments/lifecycle/list")
    def test_lifecycle_list(self, deployment_client, deployment):
        """``list_deployments()`` returns a list of dicts, each with a 'name'."""
        listed = deployment_client.list_deployments()
        assert isinstance(listed, list), f"list_deployments returned {type(listed).__name__}, not a list"
        assert all(isinstance(d, dict) and "name" in d for d in listed), f"entries without 'name': {listed!r}"

    @clause("deployments/lifecycle/list-live")
    def test_lifecycle_list_live(self, deployment_client, deployment):
        """``list_deployments()`` includes every live deployment, one created a moment ago included."""
        names = names_listed(deployment_client.list_deployments(), "deployments/lifecycle/list", "list_deployments")
        assert deployment in names, f"the live deployment {deployment!r} is not listed: {names}"

    @clause("deployments/lifecycle/duplicate-create")
    def test_lifecycle_duplicate_create(self, deployment_client, deployment, deployable_models, deployment_options):
        """Creating a deployment whose name exists raises an MlflowException (or an HTTPError from a remote
        service), as MLflow's base class documents."""
        with pytest.raises(documented_errors()):
            deployment_client.create_deployment(deployment, deployable_models[1], **deployment_options)

    @clause("deployments/lifecycle/duplicate-create-keeps-first")
    def test_lifecycle_duplicate_create_keeps_first(self, deployment_client, deployment, deployable_models,
                                                    deployment_options):
        """A refused duplicate create leaves the first deployment serving its own model."""
        if predicted(deployment_client, deployment, [1, 2]) != [2.0, 3.0]:
            blocked_by("deployments/lifecycle/predict", "the deployment does not predict its model")
        try:
            deployment_client.create_deployment(deployment, deployable_models[1], **deployment_options)
        except Exception:
            pass
        else:
            blocked_by("deployments/lifecycle/duplicate-create", "the duplicate create was not refused")
        after = predictions_of(deployment_client.predict(deployment, frame([1, 2])))
        assert after == [2.0, 3.0], (
            f"after a refused duplicate create, the first deployment predicts {after}, not its model's [2.0, 3.0]")

    @clause("deployments/lifecycle/predict")
    def test_lifecycle_predict(self, deployment_client, deployment):
        """``predict`` on a DataFrame returns the model's predictions (a PredictionsResponse / dict, a DataFrame
        or an array), in input order."""
        response = deployment_client.predict(deployment, frame([0, 1, 5, -3]))
        assert predictions_of(response) == [1.0, 2.0, 6.0, -2.0]

    @clause("deployments/lifecycle/update-model")
    def test_lifecycle_update_model(self, deployment_client, deployment, deployable_models, deployment_options):
        """``update_deployment(name, model_uri=...)`` serves the new model from then on (also when the old one
        has already served predictions)."""
        if predicted(deployment_client, deployment, [1, 4]) != [2.0, 5.0]:
            blocked_by("deployments/lifecycle/predict", "the deployment does not predict its model")
        deployment_client.update_deployment(deployment, model_uri=deployable_models[1], **deployment_options)
        after = predictions_of(deployment_client.predict(deployment, frame([1, 4])))
        assert after == [2.0, 8.0], f"after the update the deployment predicts {after}, not the new model's [2.0, 8.0]"

    @clause("deployments/lifecycle/delete")
    def test_lifecycle_delete(self, deployment_client, deployment):
        """After ``delete_deployment(name)``, ``get_deployment(name)`` raises an MlflowException (or an HTTPError
        from a remote service), also when the deployment was read before."""
        try:
            deployment_client.get_deployment(deployment)
        except Exception as exc:
            blocked_by("deployments/lifecycle/get", f"get_deployment raised {type(exc).__name__}: {exc}")
        deployment_client.delete_deployment(deployment)
        with pytest.raises(documented_errors()):
            deployment_client.get_deployment(deployment)

    @clause("deployments/lifecycle/delete-unlisted")
    def test_lifecycle_delete_unlisted(self, deployment_client, deployment):
        """After ``delete_deployment(name)``, ``list_deployments()`` no longer lists it."""
        deployment_client.delete_deployment(deployment)
        names = names_listed(deployment_client.list_deployments(), "deployments/lifecycle/list", "list_deployments")
        assert deployment not in names, f"the deleted deployment {deployment!r} is still listed"

    @clause("deployments/lifecycle/delete-absent")
    def test_lifecycle_delete_absent(self, deployment_client, deployment):
        """Deleting is idempotent, as MLflow's base class asks: deleting a deployment again, or a name that never
        existed, does not raise."""
        deployment_client.delete_deployment(deployment)
        deployment_client.delete_deployment(deployment)
        deployment_client.delete_deployment(unique_name("never"))
