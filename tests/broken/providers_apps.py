"""Deliberately broken tracking-server apps and app clients, one realistic bug each.

``MUTANTS`` at the end declares each for the mutation harness (tests/mutants.py), which installs each as an entry
point named after it (on PYTHONPATH) so ``mlflow server --app-name NAME`` finds the apps, exactly as it finds an
installed plugin.
"""

from __future__ import annotations

import functools

from _mutant import Mutant


# -- apps whose shape is wrong for the server (caught without starting one) ------------------------------------


def _wrapped_app(title):
    from mlflow.server import app as flask_app
    from mlflow.server.fastapi_app import create_fastapi_app

    flask_app.config["TITLE"] = title
    return create_fastapi_app(flask_app)


#: A factory made with functools.partial: not a FunctionType, so MLflow does not pass --factory.
partial_factory = functools.partial(_wrapped_app, "broken")


def factory_with_argument(config_path):
    """A factory that needs its configuration file as an argument; the server calls it with none."""
    return _wrapped_app(config_path)


def flask_factory():
    """Returns MLflow's Flask (WSGI) app whatever the server: uvicorn cannot serve it."""
    from mlflow.server import app as flask_app

    return flask_app


class AppClass:
    """An app given as a class with a build() method: the server receives the class itself."""

    def build(self):
        return _wrapped_app("class")


# -- apps that start but do not serve MLflow (caught by a real server) -----------------------------------------


def health_only_app():
    """A new FastAPI app with its own /health, which forgets to mount MLflow's server app."""
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/health")
    def health():
        return "OK"

    return app


def crashing_factory():
    """Reads a required setting at startup and crashes when it is missing."""
    import os

    secret = os.environ["BROKEN_APP_SETTING_THAT_IS_MISSING"]
    return _wrapped_app(secret)


def errors_answered_ok_factory():
    """MLflow's server app behind a middleware that answers every error with 200 and an empty JSON body ('the UI
    shows its own error page'): MLflow's client can no longer tell a missing experiment from an empty one."""
    from fastapi.responses import JSONResponse

    app = _wrapped_app("errors-ok")

    @app.middleware("http")
    async def hide_errors(request, call_next):
        response = await call_next(request)
        return JSONResponse({}, status_code=200) if response.status_code >= 400 else response

    return app


# -- app clients ------------------------------------------------------------------------------------------------


class EagerClient:
    """Checks the server in its constructor: get_app_client fails when the server is not up yet."""

    def __init__(self, tracking_uri):
        import requests

        requests.get(f"{tracking_uri}/health", timeout=5).raise_for_status()
        self.tracking_uri = tracking_uri


class SetsTrackingUriClient:
    """Points MLflow's global tracking URI at its server in its constructor."""

    def __init__(self, tracking_uri):
        import mlflow

        mlflow.set_tracking_uri(tracking_uri)
        self.tracking_uri = tracking_uri


class IgnoresUriClient:
    """Keeps the tracking URI it was given but calls MLflow's global one."""

    def __init__(self, tracking_uri):
        self.tracking_uri = tracking_uri

    def get_info(self):
        import mlflow
        from mlflow.utils.credentials import get_default_host_creds
        from mlflow.utils.rest_utils import http_request

        return http_request(get_default_host_creds(mlflow.get_tracking_uri()), "/file-plugin/info", "GET")


MUTANTS = [
    Mutant("app", "app-partial-factory", "app/entry-point/form", "providers_apps:partial_factory"),
    Mutant("app", "app-factory-needs-argument", "app/entry-point/form", factory_with_argument),
    Mutant("app", "app-flask-under-uvicorn", "app/factory/asgi-under-uvicorn", flask_factory),
    Mutant("app", "app-class-as-app", "app/entry-point/form", AppClass),
    Mutant("app", "app-health-only", "app/server/rest-api", health_only_app),
    Mutant("app", "app-crashes-at-startup", "app/server/starts", crashing_factory),
    Mutant("app", "app-errors-answered-ok", "app/server/rest-errors", errors_answered_ok_factory),
    # a client registered under a name no app has
    Mutant("app_client", "client-without-app", "app_client/registration/has-app", EagerClient),
    Mutant("app_client", "client-eager-request", "app_client/construct/tracking-uri", EagerClient),
    Mutant("app_client", "client-sets-tracking-uri", "app_client/state/no-global-changes", SetsTrackingUriClient),
    Mutant("app_client", "client-ignores-tracking-uri", "app_client/end-to-end/uses-tracking-uri", IgnoresUriClient,
           via="as-file-plugin"),
]
