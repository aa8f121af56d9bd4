"""What only the app contract uses: how ``mlflow server`` resolves the entry point, and what the web server gets
from it (found in a fresh interpreter)."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import tempfile


def app_target(name: str):
    """The app registered as ``name`` in ``mlflow.app``, resolved as ``mlflow server --app-name`` does."""
    from mlflow.server import _find_app, _is_factory

    from ...build import AppTarget

    value = _find_app(name)
    module, _, attr = value.partition(":")
    obj = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return AppTarget(name, value, obj, _is_factory(value))


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

    from ...capabilities import version_at_least

    if version_at_least(mlflow.__version__, "3.3"):
        return "uvicorn"
    return "waitress" if sys.platform == "win32" else "gunicorn"


#: The interface each web server calls.
SERVER_INTERFACE = {"uvicorn": "asgi", "gunicorn": "wsgi", "waitress": "wsgi"}


def describe(found: dict) -> str:
    shape = "factory returning" if found.get("is_factory") else "object"
    return f"{shape} {found.get('app_type')} ({found.get('form')})"
