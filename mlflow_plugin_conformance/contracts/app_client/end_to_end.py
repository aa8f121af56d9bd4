"""Family ``end-to-end``: the client talks to the app's server at the tracking URI it was given."""

from __future__ import annotations

import pytest

from ..base import clause
from ..shared.mlflow_uris import mlflow_pointed_at


class EndToEndClauses:
    @pytest.fixture
    def app_client_exercise(self, mlflow_app_client_exercise):
        """A callable ``(client) -> object`` making at least one request (default: ``mlflow_app_client_exercise``)."""
        return mlflow_app_client_exercise

    @clause("app_client/end-to-end/uses-tracking-uri", level="full", feature="app_client.exercise")
    def test_end_to_end_uses_tracking_uri(self, app_client, app_client_exercise, app_server_env, monkeypatch):
        """The client talks to the tracking URI it was given (not MLflow's global one): the plugin's exercise
        (``mlflow_app_client_exercise``) sends its requests to a real app server through a recording proxy."""
        from ...services import ServiceStartError, recording_proxy, shared_mlflow_server

        if app_client_exercise is None:
            raise NotImplementedError("define a `mlflow_app_client_exercise` fixture (a callable taking the client "
                                      "and making a request) to check the client end to end")

        try:
            server = shared_mlflow_server(app_name=app_client.name, env=app_server_env)
        except ServiceStartError as exc:
            pytest.fail(f"`mlflow server --app-name {app_client.name}` does not start:\n{exc}", pytrace=False)
        decoy = "http://127.0.0.1:9"  # MLflow's global tracking URI points nowhere: the client must not use it
        monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
        with mlflow_pointed_at(tracking_uri=decoy), recording_proxy(server.url) as proxy:
            client = app_client.cls(proxy.url)  # what get_app_client(name, uri) builds (clause construct/...)
            app_client_exercise(client)
        assert proxy.requests, "the client made no request to the tracking URI it was given"
