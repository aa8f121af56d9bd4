"""Listing: direct children, as paths relative to the root, with directory flags and sizes."""

from __future__ import annotations

from .._support import unique_name
from ..base import clause
from ._helpers import log_listing_tree, write_file


class ListClauses:
    """Clauses of the ``artifact_repository/list/*`` family."""

    @clause("artifact_repository/list/direct-children")
    def test_list_direct_children(self, artifact_repository, tmp_path):
        """list_artifacts(path) returns only the direct children of path, as paths relative to the repository
        root (``path/name``), with is_dir set and file_size the byte size for files and None for directories."""
        prefix = log_listing_tree(artifact_repository, tmp_path)
        got = sorted((i.path, i.is_dir, i.file_size) for i in artifact_repository.list_artifacts(prefix))
        assert got == [(f"{prefix}/sub", True, None), (f"{prefix}/top.txt", False, 5)]
        got = sorted((i.path, i.is_dir, i.file_size) for i in artifact_repository.list_artifacts(f"{prefix}/sub"))
        assert got == [(f"{prefix}/sub/deep.txt", False, 1), (f"{prefix}/sub/deeper", True, None)]

    @clause("artifact_repository/list/trailing-slash")
    def test_list_trailing_slash(self, artifact_repository, tmp_path):
        """Listing ``dir/`` gives the same entries as listing ``dir``."""
        prefix = log_listing_tree(artifact_repository, tmp_path)
        plain = sorted((i.path, i.is_dir, i.file_size) for i in artifact_repository.list_artifacts(f"{prefix}/sub"))
        slash = sorted((i.path, i.is_dir, i.file_size) for i in artifact_repository.list_artifacts(f"{prefix}/sub/"))
        assert slash == plain

    @clause("artifact_repository/list/file-path-is-empty")
    def test_list_file_path_is_empty(self, artifact_repository, tmp_path):
        """Listing the path of a file returns [] (MLflow's download uses this to tell files from directories)."""
        prefix = log_listing_tree(artifact_repository, tmp_path)
        assert artifact_repository.list_artifacts(f"{prefix}/top.txt") == []

    @clause("artifact_repository/list/missing-path-is-empty")
    def test_list_missing_path_is_empty(self, artifact_repository, tmp_path):
        """Listing a path that does not exist returns [], not an error."""
        prefix = log_listing_tree(artifact_repository, tmp_path)
        assert artifact_repository.list_artifacts(f"{prefix}/no-such-dir") == []
        assert artifact_repository.list_artifacts(unique_name("missing")) == []

    @clause("artifact_repository/list/no-sibling-prefix-leak")
    def test_list_no_sibling_prefix_leak(self, artifact_repository, tmp_path):
        """Listing ``dir`` does not include entries of a sibling whose name starts with the same letters
        (``dir-2``): directory boundaries are path components, not string prefixes."""
        prefix = unique_name("sibling")
        artifact_repository.log_artifact(str(write_file(tmp_path / "a" / "x.txt", b"x")), f"{prefix}/dir")
        artifact_repository.log_artifact(str(write_file(tmp_path / "b" / "y.txt", b"y")), f"{prefix}/dir-2")
        artifact_repository.log_artifact(str(write_file(tmp_path / "c" / "dir.txt", b"z")), prefix)
        assert [i.path for i in artifact_repository.list_artifacts(f"{prefix}/dir")] == [f"{prefix}/dir/x.txt"]

    @clause("artifact_repository/list/root-none-and-empty-string")
    def test_list_root_none_and_empty_string(self, artifact_repository_factory, tmp_path):
        """At the root, list_artifacts(None) and list_artifacts("") both return exactly the top-level entries,
        with paths that have no leading '/'."""
        repo = artifact_repository_factory(unique_name("rootlist"))
        assert repo.list_artifacts(None) == [] and repo.list_artifacts("") == [], "a fresh repository lists entries"
        repo.log_artifact(str(write_file(tmp_path / "f.txt", b"abc")))
        repo.log_artifact(str(write_file(tmp_path / "g.txt", b"g")), "d")
        expected = [("d", True, None), ("f.txt", False, 3)]
        assert sorted((i.path, i.is_dir, i.file_size) for i in repo.list_artifacts(None)) == expected
        assert sorted((i.path, i.is_dir, i.file_size) for i in repo.list_artifacts("")) == expected
