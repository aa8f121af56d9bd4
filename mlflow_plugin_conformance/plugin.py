"""The pytest11 entry point: options, ini keys, markers, collection of the bundled suite, report hooks.

This module is imported by *every* pytest run in an environment where the package is installed, so it stays
thin and cheap: MLflow (seconds to import) and the contract modules are imported only when a
``--mlflow-plugin*`` / ``--mlflow-conformance*`` option or ``mlflow_*`` ini key is used, or when a test module
imports a contract class itself.  The work is done by the modules of the data flow (discovery, build,
capabilities, report); this module only wires them to pytest.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .capabilities import Capabilities, installed_mlflow_version

# The contract modules' plain ``assert`` statements explain themselves (the values compared) when they fail.
pytest.register_assert_rewrite("mlflow_plugin_conformance.contracts")

SUITE_DIR = Path(__file__).parent / "suite"
DEFAULT_TIMEOUT = 120.0
DEFAULT_SHRINK_SECONDS = 15.0
PROFILES = ("quick", "ci", "thorough")
_PROPERTY = "mlflow_clause"

_INI_KEYS = {
    "mlflow_plugin_scheme": ("linelist", "entry-point names to check (like --mlflow-plugin-scheme)"),
    "mlflow_plugin": ("linelist", "distributions whose entry points to check (like --mlflow-plugin)"),
    "mlflow_plugin_uri": ("linelist", "URI templates, one [KIND=]URI per line (like --mlflow-plugin-uri)"),
    "mlflow_conformance_unsupported": ("linelist", "clause-id globs or feature names the plugin does not offer"),
    "mlflow_conformance_known_failures": ("linelist", "'CLAUSE-GLOB: reason' lines; strict expected failures"),
    "mlflow_conformance_timeout": ("string", f"seconds a clause phase may take (default {DEFAULT_TIMEOUT:g})"),
    "mlflow_conformance_isolation": ("string", "class (default) or test: how often a target is built"),
    "mlflow_conformance_level": ("string", "core or full (default): which clauses run"),
    "mlflow_conformance_report": ("linelist", "report files to write (.json, .md, .html, *badge.json)"),
    "mlflow_conformance_profile": ("string", "Hypothesis profile: quick, ci or thorough"),
    "mlflow_conformance_shrink_seconds": ("string", f"seconds Hypothesis may shrink a failing example "
                                                    f"(default {DEFAULT_SHRINK_SECONDS:g})"),
    "mlflow_conformance_build": ("string", "registry (default) or direct: how a target MLflow cannot build is built"),
    "mlflow_conformance_via": ("string", "in-process (default), server or both: the route to the store kinds"),
    "mlflow_conformance_server_workers": ("string", "worker processes of the mlflow server of the server route "
                                                    "(default 4)"),
}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mlflow-plugin-conformance", "MLflow plugin conformance")
    group.addoption("--mlflow-plugin-list", action="store_true", default=False,
                    help="list every installed entry point in the mlflow.* groups, flag silent conflicts, exit")
    group.addoption("--mlflow-plugin-scheme", action="append", default=[], metavar="NAME",
                    help="check every entry point named NAME in any mlflow.* group (repeatable)")
    group.addoption("--mlflow-plugin", action="append", default=[], metavar="DIST", dest="mlflow_plugin_dists",
                    help="check every mlflow.* entry point of distribution DIST (repeatable)")
    group.addoption("--mlflow-plugin-uri", action="append", default=[], metavar="[KIND=]URI",
                    help="URI template a kind is built from; {tmp} is a fresh directory, {scheme} the name")
    group.addoption("--mlflow-conformance-report", action="append", default=[], metavar="PATH",
                    help="write the outcomes per clause to PATH: .json, .md, .html, or a name ending in "
                         "badge.json for a shields.io badge (repeatable)")
    group.addoption("--mlflow-conformance-timeout", type=float, default=None, metavar="SECONDS",
                    help=f"fail a clause phase that takes longer (default {DEFAULT_TIMEOUT:g}; 0 disables)")
    group.addoption("--mlflow-conformance-isolation", choices=("class", "test"), default=None,
                    help="build each target once per test class (default) or once per test")
    group.addoption("--mlflow-conformance-level", choices=("core", "full"), default=None,
                    help="run only core clauses, or all (default full)")
    group.addoption("--mlflow-conformance-clause", action="append", default=[], metavar="GLOB",
                    help="run only clauses whose id matches GLOB (repeatable), e.g. 'tracking_store/metrics/*'")
    group.addoption("--mlflow-conformance-profile", choices=PROFILES, default=None,
                    help="Hypothesis profile for the property and state-machine clauses")
    group.addoption("--mlflow-conformance-shrink-seconds", type=float, default=None, metavar="SECONDS",
                    help=f"stop shrinking a failing Hypothesis example after SECONDS and report the smallest found "
                         f"(default {DEFAULT_SHRINK_SECONDS:g}); keep it below the clause timeout")
    group.addoption("--mlflow-conformance-build", choices=("registry", "direct"), default=None,
                    help="when MLflow's registry cannot build a target: report it and run nothing else (registry, "
                         "default), or report it and run the other clauses against the entry point's object built "
                         "directly from the URI (direct), to see what else would fail once the constructor is fixed")
    group.addoption("--mlflow-conformance-via", choices=("in-process", "server", "both"), default=None,
                    help="check the store kinds (tracking, registry, artifacts) in process (default), through a real "
                         "`mlflow server` backed by the plugin (server: MLflow's REST clients, several workers), or "
                         "both (each target twice, labelled by route)")
    group.addoption("--mlflow-conformance-server-workers", type=int, default=None, metavar="N",
                    help="worker processes of the `mlflow server` the server route starts (default 4; the clauses "
                         "that check several workers see one store need at least 4)")
    for name, (kind, help_text) in _INI_KEYS.items():
        parser.addini(name, help_text, type=kind, default=[] if kind == "linelist" else "")


# -- settings: options override ini keys -----------------------------------------------------------------------


@dataclass
class Settings:
    schemes: list[str]
    dists: list[str]
    uris: list[str]
    reports: list[str]
    timeout: float
    isolation: str
    level: str
    clause_globs: list[str]
    profile: str | None
    listing: bool
    build: str = "registry"
    via: str = "in-process"
    server_workers: int = 4
    shrink_seconds: float = DEFAULT_SHRINK_SECONDS

    @property
    def selects_targets(self) -> bool:
        return bool(self.schemes or self.dists)


def _settings(config: pytest.Config) -> Settings:
    opt = config.option

    def ini(name):
        return config.getini(name)

    timeout = opt.mlflow_conformance_timeout
    if timeout is None:
        raw = ini("mlflow_conformance_timeout")
        try:
            timeout = float(raw) if raw else DEFAULT_TIMEOUT
        except ValueError:
            raise pytest.UsageError(f"mlflow_conformance_timeout = {raw!r}: give a number of seconds") from None
    isolation = opt.mlflow_conformance_isolation or ini("mlflow_conformance_isolation") or "class"
    level = opt.mlflow_conformance_level or ini("mlflow_conformance_level") or "full"
    profile = opt.mlflow_conformance_profile or ini("mlflow_conformance_profile") or None
    build = opt.mlflow_conformance_build or ini("mlflow_conformance_build") or "registry"
    via = opt.mlflow_conformance_via or ini("mlflow_conformance_via") or "in-process"
    shrink = opt.mlflow_conformance_shrink_seconds
    if shrink is None:
        raw = ini("mlflow_conformance_shrink_seconds")
        try:
            shrink = float(raw) if raw else DEFAULT_SHRINK_SECONDS
        except ValueError:
            raise pytest.UsageError(f"mlflow_conformance_shrink_seconds = {raw!r}: give a number of seconds") from None
    for name, value, allowed in (("isolation", isolation, ("class", "test")), ("level", level, ("core", "full")),
                                 ("profile", profile, (None, *PROFILES)), ("build", build, ("registry", "direct")),
                                 ("via", via, ("in-process", "server", "both"))):
        if value not in allowed:
            raise pytest.UsageError(f"mlflow_conformance_{name} = {value!r}: choose one of "
                                    f"{', '.join(a for a in allowed if a)}")
    server_workers = opt.mlflow_conformance_server_workers
    if server_workers is None:
        raw = ini("mlflow_conformance_server_workers")
        try:
            server_workers = int(raw) if raw else 4
        except ValueError:
            raise pytest.UsageError(f"mlflow_conformance_server_workers = {raw!r}: give a number") from None
    if server_workers < 1:
        raise pytest.UsageError(f"mlflow_conformance_server_workers = {server_workers}: give at least 1")
    reports = list(opt.mlflow_conformance_report) or list(ini("mlflow_conformance_report"))
    if reports:
        from .report import report_format

        for path in reports:
            try:
                report_format(path)
            except ValueError as exc:
                raise pytest.UsageError(str(exc)) from None
    return Settings(
        schemes=list(opt.mlflow_plugin_scheme) or list(ini("mlflow_plugin_scheme")),
        dists=list(opt.mlflow_plugin_dists) or list(ini("mlflow_plugin")),
        uris=list(ini("mlflow_plugin_uri")) + list(opt.mlflow_plugin_uri),
        reports=reports,
        timeout=timeout,
        isolation=isolation,
        level=level,
        clause_globs=list(opt.mlflow_conformance_clause),
        profile=profile,
        listing=opt.mlflow_plugin_list,
        build=build,
        via=via,
        server_workers=server_workers,
        shrink_seconds=shrink,
    )


# -- the state of one conformance run --------------------------------------------------------------------------


@dataclass
class ConformanceRun:
    settings: Settings
    mlflow_version: str
    targets: list = field(default_factory=list)  # PluginTarget, selected
    uri_templates: object = None  # uri_templates.UriTemplates
    capabilities: Capabilities = field(default_factory=Capabilities)
    report: object = None  # report.ConformanceReport, created lazily
    active: bool = False
    servers: object = None  # routes.ServerPool of the session, once a class goes through the server

    def routes_of(self, target) -> tuple[str, ...]:
        """The routes ``target`` is checked through (a kind no server serves: in process only)."""
        from .routes import IN_PROCESS, kind_routes

        return kind_routes(target.kind, self.settings.via) if target.kind is not None else (IN_PROCESS,)

    def targets_of(self, kind_key: str) -> list:
        return [t for t in self.targets if t.kind_key == kind_key]

    def uri_template(self, target) -> str | None:
        return self.uri_templates.template_for(target) if self.uri_templates else None

    def shown_uri(self, target) -> str:
        """The target's URI template as reports show it: scheme filled in, credentials redacted."""
        from .redaction import redact_uri

        template = self.uri_template(target)
        return redact_uri(template.replace("{scheme}", target.name)) if template else ""


_RUN = pytest.StashKey[ConformanceRun]()


def _run(config: pytest.Config) -> ConformanceRun:
    return config.stash[_RUN]


def _any_conformance_setting(config: pytest.Config, settings: Settings) -> bool:
    if settings.listing or settings.selects_targets or settings.reports or settings.clause_globs:
        return True
    opt = config.option
    if any(getattr(opt, name) is not None for name in ("mlflow_conformance_timeout", "mlflow_conformance_isolation",
                                                        "mlflow_conformance_level", "mlflow_conformance_profile",
                                                        "mlflow_conformance_build", "mlflow_conformance_via",
                                                        "mlflow_conformance_server_workers",
                                                        "mlflow_conformance_shrink_seconds")):
        return True
    return any(config.getini(name) for name in _INI_KEYS) or bool(opt.mlflow_plugin_uri)


def quiet_mlflow_environment() -> None:
    """MLflow's telemetry is off in conformance runs unless the user set the variables themselves."""
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    os.environ.setdefault("DO_NOT_TRACK", "true")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "mlflow_clause(id, level='core', feature=None, since=None): an MLflow plugin contract clause"
    )
    settings = _settings(config)
    run = ConformanceRun(settings=settings, mlflow_version=installed_mlflow_version())
    run.capabilities = Capabilities.from_lines(config.getini("mlflow_conformance_unsupported"),
                                               config.getini("mlflow_conformance_known_failures"))
    config.stash[_RUN] = run
    config.pluginmanager.register(OutcomeCollector(config), "mlflow-conformance-outcomes")
    if getattr(config.option, "help", False) or not _any_conformance_setting(config, settings):
        return  # `pytest --help` configures plugins too: it must show the options, never select or build targets
    run.active = True
    if getattr(config.option, "showfixtures", False):
        _show_each_fixture_once(config)
    quiet_mlflow_environment()
    load_hypothesis_profile(config, settings.profile)
    from .uri_templates import UriOptionError, UriTemplates

    try:
        run.uri_templates = UriTemplates.parse(settings.uris)
    except UriOptionError as exc:
        raise pytest.UsageError(str(exc)) from None
    if settings.listing or not settings.selects_targets:
        return
    from . import discovery

    try:
        run.targets = discovery.select(discovery.discover(), settings.schemes, settings.dists)
    except discovery.SelectionError as exc:
        raise pytest.UsageError(str(exc)) from None
    problems = run.uri_templates.problems(run.targets)
    if problems:
        raise pytest.UsageError("\n".join(problems))
    config.addinivalue_line("filterwarnings", r"ignore::DeprecationWarning:mlflow[.]")
    from .suite import _binding

    _binding.selected_kind_keys.update(t.kind_key for t in run.targets if t.kind is not None)
    _binding.selected_via = settings.via
    if not config.option.file_or_dir:
        config.args[:] = [str(SUITE_DIR)]
    else:
        config.args.append(str(SUITE_DIR))


def _show_each_fixture_once(config: pytest.Config) -> None:
    """Make ``pytest --fixtures`` work on the suite's classes.

    pytest sorts the fixtures it lists by (length of the defining node id, module, location, name) and then by the
    fixture definitions themselves, which cannot be ordered: two contract classes whose node ids have the same
    length share the base class's fixtures, and the listing ended in INTERNALERROR (pytest-dev/pytest#1651). For
    this listing only, each fixture is given once per such key: what is shown is the same, nothing runs.
    """
    from _pytest.fixtures import FixtureManager

    every_definition = getattr(FixtureManager, "_get_all_fixture_defs", None)
    if every_definition is None:  # a pytest whose internals differ: leave its listing alone
        return

    def each_once(self):
        seen = set()
        for definition in every_definition(self):
            code = getattr(definition.func, "__code__", None)
            where = (code.co_filename, code.co_firstlineno) if code is not None else id(definition.func)
            key = (len(definition.baseid), getattr(definition.func, "__module__", None), where, definition.argname)
            if key not in seen:
                seen.add(key)
                yield definition

    FixtureManager._get_all_fixture_defs = each_once
    config.add_cleanup(lambda: setattr(FixtureManager, "_get_all_fixture_defs", every_definition))


def load_hypothesis_profile(config: pytest.Config, name: str | None) -> None:
    """Load the chosen Hypothesis profile, or the suite's default unless the user loaded one of their own.

    The suite's profiles keep Hypothesis' example database in pytest's cache directory (none under
    ``-p no:cacheprovider``), never in a ``.hypothesis/`` folder of the working directory.
    """
    from .strategies import ensure_profile, limit_shrinking, load_profile, use_example_database

    run = config.stash.get(_RUN, None)
    limit_shrinking(run.settings.shrink_seconds if run else DEFAULT_SHRINK_SECONDS)
    use_example_database(_cache_dir(config, "hypothesis"))
    if name:
        load_profile(name)
    else:
        ensure_profile()


def pytest_sessionstart(session: pytest.Session) -> None:
    run = session.config.stash.get(_RUN, None)
    if run is not None and run.active:
        keep_hypothesis_files_out_of_the_working_directory(session.config)


def keep_hypothesis_files_out_of_the_working_directory(config: pytest.Config) -> None:
    """Hypothesis keeps caches (e.g. unicode tables) in ``./.hypothesis`` unless told otherwise: in a
    command-line conformance run they go to pytest's cache directory, or the session's temporary directory."""
    from hypothesis.configuration import set_hypothesis_home_dir

    where = _cache_dir(config, "hypothesis-home")
    if where is None:
        where = config._tmp_path_factory.getbasetemp() / "hypothesis-home"
    set_hypothesis_home_dir(str(where))


def _cache_dir(config: pytest.Config, name: str) -> Path | None:
    """``.pytest_cache/d/mlflow-conformance-<name>`` when pytest's cache provider is on, else None."""
    cache = getattr(config, "cache", None)
    return Path(cache.mkdir(f"mlflow-conformance-{name}")) if cache is not None else None


def use_suite_caches(config: pytest.Config) -> None:
    """MLflow's migrated SQLite template lives in pytest's cache (or the session's pytest-managed temporary
    directory), so a run leaves nothing in the system temporary directory or the working directory.

    So does matplotlib's config and font cache (``MPLCONFIGDIR``, unless the user set it): MLflow imports matplotlib
    when its evaluator registry loads (building a model evaluator, ``mlflow.models.evaluate``), which would create
    ``~/.config/matplotlib`` and ``~/.cache/matplotlib``, and the side-effect clauses would blame the plugin."""
    import os

    from . import reference

    where = _cache_dir(config, "schema")
    if where is None:
        where = config._tmp_path_factory.getbasetemp() / "mlflow-conformance-schema"
    reference.use_cache_directory(where)
    if "MPLCONFIGDIR" not in os.environ:
        matplotlib_dir = _cache_dir(config, "matplotlib") or config._tmp_path_factory.getbasetemp() / "matplotlib"
        os.environ["MPLCONFIGDIR"] = str(matplotlib_dir)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config):
    """Collect the bundled suite only when targets were selected (it binds their kinds' contracts)."""
    if collection_path.parent != SUITE_DIR or not collection_path.name.startswith("test_"):
        return None
    run = config.stash.get(_RUN, None)
    return True if run is None or not run.targets else None


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config):
    if not config.option.mlflow_plugin_list:
        return None
    quiet_mlflow_environment()
    from .listing import print_listing

    return print_listing(sys.stdout)


def pytest_report_header(config: pytest.Config) -> list[str] | None:
    run = config.stash.get(_RUN, None)
    if run is None or not run.active:
        return None
    lines = [f"mlflow-plugin-conformance: MLflow {run.mlflow_version}, level {run.settings.level}, "
             f"isolation {run.settings.isolation}, timeout {run.settings.timeout:g}s, via {run.settings.via}"
             + (f" ({run.settings.server_workers} server workers)" if run.settings.via != "in-process" else "")]
    for target in run.targets:
        lines.append(f"  target {target.label} ({target.dist} {target.version}) {run.shown_uri(target) or '(no URI)'}")
    return lines


# -- collection ------------------------------------------------------------------------------------------------


def _target_id(target, all_targets) -> str:
    same = [t for t in all_targets if t.name == target.name and t.kind_key == target.kind_key]
    return target.name if len(same) == 1 else f"{target.name}@{target.dist}"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    kind_key = getattr(metafunc.cls, "mlflow_bound_kind", None)
    if kind_key is None or "mlflow_target" not in metafunc.fixturenames:
        return
    run = _run(metafunc.config)
    targets = run.targets_of(kind_key)
    metafunc.parametrize("mlflow_target", targets, indirect=True, scope="class",
                         ids=[_target_id(t, targets) for t in targets])


#: Within a contract class, cheap example clauses run first (a broken plugin's first failure comes in seconds),
#: then properties, then differential machines; the side-effect clauses run last, after everything they watch.
_FAMILY_ORDER = {"properties": 1, "differential": 2, "side-effects": 3}


def clause_run_order(items: list[pytest.Item]) -> list[pytest.Item]:
    """``items`` with the clauses of each class reordered by :data:`_FAMILY_ORDER` (stable; other tests, and the
    order of classes, are left as they are)."""

    def rank(item) -> int:
        marker = item.get_closest_marker(_PROPERTY)
        if marker is None:
            return 0
        parts = str(marker.args[0]).split("/")
        return _FAMILY_ORDER.get(parts[1] if len(parts) > 1 else "", 0)

    ordered, block = [], []
    for item in items:
        if block and item.parent is not block[0].parent:
            ordered += sorted(block, key=rank)
            block = []
        block.append(item)
    return ordered + sorted(block, key=rank)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Begin starting, in the background, the services clauses will need later in the run: the real ``mlflow
    server`` of the provider kinds' end-to-end clauses takes seconds to start, which the run spends on the
    clauses before them. Not under pytest-xdist, whose workers each collect every item but run only some."""
    listing_only = any(session.config.getoption(name, False)  # --co, --fixtures, --fixtures-per-test
                       for name in ("collectonly", "showfixtures", "show_fixtures_per_test"))
    if hasattr(session.config, "workerinput") or listing_only:
        return
    if any("mlflow_server" in getattr(item, "fixturenames", ()) for item in session.items):
        from .services import warm_shared_mlflow_server

        use_suite_caches(session.config)  # the server's schema template goes where the session's would
        warm_shared_mlflow_server()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if any(item.get_closest_marker(_PROPERTY) is not None for item in items):
        items[:] = clause_run_order(items)
    run = config.stash.get(_RUN, None)
    if run is None or not run.active:
        return
    from .contracts.base import clause_of

    check_declarations(run.capabilities, items, "the ini keys")
    keep, drop = [], []
    for item in items:
        this = clause_of(item)
        if this is not None and (
            (run.settings.level == "core" and this.level != "core")
            or (run.settings.clause_globs and not any(fnmatch.fnmatchcase(this.id, g) for g in run.settings.clause_globs))
        ):
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def declaration_problems(capabilities: Capabilities, items) -> list[str]:
    """What the declarations name that exists nowhere, judged against every clause of the contract classes
    collected (all their clauses, whatever ``-k`` or ``--mlflow-conformance-clause`` selects)."""
    from .contracts.base import declared_clauses
    from .kinds import KINDS, all_features

    if not capabilities.unsupported and not capabilities.known_failures:
        return []
    classes = {item.cls for item in items if item.cls is not None and item.get_closest_marker(_PROPERTY)}
    clauses = [c for cls in classes for _, c in declared_clauses(cls)]
    checked_kinds = {c.id.split("/", 1)[0] for c in clauses}
    features = set(all_features()) | {c.feature for c in clauses if c.feature}
    return capabilities.declaration_problems({c.id for c in clauses}, features,
                                             {k.key for k in KINDS} | checked_kinds, checked_kinds)


def check_declarations(capabilities: Capabilities, items, where: str) -> None:
    problems = declaration_problems(capabilities, items)
    if problems:
        raise pytest.UsageError(f"mlflow-plugin-conformance: declarations in {where} name nothing:\n  "
                                + "\n  ".join(problems))


# -- fixtures --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def mlflow_version() -> str:
    """The installed MLflow version (from package metadata; MLflow itself is not imported)."""
    return installed_mlflow_version()


@pytest.fixture(scope="session")
def mlflow_conformance_capabilities(pytestconfig) -> Capabilities:
    """What the plugin declares (ini keys). Override to declare from code; request the same name to extend."""
    return _run(pytestconfig).capabilities


@pytest.fixture(scope="session")
def mlflow_conformance_session(pytestconfig):
    """Set up what every contract run needs, once per session: MLflow's telemetry off (unless the user set
    ``MLFLOW_DISABLE_TELEMETRY`` / ``DO_NOT_TRACK`` themselves) and the suite's Hypothesis profile (unless the
    user loaded one). Contract classes request it; importing a contract changes nothing."""
    quiet_mlflow_environment()
    run = pytestconfig.stash.get(_RUN, None)
    load_hypothesis_profile(pytestconfig, run.settings.profile if run else None)
    use_suite_caches(pytestconfig)


# -- hooks a plugin author may provide (override any of these in conftest.py or a contract subclass) ------------


@pytest.fixture(scope="session")
def mlflow_provider_context():
    """A zero-argument callable returning a context manager that puts the plugin's providers (run context,
    request header, default experiment) in context, e.g. sets the environment variable they look for.

    Default: None, the environment as it is. A provider that is not in context then has its context clauses
    reported not-run, with this fixture's name as the fix."""
    return None


@pytest.fixture(scope="session")
def mlflow_deployment_options() -> dict:
    """Keyword arguments the deployments clauses pass to every ``create_deployment`` and ``update_deployment``
    besides the name and the model URI, as a user would on the command line (``-C key=value`` is ``config``),
    e.g. ``{"config": {"image": "..."}, "flavor": "python_function"}`` (default: none)."""
    return {}


@pytest.fixture(scope="session")
def mlflow_deployable_models():
    """Two model URIs the deployment target can deploy, ``(plus_one, double)``: models predicting ``x + 1`` and
    ``2 x`` for a DataFrame column ``x`` (the lifecycle clauses check those predictions). For a target that deploys
    only its own format or location. Default: None, two tiny pyfunc models the suite saves to a temporary
    directory."""
    return None


@pytest.fixture(scope="session")
def mlflow_app_server_env() -> dict[str, str]:
    """Environment variables the server of an ``mlflow.app`` plugin needs to start (default: none)."""
    return {}


@pytest.fixture(scope="session")
def mlflow_app_credentials() -> dict[str, str]:
    """Environment variables MLflow's client needs to talk to the app's server, e.g.
    ``{"MLFLOW_TRACKING_USERNAME": ..., "MLFLOW_TRACKING_PASSWORD": ...}`` (default: none)."""
    return {}


@pytest.fixture(scope="session")
def mlflow_app_client_exercise():
    """A callable ``(client) -> object`` that makes at least one request with an ``mlflow.app.client`` instance.

    Default: None; the clauses of the ``app_client.exercise`` feature are then unsupported."""
    return None


@pytest.fixture
def mlflow_conformance_server():
    """The running ``mlflow server`` (``services.MlflowServer``) a class with ``mlflow_route = "server"`` talks
    to: the clauses that exist only through the server use it (its URL, its worker processes, its log).

    The bundled suite binds it to the server backed by the target; a plugin's own server-route subclass provides
    it (e.g. from ``services.shared_mlflow_server(backend_store_uri=..., workers=4)``). Default: None, and those
    clauses report not-run."""
    return None


@pytest.fixture
def mlflow_target_context() -> dict:
    """What building the target knew beside the instance (e.g. the tracking URI a registry store was given) and,
    under ``target``, the ``PluginTarget`` it was built from.

    The bundled suite binds it per target; in a plugin's own subclass it is empty unless overridden."""
    return {}


@pytest.fixture(scope="session")
def mlflow_plugin_uri():
    """Override in your conftest.py to build targets from a service you start.

    Return None (the default: options, ini keys, then each kind's default template), a mapping
    ``{kind_key: uri_template}``, or a callable ``(target: PluginTarget) -> str | None``. Keep it session- or
    class-scoped: targets are built once per test class.
    """
    return None


@pytest.fixture(scope="class")
def mlflow_target(request):
    """The entry point a bundled-suite class is parametrized with (a ``PluginTarget``)."""
    return request.param


def _isolation_scope(fixture_name: str, config: pytest.Config) -> str:
    return "function" if _run(config).settings.isolation == "test" else "class"


def _folder_name(target) -> str:
    return re.sub(r"[^\w.-]", "_", target.label)[:40]


def _uri_template(run: ConformanceRun, mlflow_plugin_uri, target) -> str | None:
    """The URI template of ``target``: the ``mlflow_plugin_uri`` fixture, then options and ini keys, then the
    kind's default."""
    template = None
    if callable(mlflow_plugin_uri):
        template = mlflow_plugin_uri(target)
    elif mlflow_plugin_uri:
        template = mlflow_plugin_uri.get(target.kind.key)
    return template or run.uri_template(target)


@pytest.fixture(scope="session")
def mlflow_conformance_servers(pytestconfig, tmp_path_factory, mlflow_plugin_uri):
    """The session's ``mlflow server`` processes backed by the selected plugins (``routes.ServerPool``): one per
    distribution and entry-point name, started when the first class goes through it, stopped at session end."""
    from .build import render_uri
    from .routes import ServerPool

    run = _run(pytestconfig)

    def uri_of(target, directory: Path):
        directory.mkdir(parents=True, exist_ok=True)
        return render_uri(_uri_template(run, mlflow_plugin_uri, target), target, directory)

    def workdir(name: str) -> Path:
        return tmp_path_factory.mktemp(re.sub(r"[^\w.-]", "_", name)[:40])

    pool = ServerPool(run.targets, uri_of, workdir, workers=run.settings.server_workers)
    run.servers = pool
    try:
        yield pool
    finally:
        pool.stop_all()


def _first_build_failure(request, target, mlflow_plugin_uri, tmp_path_factory) -> str | None:
    """Every target of ``target``'s distribution that has a clause in this run is built first in a fresh
    interpreter (the mlflow-first import-order probe, once per distribution): the build failure of a target that
    ended that interpreter (``os._exit``, a crash in native code), which is then never built in this process; None
    otherwise."""
    from .build import render_uri
    from .contracts.shared.import_order import EntryRef, first_build_failure

    run = _run(request.config)

    def plans() -> dict[str, dict]:
        in_run = {item.callspec.params["mlflow_target"] for item in request.session.items
                  if "mlflow_target" in getattr(getattr(item, "callspec", None), "params", {})}
        folder = tmp_path_factory.mktemp("first-build")
        chosen = {}
        for sibling in run.targets:
            if sibling.dist != target.dist or sibling.kind is None or sibling not in in_run | {target}:
                continue
            tmp = folder / _folder_name(sibling)
            tmp.mkdir(exist_ok=True)
            uri = render_uri(_uri_template(run, mlflow_plugin_uri, sibling), sibling, tmp)
            chosen[EntryRef.of(sibling).key] = {"uri": uri, "tmp": str(tmp), "dist": sibling.dist,
                                                "version": sibling.version, "seconds": run.settings.timeout or 0}
        return chosen

    plugin_first_wanted = any(
        getattr(item, "originalname", item.name) == "test_import_order_plugin_first"
        and getattr(getattr(item, "callspec", None), "params", {}).get("mlflow_target", target).dist == target.dist
        for item in request.session.items)
    return first_build_failure(target, plans, prefetch_plugin_first=plugin_first_wanted)


@pytest.fixture(scope=_isolation_scope)
def mlflow_built_target(request, mlflow_target, tmp_path_factory, mlflow_plugin_uri):
    """The target built through MLflow's registry, or a ``BuildFailure`` the build clause reports. Through the
    server route: MLflow's REST client for the kind, talking to the server backed by the target."""
    from .build import TargetBuildError, build_directly, build_target, render_uri
    from .contracts.base import BuildFailure
    from .routes import IN_PROCESS
    from .timeouts import time_limit

    run = _run(request.config)
    kind = mlflow_target.kind
    tmp = tmp_path_factory.mktemp(_folder_name(mlflow_target))
    if getattr(request.cls, "mlflow_route", IN_PROCESS) != IN_PROCESS:
        yield _built_through_server(request, mlflow_target, tmp)
        return
    failure = _first_build_failure(request, mlflow_target, mlflow_plugin_uri, tmp_path_factory)
    if failure is not None:
        yield BuildFailure(failure)
        return
    uri = render_uri(_uri_template(run, mlflow_plugin_uri, mlflow_target), mlflow_target, tmp)
    try:
        with time_limit(run.settings.timeout, f"building {mlflow_target.label}"):
            built = build_target(mlflow_target, kind, uri, tmp)
    except TargetBuildError as exc:
        if run.settings.build != "direct" or kind.default_uri is None:
            yield BuildFailure(str(exc), exc)
            return
        try:
            with time_limit(run.settings.timeout, f"building {mlflow_target.label} directly"):
                built = build_directly(mlflow_target, kind, uri, tmp)
        except TargetBuildError as direct_exc:
            yield BuildFailure(f"{exc}\n\n--mlflow-conformance-build=direct could not build it either:\n{direct_exc}",
                               exc)
            return
        built.context["registry_failure"] = str(exc)
    yield built


def _built_through_server(request, target, tmp: Path):
    """MLflow's REST client for ``target``'s kind on the session's server backed by the target, or a
    ``BuildFailure`` naming the server's start failure (with its log) for the build clause to report."""
    from .contracts.base import BuildFailure
    from .routes import build_client
    from .services import ServiceStartError
    from .timeouts import suspended, time_limit

    run = _run(request.config)
    pool = request.getfixturevalue("mlflow_conformance_servers")
    try:
        with suspended():  # the server's start is shared by every class it serves: not this clause's time
            server = pool.server_for(target)
    except ServiceStartError as exc:
        return BuildFailure(f"{target.label}: `mlflow server` backed by the plugin did not start.\n"
                            f"  {target.describe()}\n"
                            f"  What to do: make the plugin's store build inside `mlflow server` (the log below "
                            f"is the server's own).\n{exc}")
    try:
        with time_limit(run.settings.timeout, f"building MLflow's client for {target.label} through the server"):
            return build_client(target, target.kind, server, tmp)
    except Exception as exc:  # MLflow's own client: not expected to fail, but never an INTERNALERROR
        return BuildFailure(f"{target.label}: MLflow's REST client for {server.url} could not be built: "
                            f"{type(exc).__name__}: {exc}")


# -- running clauses -------------------------------------------------------------------------------------------


def _clause(item):
    if item.get_closest_marker(_PROPERTY) is None:
        return None
    from .contracts.base import clause_of

    return clause_of(item)


def _timeout(item) -> float:
    """The time limit of a clause phase: through the server, every call of the clause is an HTTP request to a
    server process, so the limit is ``routes.SERVER_TIME_FACTOR`` times the in-process one."""
    from .routes import SERVER_TIME_FACTOR

    run = item.config.stash.get(_RUN, None)
    seconds = run.settings.timeout if run else DEFAULT_TIMEOUT
    return seconds * SERVER_TIME_FACTOR if _route(item) != "in-process" else seconds


def _limited(item, phase):
    this = _clause(item)
    if this is None:
        return None
    from .timeouts import time_limit

    return time_limit(_timeout(item), f"clause {this.id} ({phase})")


_SERVER_LOG_MARK = pytest.StashKey[tuple]()


def _route(item) -> str:
    from .routes import IN_PROCESS

    return getattr(item.cls, "mlflow_route", IN_PROCESS) if item.cls is not None else IN_PROCESS


def _server_of(item):
    """The ``mlflow server`` a server-route clause talks to, if it is already running (never starts one)."""
    run = item.config.stash.get(_RUN, None)
    callspec = getattr(item, "callspec", None)
    if run is None or run.servers is None or callspec is None or "mlflow_target" not in callspec.params:
        return None
    return run.servers.known(callspec.params["mlflow_target"])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    if _route(item) != "in-process":  # remember where the server's log stood when the clause began
        server = _server_of(item)
        item.stash[_SERVER_LOG_MARK] = (server, server.log_size() if server is not None else 0)
    limit = _limited(item, "setup")
    if limit is None:
        return (yield)
    with limit:
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    this = _clause(item)
    if this is None:
        return (yield)
    from .outcomes import UNSUPPORTED, ClauseOutcome, is_not_implemented
    from .timeouts import time_limit

    try:
        with time_limit(_timeout(item), f"clause {this.id}"):
            return (yield)
    except Exception as exc:
        if this.optional and is_not_implemented(exc):
            first_line = str(exc).splitlines()[0][:200] if str(exc) else "no message"
            raise ClauseOutcome(UNSUPPORTED, f"the plugin raised {type(exc).__name__} ({first_line})",
                                feature=this.feature) from None
        raise


_STATE_AFTER_LAST_TEST = pytest.StashKey[dict]()
_STATE_AFTER_FIRST_TEST = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    limit = _limited(item, "teardown")
    if limit is None:
        return (yield)
    try:
        with limit:
            return (yield)
    finally:
        from .contracts.base import process_state

        state = {**process_state(), "class": item.parent.nodeid}
        item.config.stash[_STATE_AFTER_LAST_TEST] = state
        item.config.stash.setdefault(_STATE_AFTER_FIRST_TEST, {}).setdefault(item.parent.nodeid, state)


@pytest.fixture
def mlflow_state_after_first_test(request) -> dict | None:
    """The same snapshot after the first test of this class in this process (its fixtures set up and put back):
    the side-effect clauses on the environment and MLflow's global state start from it, so what the class's own
    fixtures set (a test service's ``MLFLOW_S3_ENDPOINT_URL``) is not counted. None before any test finished."""
    return request.config.stash.get(_STATE_AFTER_FIRST_TEST, {}).get(request.node.parent.nodeid)


@pytest.fixture
def mlflow_state_after_last_test(request) -> dict:
    """What the working and home directories, MLflow's environment variables and MLflow's global state looked
    like after the previous test of this class in this process had been torn down (its fixtures put back): what
    the side-effect clauses compare with the state before the class's first clause."""
    from .contracts.base import process_state

    last = request.config.stash.get(_STATE_AFTER_LAST_TEST, None)
    return last if last is not None and last["class"] == request.node.parent.nodeid else process_state()


def attach_server_log(item, call) -> None:
    """A server-route clause that failed gets the server's log, from the clause's start, as a report section."""
    if call.excinfo is None or isinstance(call.excinfo.value, pytest.skip.Exception) or _route(item) == "in-process":
        return
    server, offset = item.stash.get(_SERVER_LOG_MARK, (None, 0))
    if server is None:  # not running when the clause began: it started during it, its whole log belongs here
        server, offset = _server_of(item), 0
    if server is None:
        return
    tail = server.log_excerpt(offset)
    if tail:
        item.add_report_section(call.when, f"mlflow server log ({server.url}, since the clause began)", tail)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    try:
        attach_server_log(item, call)
    except Exception as exc:  # the suite's own reporting must never end the session (INTERNALERROR)
        item.add_report_section(call.when, "mlflow-plugin-conformance", f"no server log: {exc!r}")
    report = yield
    try:
        _record_clause_outcome(item, call, report)
    except Exception as exc:
        report.sections.append(("mlflow-plugin-conformance",
                                f"the suite could not record this clause's outcome ({exc!r}); the result stands"))
    return report


def _record_clause_outcome(item, call, report) -> None:
    """Put the clause's outcome, reason, target and cause into ``report.user_properties`` (the reports read them)."""
    this = _clause(item)
    if this is None:
        return
    from .outcomes import classify, recorded_outcome

    ended_with = recorded_outcome(call.excinfo.value if call.excinfo is not None else None)
    outcome = classify(report.when, report.outcome, hasattr(report, "wasxfail"), ended_with)
    if outcome is None:
        return
    target = None
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "mlflow_target" in callspec.params:
        t = callspec.params["mlflow_target"]
        built = item.funcargs.get("mlflow_built_target")
        directly = bool(getattr(built, "context", {}).get("built_directly"))
        from .routes import route_label

        route = _route(item)
        target = {"label": route_label(t.label, route), "group": t.group, "name": t.name, "dist": t.dist,
                  "version": t.version, "kind": t.kind_key, "route": route,
                  "note": "built directly (--mlflow-conformance-build=direct)" if directly else ""}
    cause = None
    if report.failed:
        reason = _failure_line(report)
        cause = _cause(call, report, callspec.params["mlflow_target"] if target else None, item)
        first_error, replay_note = _flaky_explanation(call)
        if replay_note:
            report.sections.append(("Hypothesis replay", f"{replay_note} First it saw: {first_error}"
                                    if first_error else replay_note))
            reason = f"{first_error} [{replay_note}]" if first_error else f"{replay_note} [{reason}]"
        hint = _unsupported_hint(call, this)
        if hint:
            report.sections.append(("Declaring the feature unsupported", hint))
            reason = f"{reason} [{hint}]"
        note = _inherited_defect_note(item, this)
        if note:
            report.sections.append(("MLflow finding", note))
            reason = f"{reason} [{note}]"
    elif ended_with is not None:
        reason = ended_with.why
    elif report.skipped and isinstance(report.longrepr, tuple):
        reason = report.longrepr[2].removeprefix("Skipped: ")
    else:
        reason = getattr(report, "wasxfail", "")
    report.user_properties.append((_PROPERTY, {
        "clause": this.id, "level": this.level, "feature": this.feature, "outcome": outcome, "reason": reason,
        "blocked_by": ended_with.blocked_by if ended_with is not None else None,
        "target": target, "owner": item.nodeid.split("::")[0] + "::" + (item.cls.__name__ if item.cls else ""),
        "duration": report.duration, "cause": cause,
    }))


def _cause(call, report, target, item=None) -> dict:
    """What failed the clause, grouped into root causes by the report (see causes.py): computed here, where the
    exception still exists, and carried as data so it survives pytest-xdist."""
    from .causes import cause_of, plugin_roots_of

    roots = plugin_roots_of([target.value]) if target is not None and getattr(target, "value", None) else []
    is_build_clause = item is not None and getattr(item, "originalname", "") == "test_build_instance"
    build_error = getattr(item.funcargs.get("mlflow_built_target"), "error", None) if is_build_clause else None
    if build_error is not None and build_error.__cause__ is not None:  # what the plugin raised while being built
        return cause_of(build_error.__cause__, roots)
    return cause_of(call.excinfo if call.excinfo is not None else report.longrepr, roots)


def _flaky_explanation(call) -> tuple[str, str]:
    """Hypothesis' "Flaky" family means the same example did not behave the same when replayed. Returns (the
    error the clause first met, as one line; what the replay means for a plugin). The first error leads the
    headline: it is the plugin's bug (a store that accepts the model name '\\n' and then, on replay, says the model
    already exists), and a bare "Flaky" would hide it. ("", "") when the failure is not Flaky."""
    excinfo = call.excinfo
    if excinfo is None or not excinfo.typename.startswith("Flaky"):
        return "", ""
    if excinfo.typename == "FlakyStrategyDefinition":
        return "", ("Hypothesis drew different data when it replayed an example: the generated steps depended on "
                    "answers that changed between runs (the plugin's or its service's state carried over between "
                    "examples, or an answer depends on time)")
    first = getattr(excinfo.value, "exceptions", None) or ()
    seen = ""
    if first:
        error = first[0]
        while not str(error).strip() and error.__cause__ is not None:  # Hypothesis' wrapper of the real error
            error = error.__cause__
        text = (str(error).strip().splitlines() or ["no message"])[0][:300]
        seen = f"{type(error).__name__}: {text}"
    return seen, ("the plugin answered differently when Hypothesis replayed this example (state kept between "
                  "examples, a time-dependent answer, or a transient service error)")


_SAYS_NOT_IMPLEMENTED = re.compile(r"not (yet )?(implemented|supported)|unsupported", re.IGNORECASE)


def _unsupported_hint(call, this) -> str:
    """For a clause of an optional feature that failed on an error saying "not implemented" in words only: how to
    say it so the suite (and MLflow's callers) read it as unsupported."""
    excinfo = call.excinfo
    if this.feature is None or excinfo is None or not _SAYS_NOT_IMPLEMENTED.search(str(excinfo.value)):
        return ""
    return (f"to declare {this.feature} unsupported, raise NotImplementedError or "
            "MlflowException(error_code=NOT_IMPLEMENTED): the clause then reports it unsupported, not failed")


def _inherited_defect_note(item, this) -> str:
    """When the failing target subclasses an MLflow implementation that fails this clause itself, say so."""
    fixture = getattr(item.cls, "target_fixture", None)
    subject = getattr(item, "funcargs", {}).get(fixture) if fixture else None
    if subject is None:
        return ""
    from .findings import inheritance_note

    try:
        return inheritance_note(subject, this.id, installed_mlflow_version())
    except Exception:  # a report must never crash on a plugin object's oddities
        return ""


def _failure_line(report) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is not None:
        return crash.message
    return str(report.longrepr).strip().splitlines()[-1] if report.longrepr else "failed"


def run_report(run: ConformanceRun):
    """The run's report, created on first use with every selected target (a target with no contract too)."""
    if run.report is None:
        from .report import ConformanceReport, TargetInfo

        from .routes import route_label

        run.report = ConformanceReport(mlflow_version=run.mlflow_version, selection={
            "schemes": list(run.settings.schemes), "dists": list(run.settings.dists)})
        for target in run.targets:
            known = target.kind is not None
            for route in run.routes_of(target):
                run.report.add_target(TargetInfo(
                    label=route_label(target.label, route), group=target.group, name=target.name,
                    dist=target.dist, version=target.version, kind=target.kind_key, contract=known,
                    uri=run.shown_uri(target), note="" if known else "unknown mlflow.* group", route=route,
                ))
    return run.report


class OutcomeCollector:
    """Gathers clause outcomes from report phases (local or from xdist workers) and prints/writes the report.

    Registered for every run; it does nothing (and imports nothing) until a clause report arrives.
    """

    def __init__(self, config: pytest.Config):
        self.config = config

    def pytest_runtest_logreport(self, report) -> None:
        for name, data in report.user_properties:
            if name == _PROPERTY:
                self._record(report.nodeid, data)

    def _record(self, nodeid: str, data: dict) -> None:
        from .report import ClauseRecord, TargetInfo

        rep = run_report(_run(self.config))
        target = data["target"]
        if target is not None:
            label = target["label"]
            rep.add_target(TargetInfo(label=label, group=target["group"], name=target["name"],
                                      dist=target["dist"], version=target["version"], kind=target["kind"],
                                      note=target.get("note", ""), route=target.get("route", "in-process")))
        else:
            label = data["owner"]
        rep.add_phase(ClauseRecord(clause=data["clause"], level=data["level"], target=label,
                                   outcome=data["outcome"], nodeid=nodeid, feature=data["feature"],
                                   reason=data["reason"], duration=data["duration"], cause=data.get("cause"),
                                   blocked_by=data.get("blocked_by")))

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if hasattr(self.config, "workerinput"):
            return
        run = _run(self.config)
        if run.report is None and not run.active:
            return
        rep = run_report(run)
        terminalreporter.section("MLflow plugin conformance")
        for line in rep.terminal_lines():
            terminalreporter.write_line(line)
        for path in run.settings.reports:
            written = rep.write(Path(path))
            terminalreporter.write_line(f"conformance report written to {written}")
