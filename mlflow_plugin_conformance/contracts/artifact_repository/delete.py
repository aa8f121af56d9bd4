"""Deleting files and directories (an optional feature: NotImplementedError declares it unsupported)."""

from __future__ import annotations

from .._support import unique_name
from ..base import clause
from ._helpers import DELETE, files_of, require_real_delete, write_file


class DeleteClauses:
    """Clauses of the ``artifact_repository/delete/*`` family."""

    @clause("artifact_repository/delete/file", feature=DELETE)
    def test_delete_file(self, artifact_repository, tmp_path):
        """delete_artifacts(file) removes that file only; its siblings stay."""
        require_real_delete(artifact_repository)
        prefix = unique_name("del")
        for name in ("a.txt", "b.txt"):
            artifact_repository.log_artifact(str(write_file(tmp_path / name, name.encode())), prefix)
        artifact_repository.delete_artifacts(f"{prefix}/a.txt")
        assert files_of(artifact_repository, prefix) == {f"{prefix}/b.txt": 5}

    @clause("artifact_repository/delete/directory", feature=DELETE)
    def test_delete_directory(self, artifact_repository, tmp_path):
        """delete_artifacts(directory) removes the whole subtree; a sibling sharing its name as a prefix
        (``dir-2`` next to ``dir``) stays."""
        require_real_delete(artifact_repository)
        prefix = unique_name("del")
        write_file(tmp_path / "src" / "x.txt", b"x")
        write_file(tmp_path / "src" / "deep" / "y.txt", b"y")
        artifact_repository.log_artifacts(str(tmp_path / "src"), f"{prefix}/dir")
        artifact_repository.log_artifact(str(write_file(tmp_path / "keep.txt", b"k")), f"{prefix}/dir-2")
        artifact_repository.delete_artifacts(f"{prefix}/dir")
        assert files_of(artifact_repository, prefix) == {f"{prefix}/dir-2/keep.txt": 1}
        assert artifact_repository.list_artifacts(f"{prefix}/dir") == []

    @clause("artifact_repository/delete/missing-path", feature=DELETE)
    def test_delete_missing_path(self, artifact_repository, tmp_path):
        """Deleting a path that does not exist succeeds (or raises RESOURCE_DOES_NOT_EXIST) and removes nothing."""
        from mlflow.exceptions import MlflowException

        require_real_delete(artifact_repository)
        prefix = unique_name("del")
        artifact_repository.log_artifact(str(write_file(tmp_path / "a.txt", b"a")), prefix)
        try:
            artifact_repository.delete_artifacts(f"{prefix}/no-such-thing")
        except MlflowException as exc:
            if exc.error_code != "RESOURCE_DOES_NOT_EXIST":
                raise
        assert files_of(artifact_repository, prefix) == {f"{prefix}/a.txt": 1}

    @clause("artifact_repository/delete/literal-names", feature=DELETE)
    def test_delete_literal_names(self, artifact_repository, tmp_path):
        """delete_artifacts takes names literally: deleting 'a%20b.txt' removes that file and never 'a b.txt'."""
        require_real_delete(artifact_repository)
        prefix = unique_name("del")
        for name in ("a b.txt", "a%20b.txt"):
            artifact_repository.log_artifact(str(write_file(tmp_path / "src" / name, name.encode())), prefix)
        artifact_repository.delete_artifacts(f"{prefix}/a%20b.txt")
        assert files_of(artifact_repository, prefix) == {f"{prefix}/a b.txt": 7}, "the wrong file was deleted"
