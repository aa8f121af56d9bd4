"""Contract of tracking-server apps (``mlflow.app``).

``mlflow server --app-name NAME`` finds the entry point (``mlflow.server._find_app``), and hands its
``module:attr`` to the web server: with the default uvicorn server, a plain function is passed with
``--factory`` (``mlflow.server._is_factory``: ``isinstance(obj, types.FunctionType)``) and must return an ASGI
app, anything else must itself be an ASGI app. The server sets ``_MLFLOW_SGI_NAME`` (uvicorn, gunicorn,
waitress) so a factory can return the right interface. The app replaces MLflow's own server app, so it must
keep answering MLflow's REST API.

Subclass :class:`AppContract` and provide the ``app`` fixture::

    class TestMyApp(AppContract):
        @pytest.fixture
        def app(self):
            return app_target("my-app")          # the name users pass to --app-name

Fixtures a plugin may define in ``conftest.py`` (they reach the bundled suite too): ``mlflow_app_server_env``
(dict of environment variables the server needs, e.g. secrets) and ``mlflow_app_credentials`` (dict of environment
variables MLflow's client needs to talk to it, e.g. ``MLFLOW_TRACKING_USERNAME``).
"""

from __future__ import annotations

from ..base import ContractBase, required_fixture
from ..shared.app_server import AppServerEnvironment
from ..shared.import_order import ImportOrderClauses
from ._helpers import app_target
from .entry_point import EntryPointClauses
from .factory import FactoryClauses
from .server import ServerClauses

__all__ = ["AppContract", "app_target"]

_EXAMPLE = """    @pytest.fixture
    def app(self):
        from mlflow_plugin_conformance.contracts.app import app_target
        return app_target("my-app")"""


class AppContract(EntryPointClauses, FactoryClauses, ServerClauses, ImportOrderClauses, AppServerEnvironment,
                  ContractBase):
    """Contract of ``mlflow.app``: the app runs under ``mlflow server --app-name`` and serves MLflow's REST API."""

    kind_key = "app"
    target_fixture = "app"
    group = "mlflow.app"

    app = required_fixture("app", "AppContract", _EXAMPLE)
