"""Family ``factory``: the app the web server gets from the entry point, under each server MLflow runs."""

from __future__ import annotations

import pytest

from ...outcomes import unsupported
from ..base import clause
from ._helpers import app_interface, describe


class FactoryClauses:
    # MLflow 3.3 made uvicorn the default server of `mlflow server` (3.2.0 runs gunicorn or waitress only).
    @clause("app/factory/asgi-under-uvicorn", since="3.3")
    def test_factory_asgi_under_uvicorn(self, app, app_server_env):
        """Under the default uvicorn server (``_MLFLOW_SGI_NAME=uvicorn``) the app the server gets is ASGI (a
        factory returning MLflow's Flask app, which is WSGI, fails every request)."""
        found = app_interface(app.value, "uvicorn", app_server_env)
        if found.get("error"):
            pytest.fail(f"building the app for uvicorn fails:\n{found['error']}", pytrace=False)
        assert found["form"] == "asgi", f"uvicorn gets a {describe(found)}, not an ASGI app"

    @clause("app/factory/wsgi-under-gunicorn", level="full", feature="app.wsgi-servers")
    def test_factory_wsgi_under_gunicorn(self, app, app_server_env):
        """Under ``--gunicorn-opts``/``--waitress-opts`` (``_MLFLOW_SGI_NAME=gunicorn``) a factory returns a WSGI
        app (MLflow's basic-auth returns its Flask app there). An ASGI object offers uvicorn only: unsupported."""
        found = app_interface(app.value, "gunicorn", app_server_env)
        if found.get("error"):
            pytest.fail(f"building the app for gunicorn fails:\n{found['error']}", pytrace=False)
        if not found["is_factory"] and found["form"] == "asgi":
            unsupported("app.wsgi-servers", "an ASGI app object serves uvicorn only")
        assert found["form"] == "wsgi", f"gunicorn gets a {describe(found)}, not a WSGI app"
