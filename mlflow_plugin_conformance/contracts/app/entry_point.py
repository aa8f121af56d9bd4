"""Family ``entry-point``: what the entry point names is something ``mlflow server`` can serve."""

from __future__ import annotations

import pytest

from ..base import clause
from ._helpers import SERVER_INTERFACE, app_interface, default_server, describe


class EntryPointClauses:
    @clause("app/entry-point/form")
    def test_entry_point_form(self, app, app_server_env):
        """The entry point is what ``mlflow server`` can hand to its default server: a plain function (MLflow
        calls it as a factory) taking no required argument, or an app object of the server's interface (ASGI for
        uvicorn, the default from MLflow 3.3; WSGI for gunicorn, the default before, where the factory must
        return a WSGI app too). A ``functools.partial``, a class or a callable instance is not detected as a
        factory and is served as if it were the app."""
        server = default_server()
        interface = SERVER_INTERFACE[server]
        found = app_interface(app.value, server, app_server_env)
        if found.get("error"):
            pytest.fail(f"loading {app.value!r} as {server} would fails:\n{found['error']}", pytrace=False)
        if found["is_factory"]:
            assert not found.get("factory_required_args"), (
                f"the factory {app.value} requires arguments {found['factory_required_args']}; the server calls it "
                "with none")
            if server != "uvicorn":  # under uvicorn: app/factory/asgi-under-uvicorn
                assert found["form"] == interface, f"{server} gets a {describe(found)}, not a WSGI app"
        else:
            assert found["form"] == interface, (
                f"{app.value} is a {found['entry_type']}, not a plain function, so MLflow does not call it as a "
                f"factory and {server} serves it as the app itself, but it is {found['form']}, not "
                f"{'an ASGI' if interface == 'asgi' else 'a WSGI'} app")
