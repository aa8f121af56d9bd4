"""Family ``construct``: ``mlflow.server.get_app_client(name, tracking_uri)`` builds the client."""

from __future__ import annotations

import pytest

from ..base import clause


class ConstructClauses:
    @clause("app_client/construct/tracking-uri")
    def test_construct_tracking_uri(self, app_client):
        """``mlflow.server.get_app_client(name, tracking_uri)`` returns an instance of the registered class, without
        contacting the server (it succeeds against a URI where nothing listens)."""
        from mlflow.server import get_app_client

        from ...services import free_port

        unreachable = f"http://127.0.0.1:{free_port()}"
        try:
            client = get_app_client(app_client.name, unreachable)
        except Exception as exc:
            pytest.fail(f"get_app_client({app_client.name!r}, {unreachable!r}) raised {type(exc).__name__}: {exc}",
                        pytrace=False)
        assert isinstance(client, app_client.cls), (
            f"get_app_client returned a {type(client).__name__}, not the registered {app_client.value}: another "
            "distribution registers a client under the same name")
