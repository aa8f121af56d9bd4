"""Family ``server``: ``mlflow server --app-name NAME`` on 127.0.0.1 starts and answers MLflow's REST API."""

from __future__ import annotations

import sys

import pytest

from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ..shared.mlflow_uris import mlflow_pointed_at


class ServerClauses:
    @pytest.fixture
    def app_credentials(self, mlflow_app_credentials) -> dict[str, str]:
        """Environment variables MLflow's client needs to talk to the app (default: ``mlflow_app_credentials``)."""
        return dict(mlflow_app_credentials or {})

    @pytest.fixture
    def app_server(self, app, app_server_env):
        """``mlflow server --app-name NAME`` on 127.0.0.1 (default uvicorn server): one per process and app."""
        from ...services import ServiceStartError, shared_mlflow_server

        try:
            return shared_mlflow_server(app_name=app.name, env=app_server_env)
        except ServiceStartError as exc:
            pytest.fail(f"`mlflow server --app-name {app.name}` does not start or does not answer:\n{exc}",
                        pytrace=False)

    @pytest.fixture
    def app_client_env(self, app_server, app_credentials, monkeypatch):
        """MLflow's client points at the app's server, with the credentials it needs, for the test."""
        for key, value in app_credentials.items():
            monkeypatch.setenv(key, value)
        with mlflow_pointed_at(tracking_uri=app_server.url):
            yield app_server.url

    @clause("app/server/starts")
    def test_server_starts(self, app, app_server):
        """``mlflow server --app-name NAME --host 127.0.0.1`` with the default server starts, and ``/health`` and
        ``/version`` answer like MLflow's server."""
        from ...services import _get

        status, body = _get(f"{app_server.url}/health", timeout=10)
        assert status == 200, f"/health answered HTTP {status}: {body[:200]!r}"
        status, body = _get(f"{app_server.url}/version", timeout=10)
        assert status < 500, f"/version answered HTTP {status}: {body[:200]!r}"
        sys.stdout.write(f"\napp {app.name}: server up in {app_server.startup_seconds:.1f} s\n")

    @clause("app/server/rest-api")
    def test_server_rest_api(self, app_client_env):
        """MLflow's client works against the app's server: create an experiment, a run with a metric, a param and
        a tag, and read them back (real REST requests)."""
        from mlflow.tracking import MlflowClient

        client = MlflowClient(app_client_env)
        name = unique_name("app-exp")
        experiment_id = client.create_experiment(name)
        assert client.get_experiment_by_name(name).experiment_id == experiment_id
        run = client.create_run(experiment_id)
        client.log_metric(run.info.run_id, "loss", 0.5, step=3)
        client.log_param(run.info.run_id, "alpha", "0.1")
        client.set_tag(run.info.run_id, "team", "conformance")
        client.set_terminated(run.info.run_id)
        stored = client.get_run(run.info.run_id)
        assert stored.data.metrics == {"loss": 0.5}
        assert stored.data.params == {"alpha": "0.1"}
        assert stored.data.tags.get("team") == "conformance"
        assert stored.info.status == "FINISHED"

    @clause("app/server/rest-errors")
    def test_server_rest_errors(self, app_client_env):
        """The app keeps MLflow's error mapping: an unknown experiment id answers RESOURCE_DOES_NOT_EXIST (HTTP
        404 with MLflow's JSON error body), which MLflow's client turns into the right exception."""
        from mlflow.tracking import MlflowClient

        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown experiment through the app"):
            MlflowClient(app_client_env).get_experiment("987654321")
