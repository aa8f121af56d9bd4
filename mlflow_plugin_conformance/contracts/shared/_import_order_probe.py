"""The import-order probe: run as the source of ``python -c`` in a fresh interpreter by ``import_order.py``.

It imports a distribution's entry-point modules and ``mlflow`` in the order given, then resolves every entry point
through MLflow's own registry of its group, and (when asked) builds the targets the suite is about to build, as
the suite's builders do. Nothing is imported before the order under test: this file uses only the standard
library until both imports are done.

Every step is announced on stdout before it runs, and every result is printed as soon as it is known, one JSON
object per line after ``@@mlflow-conformance-probe@@``, so that a plugin that ends the process (``os._exit``, a
crash in native code) leaves behind what was done and which step it died in.
"""

import builtins
import importlib
import importlib.metadata
import json
import logging
import os
import signal
import sys
import traceback
import types
import warnings

MARK = "@@mlflow-conformance-probe@@"
spec = json.loads(sys.argv[1])
KIND_KEYS = spec["kind_keys"]
sys.path[0] = spec["cwd"]  # resolve imports as the user's process does; files written land in the probe's cwd

caught: list[str] = []
reported = 0


def show_warning(message, category, filename, lineno, file=None, line=None):
    caught.append(f"{category.__name__}: {message}")


class Collect(logging.Handler):
    def emit(self, record):
        caught.append(f"log {record.levelname} {record.name}: {record.getMessage()}")


warnings.simplefilter("always")
warnings.showwarning = show_warning
collector = Collect(level=logging.WARNING)
logging.getLogger().addHandler(collector)


def emit(**event):
    global reported
    if len(caught) > reported:
        print(MARK + json.dumps({"event": "warnings", "messages": caught[reported:]}), flush=True)
        reported = len(caught)
    print(MARK + json.dumps(event, default=repr), flush=True)


# -- what each plugin module holds when it first asks for mlflow ------------------------------------------------
# One interpreter serves every module of the distribution, so only the first module imported really starts
# `import mlflow`. For the others, the probe records what MLflow would have found had they been first: while the
# imports run, every `import mlflow...` statement executed while a plugin module is still being initialised
# snapshots the names that module (and every other half-initialised plugin module) defines at that moment, and the
# entry-point groups MLflow loads while its own import runs are recorded.

watched: set[str] = set()
partial: dict[str, dict] = {}
eager_groups: set[str] = set()
real_import = builtins.__import__
real_entry_points = importlib.metadata.entry_points


def initialising(name: str) -> bool:
    module = sys.modules.get(name)
    return module is not None and bool(getattr(getattr(module, "__spec__", None), "_initializing", False))


def watching_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0 and (name == "mlflow" or name.startswith("mlflow.")):
        caller = sys._getframe(1)
        importer = caller.f_globals.get("__name__")
        for module_name in watched:
            if module_name not in partial and initialising(module_name):
                partial[module_name] = {
                    "names": sorted(vars(sys.modules[module_name])),
                    "asks": name,
                    "where": (f"line {caller.f_lineno}" if importer == module_name
                              else f"through {importer}, line {caller.f_lineno}"),
                }
    return real_import(name, globals, locals, fromlist, level)


def watching_entry_points(*args, **kwargs):
    if initialising("mlflow") and kwargs.get("group"):
        eager_groups.add(kwargs["group"])
    return real_entry_points(*args, **kwargs)


def watch(modules: list[str]) -> None:
    for module in modules:
        parts = module.split(".")
        watched.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    builtins.__import__ = watching_import
    importlib.metadata.entry_points = watching_entry_points


def unwatch() -> None:
    builtins.__import__ = real_import
    importlib.metadata.entry_points = real_entry_points
    emit(event="partial", modules=partial, eager_groups=sorted(eager_groups))


def import_module(name: str) -> None:
    emit(event="step", step=f"importing {name}")
    loaded_before = "mlflow" in sys.modules
    try:
        importlib.import_module(name)
        error = None
    except BaseException:  # a plugin may raise anything at import time, SystemExit included
        error = traceback.format_exc()
    emit(event="imported", module=name, error=error, mlflow_loaded_before=loaded_before)


def import_mlflow() -> bool:
    emit(event="step", step="`import mlflow`")
    try:
        import mlflow  # noqa: F401
        error = None
    except BaseException:
        error = traceback.format_exc()
    logging.getLogger("mlflow").addHandler(collector)  # MLflow's logger does not propagate to the root
    emit(event="mlflow", error=error)
    return error is None


# -- MLflow's registries, one lookup per group --------------------------------------------------------------------


def origin(obj):
    if isinstance(obj, types.ModuleType):
        return (obj.__name__,)
    return (getattr(obj, "__module__", None), getattr(obj, "__qualname__", None))


def same_origin(a, b) -> bool:
    """The same object, or one defined at the same place (a module ``__getattr__`` may build a new one)."""
    if a is b:
        return True
    if a is None or b is None:
        return False
    mine = origin(a)
    return None not in mine and mine == origin(b)


def describe(obj) -> str:
    if obj is None:
        return "nothing"
    if isinstance(obj, types.ModuleType):
        return f"module {obj.__name__}"
    where = origin(obj)
    return f"{where[0]}:{where[1]}" if None not in where else repr(obj)


def keyed(registry):
    """A registry mapping the entry-point name (a URI scheme, an evaluator name) to the object MLflow loaded."""

    def lookup(name, value, obj):
        held = registry().get(name)
        return same_origin(held, obj), describe(held)

    return lookup


def listed(registry):
    """A registry holding the instances MLflow constructed with no arguments at import time."""

    def lookup(name, value, obj):
        items = list(registry())
        hits = [item for item in items if same_origin(type(item), obj)]
        held = f"an instance of {describe(obj)}" if hits else f"{len(items)} providers, none of them an instance of it"
        return bool(hits), held

    return lookup


def attribute(module, *path):
    """A zero-argument getter of ``module.path...`` (imported when called, after both imports)."""

    def get():
        obj = importlib.import_module(module)
        for part in path:
            obj = getattr(obj, part)
        return obj

    return get


def dataset_source(name, value, obj):
    sources = importlib.import_module("mlflow.data.dataset_source_registry")._dataset_source_registry.sources
    hits = [source for source in sources if same_origin(source, obj)]
    return bool(hits), (describe(hits[0]) if hits else f"{len(sources)} sources, none of them this class")


def dataset_constructor(name, value, obj):
    data = importlib.import_module("mlflow.data")
    held = importlib.import_module("mlflow.data.dataset_registry").get_registered_constructors().get(name)
    exposed = getattr(data, name, None)
    return same_origin(held, obj) and exposed is held, (
        describe(held) + ("" if exposed is held else f"; mlflow.data.{name} is {describe(exposed)}"))


def project_backend(name, value, obj):
    """``load_backend`` builds the backend (it loads the entry point on every call): what it built is reported as
    the product, by which a factory's target is told apart from its siblings."""
    backend = importlib.import_module("mlflow.projects.backend.loader").load_backend(name)
    product = describe(type(backend)) if backend is not None else None
    if isinstance(obj, type):
        return isinstance(backend, obj) or same_origin(type(backend), obj), product or "nothing", product
    return backend is not None, (f"an instance of {product}" if product else
                                 "nothing (load_backend returned None)"), product


def deployment_target(name, value, obj):
    plugin = importlib.import_module("mlflow.deployments.interface").plugin_store[name]
    return same_origin(plugin, obj), describe(plugin)


def app(name, value, obj):
    found = importlib.import_module("mlflow.server")._find_app(name)
    return found.replace(" ", "") == value.replace(" ", ""), found


def app_client(name, value, obj):
    from mlflow.utils.plugins import get_entry_points

    first = next((ep for ep in get_entry_points("mlflow.app.client") if ep.name == name), None)
    held = first.load() if first is not None else None
    return same_origin(held, obj), describe(held)


def evaluator_registry():
    return importlib.import_module("mlflow.models.evaluation.evaluator_registry")._model_evaluation_registry._registry


LOOKUPS = {
    "mlflow.tracking_store": keyed(attribute("mlflow.tracking._tracking_service.utils", "_tracking_store_registry",
                                             "_registry")),
    "mlflow.model_registry_store": keyed(lambda: importlib.import_module(
        "mlflow.tracking._model_registry.utils")._get_store_registry()._registry),
    "mlflow.artifact_repository": keyed(attribute("mlflow.store.artifact.artifact_repository_registry",
                                                  "_artifact_repository_registry", "_registry")),
    "mlflow.run_context_provider": listed(attribute("mlflow.tracking.context.registry",
                                                    "_run_context_provider_registry", "_registry")),
    "mlflow.request_header_provider": listed(attribute("mlflow.tracking.request_header.registry",
                                                       "_request_header_provider_registry", "_registry")),
    "mlflow.request_auth_provider": listed(attribute("mlflow.tracking.request_auth.registry",
                                                     "_request_auth_provider_registry", "_registry")),
    "mlflow.default_experiment_provider": listed(attribute("mlflow.tracking.default_experiment.registry",
                                                           "_default_experiment_provider_registry", "_registry")),
    "mlflow.model_evaluator": keyed(evaluator_registry),
    "mlflow.workspace_provider": keyed(lambda: importlib.import_module(
        "mlflow.tracking._workspace.registry")._get_workspace_store_registry()._registry),
    "mlflow.scorer_store": keyed(attribute("mlflow.genai.scorers.registry", "_scorer_store_registry", "_registry")),
    "mlflow.labeling_store": keyed(attribute("mlflow.genai.labeling.stores", "_labeling_store_registry",
                                             "_registry")),
    "mlflow.dataset_source": dataset_source,
    "mlflow.dataset_constructor": dataset_constructor,
    "mlflow.project_backend": project_backend,
    "mlflow.deployments": deployment_target,
    "mlflow.app": app,
    "mlflow.app.client": app_client,
}


def look_up(entry: dict) -> None:
    key = entry["key"]
    emit(event="step", step=f"looking up {entry['label']} in MLflow's registry", key=key, phase="lookup")
    result = {"event": "result", "key": key, "resolved": False, "registered": None, "held": None, "product": None,
              "error": None, "lookup": entry["group"] in LOOKUPS}
    try:
        obj = importlib.metadata.EntryPoint(entry["name"], entry["value"], entry["group"]).load()
        result["resolved"] = True
    except BaseException:
        result["error"] = "the entry point does not load:\n" + traceback.format_exc()
        emit(**result)
        return
    lookup = LOOKUPS.get(entry["group"])
    if lookup is not None:
        try:
            found = lookup(entry["name"], entry["value"], obj)
            result["registered"], result["held"] = found[0], found[1]
            result["product"] = found[2] if len(found) > 2 else None
        except BaseException:
            result["error"] = "MLflow's registry fails on it:\n" + traceback.format_exc()
    emit(**result)


def build(entry: dict) -> None:
    """Build the target as the suite's builder does (``build.build_target``): the suite's first build."""
    key, plan = entry["key"], entry["build"]
    emit(event="step", step=f"building {entry['label']} through MLflow's registry", key=key, phase="build")
    seconds = plan.get("seconds") or 0

    def too_long(signum, frame):
        raise TimeoutError(f"the build took more than {seconds:g} s")

    try:
        from pathlib import Path

        from mlflow_plugin_conformance.build import build_target
        from mlflow_plugin_conformance.discovery import PluginTarget

        target = PluginTarget(entry["group"], entry["name"], entry["value"], plan["dist"], plan["version"])
        if seconds > 0:
            signal.signal(signal.SIGALRM, too_long)
            signal.setitimer(signal.ITIMER_REAL, seconds)
        build_target(target, target.kind, plan["uri"], Path(plan["tmp"]))
        error = None
    except BaseException as exc:
        error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    finally:
        if seconds > 0:
            signal.setitimer(signal.ITIMER_REAL, 0)
    emit(event="built", key=key, error=error)


def kind_label(group: str, name: str) -> str:
    for prefix, key in KIND_KEYS.items():
        if group == prefix:
            return f"{key}:{name}"
    return f"{group}:{name}"


def distribution_entries() -> list[dict]:
    """Every ``mlflow.*`` entry point of the distribution under test, as this interpreter finds it."""
    wanted = normalised(spec["dist"])
    entries: dict[str, dict] = {}
    for distribution in importlib.metadata.distributions():
        if normalised(distribution.metadata["Name"] or "") != wanted:
            continue
        for ep in distribution.entry_points:
            if ep.group.startswith("mlflow."):
                key = f"{ep.group} {ep.name} {ep.value.replace(' ', '')}"
                entries.setdefault(key, {"key": key, "group": ep.group, "name": ep.name, "value": ep.value,
                                         "module": ep.value.partition(":")[0].strip(),
                                         "label": kind_label(ep.group, ep.name), "build": spec["builds"].get(key)})
    return sorted(entries.values(), key=lambda entry: (entry["group"], entry["name"]))


def normalised(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def main() -> None:
    skip = set(spec["skip"])
    entries = distribution_entries()
    modules = sorted({entry["module"] for entry in entries})
    emit(event="entries", entries=entries, modules=modules)
    if spec["order"] == "plugin-first":
        watch(modules)
        for module in modules:
            import_module(module)
        usable = import_mlflow()
        unwatch()
    else:
        usable = import_mlflow()
        if usable:
            for module in modules:
                import_module(module)
    if usable:
        for entry in entries:
            if "lookup " + entry["key"] not in skip:
                look_up(entry)
            if entry.get("build") and "build " + entry["key"] not in skip:
                build(entry)
    emit(event="done")


main()
sys.stdout.flush()
sys.stderr.flush()
os._exit(0)  # threads a plugin or store started (queues, pools) must not keep the probe alive
