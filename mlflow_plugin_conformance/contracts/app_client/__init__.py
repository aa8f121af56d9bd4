"""Contract of clients of tracking-server apps (``mlflow.app.client``).

``mlflow.server.get_app_client(name, *args, **kwargs)`` loads the entry point named ``name`` and returns
``cls(*args, **kwargs)``: users get the client of an app by the app's name.

Subclass :class:`AppClientContract` and provide the ``app_client`` fixture::

    class TestMyAppClient(AppClientContract):
        @pytest.fixture
        def app_client(self):
            return app_client_target("my-app")

Fixtures a plugin may define in ``conftest.py`` (they reach the bundled suite too): ``mlflow_app_server_env``
(environment variables the app's server needs) and ``mlflow_app_client_exercise`` (a callable ``(client) ->
object`` that makes at least one request with the client).
"""

from __future__ import annotations

import importlib.metadata

from ..base import ContractBase, required_fixture
from ..shared.app_server import AppServerEnvironment
from ..shared.import_order import ImportOrderClauses
from .construct import ConstructClauses
from .end_to_end import EndToEndClauses
from .registration import RegistrationClauses
from .state import StateClauses

__all__ = ["AppClientContract", "app_client_target"]

_EXAMPLE = """    @pytest.fixture
    def app_client(self):
        from mlflow_plugin_conformance.contracts.app_client import app_client_target
        return app_client_target("my-app")"""


def app_client_target(name: str):
    """The client registered as ``name`` in ``mlflow.app.client``."""
    from ...build import AppClientTarget

    for ep in importlib.metadata.entry_points(group="mlflow.app.client"):
        if ep.name == name:
            return AppClientTarget(name, ep.value, ep.load())
    raise LookupError(f"no mlflow.app.client entry point named {name!r}")


class AppClientContract(RegistrationClauses, ConstructClauses, StateClauses, EndToEndClauses, ImportOrderClauses,
                        AppServerEnvironment, ContractBase):
    """Contract of ``mlflow.app.client``: ``mlflow.server.get_app_client(name, tracking_uri)`` gives a client of the
    app registered under the same name."""

    kind_key = "app_client"
    target_fixture = "app_client"
    group = "mlflow.app.client"

    app_client = required_fixture("app_client", "AppClientContract", _EXAMPLE)
