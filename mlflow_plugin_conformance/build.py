"""PluginTarget + URI -> instance, built through MLflow's own registry, exactly as MLflow would build it.

The entry-point wiring is part of what is checked, so nothing here imports the plugin's class directly to
instantiate it.  Before building, :func:`check_registration` proves that MLflow's registry holds *this*
distribution's object under the entry-point name; MLflow's registries swallow ``ImportError`` and
``AttributeError`` at registration (a broken plugin silently disappears), and a second distribution can take the
name over.  Every failure becomes a :class:`TargetBuildError` whose message names the entry point, the
distribution, what to do, and carries the original traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .discovery import PluginTarget
from .kinds import PluginKind
from .redaction import redact_text, redact_uri, uri_secrets


class TargetBuildError(Exception):
    """The target could not be loaded or built. ``str()`` is the full, user-facing explanation."""


@dataclass
class BuiltTarget:
    """A target built from ``uri``; ``context`` carries kind-specific extras (e.g. the tracking URI used)."""

    target: PluginTarget
    uri: str | None
    instance: Any
    context: dict[str, Any] = field(default_factory=dict)


def render_uri(template: str | None, target: PluginTarget, tmp: Path) -> str | None:
    """Fill ``{scheme}`` (the entry-point name) and ``{tmp}`` (a fresh directory, POSIX form) in a URI template."""
    if template is None:
        return None
    return template.replace("{scheme}", target.name).replace("{tmp}", tmp.as_posix())


def _format_exc(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip()


def _fail(target: PluginTarget, what: str, todo: str, exc: BaseException | None = None, uri: str | None = None):
    parts = [f"{target.label}: {what}", f"  {target.describe()}"]
    if uri is not None:
        parts.append(f"  URI: {redact_uri(uri)}")
    parts.append(f"  What to do: {todo}")
    if exc is not None:
        parts.append("  Original error:\n" + "\n".join("    " + line for line in _format_exc(exc).splitlines()))
    raise TargetBuildError(redact_text("\n".join(parts), uri_secrets(uri))) from exc


def load_entry_point(target: PluginTarget) -> Any:
    """Import the entry point's object; an import error becomes a TargetBuildError with the traceback."""
    try:
        return target.load()
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        _fail(target, "the entry point fails to import.",
              f"fix the import error in {target.value.split(':')[0]!r}, then reinstall the distribution "
              f"(pip install -e .) so the entry point metadata is current.", exc)


def registration_warnings(group: str, name: str) -> list[str]:
    """The warnings MLflow emits for ``name`` while registering ``group`` during ``import mlflow``.

    Run in a fresh interpreter, because the registries are filled once per process at import time and
    the warnings are gone by the time a test runs. Costs one ``import mlflow`` (seconds): used only on failure.
    """
    code = (
        "import json, warnings\n"
        "warnings.simplefilter('always')\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    import mlflow\n"
        "    import mlflow.tracking._model_registry.utils as r\n"
        "    r._get_store_registry()\n"
        "    import mlflow.store.artifact.artifact_repository_registry\n"
        "print(json.dumps([str(w.message) for w in caught]))\n"
    )
    env = dict(os.environ, MLFLOW_DISABLE_TELEMETRY="true", DO_NOT_TRACK="true")
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
        messages = json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else []
    except (subprocess.SubprocessError, ValueError, IndexError):
        return []
    return [m for m in messages if f'"{name}"' in m or f"'{name}'" in m]


def check_registration(target: PluginTarget, registered: dict[str, Any]) -> Any:
    """The object MLflow's registry holds for ``target.name`` must be the one the entry point names."""
    loaded = load_entry_point(target)
    held = registered.get(target.name)
    if held is None:
        found = registration_warnings(target.group, target.name)
        why = ("MLflow warned while registering it during `import mlflow`: " + " | ".join(found)) if found else (
            "it imports fine after `import mlflow`, so it most likely fails only while `import mlflow` is still "
            "running (a circular import: the plugin module imports MLflow internals at its top level)")
        _fail(target, f"MLflow's registry for {target.group} has no {target.name!r}: MLflow dropped the plugin "
                      f"with only a warning, so users silently get 'unsupported URI scheme'. {why}.",
              "import MLflow modules lazily, inside the builder function or constructor, not at module top level; "
              "see MLflow issues 18509 and 4697.")
    if held is not loaded:
        origin = getattr(held, "__module__", "?")
        _fail(target, f"MLflow's registry maps {target.name!r} to {held!r} from module {origin!r}, not to this "
                      f"distribution's {target.value!r}: another distribution or MLflow itself wins the name.",
              "uninstall the other distribution registering the same name, or choose another scheme "
              "(`pytest --mlflow-plugin-list` shows who registers what).")
    return loaded


def _build_tracking_store(target: PluginTarget, uri: str, tmp: Path) -> BuiltTarget:
    from mlflow.tracking._tracking_service import utils

    check_registration(target, utils._tracking_store_registry._registry)
    artifact_uri = (tmp / "tracking-artifacts").as_uri()
    store = utils._tracking_store_registry.get_store(uri, artifact_uri)
    return BuiltTarget(target, uri, store, {"artifact_uri": artifact_uri})


def _build_model_registry_store(target: PluginTarget, uri: str, tmp: Path) -> BuiltTarget:
    from mlflow.tracking._model_registry import utils

    registry = utils._get_store_registry()
    check_registration(target, registry._registry)
    tracking_uri = f"sqlite:///{(tmp / 'registry-tracking.db').as_posix()}"
    store = registry.get_store(uri, tracking_uri)
    return BuiltTarget(target, uri, store, {"tracking_uri": tracking_uri})


def _build_artifact_repository(target: PluginTarget, uri: str, tmp: Path) -> BuiltTarget:
    from mlflow.store.artifact import artifact_repository_registry as registry

    check_registration(target, registry._artifact_repository_registry._registry)
    repo = registry.get_artifact_repository(uri)
    return BuiltTarget(target, uri, repo)


def _instance_from_list_registry(target: PluginTarget, instances) -> Any:
    """Provider registries hold instances MLflow constructed at import time; find the one of this entry point."""
    cls = load_entry_point(target)
    for instance in instances:
        if type(instance) is cls:
            return instance
    _fail(target, "MLflow's provider registry holds no instance of it: MLflow dropped the provider at "
                  "`import mlflow` (its import failed there, or it is registered under another group).",
          "make the provider constructible with no arguments and import MLflow lazily in its module.")


def _build_run_context_provider(target: PluginTarget, uri, tmp) -> BuiltTarget:
    from mlflow.tracking.context.registry import _run_context_provider_registry

    return BuiltTarget(target, None, _instance_from_list_registry(target, _run_context_provider_registry))


def _build_request_header_provider(target: PluginTarget, uri, tmp) -> BuiltTarget:
    from mlflow.tracking.request_header.registry import _request_header_provider_registry

    return BuiltTarget(target, None, _instance_from_list_registry(target, _request_header_provider_registry))


def _build_request_auth_provider(target: PluginTarget, uri, tmp) -> BuiltTarget:
    from mlflow.tracking.request_auth.registry import _request_auth_provider_registry

    return BuiltTarget(target, None, _instance_from_list_registry(target, _request_auth_provider_registry))


def _build_by_loading(target: PluginTarget, uri, tmp) -> BuiltTarget:
    """Kinds whose MLflow registry resolves by name at call time: the contract drives MLflow's API itself."""
    return BuiltTarget(target, uri, load_entry_point(target))


BUILDERS: dict[str, Callable[[PluginTarget, str | None, Path], BuiltTarget]] = {
    "tracking_store": _build_tracking_store,
    "model_registry_store": _build_model_registry_store,
    "artifact_repository": _build_artifact_repository,
    "run_context_provider": _build_run_context_provider,
    "request_header_provider": _build_request_header_provider,
    "request_auth_provider": _build_request_auth_provider,
}


def build_target(target: PluginTarget, kind: PluginKind, uri: str | None, tmp: Path) -> BuiltTarget:
    """Build ``target`` from ``uri`` the way MLflow does; any failure is a TargetBuildError naming the target."""
    builder = BUILDERS.get(kind.key, _build_by_loading)
    try:
        return builder(target, uri, tmp)
    except TargetBuildError:
        raise
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        _fail(target, f"MLflow's registry failed to build it from the URI ({type(exc).__name__}).",
              "make the builder accept the URI shown (set another one with "
              f"--mlflow-plugin-uri={kind.key}=URI or the mlflow_plugin_uri ini key) and fix the error below.",
              exc, uri)
