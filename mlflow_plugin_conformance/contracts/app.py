"""Contracts of tracking-server apps (``mlflow.app``) and their clients (``mlflow.app.client``).

``mlflow server --app-name NAME`` finds the entry point (``mlflow.server._find_app``), and hands its
``module:attr`` to the web server: with the default uvicorn server, a plain function is passed with
``--factory`` (``mlflow.server._is_factory``: ``isinstance(obj, types.FunctionType)``) and must return an ASGI
app, anything else must itself be an ASGI app. The server sets ``_MLFLOW_SGI_NAME`` (uvicorn, gunicorn,
waitress) so a factory can return the right interface. The app replaces MLflow's own server app, so it must
keep answering MLflow's REST API.

Subclass a contract and provide its fixture::

    class TestMyApp(AppContract):
        @pytest.fixture
        def app(self):
            return app_target("my-app")          # the name users pass to --app-name

    class TestMyAppClient(AppClientContract):
        @pytest.fixture
        def app_client(self):
            return app_client_target("my-app")

Fixtures a plugin may define in ``conftest.py`` (they reach the bundled suite too):
``mlflow_app_server_env`` (dict of environment variables the server needs, e.g. secrets), ``mlflow_app_credentials``
(dict of environment variables MLflow's client needs to talk to it, e.g. ``MLFLOW_TRACKING_USERNAME``) and
``mlflow_app_client_exercise`` (a callable ``(client) -> object`` that makes at least one request with the client).
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
import tempfile

import pytest

from ..outcomes import unsupported
from ._support import raises_mlflow_error, unique_name
from .base import ContractBase, clause, required_fixture
from .providers import check_import_order, global_state, restore_global_state, state_changes


def app_target(name: str):
    """The app registered as ``name`` in ``mlflow.app``, resolved as ``mlflow server --app-name`` does."""
    from mlflow.server import _find_app, _is_factory

    from ..build import AppTarget

    value = _find_app(name)
    module, _, attr = value.partition(":")
    obj = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return AppTarget(name, value, obj, _is_factory(value))


def app_client_target(name: str):
    """The client registered as ``name`` in ``mlflow.app.client``."""
    from ..build import AppClientTarget

    for ep in importlib.metadata.entry_points(group="mlflow.app.client"):
        if ep.name == name:
            return AppClientTarget(name, ep.value, ep.load())
    raise LookupError(f"no mlflow.app.client entry point named {name!r}")


# -- what the web server gets -----------------------------------------------------------------------------------

_INTERFACE_SCRIPT = r"""
import importlib, inspect, json, os, sys, traceback, types
value, sgi = sys.argv[1], sys.argv[2]
os.environ["_MLFLOW_SGI_NAME"] = sgi
out = {"error": None}
try:
    module, _, attr = value.partition(":")
    obj = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    out["entry_type"] = type(obj).__module__ + "." + type(obj).__qualname__
    out["is_factory"] = isinstance(obj, types.FunctionType)
    if out["is_factory"]:
        required = [p for p in inspect.signature(obj).parameters.values()
                    if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
        out["factory_required_args"] = [p.name for p in required]
        app = obj()
    else:
        app = obj
    out["app_type"] = type(app).__module__ + "." + type(app).__qualname__
    if inspect.isclass(app):
        call, form = None, "class"
    elif inspect.isfunction(app) or inspect.ismethod(app):
        call = app
    else:
        call = getattr(type(app), "__call__", None)
    if inspect.isclass(app):
        pass
    elif call is None:
        form = "not callable"
    else:
        try:  # the object's own signature: right for bound __call__ and for functools.partial alike
            params = list(inspect.signature(app).parameters.values())
        except (TypeError, ValueError):
            params = [p for p in inspect.signature(call).parameters.values() if p.name != "self"]
        if inspect.iscoroutinefunction(call):
            form = "asgi" if len(params) == 3 else f"async callable with {len(params)} parameters"
        else:
            form = "wsgi" if len(params) == 2 else f"callable with {len(params)} parameters"
    out["form"] = form
except BaseException:
    out["error"] = traceback.format_exc()
print("@@APP-INTERFACE@@" + json.dumps(out))
"""

_INTERFACE_CACHE: dict[tuple, dict] = {}


def app_interface(value: str, sgi: str, env: dict[str, str] | None = None, timeout: float = 180.0) -> dict:
    """What the web server ``sgi`` would get from the entry point ``value``, found in a fresh interpreter (the
    factory runs once per server process; calling it twice in one process may register routes twice)."""
    key = (value, sgi, tuple(sorted((env or {}).items())))
    if key not in _INTERFACE_CACHE:
        child_env = dict(os.environ, MLFLOW_DISABLE_TELEMETRY="true", DO_NOT_TRACK="true", **(env or {}))
        with tempfile.TemporaryDirectory(prefix="mlflow-conformance-app-") as cwd:
            try:
                done = subprocess.run([sys.executable, "-c", _INTERFACE_SCRIPT, value, sgi], capture_output=True,
                                      text=True, timeout=timeout, env=child_env, cwd=cwd)
                line = next((ln for ln in done.stdout.splitlines() if ln.startswith("@@APP-INTERFACE@@")), None)
                result = (json.loads(line[len("@@APP-INTERFACE@@"):]) if line else
                          {"error": f"exit code {done.returncode}:\n{done.stderr[-3000:]}"})
            except subprocess.TimeoutExpired:
                result = {"error": f"loading the app took more than {timeout:g} s"}
        _INTERFACE_CACHE[key] = result
    return _INTERFACE_CACHE[key]


def default_server() -> str:
    """The web server plain ``mlflow server`` runs on the installed MLflow: uvicorn from MLflow 3.3
    (``mlflow.server._build_uvicorn_command``), gunicorn before (``module:factory()``; waitress on Windows)."""
    import mlflow

    from ..capabilities import version_at_least

    if version_at_least(mlflow.__version__, "3.3"):
        return "uvicorn"
    return "waitress" if sys.platform == "win32" else "gunicorn"


#: The interface each web server calls.
SERVER_INTERFACE = {"uvicorn": "asgi", "gunicorn": "wsgi", "waitress": "wsgi"}


def _describe(found: dict) -> str:
    shape = "factory returning" if found.get("is_factory") else "object"
    return f"{shape} {found.get('app_type')} ({found.get('form')})"


# -- the app contract -------------------------------------------------------------------------------------------

_APP_EXAMPLE = """    @pytest.fixture
    def app(self):
        from mlflow_plugin_conformance.contracts.app import app_target
        return app_target("my-app")"""


class _AppServerEnvironment:
    """What the app and app-client contracts share: the environment the app's server is started with."""

    @pytest.fixture
    def app_server_env(self, mlflow_app_server_env) -> dict[str, str]:
        """Environment variables the app's server needs (default: the ``mlflow_app_server_env`` fixture)."""
        return dict(mlflow_app_server_env or {})


class AppContract(_AppServerEnvironment, ContractBase):
    """Contract of ``mlflow.app``: the app runs under ``mlflow server --app-name`` and serves MLflow's REST API."""

    kind_key = "app"
    target_fixture = "app"
    group = "mlflow.app"

    app = required_fixture("app", "AppContract", _APP_EXAMPLE)

    @pytest.fixture
    def app_credentials(self, mlflow_app_credentials) -> dict[str, str]:
        """Environment variables MLflow's client needs to talk to the app (default: ``mlflow_app_credentials``)."""
        return dict(mlflow_app_credentials or {})

    @pytest.fixture
    def app_server(self, app, app_server_env):
        """``mlflow server --app-name NAME`` on 127.0.0.1 (default uvicorn server): one per process and app."""
        from ..services import ServiceStartError, shared_mlflow_server

        try:
            return shared_mlflow_server(app_name=app.name, env=app_server_env)
        except ServiceStartError as exc:
            pytest.fail(f"`mlflow server --app-name {app.name}` does not start or does not answer:\n{exc}",
                        pytrace=False)

    @pytest.fixture
    def app_client_env(self, app_server, app_credentials, monkeypatch):
        """MLflow's client points at the app's server, with the credentials it needs, for the test."""
        import mlflow.tracking._tracking_service.utils as tracking_utils

        monkeypatch.setattr(tracking_utils, "_tracking_uri", app_server.url)
        monkeypatch.setenv("MLFLOW_TRACKING_URI", app_server.url)
        for key, value in app_credentials.items():
            monkeypatch.setenv(key, value)
        return app_server.url

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
                assert found["form"] == interface, f"{server} gets a {_describe(found)}, not a WSGI app"
        else:
            assert found["form"] == interface, (
                f"{app.value} is a {found['entry_type']}, not a plain function, so MLflow does not call it as a "
                f"factory and {server} serves it as the app itself, but it is {found['form']}, not "
                f"{'an ASGI' if interface == 'asgi' else 'a WSGI'} app")

    # MLflow 3.3 made uvicorn the default server of `mlflow server` (3.2.0 runs gunicorn or waitress only).
    @clause("app/factory/asgi-under-uvicorn", since="3.3")
    def test_factory_asgi_under_uvicorn(self, app, app_server_env):
        """Under the default uvicorn server (``_MLFLOW_SGI_NAME=uvicorn``) the app the server gets is ASGI (a
        factory returning MLflow's Flask app, which is WSGI, fails every request)."""
        found = app_interface(app.value, "uvicorn", app_server_env)
        if found.get("error"):
            pytest.fail(f"building the app for uvicorn fails:\n{found['error']}", pytrace=False)
        assert found["form"] == "asgi", f"uvicorn gets a {_describe(found)}, not an ASGI app"

    @clause("app/factory/wsgi-under-gunicorn", level="full", feature="app.wsgi-servers")
    def test_factory_wsgi_under_gunicorn(self, app, app_server_env):
        """Under ``--gunicorn-opts``/``--waitress-opts`` (``_MLFLOW_SGI_NAME=gunicorn``) a factory returns a WSGI
        app (MLflow's basic-auth returns its Flask app there). An ASGI object offers uvicorn only: unsupported."""
        found = app_interface(app.value, "gunicorn", app_server_env)
        if found.get("error"):
            pytest.fail(f"building the app for gunicorn fails:\n{found['error']}", pytrace=False)
        if not found["is_factory"] and found["form"] == "asgi":
            unsupported("app.wsgi-servers", "an ASGI app object serves uvicorn only")
        assert found["form"] == "wsgi", f"gunicorn gets a {_describe(found)}, not a WSGI app"

    @clause("app/server/starts")
    def test_server_starts(self, app, app_server):
        """``mlflow server --app-name NAME --host 127.0.0.1`` with the default server starts, and ``/health`` and
        ``/version`` answer like MLflow's server."""
        from ..services import _get

        status, body = _get(f"{app_server.url}/health", timeout=10)
        assert status == 200, f"/health answered HTTP {status}: {body[:200]!r}"
        status, body = _get(f"{app_server.url}/version", timeout=10)
        assert status < 500, f"/version answered HTTP {status}: {body[:200]!r}"
        sys.stdout.write(f"\napp {app.name}: server up in {app_server.startup_seconds:.1f} s\n")

    @clause("app/server/rest-api")
    def test_server_rest_api(self, app_client_env):
        """MLflow's client works against the app's server: create an experiment, a run with a metric, a param and
        a tag, and read them back (real REST requests)."""
        from mlflow.tracking import MlflowClient

        client = MlflowClient(app_client_env)
        name = unique_name("app-exp")
        experiment_id = client.create_experiment(name)
        assert client.get_experiment_by_name(name).experiment_id == experiment_id
        run = client.create_run(experiment_id)
        client.log_metric(run.info.run_id, "loss", 0.5, step=3)
        client.log_param(run.info.run_id, "alpha", "0.1")
        client.set_tag(run.info.run_id, "team", "conformance")
        client.set_terminated(run.info.run_id)
        stored = client.get_run(run.info.run_id)
        assert stored.data.metrics == {"loss": 0.5}
        assert stored.data.params == {"alpha": "0.1"}
        assert stored.data.tags.get("team") == "conformance"
        assert stored.info.status == "FINISHED"

    @clause("app/server/rest-errors")
    def test_server_rest_errors(self, app_client_env):
        """The app keeps MLflow's error mapping: an unknown experiment id answers RESOURCE_DOES_NOT_EXIST (HTTP
        404 with MLflow's JSON error body), which MLflow's client turns into the right exception."""
        from mlflow.tracking import MlflowClient

        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown experiment through the app"):
            MlflowClient(app_client_env).get_experiment("987654321")

    @clause("app/import-order/plugin-first")
    def test_import_order_plugin_first(self, app):
        """Importing the app's module before ``mlflow`` works and resolves the entry point."""
        check_import_order("plugin-first", self.group, app.value)

    @clause("app/import-order/mlflow-first")
    def test_import_order_mlflow_first(self, app):
        """Importing ``mlflow`` before the app's module works and resolves the entry point."""
        check_import_order("mlflow-first", self.group, app.value)


# -- the app client contract ------------------------------------------------------------------------------------

_APP_CLIENT_EXAMPLE = """    @pytest.fixture
    def app_client(self):
        from mlflow_plugin_conformance.contracts.app import app_client_target
        return app_client_target("my-app")"""


class AppClientContract(_AppServerEnvironment, ContractBase):
    """Contract of ``mlflow.app.client``: ``mlflow.server.get_app_client(name, tracking_uri)`` gives a client of the
    app registered under the same name."""

    kind_key = "app_client"
    target_fixture = "app_client"
    group = "mlflow.app.client"

    app_client = required_fixture("app_client", "AppClientContract", _APP_CLIENT_EXAMPLE)

    @pytest.fixture
    def app_client_exercise(self, mlflow_app_client_exercise):
        """A callable ``(client) -> object`` making at least one request (default: ``mlflow_app_client_exercise``)."""
        return mlflow_app_client_exercise

    @clause("app_client/registration/has-app")
    def test_registration_has_app(self, app_client):
        """An ``mlflow.app`` entry point has the client's name: users get the client by the app's name, so a
        client registered under another name belongs to no app."""
        apps = sorted(ep.name for ep in importlib.metadata.entry_points(group="mlflow.app"))
        assert app_client.name in apps, (f"no mlflow.app entry point is named {app_client.name!r} "
                                         f"(installed apps: {apps})")

    @clause("app_client/construct/tracking-uri")
    def test_construct_tracking_uri(self, app_client):
        """``mlflow.server.get_app_client(name, tracking_uri)`` returns an instance of the registered class, without
        contacting the server (it succeeds against a URI where nothing listens)."""
        from mlflow.server import get_app_client

        from ..services import free_port

        unreachable = f"http://127.0.0.1:{free_port()}"
        try:
            client = get_app_client(app_client.name, unreachable)
        except Exception as exc:
            pytest.fail(f"get_app_client({app_client.name!r}, {unreachable!r}) raised {type(exc).__name__}: {exc}",
                        pytrace=False)
        assert isinstance(client, app_client.cls), (
            f"get_app_client returned a {type(client).__name__}, not the registered {app_client.value}: another "
            "distribution registers a client under the same name")

    @clause("app_client/construct/no-global-changes")
    def test_construct_no_global_changes(self, app_client):
        """Constructing the client changes no global state (environment, MLflow's tracking URI, cwd)."""
        before = global_state()
        try:
            app_client.cls("http://127.0.0.1:5000")  # what get_app_client(name, uri) calls
            changes = state_changes(before, global_state())
        finally:
            restore_global_state(before)
        assert not changes, "constructing the client changed global state:\n  " + "\n  ".join(changes)

    @clause("app_client/end-to-end/uses-tracking-uri", level="full", feature="app_client.exercise")
    def test_end_to_end_uses_tracking_uri(self, app_client, app_client_exercise, app_server_env, monkeypatch):
        """The client talks to the tracking URI it was given (not MLflow's global one): the plugin's exercise
        (``mlflow_app_client_exercise``) sends its requests to a real app server through a recording proxy."""
        from ..services import ServiceStartError, recording_proxy, shared_mlflow_server

        if app_client_exercise is None:
            raise NotImplementedError("define a `mlflow_app_client_exercise` fixture (a callable taking the client "
                                      "and making a request) to check the client end to end")

        try:
            server = shared_mlflow_server(app_name=app_client.name, env=app_server_env)
        except ServiceStartError as exc:
            pytest.fail(f"`mlflow server --app-name {app_client.name}` does not start:\n{exc}", pytrace=False)
        import mlflow.tracking._tracking_service.utils as tracking_utils

        decoy = "http://127.0.0.1:9"  # MLflow's global tracking URI points nowhere: the client must not use it
        monkeypatch.setattr(tracking_utils, "_tracking_uri", decoy)
        monkeypatch.setenv("MLFLOW_TRACKING_URI", decoy)
        monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
        with recording_proxy(server.url) as proxy:
            client = app_client.cls(proxy.url)  # what get_app_client(name, uri) builds (clause construct/...)
            app_client_exercise(client)
        assert proxy.requests, "the client made no request to the tracking URI it was given"

    @clause("app_client/import-order/plugin-first")
    def test_import_order_plugin_first(self, app_client):
        """Importing the client's module before ``mlflow`` works and resolves the entry point."""
        check_import_order("plugin-first", self.group, app_client.value)

    @clause("app_client/import-order/mlflow-first")
    def test_import_order_mlflow_first(self, app_client):
        """Importing ``mlflow`` before the client's module works and resolves the entry point."""
        check_import_order("mlflow-first", self.group, app_client.value)
