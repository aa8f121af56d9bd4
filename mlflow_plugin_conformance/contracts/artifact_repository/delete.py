"""Deleting files and directories (an optional feature: NotImplementedError declares it unsupported; keeping the
base class's silent no-op fails). What a delete left is read back through listings."""

from __future__ import annotations

from .._support import unique_name
from ..base import clause
from ._helpers import DELETE, files_of, require_real_delete, write_file
from ._prerequisites import VIA_LISTING, unless_blocked


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
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTING):
            left = files_of(artifact_repository, prefix)
            assert left == {f"{prefix}/b.txt": 5}, f"after deleting a.txt the directory holds {left}"

    @clause("artifact_repository/delete/directory", feature=DELETE)
    def test_delete_directory(self, artifact_repository, tmp_path):
        """delete_artifacts(directory) removes the whole subtree, nested directories included."""
        require_real_delete(artifact_repository)
        prefix = unique_name("del")
        write_file(tmp_path / "src" / "x.txt", b"x")
        write_file(tmp_path / "src" / "deep" / "y.txt", b"y")
        artifact_repository.log_artifacts(str(tmp_path / "src"), f"{prefix}/dir")
        artifact_repository.log_artifact(str(write_file(tmp_path / "keep.txt", b"k")), prefix)
        artifact_repository.delete_artifacts(f"{prefix}/dir")
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTING):
            left = files_of(artifact_repository, prefix)
            assert left == {f"{prefix}/keep.txt": 1}, f"after deleting 'dir' the parent holds {left}"
            assert artifact_repository.list_artifacts(f"{prefix}/dir") == [], "the deleted directory still lists"

    @clause("artifact_repository/delete/sibling-prefix-kept", feature=DELETE)
    def test_delete_sibling_prefix_kept(self, artifact_repository, tmp_path):
        """Deleting directory ``dir`` leaves a sibling whose name starts with the same letters (``dir-2``):
        directory boundaries are path components, not string prefixes."""
        require_real_delete(artifact_repository)
        prefix = unique_name("del")
        artifact_repository.log_artifact(str(write_file(tmp_path / "x.txt", b"x")), f"{prefix}/dir")
        artifact_repository.log_artifact(str(write_file(tmp_path / "keep.txt", b"k")), f"{prefix}/dir-2")
        artifact_repository.delete_artifacts(f"{prefix}/dir")
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTING):
            left = files_of(artifact_repository, f"{prefix}/dir-2")
            assert left == {f"{prefix}/dir-2/keep.txt": 1}, f"deleting 'dir' changed 'dir-2': it holds {left}"

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
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTING):
            assert files_of(artifact_repository, prefix) == {f"{prefix}/a.txt": 1}

    @clause("artifact_repository/delete/literal-names", feature=DELETE)
    def test_delete_literal_names(self, artifact_repository, tmp_path):
        """delete_artifacts takes names literally: deleting 'a%20b.txt' removes that file and never 'a b.txt'."""
        require_real_delete(artifact_repository)
        prefix = unique_name("del")
        for name in ("a b.txt", "a%20b.txt"):
            artifact_repository.log_artifact(str(write_file(tmp_path / "src" / name, name.encode())), prefix)
        artifact_repository.delete_artifacts(f"{prefix}/a%20b.txt")
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTING):
            assert files_of(artifact_repository, prefix) == {f"{prefix}/a b.txt": 7}, "the wrong file was deleted"
