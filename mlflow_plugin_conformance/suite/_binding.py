"""Bind each kind's contract class (from the catalogue) to the targets selected on the command line.

The bundled suite is one module, ``test_contracts.py``, whose classes are made here: for every kind in
``kinds.KINDS`` that has a selected target, a subclass of the kind's contract named ``kind.class_name``
(``TestTrackingStore``) whose ``kind.fixture`` is the target built through MLflow's registry. The plugin
parametrizes ``mlflow_target`` (class scope) with the targets of the kind, so each target is one class instance.
Nothing per kind is written by hand: a new catalogue entry is bound like every other.

Each route a kind is checked through (``--mlflow-conformance-via``, see ``routes.py``) is its own class and so its
own target: ``TestTrackingStore`` calls the plugin's object in process, ``TestTrackingStoreServer`` (``mlflow_route
= "server"``) gets MLflow's REST client talking to an ``mlflow server`` backed by the plugin.
"""

from __future__ import annotations

import pytest

from ..contracts.base import BuildFailure
from ..kinds import KINDS, PluginKind
from ..routes import IN_PROCESS, class_suffix, kind_routes

#: Keys of the kinds with at least one selected target; set by the plugin at ``pytest_configure`` (in every
#: xdist worker too) before the suite module is collected.
selected_kind_keys: set[str] = set()
#: ``--mlflow-conformance-via``: which routes the served kinds are checked through; set with the keys above.
selected_via: str = "in-process"


def bind_to_targets(kind: PluginKind, module: str, route: str = IN_PROCESS) -> type:
    """A test class that runs ``kind``'s contract once per selected target of that kind, through ``route``."""
    contract = kind.contract_class()

    def built_instance(self, mlflow_built_target):
        if isinstance(mlflow_built_target, BuildFailure):
            return mlflow_built_target
        return mlflow_built_target.instance

    def bound_target(self, mlflow_target):
        """Puts ``mlflow_target`` in every clause's fixture closure, so every clause is parametrized."""
        return mlflow_target

    def built_uri(self, mlflow_built_target):
        """The URI the target was built from (None when the build failed)."""
        return getattr(mlflow_built_target, "uri", None)

    def built_context(self, mlflow_built_target, mlflow_target):
        """What the build knows beside the instance (e.g. the tracking URI given to a registry store), and the
        entry point itself under ``"target"``."""
        return {**(getattr(mlflow_built_target, "context", None) or {}), "target": mlflow_target}

    def built_server(self, mlflow_target_context):
        """The ``mlflow server`` the class talks to (server route; None in process)."""
        return mlflow_target_context.get("server")

    built_instance.__name__ = kind.fixture
    namespace = {
        "__module__": module,
        "__doc__": f"{contract.__name__}, run against each selected {kind.key} target"
                   + ("." if route == IN_PROCESS else f", through {route}."),
        "mlflow_bound_kind": kind.key,
        "mlflow_route": route,
        "mlflow_conformance_server": pytest.fixture(name="mlflow_conformance_server")(built_server),
        kind.fixture: pytest.fixture(name=kind.fixture)(built_instance),
        "_mlflow_bound_target": pytest.fixture(autouse=True)(bound_target),
        "mlflow_target_context": pytest.fixture(name="mlflow_target_context")(built_context),
    }
    uri_fixture = getattr(contract, "uri_fixture", None)
    if uri_fixture:  # a contract that needs the target's URI (e.g. end-to-end through MLflow's public API)
        built_uri.__name__ = uri_fixture
        namespace[uri_fixture] = pytest.fixture(name=uri_fixture)(built_uri)
    return type(kind.class_name + class_suffix(route), (contract,), namespace)


def bound_classes(module: str) -> dict[str, type]:
    """``{class name: bound class}`` for every catalogue kind with a selected target, one per route."""
    classes = {}
    for kind in KINDS:
        if kind.key in selected_kind_keys:
            for route in kind_routes(kind, selected_via):
                bound = bind_to_targets(kind, module, route)
                classes[bound.__name__] = bound
    return classes
