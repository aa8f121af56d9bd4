"""The artifact-repository contract (``mlflow.artifact_repository``).

Subclass :class:`ArtifactRepositoryContract` and provide an ``artifact_repository`` fixture returning the
repository under test, rooted at a location that nothing else uses.  Clauses share that repository (one per
class) and work under their own unique ``artifact_path`` prefixes.

Clauses that need an empty repository (root listings, path safety, the differential machine, the end-to-end run)
build fresh ones with the ``artifact_repository_factory`` fixture: ``factory(sub)`` returns a repository rooted at
``<root>/<sub>``.  The default builds ``<artifact_uri>/<sub>`` with MLflow's registry when the scheme is
registered there to the same class, else with ``type(repo)(uri)``.  Override it when your constructor needs more
than the URI::

    @pytest.fixture
    def artifact_repository_factory(self, artifact_repository):
        return lambda sub: MyRepo(f"{artifact_repository.artifact_uri}/{sub}", endpoint_url=...)

Each clause names the behaviour of ``mlflow.store.artifact.artifact_repo.ArtifactRepository`` (and of MLflow's
``LocalArtifactRepository``) that MLflow's client relies on. The clauses are grouped by family, one module each;
the contract class combines them.
"""

from __future__ import annotations

import pytest

from ..base import ContractBase, required_fixture
from ..server_route import ArtifactServerClauses
from ._helpers import build_child_repository
from .concurrency import ConcurrencyClauses
from .delete import DeleteClauses
from .download import DownloadClauses
from .end_to_end import EndToEndClauses
from .interface import InterfaceClauses
from .list import ListClauses
from .log import LogClauses
from .mixins import MixinClauses
from .properties import PropertyClauses
from .safety import SafetyClauses
from .stateful import ArtifactRepositoryDifferentialMachine, DifferentialClauses
from .traces import TraceClauses

_EXAMPLE = """    @pytest.fixture
    def artifact_repository(self, tmp_path):
        return MyArtifactRepository(f"my-scheme://{tmp_path}/artifacts")"""

__all__ = ["ArtifactRepositoryContract", "ArtifactRepositoryDifferentialMachine"]


class ArtifactRepositoryContract(
    InterfaceClauses,
    LogClauses,
    ListClauses,
    DownloadClauses,
    DeleteClauses,
    SafetyClauses,
    MixinClauses,
    TraceClauses,
    EndToEndClauses,
    PropertyClauses,
    DifferentialClauses,
    ConcurrencyClauses,
    ArtifactServerClauses,
    ContractBase,
):
    """Contract clauses for an artifact repository. Provide the ``artifact_repository`` fixture (and optionally
    ``artifact_repository_factory``, when a repository at ``<root>/<sub>`` needs more than a URI to build)."""

    kind_key = "artifact_repository"
    target_fixture = "artifact_repository"

    artifact_repository = required_fixture("artifact_repository", "ArtifactRepositoryContract", _EXAMPLE)

    @pytest.fixture
    def artifact_repository_factory(self, artifact_repository, mlflow_target_context):
        """``factory(sub) -> repository`` rooted at ``<root>/<sub>``: a fresh, empty repository per call (built
        directly, like the target, under ``--mlflow-conformance-build=direct`` when MLflow's registry cannot)."""
        directly = bool(mlflow_target_context.get("registry_failure"))
        return lambda sub: build_child_repository(artifact_repository, sub, directly=directly)
