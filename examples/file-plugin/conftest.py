"""What the example plugin's own repository gives the conformance suite (as a plugin author's conftest would).

Run from this directory: ``pytest`` (pyproject selects the distribution) checks every kind the plugin ships.
"""

import contextlib

import pytest


@pytest.fixture
def mlflow_provider_context(monkeypatch):
    """The example providers are in context while MLFLOW_FILE_PLUGIN_CONTEXT is set: turn it on for a clause."""

    @contextlib.contextmanager
    def activate():
        with monkeypatch.context() as patch:
            patch.setenv("MLFLOW_FILE_PLUGIN_CONTEXT", "conformance")
            yield

    return activate


@pytest.fixture
def mlflow_app_client_exercise():
    """One real request through the example app client (its /file-plugin/info route)."""
    return lambda client: client.get_info()
