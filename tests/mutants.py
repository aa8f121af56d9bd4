"""The mutation harness: every deliberately broken plugin under ``tests/broken/``, declared as data, and the run that
shows each is caught by the clause written for its bug while the correct control passes that clause.

A module ``tests/broken/<name>.py`` holds broken plugins and declares them at its end: ``MUTANTS``, one
:class:`Mutant` per broken plugin (its kind, the clause that must fail on it, what it is), and ``CONTROLS``, a
:class:`Control` per correct implementation a clause needs besides the kind's control (where MLflow's own does
not offer the method or has a defect there); a module that imports base classes of a newer MLflow says so with
``NEEDS_MLFLOW = "x.y"``.  Adding a mutant is the
broken class and its row.  Every core clause is the ``caught_by`` (or ``also_caught_by``) of a mutant, or is in
:data:`UNMUTATED` with the reason why not.

How a contract gets a target from a mutant is the same for every mutant of a kind, so it is said once per kind
(and per ``via``, for the few mutants that need another way in) in :data:`BINDINGS`.  The mutants run in batches,
one ``pytest`` subprocess per batch (MLflow's global state stays out of this process; imports and servers are
paid once per batch): a generated module holds a test class per mutant, selecting only the clauses expected to
fail on it, and a class per control, selecting the union of those clauses.  Outcomes are read from the suite's
own JSON report.

``tests/test_mutation.py`` runs every batch and checks the tables; ``benchmarks/mutation_score.py`` prints the
score per kind.
"""

from __future__ import annotations

import ast
import fnmatch
import importlib
import json
import os
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from mlflow_plugin_conformance.contracts.base import declared_clauses
from mlflow_plugin_conformance.kinds import KINDS, KINDS_BY_KEY

BROKEN_DIR = Path(__file__).parent / "broken"
if str(BROKEN_DIR) not in sys.path:
    sys.path.insert(0, str(BROKEN_DIR))

from _mutant import Control, Mutant  # noqa: E402  (declared next to the broken plugins, which import them)

# Outcomes of the suite's report (see mlflow_plugin_conformance.outcomes).
FAILED, PASSED, NOT_APPLICABLE, KNOWN_FAILURE = "failed", "passed", "not-applicable", "known-failure"
UNSUPPORTED, BLOCKED = "unsupported", "blocked"
#: What the kind's control may answer on a clause it must pass: a clause MLflow's implementation predates is not
#: applicable, a defect of MLflow's own is a declared (strict) known failure.
CONTROL_OUTCOMES = (PASSED, NOT_APPLICABLE, KNOWN_FAILURE)


@dataclass(frozen=True)
class Reference:
    """A further correct implementation run on every clause of the kind (not only the mutated ones).

    ``target`` is the ``{target}`` expression; ``body`` is source added to its test class (indented like a class
    body); ``allowed`` are the outcomes it may have per clause.
    """

    name: str
    target: str
    body: str = ""
    allowed: tuple[str, ...] = (PASSED, NOT_APPLICABLE)


@dataclass(frozen=True)
class Binding:
    """How a kind's contract gets its target from a mutant or from the correct control.

    ``fixtures`` is the body of the generated test class (the kind's fixture and whatever else it needs), where
    ``{target}`` stands for an expression giving what the plugin provides: for a mutant, ``target`` with
    ``{build}`` (the build's dotted path), ``{spec}`` (``module:attr``) and ``{name}`` (the mutant's name)
    filled in; for the control, ``control``.  Each generated class has ``mutation_role``, ``"mutant"`` or
    ``"control"``, for fixtures that treat them apart.  ``imports`` is module-level source the fixtures need.
    With ``entry_points`` (a group), every mutant of the binding is installed as ``NAME = module:attr`` in that
    group of a distribution on ``PYTHONPATH``, so MLflow finds it the way it finds an installed plugin.
    ``control_body`` is source added to the control's class only.  ``control_runs_every_clause``: the control is
    the kind's reference and runs every clause, not only the mutated ones.  ``batch`` names the subprocess the
    mutants run in (kinds that run fast share one); ``profile`` is the suite's Hypothesis profile there, and
    ``machine_profile`` (and ``machine_examples``, when set) the one of the batch of mutants a differential state
    machine must catch (derandomised and without shrinking in any case).
    """

    fixtures: str
    control: str
    imports: str = ""
    control_body: str = ""
    target: str = "{build}"
    entry_points: str | None = None
    control_runs_every_clause: bool = False
    references: tuple[Reference, ...] = ()
    batch: str = ""
    profile: str = "quick"
    machine_profile: str = "quick"
    machine_examples: int | None = None


# -- the bindings, per kind (and via) ----------------------------------------------------------------------------

_TRACKING = Binding(
    imports="import shutil\n"
            "import mlflow\n"
            "from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore\n"
            "from mlflow_plugin_conformance import Capabilities\n"
            "from mlflow_plugin_conformance.findings import known_failures\n"
            "from mlflow_plugin_conformance.reference import sqlite_template\n",
    fixtures='''
    @pytest.fixture(scope="class")
    @classmethod
    def _store(cls, tmp_path_factory):
        """The mutants share one database (the clauses isolate themselves with unique names), so a mutant costs its
        clause, not a store build; the control has its own.  A store with a SCHEME is registered in MLflow's
        registry under it and built from its URI, as its entry point would be (the end-to-end clauses reach it
        through MLflow)."""
        from mlflow.tracking._tracking_service.utils import _tracking_store_registry

        shared = cls.mutation_role == "mutant"
        directory = tmp_path_factory.getbasetemp() / "mutants" if shared else tmp_path_factory.mktemp(cls.__name__)
        if not (directory / "db.sqlite").exists():
            directory.mkdir(exist_ok=True)
            shutil.copyfile(sqlite_template(), directory / "db.sqlite")
        artifacts = (directory / "artifacts" / cls.__name__).as_uri()
        scheme = getattr({target}, "SCHEME", None)
        if scheme is not None:
            _tracking_store_registry.register(scheme, {target})
            return {target}(f"{scheme}://{directory.as_posix()}", artifacts)
        return {target}("sqlite:///" + (directory / "db.sqlite").as_posix(), artifacts)

    @pytest.fixture
    def tracking_store(self, _store):
        return _store

    @pytest.fixture
    def tracking_uri(self, _store):
        """The store's own scheme URI, or (for MLflow's store) its database URI."""
        return getattr(_store, "plugin_uri", None) or _store.db_uri
''',
    control="SqlAlchemyStore", batch="tracking_store", machine_profile="ci", machine_examples=90,
    # MLflow's store has defects of its own on some clauses (findings.py): declared as known failures for it
    control_body='''
    @pytest.fixture
    def mlflow_conformance_capabilities(self):
        return Capabilities(known_failures=known_failures(SqlAlchemyStore, mlflow.__version__, backend="sqlite"))
''')

_REGISTRY = Binding(
    imports='''from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore as RegistrySqlStore
from mlflow_plugin_conformance.reference import fresh_registry_sqlite_uri


def registry_uri_for(cls, db_uri, ident):
    """A scheme registered in MLflow's registry that builds ``cls`` on ``db_uri``, as an entry point would."""
    from mlflow.tracking._model_registry.utils import _get_store_registry

    def build(store_uri, tracking_uri=None):
        return cls(db_uri)

    scheme = "mutation-" + ident.lower().replace("_", "-")  # a URI scheme has no '_'
    _get_store_registry().register(scheme, build)
    return f"{scheme}://{db_uri.rsplit('/', 1)[-1]}"  # one URI per database: MLflow caches a store per URI
''',
    fixtures='''
    @pytest.fixture
    def _db_uri(self, tmp_path):
        return fresh_registry_sqlite_uri(tmp_path)

    @pytest.fixture
    def model_registry_store(self, _db_uri):
        return {target}(_db_uri)

    @pytest.fixture
    def registry_uri(self, _db_uri, request):
        """MLflow's registry builds the same class on the same database from this URI."""
        return registry_uri_for({target}, _db_uri, request.cls.__name__)
''',
    control="RegistrySqlStore", batch="model_registry_store")

_ARTIFACT_LOCAL = Binding(
    imports="import artifact_repos\n",
    fixtures='''
    @pytest.fixture
    def artifact_repository(self, tmp_path):
        return {target}((tmp_path / "root").as_uri())
''',
    control="artifact_repos.SafeLocalRepository", batch="artifact_repository")

# on moto, against MLflow's S3ArtifactRepository as the control
_ARTIFACT_S3 = Binding(
    imports="import uuid\n"
            "from mlflow.store.artifact.s3_artifact_repo import S3ArtifactRepository\n"
            "from mlflow_plugin_conformance.services import moto_s3\n",
    fixtures='''
    @pytest.fixture
    def artifact_repository(self, moto_s3):
        return {target}(moto_s3.uri(uuid.uuid4().hex))
''',
    control="S3ArtifactRepository", batch="artifact_repository")

# built by MLflow from a URI: the class is registered under its own scheme for the test
_ARTIFACT_SCHEME = Binding(
    imports="import uuid\n"
            "import artifact_repos\n"
            "from mlflow.store.artifact.artifact_repository_registry import _artifact_repository_registry\n",
    fixtures='''
    @pytest.fixture
    def artifact_repository(self, tmp_path):
        scheme = "mutation-" + uuid.uuid4().hex[:8]
        _artifact_repository_registry.register(scheme, {target})
        yield {target}(scheme + "://" + (tmp_path / "root").as_posix())
        _artifact_repository_registry._registry.pop(scheme, None)
''',
    control="artifact_repos.SchemeRepository", batch="artifact_repository")


_EXAMPLE_PROVIDER_CONTEXT = '''
    @pytest.fixture
    def provider_context(self, monkeypatch):
        return example_in_context(monkeypatch)
'''


def _provider(fixture: str, example: str, builtin: str | None = None, builtin_body: str = "") -> Binding:
    """A provider kind: the fixture is an instance (zero-argument construction, as MLflow's registry does it).
    The control is the example plugin's provider, in context, on every clause; MLflow's built-in provider of
    the kind is a further reference, apart from the clauses declared as known failures for a built-in."""
    references = ()
    if builtin:
        references = (Reference("builtin", builtin, body=builtin_body + '''
    @pytest.fixture
    def mlflow_conformance_capabilities(self):
        return BUILTIN
''', allowed=(PASSED, NOT_APPLICABLE, KNOWN_FAILURE)),)
    return Binding(
        imports='''import contextlib
import mlflow.tracking.context.default_context
import mlflow.tracking.request_header.default_request_header_provider
import mlflow_file_plugin.providers
from mlflow_plugin_conformance.capabilities import Capabilities

BUILTIN = Capabilities(known_failures={
    "*/registration/entry-point": "built-in: MLflow registers it itself, not through an entry point",
})


def example_in_context(monkeypatch):
    @contextlib.contextmanager
    def activate():
        with monkeypatch.context() as patch:
            patch.setenv("MLFLOW_FILE_PLUGIN_CONTEXT", "conformance")
            yield
    return activate
''',
        fixtures=f'''
    @pytest.fixture
    def {fixture}(self):
        return {{target}}()
''',
        control=f"mlflow_file_plugin.providers.{example}", control_body=_EXAMPLE_PROVIDER_CONTEXT,
        control_runs_every_clause=True, references=references,
        batch="providers")


_SMALL_KINDS = "small_kinds"  # kinds whose mutants run in seconds share one subprocess

BINDINGS: dict[tuple[str, str], Binding] = {
    ("tracking_store", ""): _TRACKING,
    ("model_registry_store", ""): _REGISTRY,
    ("artifact_repository", ""): _ARTIFACT_LOCAL,
    ("artifact_repository", "s3"): _ARTIFACT_S3,
    ("artifact_repository", "scheme"): _ARTIFACT_SCHEME,
    ("run_context_provider", ""): _provider(
        "run_context_provider", "PluginRunContextProvider",
        builtin="mlflow.tracking.context.default_context.DefaultRunContext",
        builtin_body='''
    documented_reserved_tags = frozenset({"mlflow.user", "mlflow.source.name", "mlflow.source.type"})
'''),
    ("request_header_provider", ""): _provider(
        "request_header_provider", "PluginRequestHeaderProvider",
        builtin="mlflow.tracking.request_header.default_request_header_provider.DefaultRequestHeaderProvider"),
    ("request_auth_provider", ""): _provider("request_auth_provider", "PluginRequestAuthProvider"),
    ("default_experiment_provider", ""): _provider("default_experiment_provider", "PluginDefaultExperimentProvider"),
    ("app", ""): Binding(
        imports='''from mlflow_plugin_conformance.build import AppClientTarget
from mlflow_plugin_conformance.contracts.app import app_target
from mlflow_plugin_conformance.contracts.app_client import app_client_target


@pytest.fixture
def mlflow_app_client_exercise():
    return lambda client: client.get_info()
''',
        fixtures='''
    @pytest.fixture
    def app(self):
        return {target}
''',
        target='app_target("{name}")', entry_points="mlflow.app", control='app_target("file-plugin")',
        control_runs_every_clause=True, batch="apps"),
    ("app_client", ""): Binding(
        imports="",
        fixtures='''
    @pytest.fixture
    def app_client(self):
        return {target}
''',
        target='app_client_target("{name}")', entry_points="mlflow.app.client",
        control='app_client_target("file-plugin")', control_runs_every_clause=True, batch="apps"),
    # a client that needs the example plugin's app (it calls the app's own route): built directly under its name
    ("app_client", "as-file-plugin"): Binding(
        fixtures='''
    @pytest.fixture
    def app_client(self):
        return {target}
''',
        target='AppClientTarget("file-plugin", "{spec}", {build})',
        control='app_client_target("file-plugin")', batch="apps"),
    ("project_backend", ""): Binding(
        imports="from mlflow.projects.backend.local import LocalBackend\n",
        fixtures='''
    @pytest.fixture
    def project_backend(self):
        return {target}()
''',
        control="LocalBackend", batch=_SMALL_KINDS),
    ("deployments", ""): Binding(
        imports="import kinds_deployments\n",
        fixtures='''
    @pytest.fixture
    def deployment_client(self, tmp_path):
        return {target}(f"file-plugin://{tmp_path}/deployments")

    @pytest.fixture
    def deployment_target_module(self, deployment_client):
        return kinds_deployments.module_with({target})
''',
        control="kinds_deployments.FilePluginDeploymentClient", batch=_SMALL_KINDS),
    # a broken target module around the example plugin's client: the build is a factory of the module
    ("deployments", "module"): Binding(
        fixtures='''
    @pytest.fixture
    def deployment_client(self, tmp_path):
        return kinds_deployments.FilePluginDeploymentClient(f"file-plugin://{tmp_path}/deployments")

    @pytest.fixture
    def deployment_target_module(self, deployment_client):
        return {target}()
''',
        control="kinds_deployments.example_module", batch=_SMALL_KINDS),
    ("model_evaluator", ""): Binding(
        imports="import kinds_evaluators\n",
        fixtures='''
    @pytest.fixture
    def model_evaluator(self):
        return {target}()
''',
        control="kinds_evaluators.FilePluginEvaluator", batch=_SMALL_KINDS),
    ("dataset_source", ""): Binding(
        imports="import kinds_datasets\n",
        fixtures='''
    @pytest.fixture
    def dataset_source(self):
        from mlflow.data.dataset_source_registry import _dataset_source_registry
        _dataset_source_registry.register({target})
        yield {target}
        _dataset_source_registry.sources.remove({target})
''',
        control="kinds_datasets.FilePluginDatasetSource", batch=_SMALL_KINDS),
    ("dataset_constructor", ""): Binding(
        imports="import kinds_datasets\n",
        fixtures='''
    @pytest.fixture
    def dataset_constructor(self):
        return {target}
''',
        control="kinds_datasets.from_file_plugin", batch=_SMALL_KINDS),
    ("workspace_provider", ""): Binding(
        imports="from mlflow.store.workspace.sqlalchemy_store import SqlAlchemyStore as WorkspaceSqlStore\n"
                "from mlflow_plugin_conformance.reference import fresh_sqlite_uri\n",
        fixtures='''
    @pytest.fixture(scope="class")
    @classmethod
    def workspace_provider(cls, tmp_path_factory):
        return {target}(fresh_sqlite_uri(tmp_path_factory.mktemp("ws"), "mlflow"))
''',
        control="WorkspaceSqlStore", batch=_SMALL_KINDS),
    ("scorer_store", ""): Binding(
        imports="from mlflow_plugin_conformance.reference import fresh_sqlite_uri\n",
        fixtures='''
    @pytest.fixture(scope="class")
    @classmethod
    def scorer_store(cls, tmp_path_factory):
        return {target}(tracking_uri=fresh_sqlite_uri(tmp_path_factory.mktemp("scorers"), "mlflow"))
''',
        control="kinds_newer.MlflowTrackingStore", batch=_SMALL_KINDS),
    ("labeling_store", ""): Binding(
        fixtures='''
    @pytest.fixture
    def labeling_store(self):
        return {target}()
''',
        control="kinds_newer.InMemoryLabelingStore", batch=_SMALL_KINDS),
    ("job_executor", ""): Binding(
        fixtures='''
    @pytest.fixture
    def job_executor(self):
        from mlflow.server.jobs.executor import JobExecutorConfig
        executor = {target}(JobExecutorConfig())
        yield executor
        executor.stop_executor()
''',
        control="kinds_newer.LocalJobExecutor", batch=_SMALL_KINDS),
    ("gateway_provider", ""): Binding(
        fixtures='''
    @pytest.fixture
    def gateway_provider(self):
        return {target}()

    @pytest.fixture
    def gateway_provider_name(self):
        return "openai"

    @pytest.fixture
    def gateway_provider_config(self):
        return {"openai_api_key": "sk-conformance-not-a-key"}
''',
        control="kinds_newer.openai_provider", batch=_SMALL_KINDS),
}


def binding_of(mutant: Mutant) -> Binding:
    try:
        return BINDINGS[(mutant.kind, mutant.via)]
    except KeyError:
        raise LookupError(f"mutant {mutant.name}: no binding for kind {mutant.kind!r} via {mutant.via!r} "
                          f"(known: {sorted(BINDINGS)})") from None


#: Mutants checked by a differential state machine run apart from their kind's others: the machine (on the mutant
#: and on the control) takes as long as every other clause together, a batch of its own runs on another xdist
#: worker, and it may need a larger Hypothesis profile than the kind's other clauses (``Binding.machine_profile``).
MACHINE_FAMILY = "/differential/"


def batch_of(mutant: Mutant) -> str:
    batch = binding_of(mutant).batch or mutant.kind
    return batch + "-machine" if any(MACHINE_FAMILY in c for c in mutant.clauses) else batch


# -- core clauses without a mutant, and why -----------------------------------------------------------------------

#: Core clauses no mutant targets, with the reason (a key may be a glob over clause ids).  A test checks that
#: every core clause has a mutant or an entry here, and that no entry here is stale.
UNMUTATED: dict[str, str] = {
    "*/build/instance": (
        "one method every kind shares (ContractBase.test_build_instance); in a test class the fixture builds the "
        "target, so a broken build errors every clause, and the clause itself fails only in the bundled suite, "
        "where a failed build becomes a BuildFailure: tests/test_harness_build_failures.py installs plugins whose "
        "import fails or whose constructor raises and checks this clause fails and the others are not run"),
    "*/import-order/plugin-first": (
        "runs the plugin's installed distribution in a fresh interpreter per import order, so its mutant is an "
        "installed distribution whose module subclasses MLflow at import time: tests/test_import_order_probe.py "
        "(tracking store, artifact repository: tests/broken/import_order_new.py), tests/test_kinds_import_order.py "
        "(dataset source) and tests/test_providers_import_order.py (run context provider) install such plugins and "
        "check this clause fails while import-order/mlflow-first passes; every kind runs that same probe "
        "(contracts/shared/import_order.py)"),
    "*/import-order/mlflow-first": (
        "fails only for a plugin MLflow cannot register after a plain `import mlflow`, which fails the plugin-first "
        "clause too and, in the bundled suite, the build clause first: no bug is caught by this clause alone (the "
        "import-order tests above check it passes where plugin-first fails)"),
    "*/build/name-unique": (
        "checks the installed distributions, not the class (a test class has no entry point: not-applicable); "
        "tests/test_harness_build_failures.py installs two distributions registering one name and checks it "
        "fails for both"),
    "*/side-effects/working-directory": (
        "one method every kind shares (ContractBase), comparing the process before a class's first clause with "
        "after its last; tests/test_harness_base_classes.py runs a plugin that leaks into the working directory, "
        "the environment and MLflow's global state through a contract of its own and checks these fail (and pass "
        "on a clean plugin); a mutant here would leak into the batch's other classes"),
    "*/side-effects/environment": "see */side-effects/working-directory",
    "*/side-effects/mlflow-global-state": "see */side-effects/working-directory",
    "*/side-effects/home-directory": (
        "a mutant would write into the real home directory of whoever runs the tests; the check is the function "
        "the working-directory clause uses (_assert_no_new_entries), which tests/test_harness_base_classes.py "
        "shows failing on a leaky plugin"),
    "*/server/workers-consistent": (
        "runs only behind a real `mlflow server` backed by the plugin (routes=('server',)), not in a test class: "
        "its mutants (state kept in one worker process, values MLflow cannot serialise) are the distribution of "
        "tests/broken/server_route.py, which tests/test_server_route.py installs and runs through the bundled "
        "suite with --mlflow-conformance-via=server"),
    "*/server/error-codes": (
        "runs only behind a real `mlflow server` backed by the plugin (routes=('server',)): its mutant (an "
        "exception the server cannot turn into its error code) is in tests/broken/server_route.py, run by "
        "tests/test_server_route.py through the bundled suite"),
    "*/server/large-payloads": (
        "runs only behind a real `mlflow server` backed by the plugin (routes=('server',)); no mutant yet: it "
        "would join the server-route distribution of tests/broken/server_route.py (run by "
        "tests/test_server_route.py), not this harness"),
    "*/server/ui-read-paths": (
        "runs only behind a real `mlflow server` backed by the plugin (routes=('server',)); no mutant yet: it "
        "would join the server-route distribution of tests/broken/server_route.py (run by "
        "tests/test_server_route.py), not this harness"),
    "tracking_store/runs/unique-ids": (
        "SqlAlchemyStore makes run ids inside create_run (uuid4 hex); a store with ids of its own would rewrite "
        "create_run and every lookup by id, not one method"),
    "model_registry_store/concurrency/racing-versions": (
        "SqlAlchemyStore numbers versions inside one transaction; a store that loses the race needs a numbering of "
        "its own, and whether it loses depends on thread timing, so the catch would not be reproducible"),
    "default_experiment_provider/speed/budget": (
        "a speed budget: the budget is 2 s a call and the clause takes the median of 7, so a slow mutant costs "
        "about 15 s; the check is one method every provider kind shares (test_speed_budget), mutated for "
        "run_context_provider and request_header_provider"),
}


# -- the tables --------------------------------------------------------------------------------------------------


@dataclass
class Tables:
    """Every mutant declared under ``tests/broken``, the modules declaring them, and the modules left out because
    the installed MLflow predates what they import (``{module: why}``)."""

    mutants: list[Mutant] = field(default_factory=list)
    controls: list[Control] = field(default_factory=list)
    modules: dict[str, Any] = field(default_factory=dict)
    left_out: dict[str, str] = field(default_factory=dict)


def _needs_mlflow(path: Path) -> str | None:
    """A module's ``NEEDS_MLFLOW = "x.y"`` (read without importing it: on an older MLflow the import fails)."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["NEEDS_MLFLOW"]
                and isinstance(node.value, ast.Constant)):
            return node.value.value
    return None


@cache
def tables() -> Tables:
    """Import every ``tests/broken/*.py`` module (as a top-level module, the name the subprocess runs use) and
    collect its ``MUTANTS`` and ``CONTROLS``; a module whose ``NEEDS_MLFLOW`` is newer than the installed MLflow is left out."""
    found = Tables()
    for path in sorted(BROKEN_DIR.glob("*.py")):
        if path.name.startswith("_"):
            continue
        needs = _needs_mlflow(path)
        if _predates(needs):
            found.left_out[path.stem] = f"needs MLflow {needs}, installed {installed_mlflow()}"
            continue
        module = importlib.import_module(path.stem)
        found.modules[path.stem] = module
        found.mutants += getattr(module, "MUTANTS", [])
        found.controls += getattr(module, "CONTROLS", [])
    return found


def mutants(kind: str | None = None, batch: str | None = None) -> list[Mutant]:
    return [m for m in tables().mutants
            if (kind is None or m.kind == kind) and (batch is None or batch_of(m) == batch)]


#: Batches in the order pytest-xdist should start them: the longest first (seconds measured on an idle 2-core
#: machine in the comment), so that no worker is left with a long batch at the end.  Others follow, largest first.
BATCH_ORDER = (
    "tracking_store-machine",  # 3 mutants and the control through the differential state machine
    "tracking_store",
    "apps",  # real servers
    "small_kinds",
    "model_registry_store",
    "providers",
    "artifact_repository",
    "model_registry_store-machine",
)


def batches() -> list[str]:
    """The batch names, in :data:`BATCH_ORDER` then largest first."""
    sizes: dict[str, int] = {}
    for mutant in tables().mutants:
        sizes[batch_of(mutant)] = sizes.get(batch_of(mutant), 0) + 1
    known = [b for b in BATCH_ORDER if b in sizes]
    return known + sorted(set(sizes) - set(known), key=lambda b: (-sizes[b], b))


# -- the clauses of a kind ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseInfo:
    id: str
    method: str
    level: str
    feature: str | None
    since: str | None

    @property
    def core(self) -> bool:
        return self.level == "core" and not self.feature


@cache
def contract_of(kind: str) -> type:
    """The kind's contract class, loaded through the catalogue."""
    return KINDS_BY_KEY[kind].contract_class()


@cache
def clauses_of(kind: str) -> dict[str, ClauseInfo]:
    """{clause id: info} of every clause of the kind's contract, read from its test methods' markers."""
    return {clause.id: ClauseInfo(clause.id, method, clause.level, clause.feature, clause.since)
            for method, clause in declared_clauses(contract_of(kind))}


def kinds_with_contract() -> list[str]:
    return [kind.key for kind in KINDS if kind.contract]


# -- running a batch ---------------------------------------------------------------------------------------------


def installed_mlflow() -> str:
    from importlib.metadata import version

    return version("mlflow")


def _predates(since: str | None) -> bool:
    from mlflow_plugin_conformance.capabilities import version_at_least

    return bool(since) and not version_at_least(installed_mlflow(), since)


def _dotted(spec: str) -> str:
    module, _, attr = spec.partition(":")
    return f"{module}.{attr}"


def _target_of(mutant: Mutant, binding: Binding) -> str:
    return (binding.target.replace("{build}", _dotted(mutant.spec)).replace("{spec}", mutant.spec)
            .replace("{name}", mutant.name))


def _class_source(class_name: str, kind: str, binding: Binding, target: str, role: str, extra: str = "") -> str:
    body = (f"mutation_role = {role!r}\n" + textwrap.dedent(binding.fixtures).replace("{target}", target)
            + textwrap.dedent(extra))
    return f"\n\nclass {class_name}(Contract_{kind}):\n" + textwrap.indent(body.strip("\n"), "    ") + "\n"


_HEADER = '''"""Generated by tests/mutants.py: a test class per mutant and per control."""
import pytest
from hypothesis import Phase, settings

from mlflow_plugin_conformance.kinds import KINDS_BY_KEY


def _contract(kind):
    return KINDS_BY_KEY[kind].contract_class()


# A mutant only has to be caught, not minimised: the profile's examples, derandomised (the same every run, so
# the score is reproducible), without the shrink phase (shrinking an expected failure only costs time).
settings.register_profile("mutation-harness", parent=settings.get_profile(settings._current_profile),
                          phases=[Phase.explicit, Phase.reuse, Phase.generate], derandomize=True{examples})
settings.load_profile("mutation-harness")

# Every SQL store built here checks its database against the schema head, which MLflow reads from its migration
# scripts each time (a tenth of a second per store): read it once per process.
import functools  # noqa: E402
import mlflow.store.db.utils  # noqa: E402

if hasattr(mlflow.store.db.utils, "_get_latest_schema_revision"):
    mlflow.store.db.utils._get_latest_schema_revision = functools.cache(
        mlflow.store.db.utils._get_latest_schema_revision)
'''


@dataclass
class Plan:
    """What one batch runs: the generated module, the node ids, and who is expected to do what."""

    batch: str
    source: str
    node_ids: list[str]
    mutants: list[Mutant]
    skipped: dict[str, str]                          # mutant name -> why it does not run here
    controls: dict[str, tuple[str, tuple[str, ...]]]  # control class -> (kind, clauses it must pass)
    references: dict[str, tuple[str, tuple[str, ...]]]  # class -> (kind, allowed outcomes), every clause
    correct: dict[str, tuple[str, tuple[str, ...]]]  # Control rows: class -> (kind, clauses it must pass)
    entry_points: dict[str, list[str]]               # group -> ["name = module:attr"]


MODULE_NAME = "test_mutation_batch"


def plan(batch: str) -> Plan:
    """The generated test module of ``batch`` and what it must show."""
    selected, skipped = [], {}
    for mutant in mutants(batch=batch):
        if _predates(mutant.since):
            skipped[mutant.name] = f"the bug exists from MLflow {mutant.since}; installed {installed_mlflow()}"
        else:
            selected.append(mutant)
    machine = batch.endswith("-machine")
    extra = [c for c in tables().controls
             if not machine and (BINDINGS[(c.kind, c.via)].batch or c.kind) == batch]
    kinds = sorted({m.kind for m in [*selected, *extra]})
    examples = {binding_of(m).machine_examples for m in selected if machine} - {None}
    parts = [_HEADER.replace("{examples}", f", max_examples={max(examples)}" if examples else "")]
    imports = {binding_of(m).imports for m in selected} | {BINDINGS[(c.kind, c.via)].imports for c in extra}
    parts += sorted(i for i in imports if i)
    parts += sorted({f"import {m.spec.partition(':')[0]}" for m in [*selected, *extra]})
    parts += [f"Contract_{kind} = _contract({kind!r})" for kind in kinds]
    node_ids: list[str] = []
    entry_points: dict[str, list[str]] = {}
    mutated: dict[tuple[str, str], list[str]] = {}
    for mutant in selected:
        binding = binding_of(mutant)
        parts.append(_class_source(mutant.class_name, mutant.kind, binding, _target_of(mutant, binding), "mutant"))
        clauses = clauses_of(mutant.kind)
        node_ids += [f"{MODULE_NAME}.py::{mutant.class_name}::{clauses[c].method}"
                     for c in (*mutant.clauses, *mutant.blocks)]
        if binding.entry_points:
            entry_points.setdefault(binding.entry_points, []).append(f"{mutant.name} = {mutant.spec}")
        known = mutated.setdefault((mutant.kind, mutant.via), [])
        known += [c for c in mutant.clauses if c not in known]
    controls, references = {}, {}
    for (kind, via), clause_ids in mutated.items():
        binding = BINDINGS[(kind, via)]
        name = f"TestControl_{kind}" + ("_" + re.sub(r"\W", "_", via) if via else "")
        parts.append(_class_source(name, kind, binding, binding.control, "control", binding.control_body))
        if binding.control_runs_every_clause:
            node_ids.append(f"{MODULE_NAME}.py::{name}")
            controls[name] = (kind, tuple(clauses_of(kind)))
        else:
            node_ids += [f"{MODULE_NAME}.py::{name}::{clauses_of(kind)[c].method}" for c in clause_ids]
            controls[name] = (kind, tuple(clause_ids))
        for reference in binding.references:
            ref_name = f"TestReference_{kind}_{reference.name}"
            parts.append(_class_source(ref_name, kind, binding, reference.target, "control", reference.body))
            node_ids.append(f"{MODULE_NAME}.py::{ref_name}")
            references[ref_name] = (kind, reference.allowed)
    correct = {}
    for control in extra:
        binding = BINDINGS[(control.kind, control.via)]
        parts.append(_class_source(control.class_name, control.kind, binding, _dotted(control.spec), "control"))
        node_ids += [f"{MODULE_NAME}.py::{control.class_name}::{clauses_of(control.kind)[c].method}"
                     for c in control.clauses]
        correct[control.class_name] = (control.kind, control.clauses)
    return Plan(batch, "\n".join(parts) + "\n", list(dict.fromkeys(node_ids)), selected, skipped, controls,
                references, correct, entry_points)


@dataclass
class BatchRun:
    """The outcomes of one batch: {test class: {clause id: (outcome, reason)}} and the run's output."""

    plan: Plan
    outcomes: dict[str, dict[str, tuple[str, str]]]
    output: str
    seconds: float

    def outcome(self, class_name: str, clause_id: str) -> tuple[str, str]:
        """(outcome, reason); a blocked clause's reason is the id of the clause it is blocked by."""
        return self.outcomes.get(class_name, {}).get(clause_id, ("did not run", ""))


def _install(site: Path, entry_points: dict[str, list[str]]) -> None:
    """A distribution ``broken-mlflow-plugins`` on ``site`` declaring ``entry_points``."""
    info = site / "broken_mlflow_plugins-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-mlflow-plugins\nVersion: 0.1\n")
    lines = []
    for group, values in entry_points.items():
        lines += [f"[{group}]", *values, ""]
    (info / "entry_points.txt").write_text("\n".join(lines))


def run_batch(batch: str, workdir: Path, timeout: float = 1200) -> BatchRun:
    """Run ``batch`` in a ``pytest`` subprocess in ``workdir`` (a fresh directory) and read its outcomes."""
    the_plan = plan(batch)
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / f"{MODULE_NAME}.py").write_text(the_plan.source)
    path = [str(workdir), str(BROKEN_DIR)]
    if the_plan.entry_points:
        site = workdir / "site"
        _install(site, the_plan.entry_points)
        path.append(str(site))
    if os.environ.get("PYTHONPATH"):
        path.append(os.environ["PYTHONPATH"])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path), "MLFLOW_DISABLE_TELEMETRY": "true",
           "DO_NOT_TRACK": "true"}
    machine = batch.endswith("-machine")
    profile = {binding_of(m).machine_profile if machine else binding_of(m).profile for m in the_plan.mutants}
    profile |= {BINDINGS[(c.kind, c.via)].profile for c in tables().controls if c.class_name in the_plan.correct}
    report = workdir / "report.json"
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rfE", "-W", "ignore", "-o", "addopts=",
         "--durations=10",
         f"--mlflow-conformance-profile={max(profile or {'quick'}, key=['quick', 'ci'].index)}",
         f"--mlflow-conformance-report={report}", f"--basetemp={workdir / 'tmp'}", *the_plan.node_ids],
        cwd=workdir, env=env, capture_output=True, text=True, timeout=timeout)
    seconds = time.perf_counter() - started
    outcomes: dict[str, dict[str, tuple[str, str]]] = {}
    if report.exists():
        for record in json.loads(report.read_text())["clauses"]:
            owner = record["target"].rpartition("::")[2]
            why = record.get("blocked_by") if record["outcome"] == BLOCKED else record.get("reason", "")
            outcomes.setdefault(owner, {})[record["clause"]] = (record["outcome"], why or "")
    return BatchRun(the_plan, outcomes, result.stdout + result.stderr, seconds)


# -- verdicts ----------------------------------------------------------------------------------------------------


@dataclass
class Verdict:
    """Per mutant: caught, missed (with what happened) or not applicable; per control: the clauses it failed."""

    caught: dict[str, Mutant] = field(default_factory=dict)
    missed: dict[str, str] = field(default_factory=dict)
    not_applicable: dict[str, str] = field(default_factory=dict)
    bad_controls: dict[str, str] = field(default_factory=dict)


def verdict(run: BatchRun) -> Verdict:
    found = Verdict(not_applicable=dict(run.plan.skipped))
    for mutant in run.plan.mutants:
        results = {c: run.outcome(mutant.class_name, c) for c in mutant.clauses}
        if results[mutant.caught_by][0] == NOT_APPLICABLE:
            found.not_applicable[mutant.name] = f"{mutant.caught_by}: {results[mutant.caught_by][1]}"
            continue
        wrong = {c: o for c, (o, _) in results.items() if o not in (FAILED, NOT_APPLICABLE)}
        for clause_id in mutant.blocks:
            outcome, by = run.outcome(mutant.class_name, clause_id)
            if outcome != NOT_APPLICABLE and (outcome, by) != (BLOCKED, mutant.caught_by):
                wrong[clause_id] = f"{outcome} ({by}), not blocked by {mutant.caught_by}"
        if wrong:
            found.missed[mutant.name] = ", ".join(f"{c} -> {o}" for c, o in wrong.items())
        else:
            found.caught[mutant.name] = mutant
    shown_elsewhere = {c for control in tables().controls for c in control.clauses}
    for name, (kind, clause_ids) in run.plan.controls.items():
        wrong = {c: run.outcome(name, c) for c in clause_ids}
        wrong = {c: o for c, o in wrong.items() if o[0] not in CONTROL_OUTCOMES
                 and not (o[0] == UNSUPPORTED and c in shown_elsewhere)}
        if wrong:
            found.bad_controls[name] = "; ".join(f"{c} -> {o} ({why})" for c, (o, why) in wrong.items())
    for name, (kind, clause_ids) in run.plan.correct.items():
        wrong = {c: run.outcome(name, c) for c in clause_ids}
        wrong = {c: o for c, o in wrong.items() if o[0] not in (PASSED, NOT_APPLICABLE)}
        if wrong:
            found.bad_controls[name] = "; ".join(f"{c} -> {o} ({why})" for c, (o, why) in wrong.items())
    for name, (kind, allowed) in run.plan.references.items():
        wrong = {c: run.outcome(name, c) for c in clauses_of(kind)}
        wrong = {c: o for c, o in wrong.items() if o[0] not in allowed}
        if wrong:
            found.bad_controls[name] = "; ".join(f"{c} -> {o} ({why})" for c, (o, why) in wrong.items())
    return found


def unmutated_reason(clause_id: str) -> str:
    """The UNMUTATED reason for ``clause_id`` (its own entry, else the first pattern it matches), or ''."""
    if clause_id in UNMUTATED:
        return UNMUTATED[clause_id]
    return next((why for pattern, why in UNMUTATED.items() if fnmatch.fnmatchcase(clause_id, pattern)), "")


def unmutated_core_clauses(kind: str) -> dict[str, str]:
    """{core clause of ``kind`` that no mutant's caught_by or also_caught_by names: its UNMUTATED reason or ''}."""
    targeted = {c for m in mutants(kind) for c in m.clauses}
    return {c: unmutated_reason(c) for c, info in clauses_of(kind).items() if info.core and c not in targeted}


def score_lines(runs: Iterable[BatchRun], with_reasons: bool = False) -> list[str]:
    """One line per kind: mutants caught / run, not applicable, core clauses unmutated."""
    per_kind: dict[str, Verdict] = {}
    for run in runs:
        found = verdict(run)
        skipped = [m for m in mutants(batch=run.plan.batch) if m.name in run.plan.skipped]
        for mutant in [*run.plan.mutants, *skipped]:
            mine = per_kind.setdefault(mutant.kind, Verdict())
            for attr in ("caught", "missed", "not_applicable"):
                if mutant.name in getattr(found, attr):
                    getattr(mine, attr)[mutant.name] = getattr(found, attr)[mutant.name]
    lines = []
    for kind in [k for k in kinds_with_contract() if k in per_kind]:
        mine = per_kind[kind]
        ran = len(mine.caught) + len(mine.missed)
        unmutated = unmutated_core_clauses(kind)
        line = f"{kind}: {len(mine.caught)}/{ran} caught"
        if mine.not_applicable:
            line += f", {len(mine.not_applicable)} not applicable on MLflow {installed_mlflow()}"
        line += f", {len(unmutated)} of {sum(c.core for c in clauses_of(kind).values())} core clauses unmutated"
        if unmutated and not with_reasons:
            line += " (" + ", ".join(sorted(c.partition("/")[2] for c in unmutated)) + ")"
        lines.append(line)
        for name, why in sorted(mine.missed.items()):
            lines.append(f"    MISSED {name}: {why}")
        if with_reasons:
            for clause_id, reason in sorted(unmutated.items()):
                lines.append(f"    unmutated {clause_id}: {reason or 'NO REASON GIVEN'}")
    return lines


def run_batches(names: Iterable[str], workdir: Path, jobs: int = 2,
                on_done: Callable[[BatchRun], None] | None = None) -> list[BatchRun]:
    """Run several batches, ``jobs`` at a time (each is a subprocess; threads only wait for them)."""
    from concurrent.futures import ThreadPoolExecutor

    def one(name):
        run = run_batch(name, workdir / name)
        if on_done:
            on_done(run)
        return run

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, names))
