"""Import order, checked in fresh interpreters: the family ``import-order`` every kind MLflow loads from entry
points shares, and the probe behind it.

MLflow loads most entry-point groups while ``import mlflow`` is still running (tracking stores, artifact
repositories, run context and default experiment providers, dataset sources and constructors, scorer and labeling
stores, on MLflow 3.17) and the others on first use. A plugin module that imports MLflow at its top level and is
imported *before* mlflow starts ``import mlflow`` while it is itself half-defined: MLflow then loads the entry
point from the partial module, gets ``AttributeError`` or ``ImportError``, warns once and drops the plugin (MLflow
issues 18509, 18386, 4697). Users see "unsupported URI scheme", or nothing at all for a provider.

The probe (``_import_order_probe.py``) runs in a fresh interpreter per import order and distribution, shared by
every kind of that distribution (an ``import mlflow`` costs seconds): it imports the distribution's entry-point
modules and ``mlflow`` in the order under test, resolves every entry point of the distribution through MLflow's
registry of its group, and reports per entry point, with the warnings MLflow gave. The bundled suite also builds
the distribution's targets in the mlflow-first probe before building them in-process (:func:`first_build_failure`):
a plugin that ends the interpreter (``os._exit``, a crash in native code) is then named, with the exit status or
signal and its output, instead of ending the test run with no report.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.metadata
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ...kinds import KINDS, KINDS_BY_KEY, kind_for_group
from ...outcomes import not_applicable
from .._support import entry_point_loads, qualified_name
from ..base import clause

PLUGIN_FIRST = "plugin-first"
MLFLOW_FIRST = "mlflow-first"
MARK = "@@mlflow-conformance-probe@@"
#: Seconds one probe interpreter may take (imports, lookups and the first builds of a whole distribution).
PROBE_TIMEOUT = 300.0
_OUTPUT_SHOWN = 3000


def _normalised_dist(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


@dataclass(frozen=True)
class EntryRef:
    """One installed entry point, as the probe resolves it."""

    group: str
    name: str
    value: str
    dist: str

    @classmethod
    def of(cls, target) -> EntryRef:
        """The entry point of a ``PluginTarget`` (what the bundled suite checks)."""
        return cls(target.group, target.name, target.value, target.dist)

    @property
    def key(self) -> str:
        return f"{self.group} {self.name} {self.value.replace(' ', '')}"

    @property
    def module(self) -> str:
        return self.value.partition(":")[0].strip()

    @property
    def label(self) -> str:
        kind = kind_for_group(self.group)
        return f"{kind.key if kind else self.group}:{self.name}"


def _entry_ref(ep) -> EntryRef:
    dist = ep.dist.metadata["Name"] if getattr(ep, "dist", None) is not None else ""
    return EntryRef(ep.group, ep.name, ep.value, dist or "")


def _unique(refs: Iterable[EntryRef]) -> list[EntryRef]:
    return sorted({ref.key: ref for ref in refs}.values(), key=lambda r: r.name)


def entry_points_naming(group: str, subject) -> list[EntryRef]:
    """The installed entry points of ``group`` that name a contract's subject (the base-class route, where only
    the instance, class or function is given): by its ``name``/``value`` (app targets), by the subject itself or
    its class (``module:Class``), or by its module (a module entry point)."""
    eps = list(importlib.metadata.entry_points(group=group))
    name, value = getattr(subject, "name", None), getattr(subject, "value", None)
    if isinstance(name, str) and isinstance(value, str):
        return _unique(_entry_ref(ep) for ep in eps
                       if ep.name == name and ep.value.replace(" ", "") == value.replace(" ", ""))
    owner = _owner(subject)
    module = getattr(owner, "__module__", "") or ""
    named = [o for o in (subject, owner) if qualified_name(o)]
    return _unique(_entry_ref(ep) for ep in eps if ep.value.strip() == module or entry_point_loads(ep, named))


def _owner(subject):
    """The class or function a subject is: itself when it is one, else its class."""
    is_named = isinstance(subject, type) or (callable(subject) and hasattr(subject, "__qualname__"))
    return subject if is_named else type(subject)


def factory_entry_points(group: str, subject) -> list[EntryRef]:
    """The factory-function entry points of ``group`` that come with the subject's module (same top-level package,
    or the distribution that ships it): a subject built by a factory (``my_plugin:make_store``) is named by no
    entry point."""
    package = (getattr(_owner(subject), "__module__", "") or "").split(".")[0]
    dists = {_normalised_dist(d) for d in importlib.metadata.packages_distributions().get(package, [])}
    found = []
    for ep in importlib.metadata.entry_points(group=group):
        dist = _normalised_dist(ep.dist.metadata["Name"] or "") if getattr(ep, "dist", None) is not None else ""
        if not package or (dist not in dists and ep.value.split(".")[0].split(":")[0].strip() != package):
            continue
        try:
            obj = ep.load()
        except Exception:  # a broken sibling is its own target's finding, not this subject's
            continue
        if not isinstance(obj, type):
            found.append(ep)
    return _unique(_entry_ref(ep) for ep in found)


# -- one probe interpreter per import order and distribution ----------------------------------------------------


@dataclass
class Death:
    """How a probe interpreter ended before it finished: the step it was in, the status, its last output."""

    step: str
    status: str
    output: str
    phase: str = "import"  # "import" (modules, mlflow), "lookup" or "build" of one entry point
    hung: bool = False  # killed for taking too long, not ended by itself

    def describe(self) -> str:
        shown = self.output[-_OUTPUT_SHOWN:].strip() or "(no output)"
        return f"the interpreter ended while {self.step}: {self.status}. Its output (last lines):\n{shown}"


@dataclass
class DistributionProbe:
    """What one import order did to one distribution: per module, per entry point, and the warnings."""

    order: str
    dist: str
    entries: list[EntryRef] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)
    imports: dict[str, dict] = field(default_factory=dict)
    mlflow_error: str | None = None
    results: dict[str, dict] = field(default_factory=dict)
    builds: dict[str, str | None] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    import_death: Death | None = None
    deaths: dict[str, Death] = field(default_factory=dict)
    unreached: Death | None = None  # the hang that left the entry points after it unchecked
    #: plugin-first: per plugin module, the names it held when it first asked for mlflow while initialising
    partial: dict[str, dict] = field(default_factory=dict)
    #: plugin-first: the entry-point groups MLflow loaded while its own import ran
    eager_groups: set[str] = field(default_factory=set)
    interpreters: int = 0
    seconds: float = 0.0

    @property
    def first_module(self) -> str | None:
        """The module whose import started ``import mlflow`` in the plugin-first order."""
        for module in self.modules:
            info = self.imports.get(module)
            if info is not None and not info["mlflow_loaded_before"]:
                return module
        return None

    def death_of(self, ref: EntryRef, *, builds: bool = False) -> Death | None:
        """How the interpreter ended while importing, or while looking ``ref`` up (or building it: ``builds``)."""
        death = self.import_death or self.deaths.get(ref.key)
        if death is not None and death.phase == "build" and not builds:
            return None
        return death

    def warnings_about(self, ref: EntryRef) -> list[str]:
        """MLflow's warnings that name the entry point (its name quoted, its value or its module), else every
        warning about a failed registration."""
        marks = (f'"{ref.name}"', f"'{ref.name}'", ref.value.replace(" ", ""), ref.module)
        named = [w for w in self.warnings if any(m in w for m in marks)]
        return named or [w for w in self.warnings if "register" in w.lower()]


_PROBES: dict[tuple[str, str], DistributionProbe] = {}
#: Probes :func:`prefetch_distribution` started and no clause has asked for yet.
_PENDING: dict[tuple[str, str], Future] = {}
#: Probe interpreters running now (any thread): killed at exit, so none outlives the run.
_LIVE: set[subprocess.Popen] = set()


@atexit.register
def _kill_live_probes() -> None:
    for process in list(_LIVE):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)


def _status(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"killed by signal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit status {returncode}"


@contextlib.contextmanager
def _clause_limit_paused():
    """The probe is the suite's own cost (an ``import mlflow`` per order and distribution), bounded by its own
    timeout: a running clause time limit (an interval timer) is paused while it runs and resumed after with the
    time it had left. Only the main thread, where clauses run, owns the timer."""
    main = threading.current_thread() is threading.main_thread()
    left = signal.getitimer(signal.ITIMER_REAL)[0] if main and hasattr(signal, "getitimer") else 0.0
    if left > 0:
        signal.setitimer(signal.ITIMER_REAL, 0)
    try:
        yield
    finally:
        if left > 0:
            signal.setitimer(signal.ITIMER_REAL, left)


def _run_interpreter(spec: dict, timeout: float) -> tuple[list[dict], str | None, str, bool]:
    """Run the probe once: its events, how it ended early (None when it finished), its other output, and
    whether it was killed for hanging."""
    source = Path(__file__).with_name("_import_order_probe.py").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="mlflow-conformance-probe-") as cwd, _clause_limit_paused():
        # Caches libraries write on import (matplotlib's font list, ...) go to the probe's directory, not the
        # user's home: the side-effect clauses would blame the plugin for them.
        env = dict(os.environ, PYTHONUNBUFFERED="1", MLFLOW_DISABLE_TELEMETRY=os.environ.get(
            "MLFLOW_DISABLE_TELEMETRY", "true"), DO_NOT_TRACK=os.environ.get("DO_NOT_TRACK", "true"),
                   MPLCONFIGDIR=os.environ.get("MPLCONFIGDIR", os.path.join(cwd, "matplotlib")),
                   XDG_CACHE_HOME=os.environ.get("XDG_CACHE_HOME", os.path.join(cwd, "cache")))
        process = subprocess.Popen([sys.executable, "-c", source, json.dumps(spec)], cwd=cwd, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        _LIVE.add(process)
        try:
            raw, _ = process.communicate(timeout=timeout)
            ended = None
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raw, _ = process.communicate()
            ended = f"no answer within {timeout:g} s (a hang), so it was killed"
        except BaseException:  # the clause's own time limit: never leave the probe running
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
        finally:
            _LIVE.discard(process)
    events, other = [], []
    for line in raw.decode("utf-8", "replace").splitlines():
        if line.startswith(MARK):
            events.append(json.loads(line[len(MARK):]))
        else:
            other.append(line)
    finished = bool(events) and events[-1].get("event") == "done"
    hung = ended is not None
    if ended is None and not finished:
        ended = _status(process.returncode) + (" (the process ended before the probe finished)"
                                               if process.returncode == 0 else "")
    return events, ended, "\n".join(other), hung


def probe_distribution(order: str, dist: str, *, builds: Callable[[], dict[str, dict]] | None = None,
                       timeout: float = PROBE_TIMEOUT) -> DistributionProbe:
    """The probe of ``dist`` in ``order``, run once per process and shared by every clause that asks.

    ``builds`` (asked only when the probe runs) maps entry-point keys to ``{"uri", "tmp", "dist", "version",
    "seconds"}``: those targets are built after the lookups, as the suite's builder builds them, each within
    ``seconds`` (a build that takes longer is left to the in-process build and its time limit). When the interpreter
    ends
    during one entry point's lookup or build, that entry point is marked with the death and the probe runs again
    without it, so one deadly target does not hide the others.
    """
    cache_key = (order, _normalised_dist(dist))
    pending = _PENDING.get(cache_key)
    if pending is not None and cache_key not in _PROBES:
        with _clause_limit_paused():
            _PROBES[cache_key] = pending.result()
    if cache_key in _PROBES:
        return _PROBES[cache_key]
    probe = _probe(order, dist, builds() if builds is not None else {}, timeout)
    _PROBES[cache_key] = probe
    return probe


def prefetch_distribution(order: str, dist: str, timeout: float = PROBE_TIMEOUT) -> None:
    """Begin :func:`probe_distribution` of ``dist`` in ``order`` (without builds) in a background thread and
    return at once: a probe is mostly a fresh interpreter importing MLflow, which runs on another core while the
    test process goes on. The clause that asks for the probe waits for it."""
    cache_key = (order, _normalised_dist(dist))
    if cache_key in _PROBES or cache_key in _PENDING:
        return
    future: Future = Future()
    _PENDING[cache_key] = future

    def run() -> None:
        try:
            future.set_result(_probe(order, dist, {}, timeout))
        except BaseException as exc:  # handed to the clause that waits for it
            future.set_exception(exc)

    threading.Thread(target=run, name=f"conformance-probe-{order}", daemon=True).start()


def _probe(order: str, dist: str, plans: dict[str, dict], timeout: float) -> DistributionProbe:
    """Run the probe of ``dist`` in ``order`` (see :func:`probe_distribution`), uncached."""
    timeout += sum(plan.get("seconds") or 0 for plan in plans.values())
    probe = DistributionProbe(order, dist)
    skip: set[str] = set()
    kind_keys = {kind.group: kind.key for kind in KINDS}
    started = time.perf_counter()
    while probe.interpreters <= 2 * len(probe.entries):
        spec = {"order": order, "dist": dist, "cwd": os.getcwd(), "skip": sorted(skip), "builds": plans,
                "kind_keys": kind_keys}
        events, ended, output, hung = _run_interpreter(spec, timeout)
        probe.interpreters += 1
        step = _absorb(probe, events)
        if ended is None:
            break
        death = Death(step["step"] if step else "starting", ended, output, (step or {}).get("phase", "import"), hung)
        if step and step.get("key"):
            probe.deaths[step["key"]] = death
            if hung:  # another run could hang as long again: what was not reached stays unchecked
                probe.unreached = death
                break
            skip.update({f"lookup {step['key']}", f"build {step['key']}"})
            skip.update(f"lookup {key}" for key in probe.results)
            skip.update(f"build {key}" for key in probe.builds)
            continue
        probe.import_death = death
        break
    probe.seconds = time.perf_counter() - started
    return probe


def _absorb(probe: DistributionProbe, events: Iterable[dict]) -> dict | None:
    """Fold one interpreter's events into ``probe``; return the last step it announced and did not finish."""
    step = None
    for event in events:
        kind = event["event"]
        if kind == "entries":
            probe.entries = [EntryRef(e["group"], e["name"], e["value"], probe.dist) for e in event["entries"]]
            probe.modules = event["modules"]
        elif kind == "step":
            step = event
        elif kind == "warnings":  # a rerun after a death repeats the import-time warnings: keep them once
            probe.warnings.extend(m for m in event["messages"] if m not in probe.warnings)
        elif kind == "imported":
            probe.imports.setdefault(event["module"], event)
            step = None
        elif kind == "mlflow":
            probe.mlflow_error = event["error"]
            step = None
        elif kind == "partial":
            probe.partial.update(event["modules"])
            probe.eager_groups.update(event["eager_groups"])
        elif kind == "result":
            probe.results.setdefault(event["key"], event)
            step = None
        elif kind == "built":
            probe.builds.setdefault(event["key"], event["error"])
            step = None
        elif kind == "done":
            step = None
    return step


# -- the verdicts ------------------------------------------------------------------------------------------------

_CIRCULAR_ADVICE = (
    "Typical cause: a circular import. The module imports mlflow (or MLflow's internals, or subclasses MLflow's "
    "classes) at its top level; imported before mlflow, it starts `import mlflow`, and MLflow loads the entry "
    "point from the half-defined module. Import MLflow lazily: make the entry point a factory function that imports "
    "the implementation when MLflow calls it (`my_plugin:make_store`), or import MLflow inside the methods; a "
    "provider need not subclass MLflow's base class (MLflow only calls its methods).")


def _order_text(probe: DistributionProbe) -> str:
    if probe.order == PLUGIN_FIRST:
        first = probe.first_module
        started = f" ({first} was imported first and started `import mlflow`)" if first else ""
        return f"importing the plugin's modules before mlflow{started}"
    return "importing mlflow first, then the plugin's modules"


def entry_problem(probe: DistributionProbe, ref: EntryRef) -> str | None:
    """Why ``ref`` does not work in ``probe``'s order, or None when MLflow's registry resolves it."""
    death = probe.death_of(ref)
    if death is not None:
        others = ", ".join(r.label for r in probe.entries)
        return (f"{death.describe()}\nThe interpreter held every entry point of {probe.dist} ({others}); "
                f"{ref.label} was not checked.")
    warned = probe.warnings_about(ref)
    notes = ("\nMLflow warned:\n  " + "\n  ".join(warned)) if warned else ""
    if probe.mlflow_error:
        return f"`import mlflow` fails:\n{probe.mlflow_error}{notes}"
    module_error = (probe.imports.get(ref.module) or {}).get("error")
    if module_error:
        return f"importing {ref.module} fails:\n{module_error}{notes}"
    result = probe.results.get(ref.key)
    if result is None and probe.unreached is not None:
        return f"not checked: {probe.unreached.describe()}"
    if result is None:
        listed = ", ".join(r.key for r in probe.entries) or "none"
        return (f"a fresh interpreter ({sys.executable}) does not find this entry point in the distribution "
                f"{probe.dist} (its mlflow.* entry points there: {listed}): is it installed in this environment?")
    if result["error"]:
        return result["error"] + notes
    if result["registered"] is not False and probe.order == PLUGIN_FIRST:
        return _half_defined_when_first(probe, ref)
    if result["registered"] is False:
        advice = f"\n{_CIRCULAR_ADVICE}" if probe.order == PLUGIN_FIRST else ""
        return (f"MLflow dropped the plugin, so it silently does nothing for users who import in this order: "
                f"MLflow's registry for {ref.group} does not hold {ref.value!r} (name {ref.name!r}); it holds "
                f"{result['held']}.{notes}{advice}")
    return None


def same_product(order: str, refs: list[EntryRef], product: str | None) -> list[EntryRef]:
    """Of several candidate entry points, those whose registry built ``product`` (``module:Class``) in the probe;
    all of them when the registry builds nothing to tell them apart (it holds the factories themselves)."""
    matching = [ref for ref in refs
                if (probe_distribution(order, ref.dist).results.get(ref.key) or {}).get("product") == product]
    return matching or refs


def _half_defined_when_first(probe: DistributionProbe, ref: EntryRef) -> str | None:
    """Had ``ref``'s module been the one imported first, would MLflow have found the entry point's object?

    In the shared interpreter only the first module imported starts ``import mlflow``; for each module the probe
    recorded the names it held when it first asked for mlflow. When it asks before it defines the entry point's
    object (and no parent package imported mlflow before it), MLflow, loading the entry points of ``ref``'s group
    during that import, finds the module half-defined and drops the plugin.
    """
    attribute = ref.value.partition(":")[2].strip().split(".")[0]
    seen = probe.partial.get(ref.module)
    if ref.group not in probe.eager_groups or not attribute or seen is None or attribute in seen["names"]:
        return None
    parents = [".".join(ref.module.split(".")[:i]) for i in range(1, ref.module.count(".") + 1)]
    if any(parent in probe.partial for parent in parents):
        return None  # a parent package, imported before the module, already started `import mlflow`
    return (f"imported first, {ref.module} asks for {seen['asks']} ({seen['where']}) before it defines "
            f"{attribute!r}: that starts `import mlflow`, which loads the {ref.group} entry points while "
            f"{ref.module} is half-defined, finds no {attribute!r} and drops the plugin with only a warning. (In "
            "this interpreter another module was imported first; the probe recorded what each module holds when "
            f"it first asks for mlflow.)\n{_CIRCULAR_ADVICE}")


def check_import_order(order: str, refs: list[EntryRef]) -> None:
    """Fail the clause unless every entry point of ``refs`` works in ``order`` (one probe per distribution)."""
    problems = []
    for ref in refs:
        probe = probe_distribution(order, ref.dist)
        problem = entry_problem(probe, ref)
        if problem is not None:
            # the problem leads: a root-cause line shows only the start of the first line
            headline, _, details = problem.partition("\n")
            where = f"({ref.label}, entry point {ref.value}, {_order_text(probe)})"
            problems.append("\n".join(part for part in (headline, where, details) if part))
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


def first_build_failure(target, plans: Callable[[], dict[str, dict]], *, prefetch_plugin_first: bool = False
                        ) -> str | None:
    """The build failure of ``target`` (a ``PluginTarget``) when its first build, in the mlflow-first probe of its
    distribution, ended the interpreter; None otherwise (the suite then builds it in its own process).

    ``plans`` gives ``{entry key: {"uri", "tmp", "dist", "version", "seconds"}}`` for the distribution's targets
    in the run. With ``prefetch_plugin_first`` (a plugin-first import-order clause of the distribution is in the
    run), that probe starts beside this one.
    """
    ref = EntryRef.of(target)
    if prefetch_plugin_first:
        prefetch_distribution(PLUGIN_FIRST, target.dist)
    probe = probe_distribution(MLFLOW_FIRST, target.dist, builds=plans)
    death = probe.death_of(ref, builds=True)
    if death is None or death.hung:  # a hang is the in-process build's to report, under its own time limit
        return None
    if death is probe.import_death:
        what = (f"the fresh interpreter that first imports mlflow and every entry point of {target.dist} ended "
                "before it could build anything")
    else:
        what = f"building {target.label} in a fresh interpreter (the suite's first build) ended the interpreter"
    return (f"{target.label}: {what}: {death.describe()}\nThe target is not built in the test process: it would end "
            f"the whole run without a report. {target.describe()}.")


# -- the clauses -------------------------------------------------------------------------------------------------


class ImportOrderClauses:
    """Family ``import-order``: the entry point works whichever of its module and ``mlflow`` is imported first.

    The subject's entry points are those the bundled suite built it from (``mlflow_target_context``), or, for a
    plugin's own subclass, the installed entry points that name it (:func:`entry_points_naming`) or, for a
    subject a factory built, the factory entry points of its distribution (:func:`factory_entry_points`).
    """

    def import_order_entry_points(self, request, mlflow_target_context, order: str) -> list[EntryRef]:
        """The entry points this clause checks: the bundled suite's target, else those naming the subject, else
        the factory entry points of the subject's distribution (only those whose product, where the registry
        builds one, is the subject's class)."""
        target = (mlflow_target_context or {}).get("target")
        if target is not None:
            return [EntryRef.of(target)]
        group = getattr(self, "group", "") or KINDS_BY_KEY[self.kind_key].group
        subject = request.getfixturevalue(self.target_fixture)
        refs = entry_points_naming(group, subject) or factory_entry_points(group, subject)
        if len(refs) > 1:
            refs = same_product(order, refs, qualified_name(type(subject)))
        if not refs:
            not_applicable(f"no installed entry point of {group} names {qualified_name(_owner(subject)) or subject!r}: "
                           "MLflow never loads it from an entry point, so no import order can drop it "
                           "(install the plugin's distribution; `pytest --mlflow-plugin=DIST` checks each of its "
                           "entry points)")
        return refs

    @clause("{kind}/import-order/plugin-first", routes=("in-process",))
    def test_import_order_plugin_first(self, request, mlflow_target_context):
        """Importing the plugin's modules before ``mlflow`` (a fresh interpreter; the distribution's entry-point
        modules in sorted order, then ``import mlflow``) leaves the entry point in MLflow's registry: no circular
        import makes MLflow drop it with only a warning."""
        check_import_order(PLUGIN_FIRST, self.import_order_entry_points(request, mlflow_target_context,
                                                                        PLUGIN_FIRST))

    @clause("{kind}/import-order/mlflow-first", routes=("in-process",))
    def test_import_order_mlflow_first(self, request, mlflow_target_context):
        """Importing ``mlflow`` first and the plugin's modules after it (a fresh interpreter) leaves the entry point
        in MLflow's registry, resolved to the object it names."""
        check_import_order(MLFLOW_FIRST, self.import_order_entry_points(request, mlflow_target_context,
                                                                        MLFLOW_FIRST))
