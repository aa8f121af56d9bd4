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
        extra = _missing_mlflow_extra(exc)
        if extra is not None:
            part, package, name = extra
            _fail(target, f"the entry point imports {part}, which needs {package!r}: MLflow installs it only with "
                          f"its {name!r} extra.",
                  f"declare `mlflow[{name}]` in the plugin's dependencies (pyproject.toml), so that installing the "
                  f"plugin installs what it imports; here: pip install 'mlflow[{name}]'.", exc)
        if _raised_inside_mlflow(exc):
            _fail(target, "the entry point fails to import because MLflow itself fails to import here.",
                  "this is the environment, not the plugin: fix the MLflow installation the traceback shows (a "
                  "missing or incompatible dependency of MLflow, e.g. `pip install 'sqlalchemy<2.1'` for MLflow "
                  "< 3.9), then rerun.", exc)
        _fail(target, "the entry point fails to import.",
              f"fix the import error in {target.value.split(':')[0]!r}, then reinstall the distribution "
              f"(pip install -e .) so the entry point metadata is current.", exc)


def _missing_mlflow_extra(exc: BaseException) -> tuple[str, str, str] | None:
    """``(MLflow module, missing package, extra)`` when ``exc`` is (or wraps) a ModuleNotFoundError raised while the
    plugin imported an optional part of MLflow whose dependency comes with one of MLflow's extras (``mlflow.server.auth``
    needs Flask-WTF, in ``mlflow[auth]``); None otherwise."""
    import importlib.metadata
    import re

    chain, seen = [], exc
    while seen is not None and len(chain) < 10:  # MLflow wraps the ModuleNotFoundError in its own ImportError
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    not_found = next((e for e in chain if isinstance(e, ModuleNotFoundError) and e.name), None)
    if not_found is None or not_found.name.split(".")[0] == "mlflow":
        return None
    missing = not_found.name
    frames = traceback.extract_tb(exc.__traceback__)
    mlflow_files = [f.filename for f in frames if _is_mlflow_file(f.filename)]
    if not mlflow_files or _is_mlflow_file(frames[0].filename):
        return None
    parts = Path(mlflow_files[0]).with_suffix("").parts
    module = ".".join(parts[parts.index("mlflow"):]).removesuffix(".__init__")
    if module == "mlflow":  # `import mlflow` itself failed: the environment, not an optional part
        return None
    wanted = missing.split(".")[0].replace("_", "-").lower()
    try:
        requirements = importlib.metadata.requires("mlflow") or []
    except importlib.metadata.PackageNotFoundError:
        return None
    for requirement in requirements:
        found = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*).*extra\s*==\s*['\"]([^'\"]+)['\"]", requirement)
        if found and found.group(1).replace("_", "-").lower() == wanted:
            return module, found.group(1), found.group(2)
    return None


def _is_mlflow_file(filename: str) -> bool:
    """Whether ``filename`` is a module of the installed MLflow package (under site-packages)."""
    parts = Path(filename).parts
    return "mlflow" in parts and "site-packages" in parts[: parts.index("mlflow")]


def _raised_inside_mlflow(exc: BaseException) -> bool:
    """True when the innermost frame of ``exc`` is in MLflow's own package (MLflow failed, not the plugin)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and _is_mlflow_file(frames[-1].filename)


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
    if not same_origin(held, loaded):
        _fail(target, f"MLflow's registry maps {target.name!r} to {origin_of(held)}, not to this distribution's "
                      f"{target.value!r} ({origin_of(loaded)}): another distribution or MLflow itself wins the "
                      "name.",
              "uninstall the other distribution registering the same name, or choose another scheme "
              "(`pytest --mlflow-plugin-list` shows who registers what).")
    return loaded


def origin_of(obj: Any) -> str:
    """Where an object comes from, in words: ``function build_store of module my_plugin.stores``."""
    what = "class" if isinstance(obj, type) else "function" if callable(obj) else type(obj).__name__
    name = getattr(obj, "__qualname__", None) or getattr(type(obj), "__qualname__", "?")
    module = getattr(obj, "__module__", None) or getattr(type(obj), "__module__", "?")
    return f"{what} {name} of module {module}"


def same_origin(held: Any, loaded: Any) -> bool:
    """The registry's object is the entry point's: the same object, or the same function or class by module and
    qualified name (a module-level ``__getattr__`` factory hands out a new object on every load)."""
    if held is loaded:
        return True
    if callable(held) and callable(loaded):
        names = [(getattr(o, "__module__", None), getattr(o, "__qualname__", None)) for o in (held, loaded)]
        return None not in names[0] and names[0] == names[1]
    return False


def build_tracking_store(target: PluginTarget, uri: str, tmp: Path) -> BuiltTarget:
    from mlflow.tracking._tracking_service import utils

    check_registration(target, utils._tracking_store_registry._registry)
    artifact_uri = (tmp / "tracking-artifacts").as_uri()
    store = utils._tracking_store_registry.get_store(uri, artifact_uri)
    return BuiltTarget(target, uri, store, {"artifact_uri": artifact_uri})


def build_model_registry_store(target: PluginTarget, uri: str, tmp: Path) -> BuiltTarget:
    from mlflow.tracking._model_registry import utils

    registry = utils._get_store_registry()
    check_registration(target, registry._registry)
    tracking_uri = f"sqlite:///{(tmp / 'registry-tracking.db').as_posix()}"
    store = registry.get_store(uri, tracking_uri)
    return BuiltTarget(target, uri, store, {"tracking_uri": tracking_uri})


def build_artifact_repository(target: PluginTarget, uri: str, tmp: Path) -> BuiltTarget:
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




def build_target(target: PluginTarget, kind: PluginKind, uri: str | None, tmp: Path) -> BuiltTarget:
    """Build ``target`` from ``uri`` the way MLflow does; any failure is a TargetBuildError naming the target."""
    builder = kind.builder_function()
    try:
        return builder(target, uri, tmp)
    except TargetBuildError:
        raise
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        what, todo = build_advice(kind, exc)
        _fail(target, f"MLflow's registry failed to build it from the URI ({type(exc).__name__}): {what}", todo,
              exc, uri)


#: How MLflow's registries call a builder: (keywords, the release that added the newest of them).
_CALLED_WITH = {
    "tracking_store": ("builder(store_uri=..., artifact_uri=...)", None),
    "model_registry_store": ("builder(store_uri=..., tracking_uri=...) when the builder accepts tracking_uri, "
                             "else builder(store_uri=...)", None),
    "artifact_repository": ("Repository(artifact_uri, tracking_uri=..., registry_uri=...) "
                            "(tracking_uri= since MLflow 3.2, registry_uri= since 3.5)", "3.2"),
}

_URI_REJECTED = ("unsupported uri", "invalid uri", "not a valid uri", "could not find a registered", "scheme",
                 "malformed", "invalid url", "no host", "not supported uri")


def build_advice(kind: PluginKind, exc: BaseException) -> tuple[str, str]:
    """(what went wrong, what to do) for an error MLflow's registry raised while building a target of ``kind``.

    The advice fits the error: a constructor that refuses the keywords MLflow passes is told which and since
    when; an opt-in environment variable MLflow asks for is named; the URI is blamed only when it was rejected.
    """
    import re

    text = str(exc)
    if isinstance(exc, TypeError) and re.search(r"(unexpected keyword argument|positional argument)", text):
        keyword = re.search(r"keyword argument '(\w+)'", text)
        call, _ = _CALLED_WITH.get(kind.key, ("the builder with the URI", None))
        named = f" (it refuses {keyword.group(1)!r})" if keyword else ""
        return (f"the constructor does not take the arguments MLflow passes{named}.",
                f"MLflow calls {call}. Accept those keywords (add them with default None, or **kwargs) and pass "
                "them on to the base class's __init__.")
    opt_in = re.search(r"\b(MLFLOW_[A-Z0-9_]+)=(true|1)\b", text)
    if opt_in:
        return (f"MLflow refuses to build it unless {opt_in.group(1)} is set.",
                f"set {opt_in.group(1)}={opt_in.group(2)} in the environment of the run (e.g. `export "
                f"{opt_in.group(1)}={opt_in.group(2)}` before pytest, or monkeypatch.setenv in a session fixture "
                "of your conftest.py), or build on a backend MLflow does not deprecate.")
    if any(marker in text.lower() for marker in _URI_REJECTED):
        return ("the URI was rejected.",
                f"give a URI the plugin accepts with --mlflow-plugin-uri={kind.key}:SCHEME=URI (or the "
                "mlflow_plugin_uri ini key, or a mlflow_plugin_uri fixture in conftest.py that starts the service "
                "the plugin needs).")
    return ("the builder raised.",
            "fix the error below (the innermost frames are the plugin's); if the plugin needs a running service, "
            f"start it in a mlflow_plugin_uri fixture and point --mlflow-plugin-uri={kind.key}:SCHEME=URI at it.")


def build_directly(target: PluginTarget, kind: PluginKind, uri: str | None, tmp: Path) -> BuiltTarget:
    """The entry point's object called directly with the URI, bypassing MLflow's registry: how
    ``--mlflow-conformance-build=direct`` lets an author see past a constructor MLflow cannot call.

    Tries the keyword call MLflow makes, then the URI alone (the old constructor form). Only kinds addressed by a
    URI can be built this way; any failure is a TargetBuildError.
    """
    if kind.default_uri is None or uri is None:
        _fail(target, "a direct build needs a kind addressed by URI.", "fix the build failure reported above.")
    loaded = load_entry_point(target)
    attempts = {
        "tracking_store": [dict(store_uri=uri, artifact_uri=(tmp / "tracking-artifacts").as_uri()), dict(store_uri=uri)],
        "model_registry_store": [dict(store_uri=uri)],
    }.get(kind.key, [])
    errors = []
    for kwargs in attempts:
        try:
            return BuiltTarget(target, uri, loaded(**kwargs), {"built_directly": True})
        except TypeError as exc:
            errors.append(exc)
    try:
        return BuiltTarget(target, uri, loaded(uri), {"built_directly": True})
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        _fail(target, "the direct build failed too.", "fix the build failure reported above.", exc, uri)


# == project backends, deployment targets, evaluators, datasets, newer groups =================================
# Each builder goes through the MLflow API that users call (load_backend, get_deploy_client, get_evaluator, the
# dataset registries, get_workspace_store, ...) after proving MLflow resolves the name to this distribution.


def build_project_backend(target: PluginTarget, uri, tmp) -> BuiltTarget:
    from mlflow.projects.backend import loader

    loaded = load_entry_point(target)
    if target.name in loader.MLFLOW_BACKENDS or target.name in ("databricks", "kubernetes"):
        _fail(target, f"MLflow's built-in backend {target.name!r} wins this name: mlflow.projects.run never "
                      "reaches the plugin, and `mlflow run --backend` silently runs the built-in.",
              "register the backend under another entry-point name.")
    backend = loader.load_backend(target.name)
    if backend is None:
        _fail(target, "load_backend returned None (MLflow logs 'Backend is not available' and runs nothing).",
              "make the entry point a class or zero-argument factory returning the backend instance.")
    if callable(loaded) and isinstance(loaded, type) and not isinstance(backend, loaded):
        _fail(target, f"load_backend({target.name!r}) built {type(backend).__name__}, not the entry point's class "
                      f"{loaded.__name__}: another distribution registers the same backend name.",
              "uninstall the other distribution or rename the backend.")
    return BuiltTarget(target, uri, backend)


def build_deployments(target: PluginTarget, uri, tmp) -> BuiltTarget:
    from mlflow.deployments import get_deploy_client
    from mlflow.deployments.interface import plugin_store

    module = load_entry_point(target)
    held = plugin_store.registry.get(target.name)
    held_value = getattr(held, "value", None)
    if held is not module and held_value != target.value:
        _fail(target, f"MLflow's deployment plugin registry maps {target.name!r} to {held_value or held!r}, not to "
                      f"this distribution's {target.value!r}.",
              "uninstall the other distribution registering the target name, or rename the target.")
    client = get_deploy_client(uri or target.name)
    if client is None:
        _fail(target, "get_deploy_client returned None.", "give a target URI (see --mlflow-plugin-uri).", uri=uri)
    return BuiltTarget(target, uri, client, {"module": plugin_store[uri or target.name]})


def build_model_evaluator(target: PluginTarget, uri, tmp) -> BuiltTarget:
    from mlflow.models.evaluation.evaluator_registry import _model_evaluation_registry

    import mlflow.models  # noqa: F401  (the registry is filled by a post-import hook of mlflow.models.evaluation)

    check_registration(target, _model_evaluation_registry._registry)
    return BuiltTarget(target, uri, _model_evaluation_registry.get_evaluator(target.name))


def build_dataset_source(target: PluginTarget, uri, tmp) -> BuiltTarget:
    import mlflow.data  # noqa: F401
    from mlflow.data.dataset_source_registry import _dataset_source_registry

    source_cls = load_entry_point(target)
    if source_cls not in _dataset_source_registry.sources:
        _fail(target, "MLflow's dataset source registry does not hold the class: MLflow dropped it at import with "
                      "only a warning.",
              "make the entry point a DatasetSource subclass that imports without error after `import mlflow`.")
    return BuiltTarget(target, uri, source_cls)


def build_dataset_constructor(target: PluginTarget, uri, tmp) -> BuiltTarget:
    import mlflow.data  # noqa: F401
    from mlflow.data.dataset_registry import DatasetRegistry, get_registered_constructors

    constructor = load_entry_point(target)
    if get_registered_constructors().get(target.name) is not constructor:
        why = "it was not registered"
        try:
            DatasetRegistry._validate_constructor(constructor, target.name)
        except Exception as exc:  # the validation error MLflow swallowed into a warning
            why = f"MLflow's validation rejected it: {exc}"
        _fail(target, f"MLflow's dataset constructor registry has no {target.name!r} ({why}); "
                      f"`mlflow.data.{target.name}` does not exist for users.",
              "name the entry point from_* or load_*, give the function `name` and `digest` parameters and a "
              "return annotation that is a Dataset subclass at runtime (no `from __future__ import annotations` "
              "string annotation).")
    return BuiltTarget(target, uri, constructor)


def build_workspace_provider(target: PluginTarget, uri, tmp) -> BuiltTarget:
    from mlflow.tracking._workspace import registry

    check_registration(target, registry._get_workspace_store_registry()._registry)
    return BuiltTarget(target, uri, registry.get_workspace_store(uri))


def build_scorer_store(target: PluginTarget, uri, tmp) -> BuiltTarget:
    from mlflow.genai.scorers import registry

    check_registration(target, registry._scorer_store_registry._registry)
    return BuiltTarget(target, uri, registry._scorer_store_registry.get_store(uri))


def build_labeling_store(target: PluginTarget, uri, tmp) -> BuiltTarget:
    from mlflow.genai.labeling import stores

    check_registration(target, stores._labeling_store_registry._registry)
    return BuiltTarget(target, uri, stores._labeling_store_registry.get_store(uri))


def build_job_executor(target: PluginTarget, uri, tmp) -> BuiltTarget:
    from mlflow.server.jobs.executor_registry import JobExecutorRegistry, _register_default_executors

    registry = JobExecutorRegistry()
    _register_default_executors(registry)
    try:
        registry.discover_and_register()
    except Exception as exc:
        _fail(target, "MLflow's job executor discovery raised: the server refuses to start.",
              "do not reuse a built-in backend name ('local') or another plugin's name.", exc)
    try:
        executor = registry.get(target.name)
    except Exception as exc:
        _fail(target, "MLflow's job executor registry holds no executor under this name (it warned at discovery).",
              "make the entry point an AbstractJobExecutor subclass constructible from a JobExecutorConfig.", exc)
    if type(executor) is not load_entry_point(target):
        _fail(target, f"the registry holds {type(executor).__name__}, not the entry point's class.",
              "uninstall the other distribution registering the same backend name.")
    return BuiltTarget(target, uri, executor, {"registry": registry})


def build_gateway_provider(target: PluginTarget, uri, tmp) -> BuiltTarget:
    from mlflow.gateway.provider_registry import ProviderRegistry, _register_default_providers

    registry = ProviderRegistry()
    _register_default_providers(registry)
    provider_cls = load_entry_point(target)
    try:
        registry.register(target.name, provider_cls)
    except Exception as exc:
        _fail(target, "MLflow's gateway provider registry refuses the name (a built-in provider has it): loading "
                      "the gateway's plugins raises and no provider works.",
              "register the provider under a name no built-in provider uses.", exc)
    return BuiltTarget(target, uri, provider_cls)




# == providers and apps ========================================================================================


def _provider_registry_or_fail(target: PluginTarget, module: str, attr: str):
    """Import MLflow's registry of a provider kind; a provider whose constructor raises breaks that import.

    MLflow constructs providers with no arguments while ``import mlflow`` runs and catches only ImportError and
    AttributeError there, so a constructor raising anything else breaks ``import mlflow`` for every user of the
    environment. That becomes this target's build failure, with the traceback, instead of a crash of the run.
    """
    import importlib

    try:
        return getattr(importlib.import_module(module), attr)
    except Exception as exc:
        cls_name = target.value.partition(":")[2]
        in_ctor = any(frame.name == "register" or frame.name == "__init__"
                      for frame in traceback.extract_tb(exc.__traceback__))
        what = (f"constructing {cls_name} raises {type(exc).__name__} during `import mlflow`: MLflow's registry "
                "calls the provider with no arguments at import time and lets the error through, so "
                "`import mlflow` fails for every user of this environment." if in_ctor else
                f"importing MLflow's registry for {target.group} fails ({type(exc).__name__}).")
        _fail(target, what, "make the constructor take no arguments and never raise: defer work (and errors) to "
                            "in_context()/the provider's methods, which MLflow guards.", exc)


def _build_listed_provider(registry_module: str, registry_attr: str):
    def build(target: PluginTarget, uri, tmp) -> BuiltTarget:
        registry = _provider_registry_or_fail(target, registry_module, registry_attr)
        return BuiltTarget(target, None, _instance_from_list_registry(target, registry))

    build.__name__ = f"_build_{registry_attr.strip('_')}"
    return build


build_run_context_provider = _build_listed_provider(
    "mlflow.tracking.context.registry", "_run_context_provider_registry")
build_request_header_provider = _build_listed_provider(
    "mlflow.tracking.request_header.registry", "_request_header_provider_registry")
build_request_auth_provider = _build_listed_provider(
    "mlflow.tracking.request_auth.registry", "_request_auth_provider_registry")
build_default_experiment_provider = _build_listed_provider(
    "mlflow.tracking.default_experiment.registry", "_default_experiment_provider_registry")


@dataclass(frozen=True)
class AppTarget:
    """An ``mlflow.app`` entry point as MLflow's server sees it: the name for ``--app-name``, the ``module:attr``
    ``mlflow.server._find_app`` returns, and whether ``_is_factory`` makes the server call it (``--factory``)."""

    name: str
    value: str
    obj: Any
    is_factory: bool


def build_app(target: PluginTarget, uri, tmp) -> BuiltTarget:
    """Resolve the app the way ``mlflow server --app-name NAME`` does (``_find_app``, then ``_is_factory``)."""
    from mlflow.server import _find_app, _is_factory

    obj = load_entry_point(target)
    value = _find_app(target.name)
    if value != target.value:
        _fail(target, f"`mlflow server --app-name {target.name}` resolves to {value!r}, not to this "
                      f"distribution's {target.value!r}: another distribution registers the same app name.",
              "uninstall the other distribution or rename the app.")
    return BuiltTarget(target, None, AppTarget(target.name, value, obj, _is_factory(value)))


@dataclass(frozen=True)
class AppClientTarget:
    """An ``mlflow.app.client`` entry point: the name ``mlflow.server.get_app_client`` is called with."""

    name: str
    value: str
    cls: Any


def build_app_client(target: PluginTarget, uri, tmp) -> BuiltTarget:
    cls = load_entry_point(target)
    return BuiltTarget(target, None, AppClientTarget(target.name, target.value, cls))


