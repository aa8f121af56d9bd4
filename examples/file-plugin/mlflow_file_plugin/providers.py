"""Run context, request header, request auth and default experiment providers of the example plugin.

Every provider is active only while ``MLFLOW_FILE_PLUGIN_CONTEXT`` is set (its value is the context's name).

MLflow instantiates these classes while ``import mlflow`` is still running (its registries load the entry points
at import time). So this module imports nothing from MLflow at its top level, and the classes do not subclass
MLflow's abstract bases: MLflow only calls the methods (duck typing). A module that did
``from mlflow.tracking.context.abstract_context import RunContextProvider`` at its top would break when it is
imported *before* mlflow: importing it starts ``import mlflow``, which loads this half-initialised module from
the entry point, finds no class yet, and silently drops the provider with a warning.
"""

from __future__ import annotations

import os

ENABLE_ENV = "MLFLOW_FILE_PLUGIN_CONTEXT"
TOKEN_ENV = "MLFLOW_FILE_PLUGIN_TOKEN"
AUTH_NAME = "file-plugin-auth"
TAG_PREFIX = "file_plugin."
HEADER = "X-File-Plugin-Context"


def _context() -> str:
    return os.environ.get(ENABLE_ENV, "")


class PluginRunContextProvider:
    """Adds ``file_plugin.context`` (the context's name) to every new run while in context."""

    def in_context(self) -> bool:
        return bool(_context())

    def tags(self) -> dict[str, str]:
        return {TAG_PREFIX + "context": _context()}


class PluginRequestHeaderProvider:
    """Adds ``X-File-Plugin-Context: <context>`` to MLflow's REST requests while in context."""

    def in_context(self) -> bool:
        return bool(_context())

    def request_headers(self) -> dict[str, str]:
        # A header value must not carry CR/LF or leading blanks: ``requests`` refuses such headers, and every
        # REST call of the user would fail.
        return {HEADER: " ".join(_context().split())}


class BearerTokenAuth:
    """A ``requests`` auth callable that sets a bearer token; its repr and str never show the token."""

    def __init__(self, token: str):
        self._token = token

    def __call__(self, request):
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __eq__(self, other):
        return isinstance(other, BearerTokenAuth) and other._token == self._token

    def __hash__(self):
        return hash(("BearerTokenAuth", self._token))

    def __repr__(self):
        return "BearerTokenAuth(token=***)"

    __str__ = __repr__


class PluginRequestAuthProvider:
    """Selected with ``MLFLOW_TRACKING_AUTH=file-plugin-auth``; the token comes from ``MLFLOW_FILE_PLUGIN_TOKEN``."""

    def get_name(self) -> str:
        return AUTH_NAME

    def get_auth(self):
        return BearerTokenAuth(os.environ.get(TOKEN_ENV, "example-token"))

    def __repr__(self):
        return f"PluginRequestAuthProvider(name={AUTH_NAME!r})"


class PluginDefaultExperimentProvider:
    """While in context, new runs without an explicit experiment go to the experiment ``file-plugin/<context>``.

    The experiment is looked up, or created, in the tracking store the user is connected to (MLflow's current
    tracking URI), so the id returned always names an existing, active experiment.
    """

    def in_context(self) -> bool:
        return bool(_context())

    def get_experiment_id(self) -> str:
        from mlflow.tracking import MlflowClient

        client = MlflowClient()
        name = f"file-plugin/{_context()}"
        experiment = client.get_experiment_by_name(name)
        if experiment is None:
            try:
                return client.create_experiment(name)
            except Exception:
                experiment = client.get_experiment_by_name(name)  # another process created it meanwhile
                if experiment is None:
                    raise
        if experiment.lifecycle_stage != "active":
            client.restore_experiment(experiment.experiment_id)
        return experiment.experiment_id
