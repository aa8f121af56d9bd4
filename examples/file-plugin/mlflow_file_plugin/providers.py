"""Run context, request header and request auth providers of the example plugin."""

from __future__ import annotations

import os

from mlflow.tracking.context.abstract_context import RunContextProvider
from mlflow.tracking.request_auth.abstract_request_auth_provider import RequestAuthProvider
from mlflow.tracking.request_header.abstract_request_header_provider import RequestHeaderProvider

ENABLE_ENV = "MLFLOW_FILE_PLUGIN_CONTEXT"


class PluginRunContextProvider(RunContextProvider):
    """Adds ``file_plugin.context`` to new runs while ``MLFLOW_FILE_PLUGIN_CONTEXT`` is set."""

    def in_context(self) -> bool:
        return bool(os.environ.get(ENABLE_ENV))

    def tags(self) -> dict[str, str]:
        return {"file_plugin.context": os.environ.get(ENABLE_ENV, "")}


class PluginRequestHeaderProvider(RequestHeaderProvider):
    """Adds ``X-File-Plugin`` to MLflow's REST requests while ``MLFLOW_FILE_PLUGIN_CONTEXT`` is set."""

    def in_context(self) -> bool:
        return bool(os.environ.get(ENABLE_ENV))

    def request_headers(self) -> dict[str, str]:
        return {"X-File-Plugin": os.environ.get(ENABLE_ENV, "")}


class _TokenAuth:
    """A ``requests`` auth callable that sets a bearer token and never shows it in repr."""

    def __init__(self, token: str):
        self._token = token

    def __call__(self, request):
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self):
        return "_TokenAuth(token=***)"


class PluginRequestAuthProvider(RequestAuthProvider):
    """Selected with ``MLFLOW_TRACKING_AUTH=file-plugin-auth``; token from ``MLFLOW_FILE_PLUGIN_TOKEN``."""

    def get_name(self) -> str:
        return "file-plugin-auth"

    def get_auth(self):
        return _TokenAuth(os.environ.get("MLFLOW_FILE_PLUGIN_TOKEN", "example-token"))
