"""What the four provider kinds share (run context, request header, request auth, default experiment).

MLflow constructs each provider with no arguments while ``import mlflow`` runs (its list registries load the
entry points at import time) and then calls it on every new run (``resolve_tags``), every REST request
(``resolve_request_headers``, ``fetch_auth``) or every run started without an experiment (``get_experiment_id``).
MLflow swallows what a provider raises there with only a logged warning, and swallows ``ImportError`` /
``AttributeError`` at registration with only a ``UserWarning``: a broken provider silently does nothing. These
contracts make the silence loud.

Here: MLflow's list registries, the base every provider contract builds on (fixtures: the provider's context, the
global-state guard), the clause families every provider kind has (``construct``, ``registration``) and those of
the providers MLflow asks ``in_context()`` first (``in-context``, ``state``, ``speed``), the real
``mlflow server`` with a recording proxy the end-to-end clauses send MLflow's requests through, and the two
classes a provider kind's contract class builds on (:class:`ProviderContract`, :class:`ContextualProviderContract`).
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.metadata
import statistics
import sys
import time
from typing import ClassVar

import pytest

from ...outcomes import not_run
from .._support import entry_point_loads, qualified_name
from ..base import ContractBase, clause
from .global_state import global_state, restore_global_state, state_changes
from .import_order import ImportOrderClauses

#: group -> (module, attribute) of MLflow's list registry that holds the instances MLflow built at import time.
REGISTRIES = {
    "mlflow.run_context_provider": ("mlflow.tracking.context.registry", "_run_context_provider_registry"),
    "mlflow.request_header_provider": ("mlflow.tracking.request_header.registry",
                                       "_request_header_provider_registry"),
    "mlflow.request_auth_provider": ("mlflow.tracking.request_auth.registry", "_request_auth_provider_registry"),
    "mlflow.default_experiment_provider": ("mlflow.tracking.default_experiment.registry",
                                           "_default_experiment_provider_registry"),
}


def registry_of(group: str):
    """MLflow's list registry for ``group`` (imports MLflow)."""
    module, attr = REGISTRIES[group]
    return getattr(importlib.import_module(module), attr)


@contextlib.contextmanager
def registered(group: str, instance):
    """For the body, MLflow's registry of ``group`` holds MLflow's own providers and ``instance``, nothing else.

    The bundled suite checks the very instance MLflow built at import time; a base-class user's fixture may build
    its own, which is then resolved by MLflow exactly like the registered ones. The providers of other installed
    plugins are set aside meanwhile (and put back after): MLflow merges what every provider gives, so another
    plugin's broken provider would otherwise fail this one's end-to-end clauses.
    """
    registry = registry_of(group)
    items = registry._registry
    kept = list(items)
    items[:] = [item for item in kept if type(item).__module__.split(".")[0] == "mlflow" and item is not instance]
    items.append(instance)
    try:
        yield
    finally:
        items[:] = kept


def entry_points_naming(group: str, cls: type) -> list[importlib.metadata.EntryPoint]:
    """The installed entry points of ``group`` that name ``cls``: ``module:Class``, or a re-export of it from its
    package (``my_plugin:Provider``)."""
    return [ep for ep in importlib.metadata.entry_points(group=group) if entry_point_loads(ep, [cls])]


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


def string_mapping(value, what: str) -> dict[str, str]:
    """``value`` must be a dict of str -> str (tags, headers); the assertion names every item that is not."""
    assert isinstance(value, dict), f"{what} returned {type(value).__name__} {value!r}, not a dict"
    bad = {k: v for k, v in value.items() if not isinstance(k, str) or not isinstance(v, str)}
    assert not bad, f"{what} must map str to str; these items are not: " + ", ".join(
        f"{k!r}: {v!r} ({type(k).__name__} -> {type(v).__name__})" for k, v in bad.items())
    return value


def is_string_mapping(value) -> bool:
    """Whether ``value`` is a dict of str -> str (what MLflow merges into tags and headers)."""
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


# -- the base of every provider contract ------------------------------------------------------------------------


class ProviderContractBase(ContractBase):
    """What every provider kind shares: the subject, its context, and a guard of the process's global state."""

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


class ContextualProviderContractBase(ProviderContractBase):
    """Providers MLflow asks ``in_context()`` before they act: run context, request header, default experiment."""

    #: Median seconds ``in_context()`` plus the kind's action may take: MLflow calls them synchronously.
    time_budget: ClassVar[float] = 0.25

    def act(self, provider):
        """The kind's action, called only in context (``tags()``, ``request_headers()``, ...)."""
        raise NotImplementedError


# -- clause families every provider kind has --------------------------------------------------------------------


class ConstructClauses:
    """Family ``construct``: how MLflow constructs the provider."""

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


class RegistrationClauses:
    """Family ``registration``: MLflow's registry holds the provider after ``import mlflow``."""

    @clause("{kind}/registration/entry-point")
    def test_registration_entry_point(self, request):
        """An installed entry point of the kind's group names the provider class, and MLflow's registry holds an
        instance of it after ``import mlflow``."""
        provider = self.provider(request)
        if not entry_points_naming(self.group, type(provider)):
            pytest.fail(f"no installed entry point in group {self.group!r} names {qualified_name(type(provider))}: "
                        "MLflow never loads this provider. Declare it in pyproject.toml "
                        f"([project.entry-points.\"{self.group}\"]) and reinstall the distribution.", pytrace=False)
        held = [item for item in registry_of(self.group) if type(item) is type(provider)]
        assert held, (f"MLflow's registry for {self.group} holds no {type(provider).__name__}: MLflow dropped it at "
                      "`import mlflow` (it warns once, then the provider silently does nothing)")


# -- clause families of the providers asked in_context() first --------------------------------------------------


class InContextClauses:
    """Family ``in-context``: the question MLflow asks before every use."""

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


class StateClauses:
    """Family ``state``: asking the provider leaves the process's global state alone."""

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


class SpeedClauses:
    """Family ``speed``: MLflow calls the provider synchronously on the user's path."""

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


# -- a real tracking server for the end-to-end clauses ----------------------------------------------------------


class MlflowServerFixtures:
    """The real ``mlflow server`` (one per process) and a recording proxy in front of it, for end-to-end clauses."""

    @pytest.fixture
    def mlflow_server(self):
        from ...services import ServiceStartError, shared_mlflow_server

        try:
            return shared_mlflow_server()
        except ServiceStartError as exc:
            pytest.fail(f"the suite could not start `mlflow server` on 127.0.0.1:\n{exc}", pytrace=False)

    @pytest.fixture
    def recording_proxy(self, mlflow_server):
        from ...services import recording_proxy

        with recording_proxy(mlflow_server.url) as proxy:
            yield proxy


# -- the shared part of every provider kind's contract class --------------------------------------------------


class ProviderContract(ConstructClauses, RegistrationClauses, ImportOrderClauses, MlflowServerFixtures,
                       ProviderContractBase):
    """A provider kind's contract: the ``construct``, ``registration`` and ``import-order`` families and the real
    ``mlflow server``; the kind's own families come first in its contract class."""


class ContextualProviderContract(ConstructClauses, RegistrationClauses, ImportOrderClauses, InContextClauses,
                                 StateClauses, SpeedClauses, MlflowServerFixtures, ContextualProviderContractBase):
    """The contract of a provider kind MLflow asks ``in_context()`` first: the families of
    :class:`ProviderContract` and ``in-context``, ``state`` and ``speed``; the kind's own families come first."""
