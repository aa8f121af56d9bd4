"""Method coverage, measured: which public methods of MLflow's three store interfaces the contracts exercise.

The tracking-store, model-registry and artifact-repository contracts run (in a subprocess, with few Hypothesis
examples) against MLflow's reference implementations wrapped in recording subclasses (tests/_method_recorder.py):
a method counts as exercised when a clause called it from outside the store (the store's calls to itself do not
count). Every public method of

* ``mlflow.store.tracking.abstract_store.AbstractStore``,
* ``mlflow.store.model_registry.abstract_store.AbstractStore``,
* ``mlflow.store.artifact.artifact_repo.ArtifactRepository``

in the installed MLflow must be exercised or listed in ``NOT_EXERCISED`` below with the reason. An entry for a
method a clause now exercises is stale and fails too, so the table stays true. The coverage per class is printed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent

ASYNC = "asynchronous wrapper of a covered method; MLflow's async logging queue calls it, not a store plugin"
DATABRICKS = "Databricks only: MLflow's other stores raise NotImplementedError"
SERVER_JOB = "server-side maintenance job, run by `mlflow server`'s scheduler over the whole store, not by a client"
LIFECYCLE = "process lifecycle of the async logging queue (AbstractStore's own); no store-specific behaviour"

#: Methods no clause calls, per interface, with the reason. Edit here when a clause starts covering one (a stale
#: entry fails the test) or when MLflow adds a method (an unlisted, unexercised method fails the test).
NOT_EXERCISED: dict[str, dict[str, str]] = {
    "tracking": {
        "log_batch_async": ASYNC,
        "log_metric_async": ASYNC,
        "log_param_async": ASYNC,
        "set_tag_async": ASYNC,
        "log_spans_async": ASYNC,
        "end_async_logging": LIFECYCLE,
        "flush_async_logging": LIFECYCLE,
        "shut_down_async_logging": LIFECYCLE,
        "get_online_trace_details": DATABRICKS,
        "archive_traces": SERVER_JOB + " (moves span payloads of old traces to an archive artifact location)",
        "resolve_trace_archival_config": SERVER_JOB + " (the archival job's configuration hook; AbstractStore's "
                                                      "default returns the server's defaults)",
        "get_mcp_server_versions_for_trace": "tracking_store/mcp-servers/link-to-trace calls it after "
                                             "link_mcp_server_versions_to_trace, which MLflow's SQL store (the "
                                             "measured reference) answers NotImplementedError, as it does this one",
    },
    "registry": {},
    "artifact": {
        "download_archived_trace_data": "archived trace data (MLflow 3.13, the server's trace archival) has no "
                                        "clause yet: not covered, listed so that it shows",
        "flush_async_logging": "the base class's async-logging queue lifecycle (MLflow calls it at shutdown); "
                               "the repository's own write path under it, log_artifact, is covered",
        "upload_archived_trace_data": "archived trace data (MLflow 3.13) has no clause yet: not covered",
        "upload_archived_trace_data_bytes": "archived trace data (MLflow 3.13) has no clause yet: not covered",
    },
}

INTERFACES = {
    "tracking": ("mlflow.store.tracking.abstract_store", "AbstractStore"),
    "registry": ("mlflow.store.model_registry.abstract_store", "AbstractStore"),
    "artifact": ("mlflow.store.artifact.artifact_repo", "ArtifactRepository"),
}

_MODULE = '''
import json, os
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("method-coverage", max_examples=3, stateful_step_count=10, deadline=None,
                          suppress_health_check=list(HealthCheck))
settings.load_profile("method-coverage")

from mlflow.store.artifact.artifact_repo import ArtifactRepository
from mlflow.store.artifact.local_artifact_repo import LocalArtifactRepository
from mlflow.store.model_registry.abstract_store import AbstractStore as RegistryAbstractStore
from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore as RegistrySqlAlchemyStore
from mlflow.store.tracking.abstract_store import AbstractStore as TrackingAbstractStore
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

from mlflow_plugin_conformance.contracts.artifact_repository import ArtifactRepositoryContract
from mlflow_plugin_conformance.contracts.model_registry_store import ModelRegistryStoreContract
from mlflow_plugin_conformance.contracts.tracking_store import TrackingStoreContract
from mlflow_plugin_conformance.reference import fresh_registry_sqlite_uri, fresh_sqlite_uri

from _method_recorder import recording_subclass

CALLS = {"tracking": set(), "registry": set(), "artifact": set()}
RecordingTrackingStore = recording_subclass(SqlAlchemyStore, TrackingAbstractStore, CALLS["tracking"])
RecordingRegistryStore = recording_subclass(RegistrySqlAlchemyStore, RegistryAbstractStore, CALLS["registry"])
RecordingArtifactRepository = recording_subclass(LocalArtifactRepository, ArtifactRepository, CALLS["artifact"])


@pytest.fixture(scope="session", autouse=True)
def _dump_calls():
    yield
    with open(os.environ["METHOD_COVERAGE_OUT"], "w") as out:
        json.dump({k: sorted(v) for k, v in CALLS.items()}, out)


class TestTracking(TrackingStoreContract):
    @pytest.fixture(scope="class")
    @classmethod
    def _store(cls, tmp_path_factory):
        directory = tmp_path_factory.mktemp("tracking")
        return RecordingTrackingStore(fresh_sqlite_uri(directory), (directory / "artifacts").as_uri())

    @pytest.fixture
    def tracking_store(self, _store):
        return _store


class TestRegistry(ModelRegistryStoreContract):
    @pytest.fixture(scope="class")
    @classmethod
    def _uri(cls, tmp_path_factory):
        return fresh_registry_sqlite_uri(tmp_path_factory.mktemp("registry"))

    @pytest.fixture
    def model_registry_store(self, _uri):
        return RecordingRegistryStore(_uri)

    @pytest.fixture
    def registry_uri(self, _uri):
        return _uri


class TestArtifacts(ArtifactRepositoryContract):
    @pytest.fixture(scope="class")
    @classmethod
    def _root(cls, tmp_path_factory):
        return tmp_path_factory.mktemp("artifacts")

    @pytest.fixture
    def artifact_repository(self, _root):
        return RecordingArtifactRepository(_root.as_uri())
'''


def interface_methods() -> dict[str, list[str]]:
    import importlib

    sys.path.insert(0, str(HERE))
    try:
        from _method_recorder import public_methods
    finally:
        sys.path.remove(str(HERE))
    return {key: public_methods(getattr(importlib.import_module(module), name))
            for key, (module, name) in INTERFACES.items()}


@pytest.fixture(scope="module")
def exercised(tmp_path_factory) -> dict[str, set[str]]:
    """Run the three contracts against recording reference implementations; the methods each clause called."""
    root = tmp_path_factory.mktemp("method-coverage")
    shutil.copy(HERE / "_method_recorder.py", root / "_method_recorder.py")
    (root / "test_recorded.py").write_text(_MODULE)
    out = root / "calls.json"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "-q", "-o", "addopts=",
         "--mlflow-conformance-timeout=300", "test_recorded.py"],
        cwd=root, capture_output=True, text=True, timeout=900,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
             "METHOD_COVERAGE_OUT": str(out), "MLFLOW_DISABLE_TELEMETRY": "true"})
    assert out.exists(), f"the recorded run wrote no calls:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"
    return {key: set(names) for key, names in json.loads(out.read_text()).items()}


@pytest.mark.parametrize("interface", sorted(INTERFACES))
def test_every_method_exercised_or_explained(exercised, interface):
    """Each public method of the interface is called by a clause or listed in NOT_EXERCISED with its reason."""
    methods = interface_methods()[interface]
    called = exercised[interface] & set(methods)
    explained = NOT_EXERCISED[interface]
    module, name = INTERFACES[interface]
    print(f"\n{module}.{name}: {len(called)}/{len(methods)} public methods exercised by clauses, "
          f"{len(set(explained) & set(methods))} explained, "
          f"{len([m for m in methods if m not in called and m not in explained])} unmapped")
    unmapped = [m for m in methods if m not in called and m not in explained]
    assert not unmapped, (f"{name} methods no clause exercises and NOT_EXERCISED does not explain "
                          f"({len(unmapped)}): {unmapped}")


@pytest.mark.parametrize("interface", sorted(INTERFACES))
def test_no_stale_explanations(exercised, interface):
    """NOT_EXERCISED lists only methods no clause exercises: an entry for a method a clause now calls is stale.
    (Entries for methods the installed MLflow does not have yet are kept: the table serves several releases.)"""
    stale = sorted(m for m in NOT_EXERCISED[interface] if m in exercised[interface])
    assert not stale, f"stale NOT_EXERCISED entries for {interface}: {stale}"
