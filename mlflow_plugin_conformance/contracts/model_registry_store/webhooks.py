"""Registry webhooks (feature ``model_registry_store.webhooks``)."""

from __future__ import annotations

from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ..shared.pagination import all_pages
from ._helpers import not_none


class WebhookClauses:
    """Clauses of the ``model_registry_store/webhooks/*`` family."""

    @clause("model_registry_store/webhooks/lifecycle", level="full", feature="model_registry_store.webhooks",
            since="3.3")
    def test_webhooks_lifecycle(self, model_registry_store, monkeypatch):
        """Webhooks: create_webhook, get_webhook, list_webhooks, update_webhook and delete_webhook; a deleted or
        unknown webhook id raises RESOURCE_DOES_NOT_EXIST.

        The URL is a loopback address (never called), allowed through MLflow's MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS,
        so no name is resolved over the network.
        """
        from mlflow.entities.webhook import WebhookAction, WebhookEntity, WebhookEvent

        monkeypatch.setenv("MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS", "true")
        url = "https://127.0.0.1:9/conformance-hook"
        store = model_registry_store
        event = WebhookEvent(WebhookEntity.MODEL_VERSION, WebhookAction.CREATED)
        name = unique_name("hook")
        hook = not_none(store.create_webhook(name, url, [event], description="d"),
                         "create_webhook")
        got = store.get_webhook(hook.webhook_id)
        assert (got.name, got.url, got.description) == (name, url, "d")
        webhooks, _ = all_pages(store.list_webhooks, 100)
        listed = [w.webhook_id for w in webhooks]
        assert hook.webhook_id in listed
        store.update_webhook(hook.webhook_id, description="changed")
        assert store.get_webhook(hook.webhook_id).description == "changed"
        store.delete_webhook(hook.webhook_id)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted webhook"):
            store.get_webhook(hook.webhook_id)
