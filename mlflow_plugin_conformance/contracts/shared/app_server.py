"""What the app and app-client contracts share: the environment the app's ``mlflow server`` is started with."""

from __future__ import annotations

import pytest


class AppServerEnvironment:
    """Mixin giving the ``app_server_env`` fixture (default: the ``mlflow_app_server_env`` hook of conftest.py)."""

    @pytest.fixture
    def app_server_env(self, mlflow_app_server_env) -> dict[str, str]:
        """Environment variables the app's server needs (default: the ``mlflow_app_server_env`` fixture)."""
        return dict(mlflow_app_server_env or {})
