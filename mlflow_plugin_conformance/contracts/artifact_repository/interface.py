"""Interface: ArtifactRepository declares its abstract methods with the Python 2 ``__metaclass__`` spelling, so
Python does not enforce them: a repository that forgets one inherits a body that silently returns None."""

from __future__ import annotations

import pytest

from ..base import clause
from ..shared.interface import signature_problems, unimplemented_abstracts


class InterfaceClauses:
    """Clauses of the ``artifact_repository/interface/*`` family."""

    @clause("artifact_repository/interface/abstract-methods", routes=("in-process",))
    def test_interface_abstract_methods(self, artifact_repository):
        """Every abstract method of ArtifactRepository (log_artifact, log_artifacts, list_artifacts,
        _download_file) is implemented, not inherited: MLflow's trace data, attachments and default downloads
        call _download_file even when download_artifacts is overridden."""
        from mlflow.store.artifact.artifact_repo import ArtifactRepository

        missing = unimplemented_abstracts(type(artifact_repository), ArtifactRepository)
        if missing:
            pytest.fail(f"{type(artifact_repository).__name__} does not implement {', '.join(missing)}: it inherits "
                        "ArtifactRepository's body, which returns None silently (the abstract methods are not "
                        "enforced)", pytrace=False)

    @clause("artifact_repository/interface/signatures", routes=("in-process",))
    def test_interface_signatures(self, artifact_repository):
        """Every ArtifactRepository method the repository overrides accepts the parameters MLflow passes (e.g.
        ``log_artifact(local_file, artifact_path=None)``, ``download_artifacts(artifact_path, dst_path=None)``)."""
        from mlflow.store.artifact.artifact_repo import ArtifactRepository

        problems = signature_problems(type(artifact_repository), ArtifactRepository)
        assert not problems, "overrides that cannot take MLflow's calls:\n  " + "\n  ".join(problems)
