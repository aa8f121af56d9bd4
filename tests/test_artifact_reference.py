"""The artifact contract against MLflow's own LocalArtifactRepository (file://) and S3ArtifactRepository (s3:// on
moto's server mode). Every divergence is a recorded finding, declared as a strict known failure with its reason:
if MLflow fixes one, the unexpected pass fails this suite and the declaration must go.
"""

from __future__ import annotations

import pytest

from mlflow_plugin_conformance import Capabilities
from mlflow_plugin_conformance.contracts.artifact_repository import ArtifactRepositoryContract
from mlflow_plugin_conformance.services import moto_s3  # noqa: F401  (session fixture)

LOCAL_FINDINGS = {
    "artifact_repository/log/percent-escapes-in-names":
        "LocalArtifactRepository URL-decodes names on download (validate_path_is_safe): 'a%20b.txt' is stored "
        "but downloading it looks for 'a b.txt'",
    "artifact_repository/delete/literal-names":
        "LocalArtifactRepository.delete_artifacts URL-decodes the path: deleting 'a%20b.txt' deletes 'a b.txt'",
    "artifact_repository/safety/traversal-delete":
        "LocalArtifactRepository.delete_artifacts validates nothing and URL-decodes the joined path: "
        "'../x', '%2e%2e/x' and absolute paths delete outside the artifact root",
}



def _local_findings() -> dict[str, str]:
    """LOCAL_FINDINGS plus what the installed (older) MLflow's LocalArtifactRepository also violates."""
    import mlflow

    from mlflow_plugin_conformance.capabilities import version_at_least

    findings = dict(LOCAL_FINDINGS)
    if not version_at_least(mlflow.__version__, "3.7"):
        findings["artifact_repository/safety/traversal-list"] = (
            "MLflow < 3.7: LocalArtifactRepository.list_artifacts joins the path unchecked (no "
            "validate_path_within_directory), so '../outside' or an absolute path lists files outside the root")
    return findings


S3_FINDINGS = {
    "artifact_repository/safety/dotdot-write":
        "S3ArtifactRepository stores '../outside' literally as the key '<root>/../outside/...', then lists it "
        "back as the entry '..' (posixpath.relpath), a path outside the root that MLflow's download refuses",
    "artifact_repository/safety/tree-dotdot-write":
        "S3ArtifactRepository.log_artifacts stores '../outside' literally as keys '<root>/../outside/...', then "
        "lists them back under the entry '..' (posixpath.relpath), a path outside the root",
    "artifact_repository/safety/absolute-write":
        "S3ArtifactRepository posixpath.join()s an absolute artifact_path, which replaces the root prefix: "
        "the object is written outside the repository root",
}


def _s3_findings() -> dict[str, str]:
    """S3_FINDINGS plus what the installed (older) MLflow's S3ArtifactRepository also violates."""
    import mlflow

    from mlflow_plugin_conformance.capabilities import version_at_least

    findings = dict(S3_FINDINGS)
    if not version_at_least(mlflow.__version__, "3.16"):
        findings["artifact_repository/delete/sibling-prefix-kept"] = (
            "MLflow < 3.16: S3ArtifactRepository.delete_artifacts deletes every key under the bare prefix (no "
            "_is_object_key_within_path check), so deleting 'dir' also deletes the sibling 'dir-2/...'")
    return findings


@pytest.fixture(scope="class")
def local_root(tmp_path_factory):
    """One root per class: the clauses share it and isolate themselves with unique artifact paths."""
    return tmp_path_factory.mktemp("local-artifacts")


class TestLocalArtifactRepository(ArtifactRepositoryContract):
    @pytest.fixture
    def artifact_repository(self, local_root):
        from mlflow.store.artifact.local_artifact_repo import LocalArtifactRepository

        return LocalArtifactRepository(local_root.as_uri())

    @pytest.fixture
    def mlflow_conformance_capabilities(self):
        return Capabilities(known_failures=_local_findings())


class TestS3ArtifactRepositoryOnMoto(ArtifactRepositoryContract):
    @pytest.fixture
    def artifact_repository(self, moto_s3):  # noqa: F811
        from mlflow.store.artifact.s3_artifact_repo import S3ArtifactRepository

        return S3ArtifactRepository(moto_s3.uri("root"))

    @pytest.fixture
    def mlflow_conformance_capabilities(self):
        return Capabilities(known_failures=_s3_findings())


@pytest.fixture(autouse=True, scope="module")
def _quick_hypothesis_profile():
    """This module's properties run under the suite's `quick` profile; the previous profile is restored."""
    from hypothesis import settings

    from mlflow_plugin_conformance.strategies import load_profile

    previous = settings._current_profile
    load_profile("quick")
    yield
    settings.load_profile(previous)
