"""The store contracts through a real ``mlflow server`` backed by the plugin (``--mlflow-conformance-via``).

Each test is one subprocess pytest run (MLflow's global state and the servers stay out of this process) on a subset
of the clauses, so the suite's own run stays short: the example plugin on both routes (labels, route
declarations, MLflow's server-path findings, the server-only family), MLflow's reference stores behind a server on
SQLite and on PostgreSQL, and the broken plugins of ``tests/broken/server_route.py``, which pass in process and
fail only through the server. Every test starts servers with 4 worker processes: they are marked ``server``.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from mlflow.store.artifact.local_artifact_repo import LocalArtifactRepository

pytestmark = pytest.mark.server

BROKEN = Path(__file__).parent / "broken" / "server_route.py"
EXAMPLE_DIR = Path(__file__).resolve().parent.parent / "examples" / "file-plugin"

#: The clauses the example plugin is checked on, on both routes: what the route changes, one or two of each.
EXAMPLE_CLAUSES = [
    "tracking_store/build/*", "model_registry_store/build/*", "artifact_repository/build/*",
    "*/server/*",
    "tracking_store/side-effects/working-directory",
    "tracking_store/completeness/init-called",
    "tracking_store/experiments/create-and-get", "tracking_store/experiments/rename-deleted",
    "tracking_store/search-runs/pagination", "tracking_store/end-to-end/client-api",
    "tracking_store/differential/state-machine",
    "model_registry_store/registered-models/create-and-get", "model_registry_store/aliases/set-and-get",
    "model_registry_store/end-to-end/register-model", "model_registry_store/end-to-end/client-registry-calls",
    "artifact_repository/log/file-at-root", "artifact_repository/log/empty-file",
    "artifact_repository/mixins/multipart-upload", "artifact_repository/properties/tree-round-trip",
]


def _report(path: Path) -> dict[tuple[str, str], dict]:
    data = json.loads(path.read_text())
    return {(r["target"], r["clause"]): r for r in data["clauses"]}


def _run(pytester, *args, timeout=1500):
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rfE", *args, timeout=timeout)


def test_the_example_plugin_through_both_routes(pytester: pytest.Pytester):
    """Each store target is checked twice and labelled by route; clauses declared for one route are
    not-applicable on the other; MLflow's server-path findings are known failures through the server only; the
    server-only family passes; an optional feature the server answers with HTTP 501 is unsupported."""
    shutil.copy(EXAMPLE_DIR / "conftest.py", pytester.path / "conftest.py")
    result = _run(pytester, "--mlflow-plugin-scheme=file-plugin", "--mlflow-conformance-via=both",
                  "--mlflow-conformance-report=report.json",
                  *[f"--mlflow-conformance-clause={c}" for c in EXAMPLE_CLAUSES])
    report = _report(pytester.path / "report.json")
    text = result.stdout.str()
    outcome = {key: r["outcome"] for key, r in report.items()}
    labels = {target for target, _ in outcome}
    for kind in ("tracking_store", "model_registry_store", "artifact_repository"):
        assert {f"{kind}:file-plugin", f"{kind}:file-plugin (server)"} <= labels
        assert outcome[(f"{kind}:file-plugin (server)", f"{kind}/build/instance")] == "passed"
        assert outcome[(f"{kind}:file-plugin (server)", f"{kind}/build/name-unique")] == "not-applicable"
        for name in ("workers-consistent", "error-codes", "large-payloads", "ui-read-paths"):
            clause = f"{kind}/server/{name}"
            assert outcome[(f"{kind}:file-plugin (server)", clause)] == "passed", report[
                (f"{kind}:file-plugin (server)", clause)]["reason"]
            assert outcome[(f"{kind}:file-plugin", clause)] == "not-applicable"
    server, local = "tracking_store:file-plugin (server)", "tracking_store:file-plugin"
    assert outcome[(server, "tracking_store/completeness/init-called")] == "not-applicable"
    assert "in-process route only" in report[(server, "tracking_store/completeness/init-called")]["reason"]
    assert outcome[(server, "tracking_store/side-effects/working-directory")] == "not-applicable"
    assert outcome[(local, "tracking_store/experiments/rename-deleted")] == "passed"
    assert outcome[(server, "tracking_store/experiments/rename-deleted")] == "known-failure"
    assert "INVALID_STATE" in report[(server, "tracking_store/experiments/rename-deleted")]["reason"]
    assert outcome[(server, "tracking_store/differential/state-machine")] == "not-applicable"
    assert outcome[(local, "tracking_store/differential/state-machine")] == "passed"
    for clause in ("tracking_store/experiments/create-and-get", "tracking_store/search-runs/pagination",
                   "tracking_store/end-to-end/client-api"):
        assert outcome[(server, clause)] == outcome[(local, clause)] == "passed", report[(server, clause)]
    registry = "model_registry_store:file-plugin (server)"
    assert outcome[(registry, "model_registry_store/aliases/set-and-get")] == "passed"  # non-local version sources
    for clause in ("model_registry_store/end-to-end/register-model",  # MLflow's client, through the server's
                   "model_registry_store/end-to-end/client-registry-calls"):  # source check, downloads included
        assert outcome[(registry, clause)] == "passed", report[(registry, clause)]["reason"]
    art = "artifact_repository:file-plugin (server)"
    assert outcome[(art, "artifact_repository/log/empty-file")] == "known-failure"
    assert outcome[(art, "artifact_repository/log/file-at-root")] == "passed"
    assert outcome[(art, "artifact_repository/mixins/multipart-upload")] == "unsupported"
    assert outcome[(art, "artifact_repository/properties/tree-round-trip")] == "not-applicable"
    assert "(server)" in text and "via both" in text
    assert result.ret == 0, text[-4000:]


# -- MLflow's reference stores behind the server (the base-class way in) ------------------------------------------

_REFERENCE_MODULE = '''
import pytest

from mlflow_plugin_conformance import Capabilities
from mlflow_plugin_conformance.contracts.artifact_repository import ArtifactRepositoryContract
from mlflow_plugin_conformance.contracts.model_registry_store import ModelRegistryStoreContract
from mlflow_plugin_conformance.contracts.tracking_store import TrackingStoreContract
from mlflow_plugin_conformance.kinds import KINDS_BY_KEY
from mlflow_plugin_conformance.routes import SERVER_ENV, rest_client
from mlflow_plugin_conformance.services import shared_mlflow_server, stop_shared_mlflow_server

#: MLflow's LocalArtifactRepository behind the server (not the server path: the repository itself). Releases whose
#: LocalArtifactRepository has ``get_local_path`` (the server's download handler asks it first, and it raises
#: RESOURCE_DOES_NOT_EXIST for a missing file) answer 404; older ones go through ``download_artifacts``.
LOCAL_REPOSITORY_FINDINGS = {{
    "artifact_repository/server/error-codes@server":
        "MLflow's LocalArtifactRepository raises OSError (not an MlflowException) for a missing artifact, which "
        "MLflow's server answers with HTTP 500 (retried by MLflow's client for minutes, then INTERNAL_ERROR)",
}} if {local_repository_defect} else {{}}
#: MLflow's SQL stores' own divergences on this database (the same as in process; see tests/test_*_postgres.py).
DATABASE_FINDINGS = {database_findings!r}


@pytest.fixture(scope="session")
def reference_backend(tmp_path_factory):
    {backend}


@pytest.fixture(scope="session")
def reference_server(reference_backend, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("reference-server")
    server = shared_mlflow_server(backend_store_uri=reference_backend, registry_store_uri=reference_backend,
                                  artifacts_destination=(workdir / "artifacts").as_posix(), workers=4,
                                  workdir=workdir, timeout=300, env=SERVER_ENV)
    yield server
    stop_shared_mlflow_server(server)


class _ThroughServer:
    mlflow_route = "server"

    @pytest.fixture
    def mlflow_conformance_server(self, reference_server):
        return reference_server

    @pytest.fixture
    def mlflow_target_context(self, reference_server):
        return {{"server": reference_server, "tracking_uri": reference_server.url}}

    @pytest.fixture
    def mlflow_conformance_capabilities(self, mlflow_conformance_capabilities):
        return mlflow_conformance_capabilities.merged(Capabilities(known_failures={{
            **LOCAL_REPOSITORY_FINDINGS, **DATABASE_FINDINGS}}))


class TestTracking(_ThroughServer, TrackingStoreContract):
    @pytest.fixture
    def tracking_store(self, reference_server, tmp_path):
        return rest_client(KINDS_BY_KEY["tracking_store"], reference_server, tmp_path)[0]

    @pytest.fixture
    def tracking_uri(self, reference_server):
        return reference_server.url


class TestRegistry(_ThroughServer, ModelRegistryStoreContract):
    @pytest.fixture
    def model_registry_store(self, reference_server, tmp_path):
        return rest_client(KINDS_BY_KEY["model_registry_store"], reference_server, tmp_path)[0]

    @pytest.fixture
    def registry_uri(self, reference_server):
        return reference_server.url


class TestArtifacts(_ThroughServer, ArtifactRepositoryContract):
    @pytest.fixture(scope="class")
    def artifact_repository(self, reference_server, tmp_path_factory):
        return rest_client(KINDS_BY_KEY["artifact_repository"], reference_server, tmp_path_factory.mktemp("c"))[0]
'''

_SQLITE = '''import shutil
    from mlflow_plugin_conformance.reference import sqlite_template
    database = tmp_path_factory.mktemp("sqlite") / "mlflow.db"
    shutil.copyfile(sqlite_template(), database)
    yield "sqlite:///" + database.as_posix()'''

_POSTGRES = '''from mlflow_plugin_conformance.services import ServiceUnavailable, postgres_server
    try:
        server = postgres_server()
        pg = server.__enter__()
    except ServiceUnavailable as exc:
        pytest.skip(f"PostgreSQL cannot start here: {{exc}}")
    try:
        yield pg.create_database("through_server")
    finally:
        server.__exit__(None, None, None)'''

#: The clauses MLflow's reference stores are checked on through the server: every family that talks to the store.
REFERENCE_CLAUSES = [
    "tracking_store/server/*", "tracking_store/experiments/*", "tracking_store/runs/*", "tracking_store/batch/*",
    "tracking_store/search-runs/pagination", "tracking_store/metrics/history-order",
    "model_registry_store/server/*", "model_registry_store/registered-models/*",
    "model_registry_store/search-registered-models/*", "model_registry_store/model-versions/*",
    "model_registry_store/aliases/*",
    "artifact_repository/server/*", "artifact_repository/log/*", "artifact_repository/list/*",
    "artifact_repository/download/missing-artifact",
]


#: Whether the installed MLflow's server answers a missing artifact of a LocalArtifactRepository with HTTP 500: its
#: download handler asks ``get_local_path`` first where the repository defines it (MLflow 3), which raises
#: RESOURCE_DOES_NOT_EXIST; before, ``download_artifacts`` raised OSError.
LOCAL_REPOSITORY_ANSWERS_500 = "get_local_path" not in vars(LocalArtifactRepository)


def _reference_run(pytester, backend: str, database_findings: dict[str, str] | None = None):
    findings = {f"{clause}@server": why for clause, why in (database_findings or {}).items()}
    pytester.makepyfile(test_references=_REFERENCE_MODULE.format(
        backend=backend, local_repository_defect=LOCAL_REPOSITORY_ANSWERS_500, database_findings=findings))
    result = _run(pytester, "test_references.py", "--mlflow-conformance-report=report.json",
                  *[f"--mlflow-conformance-clause={c}" for c in REFERENCE_CLAUSES])
    if "PostgreSQL cannot start here" in result.stdout.str():
        pytest.skip("PostgreSQL cannot start here")
    report = _report(pytester.path / "report.json")
    bad = {k: r["reason"][:300] for k, r in report.items() if r["outcome"] in ("failed", "not-run")}
    assert not bad, f"MLflow's reference stores through the server: {bad}\n{result.stdout.str()[-3000:]}"
    outcomes = {r["outcome"] for r in report.values()}
    assert "passed" in outcomes and result.ret == 0, result.stdout.str()[-3000:]
    server_family = {k[1]: r["outcome"] for k, r in report.items() if "/server/" in k[1]}
    assert len(server_family) == 12
    expected = "known-failure" if LOCAL_REPOSITORY_ANSWERS_500 else "passed"
    assert server_family["artifact_repository/server/error-codes"] == expected
    assert {o for c, o in server_family.items() if c != "artifact_repository/server/error-codes"} == {"passed"}
    return report


def test_mlflow_sql_stores_on_sqlite_pass_through_the_server(pytester: pytest.Pytester):
    """MLflow's SqlAlchemyStores (SQLite) and LocalArtifactRepository behind ``mlflow server`` (4 workers): every
    checked clause passes, or is one of MLflow's documented server-path findings."""
    report = _reference_run(pytester, _SQLITE)
    assert report[("test_references.py::TestTracking", "tracking_store/experiments/rename-deleted")]["outcome"] == (
        "known-failure")


@pytest.mark.postgres
def test_mlflow_sql_stores_on_postgresql_pass_through_the_server(pytester: pytest.Pytester):
    """The same with MLflow's SQL stores on a real PostgreSQL server started on 127.0.0.1."""
    pytest.importorskip("psycopg2")
    from test_registry_postgres import POSTGRES_FINDINGS

    _reference_run(pytester, _POSTGRES, POSTGRES_FINDINGS)


# -- broken plugins that only the server route catches ---------------------------------------------------------------


def _mutants():
    spec = importlib.util.spec_from_file_location("server_route_mutants", BROKEN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_broken_plugins_pass_in_process_and_fail_through_the_server(pytester: pytest.Pytester, fake_dists):
    """Each broken plugin passes its clauses in process and fails them through the server: values MLflow cannot
    serialise, state kept in one worker process, exceptions MLflow cannot turn into their error code."""
    mutants = _mutants()
    fake_dists.add(mutants.DIST, mutants.ENTRY_POINTS,
                   {"server_route_mutants.py": BROKEN.read_text(encoding="utf-8")})
    clauses = sorted({c for expected in mutants.SERVER_ROUTE_MUTANTS.values() for c in expected})
    result = _run(pytester, f"--mlflow-plugin={mutants.DIST}", "--mlflow-conformance-via=both",
                  "--mlflow-conformance-report=report.json",
                  *[f"--mlflow-conformance-clause={c}" for c in clauses + ["*/build/instance"]])
    report = _report(pytester.path / "report.json")
    caught, missed = [], []
    for (kind, name), expected in sorted(mutants.SERVER_ROUTE_MUTANTS.items()):
        label = f"{kind}:{name}"
        assert report[(label, f"{kind}/build/instance")]["outcome"] == "passed"
        assert report[(f"{label} (server)", f"{kind}/build/instance")]["outcome"] == "passed", report[
            (f"{label} (server)", f"{kind}/build/instance")]["reason"]
        for clause in expected:
            in_process = report[(label, clause)]["outcome"]
            through = report[(f"{label} (server)", clause)]
            assert in_process in ("passed", "not-applicable"), (label, clause, report[(label, clause)]["reason"])
            (caught if through["outcome"] == "failed" else missed).append((label, clause, through["outcome"]))
    print(f"server-route mutants caught: {len(caught)}/{len(caught) + len(missed)}")
    assert not missed, f"the server route did not catch: {missed}\n{result.stdout.str()[-3000:]}"
