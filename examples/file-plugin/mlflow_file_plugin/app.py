"""The example plugin's tracking-server app (``mlflow server --app-name file-plugin``) and its client.

``create_app`` is a plain function, so MLflow treats it as a factory. It adds one route, ``GET /file-plugin/info``,
to MLflow's own Flask server app and returns what the server expects. From MLflow 3.3 the default server is uvicorn
(``uvicorn --factory``), which needs an ASGI app: MLflow's FastAPI wrapper of the Flask app
(``mlflow.server.fastapi_app``, new in 3.3); from 3.4 the server names itself in ``_MLFLOW_SGI_NAME`` and under
gunicorn or waitress the factory returns the WSGI Flask app itself. Before 3.3 ``mlflow server`` runs gunicorn
(``module:create_app()``) or waitress and only knows the Flask app. Every MLflow REST route keeps working.
"""

from __future__ import annotations

import os

INFO_PATH = "/file-plugin/info"


def _info():
    from flask import jsonify

    from mlflow.version import VERSION

    return jsonify({"plugin": "mlflow-file-plugin", "mlflow_version": VERSION})


def create_app():
    """The factory MLflow's server calls once per worker process."""
    from mlflow.server import app as flask_app

    if "file_plugin_info" not in flask_app.view_functions:
        flask_app.add_url_rule(INFO_PATH, "file_plugin_info", _info, methods=["GET"])
    if os.environ.get("_MLFLOW_SGI_NAME", "uvicorn") != "uvicorn":
        return flask_app
    try:
        from mlflow.server.fastapi_app import create_fastapi_app
    except ImportError:  # MLflow < 3.3: no uvicorn server, gunicorn/waitress serve the WSGI app
        return flask_app
    return create_fastapi_app(flask_app)


class FilePluginAppClient:
    """Client of the app: ``mlflow.server.get_app_client("file-plugin", tracking_uri)``.

    Construction does no I/O; each call goes through MLflow's REST helpers, so request header and auth
    providers apply to it as to any MLflow REST call.
    """

    def __init__(self, tracking_uri: str):
        self.tracking_uri = tracking_uri

    def __repr__(self):
        return f"FilePluginAppClient(tracking_uri={self.tracking_uri!r})"

    def get_info(self) -> dict:
        """The app's ``/file-plugin/info`` answer (plugin name and the server's MLflow version)."""
        from mlflow.utils.credentials import get_default_host_creds
        from mlflow.utils.rest_utils import http_request, verify_rest_response

        response = http_request(get_default_host_creds(self.tracking_uri), INFO_PATH, "GET")
        return verify_rest_response(response, INFO_PATH).json()
