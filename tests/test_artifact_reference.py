"""The artifact contract against MLflow's own LocalArtifactRepository (file://) and S3ArtifactRepository (s3:// on
moto's server mode). Every divergence is a recorded finding (``mlflow_plugin_conformance.findings``), declared as a
strict known failure with its reason: if MLflow fixes one, the unexpected pass fails this suite and the
declaration must go.
"""

from __future__ import annotations

import pytest

from mlflow_plugin_conformance import Capabilities
from mlflow_plugin_conformance.contracts.artifact_repository import ArtifactRepositoryContract
from mlflow_plugin_conformance.findings import known_failures
from mlflow_plugin_conformance.services import moto_s3  # noqa: F401  (session fixture)


def _local_findings() -> dict[str, str]:
    """LocalArtifactRepository's findings on the installed MLflow (mlflow_plugin_conformance.findings)."""
    import mlflow
    from mlflow.store.artifact.local_artifact_repo import LocalArtifactRepository

    return known_failures(LocalArtifactRepository, mlflow.__version__)


def _s3_findings() -> dict[str, str]:
    """S3ArtifactRepository's findings on the installed MLflow (mlflow_plugin_conformance.findings)."""
    import mlflow
    from mlflow.store.artifact.s3_artifact_repo import S3ArtifactRepository

    return known_failures(S3ArtifactRepository, mlflow.__version__)


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
