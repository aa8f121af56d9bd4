"""Registry webhooks (feature ``model_registry_store.webhooks``, MLflow 3.3).

The store keeps the webhooks; MLflow's server delivers them: on a registry event it lists the webhooks subscribed to
that event (``list_webhooks_by_event``) and posts to each ACTIVE one, signed with its secret; its test endpoint
posts an example payload to the webhook ``get_webhook`` returns. The delivery clauses run MLflow's own delivery
code (``mlflow.webhooks.delivery``) on what the store returns, against a receiver this suite starts on 127.0.0.1.

Webhook URLs point at 127.0.0.1 over http, which MLflow refuses by default: the clauses allow it for their own
process with ``MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS`` and ``MLFLOW_WEBHOOK_ALLOWED_SCHEMES`` (a store that validates
URLs with MLflow's ``_validate_webhook_url`` in this process honours them).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.server
import json
import threading
import time

import pytest

from ...outcomes import blocked_by
from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ..shared.pagination import all_pages
from ._helpers import not_none

WEBHOOKS = "model_registry_store.webhooks"
SECRET_KEPT = "model_registry_store/webhooks/secret-kept"
LIST_BY_EVENT = "model_registry_store/webhooks/list-by-event"


def _event(text: str):
    from mlflow.entities.webhook import WebhookEvent

    return WebhookEvent.from_str(text)


def _events(webhook) -> list[str]:
    return sorted(str(e) for e in webhook.events)


def _name() -> str:
    """A webhook name MLflow accepts (lower-case letters, digits, '.', '_', '-'; at most 63 characters)."""
    return unique_name("hook").lower()[:63]


class Receiver:
    """An HTTP server on 127.0.0.1 (a free port, its own thread) recording every POST: (path, headers, body)."""

    def __init__(self):
        self.posts: list[tuple[str, dict, bytes]] = []
        self._arrived = threading.Condition()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._arrived:
                    receiver.posts.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                    receiver._arrived.notify_all()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"received")

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="webhook-receiver", daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def posts_to(self, path: str) -> list[tuple[dict, bytes]]:
        with self._arrived:
            return [(headers, body) for p, headers, body in self.posts if p == path]

    def wait_for(self, path: str, timeout: float = 20.0) -> list[tuple[dict, bytes]]:
        """The posts to ``path``, waiting up to ``timeout`` seconds for the first one."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while not any(p == path for p, _, _ in self.posts) and time.monotonic() < deadline:
                self._arrived.wait(deadline - time.monotonic())
        return self.posts_to(path)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(10)


class _Subscribers:
    """The store as MLflow's delivery code sees it, with the subscribers of an event narrowed to ``ids``: the store
    under test decides who is subscribed and with which status; webhooks other clauses (or earlier runs) left in
    the store are not contacted."""

    def __init__(self, store, ids):
        self._store, self._ids = store, set(ids)

    def list_webhooks_by_event(self, event, max_results=None, page_token=None):
        from mlflow.store.entities.paged_list import PagedList

        page = self._store.list_webhooks_by_event(event, max_results=max_results, page_token=page_token)
        return PagedList([w for w in page if w.webhook_id in self._ids], page.token)


def _signature_ok(secret: str, headers: dict, body: bytes) -> bool:
    """Whether the delivery carries MLflow's HMAC-SHA256 signature of ``<delivery id>.<timestamp>.<body>``."""
    delivery_id, timestamp = headers.get("x-mlflow-delivery-id"), headers.get("x-mlflow-timestamp")
    signature = headers.get("x-mlflow-signature", "")
    if not (delivery_id and timestamp and signature.startswith("v1,")):
        return False
    digest = hmac.new(secret.encode(), f"{delivery_id}.{timestamp}.{body.decode()}".encode(), hashlib.sha256)
    return hmac.compare_digest(signature[3:], base64.b64encode(digest.digest()).decode())


class WebhookClauses:
    """Clauses of the ``model_registry_store/webhooks/*`` family."""

    @pytest.fixture
    def webhook_receiver(self, monkeypatch):
        """A receiver on 127.0.0.1, with MLflow allowed to deliver to it over http from this process."""
        monkeypatch.setenv("MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS", "true")
        monkeypatch.setenv("MLFLOW_WEBHOOK_ALLOWED_SCHEMES", "http,https")
        with Receiver() as receiver:
            yield receiver

    @clause("model_registry_store/webhooks/create-and-get", level="full", feature=WEBHOOKS, since="3.3")
    def test_webhooks_create_and_get(self, model_registry_store, webhook_receiver):
        """create_webhook returns the webhook with a new id; get_webhook returns its name, URL, events and
        description, with the status ACTIVE when none was given."""
        store = model_registry_store
        name, url = _name(), webhook_receiver.url("/create")
        events = [_event("model_version.created"), _event("model_version_alias.created")]
        created = not_none(store.create_webhook(name, url, events, description="d"), "create_webhook")
        assert created.webhook_id, "create_webhook returned no webhook_id"
        got = not_none(store.get_webhook(created.webhook_id), "get_webhook")
        assert (got.webhook_id, got.name, got.url, got.description) == (created.webhook_id, name, url, "d")
        assert _events(got) == ["model_version.created", "model_version_alias.created"], _events(got)
        assert str(got.status) == "ACTIVE", f"a new webhook has the status {got.status}"

    @clause("model_registry_store/webhooks/secret-kept", level="full", feature=WEBHOOKS, since="3.3")
    def test_webhooks_secret_kept(self, model_registry_store, webhook_receiver):
        """get_webhook returns the secret given to create_webhook or update_webhook: MLflow's server signs every
        delivery with it (the receiver checks the signature).

        MLflow's REST API never returns a secret, so a store that proxies a remote MLflow server cannot pass this
        clause (the remote server signs its own deliveries): declare it a known failure there."""
        store = model_registry_store
        hook = store.create_webhook(_name(), webhook_receiver.url("/secret"), [_event("registered_model.created")],
                                    secret="first-secret")
        assert store.get_webhook(hook.webhook_id).secret == "first-secret"
        store.update_webhook(hook.webhook_id, secret="second-secret")
        assert store.get_webhook(hook.webhook_id).secret == "second-secret"

    @clause("model_registry_store/webhooks/list", level="full", feature=WEBHOOKS, since="3.3")
    def test_webhooks_list(self, model_registry_store, webhook_receiver):
        """list_webhooks returns every live webhook exactly once, page by page, and never a deleted one."""
        store = model_registry_store
        ids = [store.create_webhook(_name(), webhook_receiver.url(f"/list{i}"),
                                    [_event("model_version.created")]).webhook_id for i in range(4)]
        store.delete_webhook(ids[-1])
        for size in (1, 3, 1000):
            webhooks, _ = all_pages(store.list_webhooks, size)
            mine = [w.webhook_id for w in webhooks if w.webhook_id in ids]
            assert ids[-1] not in mine, f"pages of {size} list the deleted webhook {ids[-1]}"
            assert sorted(mine) == sorted(ids[:3]), f"pages of {size} list {mine} of the live webhooks {ids[:3]}"

    @clause("model_registry_store/webhooks/list-by-event", level="full", feature=WEBHOOKS, since="3.3")
    def test_webhooks_list_by_event(self, model_registry_store, webhook_receiver):
        """list_webhooks_by_event returns the live webhooks subscribed to that event, and no others (MLflow's
        server delivers each registry event to exactly these)."""
        store = model_registry_store
        url = webhook_receiver.url("/by-event")
        subscribed = store.create_webhook(_name(), url, [_event("model_version_tag.set"),
                                                         _event("model_version_alias.deleted")]).webhook_id
        other = store.create_webhook(_name(), url, [_event("model_version_tag.deleted")]).webhook_id
        deleted = store.create_webhook(_name(), url, [_event("model_version_tag.set")]).webhook_id
        store.delete_webhook(deleted)
        webhooks, _ = all_pages(lambda max_results, page_token: store.list_webhooks_by_event(
            _event("model_version_tag.set"), max_results=max_results, page_token=page_token), 2)
        mine = {w.webhook_id for w in webhooks} & {subscribed, other, deleted}
        assert mine == {subscribed}, (f"list_webhooks_by_event(model_version_tag.set) returned {sorted(mine)}; "
                                      f"subscribed {subscribed}, other event {other}, deleted {deleted}")

    @clause("model_registry_store/webhooks/update", level="full", feature=WEBHOOKS, since="3.3")
    def test_webhooks_update(self, model_registry_store, webhook_receiver):
        """update_webhook changes the fields it is given (name, description, URL, status) and keeps the others;
        it returns the updated webhook and advances last_updated_timestamp (never backwards)."""
        from mlflow.entities.webhook import WebhookStatus

        store = model_registry_store
        hook = store.create_webhook(_name(), webhook_receiver.url("/before"), [_event("model_version.created")],
                                    description="before")
        new_name = _name()
        updated = not_none(store.update_webhook(hook.webhook_id, name=new_name, status=WebhookStatus.DISABLED),
                           "update_webhook")
        assert (updated.name, str(updated.status)) == (new_name, "DISABLED")
        got = store.get_webhook(hook.webhook_id)
        assert (got.name, got.description, got.url, str(got.status)) == (
            new_name, "before", webhook_receiver.url("/before"), "DISABLED"), "update_webhook changed other fields"
        store.update_webhook(hook.webhook_id, description="after", url=webhook_receiver.url("/after"))
        got = store.get_webhook(hook.webhook_id)
        assert (got.name, got.description, got.url, str(got.status)) == (
            new_name, "after", webhook_receiver.url("/after"), "DISABLED")
        assert got.last_updated_timestamp >= hook.last_updated_timestamp
        assert _events(got) == ["model_version.created"], "update_webhook without events changed the events"

    @clause("model_registry_store/webhooks/update-events", level="full", feature=WEBHOOKS, since="3.3")
    def test_webhooks_update_events(self, model_registry_store, webhook_receiver):
        """update_webhook with events replaces the webhook's events: get_webhook and list_webhooks_by_event
        follow the new ones only."""
        store = model_registry_store
        hook = store.create_webhook(_name(), webhook_receiver.url("/events"), [_event("model_version.created")])
        store.update_webhook(hook.webhook_id, events=[_event("model_version_alias.deleted")])
        assert _events(store.get_webhook(hook.webhook_id)) == ["model_version_alias.deleted"]

        def subscribed(event):
            webhooks, _ = all_pages(lambda max_results, page_token: store.list_webhooks_by_event(
                _event(event), max_results=max_results, page_token=page_token), 1000)
            return hook.webhook_id in {w.webhook_id for w in webhooks}

        assert subscribed("model_version_alias.deleted"), "the webhook is not listed for its new event"
        assert not subscribed("model_version.created"), "the webhook is still listed for its old event"

    @clause("model_registry_store/webhooks/delete", level="full", feature=WEBHOOKS, since="3.3")
    def test_webhooks_delete(self, model_registry_store, webhook_receiver):
        """After delete_webhook, get_webhook, update_webhook and a second delete raise RESOURCE_DOES_NOT_EXIST and
        list_webhooks_by_event no longer returns it."""
        store = model_registry_store
        hook = store.create_webhook(_name(), webhook_receiver.url("/delete"), [_event("model_version_tag.deleted")])
        store.delete_webhook(hook.webhook_id)
        for what, call in (("get_webhook", lambda: store.get_webhook(hook.webhook_id)),
                           ("update_webhook", lambda: store.update_webhook(hook.webhook_id, description="x")),
                           ("delete_webhook", lambda: store.delete_webhook(hook.webhook_id))):
            with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing=f"calling {what} on a deleted webhook"):
                call()
        webhooks, _ = all_pages(lambda max_results, page_token: store.list_webhooks_by_event(
            _event("model_version_tag.deleted"), max_results=max_results, page_token=page_token), 1000)
        assert hook.webhook_id not in {w.webhook_id for w in webhooks}, "a deleted webhook is still subscribed"

    @clause("model_registry_store/webhooks/unknown-id", level="full", feature=WEBHOOKS, since="3.3")
    def test_webhooks_unknown_id(self, model_registry_store):
        """get_webhook, update_webhook and delete_webhook of an id nobody created raise RESOURCE_DOES_NOT_EXIST."""
        store = model_registry_store
        unknown = unique_name("no-such-webhook")
        for what, call in (("get_webhook", lambda: store.get_webhook(unknown)),
                           ("update_webhook", lambda: store.update_webhook(unknown, description="x")),
                           ("delete_webhook", lambda: store.delete_webhook(unknown))):
            with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing=f"calling {what} on an unknown webhook id"):
                result = call()
                assert what == "delete_webhook" or result is not None, f"{what} returned None"

    @clause("model_registry_store/webhooks/invalid-input", level="full", feature=WEBHOOKS, since="3.3")
    def test_webhooks_invalid_input(self, model_registry_store, webhook_receiver):
        """create_webhook refuses an invalid name, a URL whose scheme is not allowed and an empty event list
        with INVALID_PARAMETER_VALUE, and stores nothing."""
        store = model_registry_store
        url, event = webhook_receiver.url("/invalid"), _event("model_version.created")
        marker = unique_name("invalid").lower()
        cases = {"an upper-case name with a space": lambda: store.create_webhook(f"Bad {marker}", url, [event]),
                 "an ftp URL": lambda: store.create_webhook(marker, "ftp://127.0.0.1/hook", [event]),
                 "no events": lambda: store.create_webhook(marker, url, [])}
        for what, call in cases.items():
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"creating a webhook with {what}"):
                call()
        webhooks, _ = all_pages(store.list_webhooks, 1000)
        stored = [w.name for w in webhooks if marker in w.name]
        assert not stored, f"rejected webhooks were stored: {stored}"

    @clause("model_registry_store/webhooks/test-delivery", level="full", feature=WEBHOOKS, since="3.3")
    def test_webhooks_test_delivery(self, model_registry_store, webhook_receiver):
        """The webhook get_webhook returns can be tested as MLflow's server tests it
        (``mlflow.webhooks.delivery.test_webhook``): the receiver gets one POST for the webhook's event, signed
        with its secret, and the result reports success with the receiver's status and body."""
        from mlflow.webhooks.delivery import test_webhook as deliver_test

        store = model_registry_store
        hook = store.create_webhook(_name(), webhook_receiver.url("/test"), [_event("model_version_alias.created")],
                                    secret="test-secret")
        stored = store.get_webhook(hook.webhook_id)
        if stored.secret != "test-secret":
            blocked_by(SECRET_KEPT, "MLflow's server signs the test delivery with the secret get_webhook returns")
        result = deliver_test(stored)
        posts = webhook_receiver.posts_to("/test")
        assert len(posts) == 1, f"the receiver got {len(posts)} posts (result: {result})"
        headers, body = posts[0]
        payload = json.loads(body)
        assert (payload["entity"], payload["action"]) == ("model_version_alias", "created"), payload
        assert _signature_ok("test-secret", headers, body), "the delivery is not signed with the webhook's secret"
        assert (result.success, result.response_status, result.response_body) == (True, 200, "received"), result

    @clause("model_registry_store/webhooks/event-delivery", level="full", feature=WEBHOOKS, since="3.3")
    def test_webhooks_event_delivery(self, model_registry_store, webhook_receiver, monkeypatch):
        """A registry event MLflow's server delivers through the store (``mlflow.webhooks.delivery.deliver_webhook``)
        reaches each ACTIVE webhook subscribed to it, signed with its secret, and no DISABLED one.

        Only the two webhooks this clause creates are contacted (the subscribers the store lists are narrowed to
        them), so webhooks left in the store by other clauses or runs receive nothing."""
        from mlflow.entities.webhook import WebhookStatus
        from mlflow.webhooks import delivery

        store = model_registry_store
        event = _event("registered_model.created")
        active = store.create_webhook(_name(), webhook_receiver.url("/active"), [event], secret="active-secret")
        disabled = store.create_webhook(_name(), webhook_receiver.url("/disabled"), [event])
        store.update_webhook(disabled.webhook_id, status=WebhookStatus.DISABLED)
        monkeypatch.setattr(delivery, "_webhook_cache", None)  # MLflow caches the subscribers of an event
        name = unique_name("delivered")
        delivery.deliver_webhook(event=event, payload={"name": name, "tags": {}, "description": None},
                                 store=_Subscribers(store, [active.webhook_id, disabled.webhook_id]))
        posts = webhook_receiver.wait_for("/active")
        if not posts:
            listed, _ = all_pages(lambda max_results, page_token: store.list_webhooks_by_event(
                event, max_results=max_results, page_token=page_token), 100)
            if active.webhook_id not in {w.webhook_id for w in listed}:
                blocked_by(LIST_BY_EVENT, "MLflow's server finds the webhooks to deliver to with "
                                          "list_webhooks_by_event, which misses the subscribed webhook")
        assert len(posts) == 1, f"the active subscribed webhook got {len(posts)} deliveries"
        headers, body = posts[0]
        assert json.loads(body)["data"]["name"] == name
        assert _signature_ok("active-secret", headers, body), "the delivery is not signed with the webhook's secret"
        time.sleep(0.5)  # deliveries run in parallel: give a wrong one to the disabled webhook the time to land
        assert not webhook_receiver.posts_to("/disabled"), "a DISABLED webhook received the event"

    @clause("model_registry_store/webhooks/test-webhook-method", level="full", feature=WEBHOOKS, since="3.3")
    def test_webhooks_test_webhook_method(self, model_registry_store, webhook_receiver):
        """test_webhook(webhook_id, event) posts an example payload for that event to the webhook's URL and returns
        the receiver's status and body in a WebhookTestResult (``MlflowClient.test_webhook`` on a registry URI
        that is not a server calls it).

        MLflow's server never calls it (it delivers from get_webhook, see webhooks/test-delivery), and MLflow's
        SqlAlchemyStore inherits the base class's NotImplementedError: unsupported there."""
        store = model_registry_store
        hook = store.create_webhook(_name(), webhook_receiver.url("/method"),
                                    [_event("model_version.created"), _event("model_version_alias.created")])
        result = not_none(store.test_webhook(hook.webhook_id, _event("model_version_alias.created")),
                          "test_webhook")
        posts = webhook_receiver.wait_for("/method")
        assert len(posts) == 1, f"the receiver got {len(posts)} posts (result: {result})"
        payload = json.loads(posts[0][1])
        assert (payload["entity"], payload["action"]) == ("model_version_alias", "created"), payload
        assert (result.success, result.response_status, result.response_body) == (True, 200, "received"), result
