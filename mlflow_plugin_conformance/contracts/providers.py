"""Contracts of the provider kinds: run context, request header, request auth and default experiment providers.

MLflow constructs each provider with no arguments while ``import mlflow`` runs (its list registries load the
entry points at import time) and then calls it on every new run (``resolve_tags``), every REST request
(``resolve_request_headers``, ``fetch_auth``) or every run started without an experiment (``get_experiment_id``).
MLflow swallows what a provider raises there with only a logged warning, and swallows ``ImportError`` /
``AttributeError`` at registration with only a ``UserWarning``: a broken provider silently does nothing. These
contracts make the silence loud.

Subclass a contract and provide the kind's fixture (an instance of the provider)::

    class TestMyTags(RunContextProviderContract):
        @pytest.fixture
        def run_context_provider(self):
            return MyRunContextProvider()

Most providers act only in some context (a CI job, a notebook, an environment variable). Clauses that need the
provider in context enter ``provider_context()`` first: override the ``provider_context`` fixture in the class,
or define a ``mlflow_provider_context`` fixture in ``conftest.py`` (it also reaches the bundled suite), returning
a zero-argument callable that gives a context manager which puts the provider in context. Without one, the
environment is used as it is, and those clauses report *not-run* when the provider is not in context.

End-to-end clauses go through MLflow's real code path against a real ``mlflow server`` on 127.0.0.1, with a
recording proxy in front of it (``services.py``) to see what MLflow sent.
"""

from __future__ import annotations

import base64
import contextlib
import importlib
import importlib.metadata
import json
import logging
import os
import re
import statistics
import subprocess
import sys
import time
from typing import Any, ClassVar

import pytest

from ..outcomes import not_run
from .base import ContractBase, clause, required_fixture

# -- what the registries are ------------------------------------------------------------------------------------

#: group -> (module, attribute) of MLflow's list registry that holds the instances MLflow built at import time.
REGISTRIES = {
    "mlflow.run_context_provider": ("mlflow.tracking.context.registry", "_run_context_provider_registry"),
    "mlflow.request_header_provider": ("mlflow.tracking.request_header.registry",
                                       "_request_header_provider_registry"),
    "mlflow.request_auth_provider": ("mlflow.tracking.request_auth.registry", "_request_auth_provider_registry"),
    "mlflow.default_experiment_provider": ("mlflow.tracking.default_experiment.registry",
                                           "_default_experiment_provider_registry"),
}

_TAG_KEY = re.compile(r"^[/\w.\- :]*$")
_HTTP_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
#: Headers MLflow's REST client or ``requests`` set themselves; a provider that sets them breaks every request.
RESERVED_HEADERS = frozenset({"content-type", "content-length", "host", "transfer-encoding", "connection",
                              "authorization"})
MAX_TAG_VALUE = 8000


def registry_of(group: str):
    """MLflow's list registry for ``group`` (imports MLflow)."""
    module, attr = REGISTRIES[group]
    return getattr(importlib.import_module(module), attr)


@contextlib.contextmanager
def registered(group: str, instance):
    """``instance`` is in MLflow's registry for the body: added (and removed after) unless it is there already.

    The bundled suite checks the very instance MLflow built at import time; a base-class user's fixture may build
    its own, which is then resolved by MLflow exactly like the registered ones.
    """
    registry = registry_of(group)
    items = registry._registry
    if any(item is instance for item in items):
        yield
        return
    items.append(instance)
    try:
        yield
    finally:
        with contextlib.suppress(ValueError):
            items.remove(instance)


def _qualified(obj) -> str:
    return f"{obj.__module__}:{obj.__qualname__}"


def entry_points_naming(group: str, cls: type) -> list[importlib.metadata.EntryPoint]:
    """The installed entry points of ``group`` whose value names ``cls`` (``module:Class``)."""
    wanted = _qualified(cls)
    found = []
    for ep in importlib.metadata.entry_points(group=group):
        if ep.value.replace(" ", "") == wanted:
            found.append(ep)
    return found


# -- the global state a provider must leave alone ---------------------------------------------------------------


def global_state() -> dict[str, Any]:
    """What a provider must not change by being asked: environment, MLflow's URIs and fluent state, cwd."""
    import mlflow.tracking._model_registry.utils as registry_utils
    import mlflow.tracking._tracking_service.utils as tracking_utils
    import mlflow.tracking.fluent as fluent

    return {
        "environment": dict(os.environ),
        "tracking URI (mlflow.set_tracking_uri)": tracking_utils._tracking_uri,
        "registry URI (mlflow.set_registry_uri)": registry_utils._registry_uri,
        "active experiment (mlflow.set_experiment)": fluent._active_experiment_id,
        "active runs": [run.info.run_id for run in fluent._active_run_stack.get()],
        "working directory": os.getcwd(),
    }


def state_changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    changes = []
    for key, old in before.items():
        new = after[key]
        if key == "environment":
            for name in sorted(set(old) | set(new)):
                if old.get(name) != new.get(name):
                    changes.append(f"environment variable {name}: {old.get(name)!r} -> {new.get(name)!r}")
        elif old != new:
            changes.append(f"{key}: {old!r} -> {new!r}")
    return changes


def restore_global_state(state: dict[str, Any]) -> None:
    """Put back what :func:`global_state` recorded, so one broken provider does not break the clauses after it."""
    import mlflow.tracking._model_registry.utils as registry_utils
    import mlflow.tracking._tracking_service.utils as tracking_utils
    import mlflow.tracking.fluent as fluent

    if dict(os.environ) != state["environment"]:
        os.environ.clear()
        os.environ.update(state["environment"])
    tracking_utils._tracking_uri = state["tracking URI (mlflow.set_tracking_uri)"]
    registry_utils._registry_uri = state["registry URI (mlflow.set_registry_uri)"]
    fluent._active_experiment_id = state["active experiment (mlflow.set_experiment)"]
    if os.getcwd() != state["working directory"]:
        os.chdir(state["working directory"])


def median_seconds(call, repeat: int = 7, budget: float | None = None) -> float:
    """Median wall time of ``call()`` over ``repeat`` calls (after one warm-up call). With ``budget``, stops as
    soon as more than half the calls went over it (the median is then over budget whatever follows)."""
    call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
        if budget is not None and sum(t > budget for t in times) > repeat // 2:
            break
    return statistics.median(times)


# -- import order -----------------------------------------------------------------------------------------------

_IMPORT_ORDER_SCRIPT = r"""
import importlib, json, sys, traceback, warnings
order, spec = sys.argv[1], json.loads(sys.argv[2])
registries = spec["registries"]
out = {"error": None, "targets": {}, "warnings": []}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        modules = sorted({value.split(":")[0] for _, value in spec["targets"]})
        if order == "plugin-first":
            for module in modules:
                importlib.import_module(module)
            import mlflow
        else:
            import mlflow
            for module in modules:
                importlib.import_module(module)
        for group, value in spec["targets"]:
            module, _, attr = value.partition(":")
            result = {"resolved": False, "registered": None, "error": None}
            try:
                obj = importlib.import_module(module)
                for part in attr.split("."):
                    obj = getattr(obj, part)
                result["resolved"] = True
                if group in registries:
                    reg_module, reg_attr = registries[group]
                    registry = getattr(importlib.import_module(reg_module), reg_attr)
                    result["registered"] = any(type(item) is obj for item in registry)
            except BaseException:
                result["error"] = traceback.format_exc()
            out["targets"][group + " " + value] = result
    except BaseException:
        out["error"] = traceback.format_exc()
out["warnings"] = [str(w.message) for w in caught]
print("@@IMPORT-ORDER@@" + json.dumps(out))
"""

_IMPORT_ORDER_CACHE: dict[tuple, dict] = {}


def import_order_report(order: str, targets: tuple[tuple[str, str], ...], timeout: float = 180.0) -> dict:
    """Import the plugin modules and ``mlflow`` in ``order`` (``plugin-first`` or ``mlflow-first``) in a fresh
    interpreter, then resolve each ``(group, value)`` and look for it in MLflow's registry of its group.

    One interpreter per order and set of targets (cached): ``import mlflow`` takes seconds.
    """
    key = (order, targets)
    if key not in _IMPORT_ORDER_CACHE:
        spec = json.dumps({"targets": list(targets), "registries": REGISTRIES})
        env = dict(os.environ, MLFLOW_DISABLE_TELEMETRY="true", DO_NOT_TRACK="true")
        try:
            done = subprocess.run([sys.executable, "-c", _IMPORT_ORDER_SCRIPT, order, spec], capture_output=True,
                                  text=True, timeout=timeout, env=env)
            line = next((ln for ln in done.stdout.splitlines() if ln.startswith("@@IMPORT-ORDER@@")), None)
            if line is None:
                report = {"error": f"the interpreter exited with code {done.returncode}:\n{done.stderr[-3000:]}",
                          "targets": {}, "warnings": []}
            else:
                report = json.loads(line[len("@@IMPORT-ORDER@@"):])
        except subprocess.TimeoutExpired:
            report = {"error": f"importing took more than {timeout:g} s (a hang at import time)", "targets": {},
                      "warnings": []}
        _IMPORT_ORDER_CACHE[key] = report
    return _IMPORT_ORDER_CACHE[key]


def sibling_targets(group: str, value: str) -> tuple[tuple[str, str], ...]:
    """Every mlflow provider/app entry point of the distribution that declares ``group``/``value``, so one
    interpreter per order checks them all (the import order of one module can break a sibling)."""
    checked = set(REGISTRIES) | {"mlflow.app", "mlflow.app.client"}
    for dist in importlib.metadata.distributions():
        eps = [ep for ep in dist.entry_points if ep.group.startswith("mlflow.")]
        if any(ep.group == group and ep.value == value for ep in eps):
            return tuple(sorted({(ep.group, ep.value) for ep in eps if ep.group in checked}))
    return ((group, value),)


def check_import_order(order: str, group: str, value: str) -> None:
    """Fail with the traceback and MLflow's warnings unless ``value`` resolves (and registers) in ``order``."""
    report = import_order_report(order, sibling_targets(group, value))
    first = "the plugin module, then mlflow" if order == "plugin-first" else "mlflow, then the plugin module"
    warned = [w for w in report["warnings"] if value.split(":")[0] in w or "register" in w.lower()]
    notes = ("\nMLflow warned:\n  " + "\n  ".join(warned)) if warned else ""
    if report["error"]:
        pytest.fail(f"importing {first} fails:\n{report['error']}{notes}", pytrace=False)
    result = report["targets"].get(f"{group} {value}")
    if result is None or not result["resolved"]:
        pytest.fail(f"after importing {first}, {value!r} does not resolve:\n{(result or {}).get('error')}{notes}",
                    pytrace=False)
    if result["registered"] is False:
        pytest.fail(
            f"after importing {first}, MLflow's registry for {group} holds no instance of {value!r}: MLflow "
            f"dropped the provider while `import mlflow` ran, so it silently does nothing.{notes}\n"
            "Typical cause: the plugin module imports mlflow at its top level; imported first, it starts "
            "`import mlflow`, which loads the half-initialised plugin module from the entry point. Import MLflow "
            "lazily (inside methods), and do not subclass MLflow's provider bases at module top level "
            "(MLflow only calls the methods).", pytrace=False)


# -- the shared contract ----------------------------------------------------------------------------------------


class ProviderContractBase(ContractBase):
    """What every provider kind shares: zero-argument construction, registration and import order."""

    group: ClassVar[str] = ""

    def provider(self, request):
        return request.getfixturevalue(self.target_fixture)

    @pytest.fixture(autouse=True)
    def _guard_global_state(self, monkeypatch):
        """A provider that changes global state fails its clause, and the state is put back for the next ones.
        MLflow's REST client gives up quickly here: a provider that points MLflow elsewhere must not hang."""
        monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
        monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "30")
        try:
            saved = global_state()
        except Exception:  # `import mlflow` itself fails (a provider constructor raised): the build clause says so
            saved = None
        yield
        if saved is not None:
            restore_global_state(saved)

    @pytest.fixture
    def provider_context(self, mlflow_provider_context):
        """A zero-argument callable giving a context manager that puts the provider in context.

        Default: the ``mlflow_provider_context`` fixture when one is defined (e.g. in conftest.py), else the
        environment as it is. Override in a subclass for a provider that needs a specific context.
        """
        return mlflow_provider_context if mlflow_provider_context is not None else contextlib.nullcontext

    @contextlib.contextmanager
    def in_context(self, provider, provider_context):
        """Enter the provider's context; report not-run when the provider still says it is not in context."""
        with provider_context():
            try:
                active = provider.in_context()
            except Exception as exc:
                pytest.fail(f"in_context() raised {type(exc).__name__}: {exc}", pytrace=False)
            if active is not True:
                not_run(f"the provider is not in context here (in_context() returned "
                            f"{active!r}); provide a `mlflow_provider_context` fixture that activates it")
            yield

    def _entry_point_value(self, provider) -> str:
        eps = entry_points_naming(self.group, type(provider))
        if not eps:
            pytest.fail(f"no installed entry point in group {self.group!r} names {_qualified(type(provider))}: "
                        "MLflow never loads this provider. Declare it in pyproject.toml "
                        f"([project.entry-points.\"{self.group}\"]) and reinstall the distribution.", pytrace=False)
        return eps[0].value

    @clause("{kind}/construct/zero-args")
    def test_construct_zero_args(self, request):
        """The provider class constructs with no arguments (MLflow calls ``cls()`` during ``import mlflow``)."""
        cls = type(self.provider(request))
        try:
            fresh = cls()
        except Exception as exc:
            pytest.fail(f"{cls.__name__}() raised {type(exc).__name__}: {exc}. MLflow constructs every provider "
                        "with no arguments while `import mlflow` runs, and an exception there breaks "
                        "`import mlflow` for every user of the environment.", pytrace=False)
        assert type(fresh) is cls

    @clause("{kind}/registration/entry-point")
    def test_registration_entry_point(self, request):
        """An installed entry point of the kind's group names the provider class, and MLflow's registry holds an
        instance of it after ``import mlflow``."""
        provider = self.provider(request)
        self._entry_point_value(provider)
        held = [item for item in registry_of(self.group) if type(item) is type(provider)]
        assert held, (f"MLflow's registry for {self.group} holds no {type(provider).__name__}: MLflow dropped it at "
                      "`import mlflow` (it warns once, then the provider silently does nothing)")

    @clause("{kind}/import-order/plugin-first")
    def test_import_order_plugin_first(self, request):
        """Importing the plugin's module before ``mlflow`` still registers the provider (no circular import)."""
        check_import_order("plugin-first", self.group, self._entry_point_value(self.provider(request)))

    @clause("{kind}/import-order/mlflow-first")
    def test_import_order_mlflow_first(self, request):
        """Importing ``mlflow`` before the plugin's module registers the provider."""
        check_import_order("mlflow-first", self.group, self._entry_point_value(self.provider(request)))


class ContextualProviderContractBase(ProviderContractBase):
    """Providers asked ``in_context()`` before they act: run context, request header, default experiment."""

    #: Median seconds ``in_context()`` plus the kind's action may take: MLflow calls them synchronously.
    time_budget: ClassVar[float] = 0.25

    def act(self, provider):
        """The kind's action, called only in context (``tags()``, ``request_headers()``, ...)."""
        raise NotImplementedError

    @clause("{kind}/in-context/returns-bool")
    def test_in_context_returns_bool(self, request, provider_context):
        """``in_context()`` returns a bool and never raises, in and out of the provider's context (a missing
        method silently returns None: MLflow's base class does not enforce it)."""
        provider = self.provider(request)
        for label, context in (("out of the activation", contextlib.nullcontext), ("in context", provider_context)):
            with context():
                try:
                    value = provider.in_context()
                except Exception as exc:
                    pytest.fail(f"in_context() raised {type(exc).__name__} {label}: {exc}", pytrace=False)
            assert isinstance(value, bool), f"in_context() returned {value!r} ({type(value).__name__}) {label}"

    @clause("{kind}/state/no-global-changes")
    def test_state_no_global_changes(self, request, provider_context):
        """Asking the provider (``in_context()`` and, in context, its action) changes no global state: not the
        environment, MLflow's tracking or registry URI, active experiment or runs, nor the working directory."""
        provider = self.provider(request)
        with provider_context():
            inside = global_state()
            active = provider.in_context()
            if active is True:
                self.act(provider)
                provider.in_context()
            changes = state_changes(inside, global_state())
        if not changes and active is not True:
            not_run(f"in_context() returned {active!r}: the action was not checked")
        assert not changes, "the provider changed global state:\n  " + "\n  ".join(changes)

    @clause("{kind}/speed/budget")
    def test_speed_budget(self, request, provider_context, record_property):
        """``in_context()`` plus the action take at most ``time_budget`` seconds (median of 7 calls): MLflow calls
        them synchronously on the user's path. The measured time is reported."""
        provider = self.provider(request)
        with self.in_context(provider, provider_context):
            seconds = median_seconds(lambda: (provider.in_context(), self.act(provider)), budget=self.time_budget)
        record_property("median_seconds", seconds)
        sys.stdout.write(f"\n{self.kind_key}: in_context()+action median {seconds * 1000:.2f} ms "
                         f"(budget {self.time_budget * 1000:.0f} ms)\n")
        assert seconds <= self.time_budget, (
            f"in_context() plus the action took {seconds:.3f} s (median of 7), over the {self.time_budget:g} s "
            "budget: cache what is expensive, never call the network or a subprocess on every call")


def _string_mapping(value, what: str) -> dict[str, str]:
    assert isinstance(value, dict), f"{what} returned {type(value).__name__} {value!r}, not a dict"
    bad = {k: v for k, v in value.items() if not isinstance(k, str) or not isinstance(v, str)}
    assert not bad, f"{what} must map str to str; these items are not: " + ", ".join(
        f"{k!r}: {v!r} ({type(k).__name__} -> {type(v).__name__})" for k, v in bad.items())
    return value


@contextlib.contextmanager
def tracking_uri(monkeypatch_context, uri: str):
    """MLflow's client uses ``uri`` for the body (set as a user would, restored after)."""
    import mlflow.tracking._tracking_service.utils as tracking_utils

    monkeypatch_context.setattr(tracking_utils, "_tracking_uri", uri)
    monkeypatch_context.setenv("MLFLOW_TRACKING_URI", uri)
    yield


class MlflowServerFixtures:
    """The real ``mlflow server`` (one per process) and a recording proxy in front of it, for end-to-end clauses."""

    @pytest.fixture
    def mlflow_server(self):
        from ..services import ServiceStartError, shared_mlflow_server

        try:
            return shared_mlflow_server()
        except ServiceStartError as exc:
            pytest.fail(f"the suite could not start `mlflow server` on 127.0.0.1:\n{exc}", pytrace=False)

    @pytest.fixture
    def recording_proxy(self, mlflow_server):
        from ..services import recording_proxy

        with recording_proxy(mlflow_server.url) as proxy:
            yield proxy


# -- run context providers --------------------------------------------------------------------------------------

_RUN_CONTEXT_EXAMPLE = """    @pytest.fixture
    def run_context_provider(self):
        return MyRunContextProvider()"""


class RunContextProviderContract(MlflowServerFixtures, ContextualProviderContractBase):
    """Contract of ``mlflow.run_context_provider``: tags MLflow adds to every new run while in context."""

    kind_key = "run_context_provider"
    target_fixture = "run_context_provider"
    group = "mlflow.run_context_provider"
    #: ``mlflow.*`` tags the provider documents that it sets (they override MLflow's own).
    documented_reserved_tags: ClassVar[frozenset[str]] = frozenset()

    run_context_provider = required_fixture("run_context_provider", "RunContextProviderContract",
                                            _RUN_CONTEXT_EXAMPLE)

    def act(self, provider):
        return provider.tags()

    @clause("run_context_provider/tags/str-to-str")
    def test_tags_str_to_str(self, run_context_provider, provider_context):
        """In context, ``tags()`` returns a dict of str -> str whose keys are valid MLflow tag keys (at most 250
        characters of ``[/\\w.\\- :]``, no ``..``, no leading ``/``) and whose values fit a run tag (8000)."""
        with self.in_context(run_context_provider, provider_context):
            tags = _string_mapping(run_context_provider.tags(), "tags()")
        for key, value in tags.items():
            assert key and len(key) <= 250 and _TAG_KEY.match(key), f"tag key {key!r} is not a valid MLflow tag key"
            assert ".." not in key.split("/") and not key.startswith("/"), f"tag key {key!r} is not a normalised path"
            assert len(value) <= MAX_TAG_VALUE, f"tag {key!r} has a {len(value)}-character value (limit 8000)"

    @clause("run_context_provider/tags/no-reserved-clobber")
    def test_tags_no_reserved_clobber(self, run_context_provider, provider_context):
        """``tags()`` sets no ``mlflow.*`` tag (MLflow's reserved namespace: source, user, git commit, run name)
        unless the plugin documents it (``documented_reserved_tags``): plugin tags override MLflow's own."""
        with self.in_context(run_context_provider, provider_context):
            tags = run_context_provider.tags()
        clobbered = sorted(k for k in tags if str(k).startswith("mlflow.") and k not in self.documented_reserved_tags)
        assert not clobbered, (f"tags() sets MLflow's reserved tags {clobbered}: they override what MLflow records "
                               "for every run (declare them in documented_reserved_tags if intended)")

    @clause("run_context_provider/end-to-end/start-run")
    def test_end_to_end_start_run(self, run_context_provider, provider_context, recording_proxy, monkeypatch):
        """A run started with ``mlflow.start_run()`` against a real tracking server carries the provider's tags,
        and MLflow's own ``mlflow.*`` tags are still there."""
        import mlflow
        from mlflow.tracking import MlflowClient

        with self.in_context(run_context_provider, provider_context), \
                registered(self.group, run_context_provider), tracking_uri(monkeypatch, recording_proxy.url):
            expected = run_context_provider.tags()
            with mlflow.start_run() as run:
                run_id = run.info.run_id
            stored = MlflowClient(recording_proxy.url).get_run(run_id).data.tags
        missing = {k: v for k, v in expected.items() if stored.get(k) != v}
        assert not missing, "the run lacks the provider's tags (key: expected -> stored): " + ", ".join(
            f"{k}: {v!r} -> {stored.get(k)!r}" for k, v in missing.items())
        assert "mlflow.user" in stored or "mlflow.source.name" in stored, (
            "MLflow's own mlflow.* tags are missing from the run")


# -- request header providers -----------------------------------------------------------------------------------

_HEADER_EXAMPLE = """    @pytest.fixture
    def request_header_provider(self):
        return MyRequestHeaderProvider()"""


class RequestHeaderProviderContract(MlflowServerFixtures, ContextualProviderContractBase):
    """Contract of ``mlflow.request_header_provider``: headers of every MLflow REST request while in context."""

    kind_key = "request_header_provider"
    target_fixture = "request_header_provider"
    group = "mlflow.request_header_provider"
    time_budget: ClassVar[float] = 0.1  # called on every REST request
    #: Reserved headers the provider documents that it sets.
    documented_reserved_headers: ClassVar[frozenset[str]] = frozenset()

    request_header_provider = required_fixture("request_header_provider", "RequestHeaderProviderContract",
                                               _HEADER_EXAMPLE)

    def act(self, provider):
        return provider.request_headers()

    @clause("request_header_provider/headers/str-to-str")
    def test_headers_str_to_str(self, request_header_provider, provider_context):
        """In context, ``request_headers()`` returns a dict of str -> str."""
        with self.in_context(request_header_provider, provider_context):
            _string_mapping(request_header_provider.request_headers(), "request_headers()")

    @clause("request_header_provider/headers/valid-http")
    def test_headers_valid_http(self, request_header_provider, provider_context):
        """Header names are HTTP tokens and values carry no CR, LF or leading blank: ``requests`` refuses such
        headers, so every REST call of the user would fail."""
        from requests.utils import check_header_validity

        with self.in_context(request_header_provider, provider_context):
            headers = request_header_provider.request_headers()
        for name, value in headers.items():
            assert _HTTP_TOKEN.match(str(name)), f"header name {name!r} is not an HTTP token"
            try:
                check_header_validity((name, value))
            except Exception as exc:
                pytest.fail(f"header {name!r}: {value!r} is refused by requests: {exc}", pytrace=False)

    @clause("request_header_provider/headers/no-reserved")
    def test_headers_no_reserved(self, request_header_provider, provider_context):
        """The provider sets none of Content-Type, Content-Length, Host, Transfer-Encoding, Connection or
        Authorization (credentials belong in a request auth provider) unless documented."""
        with self.in_context(request_header_provider, provider_context):
            headers = request_header_provider.request_headers()
        allowed = {h.lower() for h in self.documented_reserved_headers}
        reserved = sorted(n for n in headers if str(n).lower() in RESERVED_HEADERS - allowed)
        assert not reserved, f"request_headers() sets reserved headers {reserved}"

    @clause("request_header_provider/concurrency/threads")
    def test_concurrency_threads(self, request_header_provider, provider_context):
        """Called from 8 threads at once (MLflow's async logging and thread pools send requests concurrently),
        ``request_headers()`` never raises and always returns str values under the same header names as a call on
        its own."""
        import threading

        with self.in_context(request_header_provider, provider_context):
            names = set(request_header_provider.request_headers())
            problems: list[str] = []
            start = threading.Barrier(8)

            def hammer():
                start.wait()
                for _ in range(25):
                    try:
                        got = dict(request_header_provider.request_headers())
                        if set(got) != names:
                            problems.append(f"header names {sorted(got)} instead of {sorted(names)}")
                        bad = {k: v for k, v in got.items() if not isinstance(v, str)}
                        if bad:
                            problems.append(f"non-str values {bad}")
                    except Exception as exc:
                        problems.append(f"{type(exc).__name__}: {exc}")

            threads = [threading.Thread(target=hammer) for _ in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        assert not problems, (f"{len(problems)} of 200 concurrent calls went wrong, e.g. {problems[0]} (shared "
                              "mutable state without a lock?)")

    @clause("request_header_provider/end-to-end/rest-call")
    def test_end_to_end_rest_call(self, request_header_provider, provider_context, recording_proxy, monkeypatch):
        """A REST call MLflow's client makes to a real tracking server carries the provider's headers."""
        from mlflow.tracking import MlflowClient

        with self.in_context(request_header_provider, provider_context), \
                registered(self.group, request_header_provider), tracking_uri(monkeypatch, recording_proxy.url):
            expected = request_header_provider.request_headers()
            MlflowClient(recording_proxy.url).search_experiments(max_results=1)
        calls = recording_proxy.matching("/experiments/search")
        assert calls, "MLflow made no search request through the proxy"
        sent = {k.lower(): v for k, v in calls[-1].headers.items()}
        missing = {k: v for k, v in expected.items() if v not in sent.get(k.lower(), "")}
        assert not missing, "the request lacks the provider's headers (name: expected -> sent): " + ", ".join(
            f"{k}: {v!r} -> {sent.get(k.lower())!r}" for k, v in missing.items())


# -- request auth providers -------------------------------------------------------------------------------------

_AUTH_EXAMPLE = """    @pytest.fixture
    def request_auth_provider(self):
        return MyRequestAuthProvider()"""


def applied_credentials(auth, url: str = "http://127.0.0.1/api/2.0/mlflow/experiments/search") -> dict[str, str]:
    """The headers ``auth`` adds or changes on a request ``requests`` prepares (what ``auth=`` does)."""
    import requests

    plain = requests.Request("GET", url).prepare()
    authed = requests.Request("GET", url).prepare()
    authed.prepare_auth(auth, url)
    before = {k.lower(): v for k, v in plain.headers.items()}
    return {k: v for k, v in authed.headers.items() if before.get(k.lower()) != v}


def secret_candidates(credentials: dict[str, str]) -> list[str]:
    """The secret parts of credential header values: the value, a bearer token, a basic-auth password."""
    found = set()
    for value in credentials.values():
        value = str(value)
        found.add(value)
        scheme, _, rest = value.partition(" ")
        if rest:
            found.add(rest)
            if scheme.lower() == "basic":
                with contextlib.suppress(ValueError, UnicodeDecodeError):
                    user, _, password = base64.b64decode(rest).decode().partition(":")
                    found.add(password)
    return sorted(s for s in found if len(s) >= 4)


class RequestAuthProviderContract(MlflowServerFixtures, ProviderContractBase):
    """Contract of ``mlflow.request_auth_provider``: credentials of REST requests with ``MLFLOW_TRACKING_AUTH``."""

    kind_key = "request_auth_provider"
    target_fixture = "request_auth_provider"
    group = "mlflow.request_auth_provider"

    request_auth_provider = required_fixture("request_auth_provider", "RequestAuthProviderContract", _AUTH_EXAMPLE)

    @clause("request_auth_provider/name/stable-str")
    def test_name_stable_str(self, request_auth_provider):
        """``get_name()`` returns the same non-empty str on every call and from every instance (users put it in
        ``MLFLOW_TRACKING_AUTH``)."""
        name = request_auth_provider.get_name()
        assert isinstance(name, str) and name.strip(), f"get_name() returned {name!r}"
        assert name == name.strip(), f"get_name() {name!r} has surrounding blanks"
        assert request_auth_provider.get_name() == name, "get_name() changes between calls"
        assert type(request_auth_provider)().get_name() == name, "get_name() differs between instances"

    @clause("request_auth_provider/name/unique")
    def test_name_unique(self, request_auth_provider):
        """No other registered auth provider uses the same name: MLflow's ``fetch_auth`` takes the first match,
        so one of the two silently never runs."""
        name = request_auth_provider.get_name()
        others = [type(p).__module__ + "." + type(p).__qualname__ for p in registry_of(self.group)
                  if type(p) is not type(request_auth_provider) and _safe_name(p) == name]
        assert not others, f"auth provider name {name!r} is also used by {others}"

    @clause("request_auth_provider/auth/requests-accepts")
    def test_auth_requests_accepts(self, request_auth_provider):
        """``get_auth()`` returns what ``requests`` accepts as ``auth=`` (a (user, password) pair of str or a
        callable that returns the request it was given), and it adds credentials to the request."""
        auth = request_auth_provider.get_auth()
        assert auth is not None, "get_auth() returned None: MLflow would send the request without credentials"
        if isinstance(auth, tuple):
            assert len(auth) == 2 and all(isinstance(p, (str, bytes)) for p in auth), (
                f"a tuple auth must be (user, password) strings, got {len(auth)} items")
        else:
            assert callable(auth), f"get_auth() returned a {type(auth).__name__}, which requests cannot call"
        try:
            credentials = applied_credentials(auth)
        except Exception as exc:
            pytest.fail(f"requests failed to apply the auth: {type(exc).__name__}: {exc} (an auth callable must "
                        "return the request it was given)", pytrace=False)
        assert credentials, "applying get_auth() to a request changes no header: no credentials are sent"

    @clause("request_auth_provider/end-to-end/rest-call")
    def test_end_to_end_rest_call(self, request_auth_provider, recording_proxy, monkeypatch):
        """With ``MLFLOW_TRACKING_AUTH=<name>``, a REST call MLflow's client makes to a real tracking server carries
        the credentials ``get_auth()`` gives."""
        from mlflow.tracking import MlflowClient

        name = request_auth_provider.get_name()
        credentials = applied_credentials(request_auth_provider.get_auth(), recording_proxy.url + "/api/2.0/x")
        monkeypatch.setenv("MLFLOW_TRACKING_AUTH", name)
        with registered(self.group, request_auth_provider), tracking_uri(monkeypatch, recording_proxy.url):
            MlflowClient(recording_proxy.url).search_experiments(max_results=1)
        calls = recording_proxy.matching("/experiments/search")
        assert calls, "MLflow made no search request through the proxy"
        sent = {k.lower(): v for k, v in calls[-1].headers.items()}
        missing = {k: v for k, v in credentials.items() if sent.get(k.lower()) != v}
        assert credentials and not missing, (
            f"with MLFLOW_TRACKING_AUTH={name} the request lacks the credentials: "
            + (", ".join(f"{k}" for k in missing) or "get_auth() adds none"))

    @clause("request_auth_provider/secrets/not-shown")
    def test_secrets_not_shown(self, request_auth_provider, recording_proxy, monkeypatch, caplog):
        """The credentials never appear in ``repr``/``str`` of the provider or the auth object, nor in log records
        emitted while the auth is built and used (a pair ``(user, password)`` shows the password in its repr:
        return ``requests.auth.HTTPBasicAuth`` instead)."""
        from mlflow.tracking import MlflowClient

        caplog.set_level(logging.DEBUG)
        auth = request_auth_provider.get_auth()
        secrets = secret_candidates(applied_credentials(auth))
        if not secrets:
            not_run("the auth adds no credential value to look for")
        monkeypatch.setenv("MLFLOW_TRACKING_AUTH", request_auth_provider.get_name())
        with registered(self.group, request_auth_provider), tracking_uri(monkeypatch, recording_proxy.url):
            MlflowClient(recording_proxy.url).search_experiments(max_results=1)
        shown = {"repr(provider)": repr(request_auth_provider), "str(provider)": str(request_auth_provider),
                 "repr(auth)": repr(auth), "str(auth)": str(auth),
                 "logs": "\n".join(r.getMessage() for r in caplog.records)}
        leaks = [where for where, text in shown.items() if any(s in text for s in secrets)]
        assert not leaks, f"the credentials appear in {', '.join(leaks)}"


def _safe_name(provider) -> str | None:
    try:
        return provider.get_name()
    except Exception:
        return None


# -- default experiment providers -------------------------------------------------------------------------------

_DEFAULT_EXPERIMENT_EXAMPLE = """    @pytest.fixture
    def default_experiment_provider(self):
        return MyDefaultExperimentProvider()"""


class DefaultExperimentProviderContract(MlflowServerFixtures, ContextualProviderContractBase):
    """Contract of ``mlflow.default_experiment_provider``: the experiment of runs started without one."""

    kind_key = "default_experiment_provider"
    target_fixture = "default_experiment_provider"
    group = "mlflow.default_experiment_provider"
    time_budget: ClassVar[float] = 2.0  # once per run started without an experiment; may ask the server

    default_experiment_provider = required_fixture("default_experiment_provider",
                                                   "DefaultExperimentProviderContract", _DEFAULT_EXPERIMENT_EXAMPLE)

    @pytest.fixture(autouse=True)
    def _tracking_server(self, request, monkeypatch):
        """The provider answers for the tracking server MLflow uses: here a real one, through the proxy."""
        if request.node.get_closest_marker("mlflow_clause") is None:
            return
        proxy = request.getfixturevalue("recording_proxy")
        import mlflow.tracking._tracking_service.utils as tracking_utils

        monkeypatch.setattr(tracking_utils, "_tracking_uri", proxy.url)
        monkeypatch.setenv("MLFLOW_TRACKING_URI", proxy.url)

    def act(self, provider):
        return provider.get_experiment_id()

    @clause("default_experiment_provider/experiment-id/existing")
    def test_experiment_id_existing(self, default_experiment_provider, provider_context):
        """In context, ``get_experiment_id()`` returns the id (a str) of an existing, active experiment of the
        tracking server MLflow is connected to."""
        from mlflow.exceptions import MlflowException
        from mlflow.tracking import MlflowClient

        with self.in_context(default_experiment_provider, provider_context):
            experiment_id = default_experiment_provider.get_experiment_id()
        assert isinstance(experiment_id, str) and experiment_id, (
            f"get_experiment_id() returned {experiment_id!r} ({type(experiment_id).__name__}); MLflow expects a "
            "non-empty str")
        try:
            experiment = MlflowClient().get_experiment(experiment_id)
        except MlflowException as exc:
            pytest.fail(f"get_experiment_id() returned {experiment_id!r}, which the tracking server does not know: "
                        f"{exc.message}", pytrace=False)
        assert experiment.lifecycle_stage == "active", (
            f"experiment {experiment_id} is {experiment.lifecycle_stage}: runs cannot be created in it")

    @clause("default_experiment_provider/end-to-end/start-run")
    def test_end_to_end_start_run(self, default_experiment_provider, provider_context, monkeypatch):
        """With no experiment set, ``mlflow.start_run()`` creates the run in the provider's experiment."""
        import mlflow
        import mlflow.tracking.fluent as fluent

        for name in ("MLFLOW_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_NAME"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setattr(fluent, "_active_experiment_id", None)
        with self.in_context(default_experiment_provider, provider_context), \
                registered(self.group, default_experiment_provider):
            expected = default_experiment_provider.get_experiment_id()
            with mlflow.start_run() as run:
                got = run.info.experiment_id
        assert got == expected, (f"mlflow.start_run() used experiment {got!r}, not the provider's {expected!r} "
                                 "(another provider in context answered first, or the id was not usable)")
