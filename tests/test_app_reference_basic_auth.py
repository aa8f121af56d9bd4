"""MLflow's own app, ``basic-auth`` (``mlflow server --app-name basic-auth``), and its client
``AuthServiceClient`` pass the app contracts: the reference implementation the contracts were written against.

It needs a secret key and an admin password on the server, and credentials on the client, given through the
fixtures a plugin defines in its conftest.py (``mlflow_app_server_env``, ``mlflow_app_credentials``,
``mlflow_app_client_exercise``). Marked slow: it starts its own server.
"""

from __future__ import annotations

import pytest

_MODULE = '''
import pytest

from mlflow_plugin_conformance.contracts.app import AppContract, app_target
from mlflow_plugin_conformance.contracts.app_client import AppClientContract, app_client_target

PASSWORD = "conformance-Admin-Passw0rd!"


@pytest.fixture
def mlflow_app_server_env():
    import pathlib

    import mlflow.environment_variables

    env = {"MLFLOW_FLASK_SERVER_SECRET_KEY": "conformance-secret-key", "MLFLOW_AUTH_ADMIN_PASSWORD": PASSWORD}
    if not hasattr(mlflow.environment_variables, "MLFLOW_AUTH_ADMIN_PASSWORD"):
        # Older MLflow (before 3.17) reads the admin password from the auth config file only.
        ini = pathlib.Path.cwd() / "basic_auth.ini"
        ini.write_text("[mlflow]\\ndefault_permission = READ\\ndatabase_uri = sqlite:///basic_auth.db\\n"
                       f"admin_username = admin\\nadmin_password = {PASSWORD}\\n"
                       "authorization_function = mlflow.server.auth:authenticate_request_basic_auth\\n")
        env["MLFLOW_AUTH_CONFIG_PATH"] = str(ini)
    return env


@pytest.fixture
def mlflow_app_credentials():
    return {"MLFLOW_TRACKING_USERNAME": "admin", "MLFLOW_TRACKING_PASSWORD": PASSWORD}


@pytest.fixture
def mlflow_app_client_exercise(monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", "admin")
    monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", PASSWORD)
    return lambda client: client.get_user("admin")


class TestBasicAuthApp(AppContract):
    @pytest.fixture
    def app(self):
        return app_target("basic-auth")


class TestBasicAuthClient(AppClientContract):
    @pytest.fixture
    def app_client(self):
        return app_client_target("basic-auth")
'''


@pytest.mark.slow
def test_basic_auth_passes_app_contracts(pytester):
    """Every clause of AppContract and AppClientContract passes against MLflow's basic-auth app and client."""
    pytest.importorskip("flask_wtf", reason="MLflow's basic-auth app needs mlflow[auth] (Flask-WTF)")
    pytester.makepyfile(test_basic_auth=_MODULE)
    reprec = pytester.inline_run("-p", "no:cacheprovider", "-q")
    outcomes = {}
    for report in reprec.getreports("pytest_runtest_logreport"):
        for name, data in report.user_properties:
            if name == "mlflow_clause" and outcomes.get(data["clause"]) != "failed":
                outcomes[data["clause"]] = data["outcome"]
    assert len(outcomes) >= 16, outcomes
    # not-applicable: the installed MLflow predates the clause (since), e.g. uvicorn before 3.3
    assert {c: o for c, o in outcomes.items() if o not in ("passed", "not-applicable")} == {}
