"""Deliberately broken tracking-server apps and app clients, one realistic bug each.

``tests/test_app_contracts.py`` installs this module as the distribution ``broken-mlflow-apps`` (on PYTHONPATH,
with the entry points in ``ENTRY_POINTS``) so ``mlflow server --app-name NAME`` finds the apps, exactly as it finds
an installed plugin. ``STATIC``, ``SERVED`` and ``CLIENTS`` map a variant to ``(attribute, clause expected to fail)``.
"""

from __future__ import annotations

import functools


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


ENTRY_POINTS = """
[mlflow.app]
broken-partial = providers_apps:partial_factory
broken-args = providers_apps:factory_with_argument
broken-flask = providers_apps:flask_factory
broken-class = providers_apps:AppClass
broken-health-only = providers_apps:health_only_app
broken-crash = providers_apps:crashing_factory

[mlflow.app.client]
broken-eager = providers_apps:EagerClient
broken-sets-uri = providers_apps:SetsTrackingUriClient
"""

STATIC = {
    "app-partial-factory": ("broken-partial", "app/entry-point/form"),
    "app-factory-needs-argument": ("broken-args", "app/entry-point/form"),
    "app-flask-under-uvicorn": ("broken-flask", "app/factory/asgi-under-uvicorn"),
    "app-class-as-app": ("broken-class", "app/entry-point/form"),
}

SERVED = {
    "app-health-only": ("broken-health-only", "app/server/rest-api"),
    "app-crashes-at-startup": ("broken-crash", "app/server/starts"),
}

CLIENTS = {
    "client-without-app": ("broken-eager", "app_client/registration/has-app"),
    "client-eager-request": ("broken-eager", "app_client/construct/tracking-uri"),
    "client-sets-tracking-uri": ("broken-sets-uri", "app_client/state/no-global-changes"),
    "client-ignores-tracking-uri": ("IgnoresUriClient", "app_client/end-to-end/uses-tracking-uri"),
}
