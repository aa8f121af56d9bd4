"""Listing: the direct children of a directory, as paths relative to the root, with directory flags and sizes.

The root can be listed three ways MLflow's callers use: ``list_artifacts(None)`` (MlflowClient), ``""``
(download_artifacts of the root) and no argument at all (the base signature's default); each is its own clause.
"""

from __future__ import annotations

from .._support import unique_name
from ..base import clause
from ._helpers import write_file
from ._prerequisites import (
    FILE_AT_ROOT,
    LISTING,
    ROUND_TRIP,
    VIA_LISTED_PATHS,
    check_direct_children,
    check_entry_types_and_sizes,
    log_listing_tree,
    unless_blocked,
)

#: A root listing reads writes made with and without artifact_path, through the listing's basic behaviours.
_ROOT_PREREQUISITES = (ROUND_TRIP, FILE_AT_ROOT, LISTING)


def _root_listing(repo, tmp_path, list_root, spelled: str):
    """Log ``f.txt`` at the root and ``g.txt`` into ``d``; ``list_root(repo)`` must return exactly ``d`` and
    ``f.txt``."""
    repo.log_artifact(str(write_file(tmp_path / "f.txt", b"abc")))
    repo.log_artifact(str(write_file(tmp_path / "g.txt", b"g")), "d")
    with unless_blocked(repo, tmp_path, _ROOT_PREREQUISITES):
        got = sorted(i.path for i in list_root(repo))
        assert got == ["d", "f.txt"], (f"{spelled} returned {got}: at the root it must return the top-level "
                                       "entries, as paths with no leading '/'")


class ListClauses:
    """Clauses of the ``artifact_repository/list/*`` family."""

    @clause("artifact_repository/list/direct-children")
    def test_list_direct_children(self, artifact_repository, tmp_path):
        """list_artifacts(path) returns exactly the direct children of path (no deeper entries), as paths
        relative to the repository root (``path/name``)."""
        with unless_blocked(artifact_repository, tmp_path, (ROUND_TRIP,)):
            check_direct_children(artifact_repository, tmp_path)

    @clause("artifact_repository/list/entry-types-and-sizes")
    def test_list_entry_types_and_sizes(self, artifact_repository, tmp_path):
        """Listed files have is_dir False and file_size their size in bytes; listed directories have is_dir True
        and file_size None."""
        with unless_blocked(artifact_repository, tmp_path, (ROUND_TRIP, LISTING)):
            check_entry_types_and_sizes(artifact_repository, tmp_path)

    @clause("artifact_repository/list/trailing-slash")
    def test_list_trailing_slash(self, artifact_repository, tmp_path):
        """Listing ``dir/`` gives the same entries as listing ``dir``."""
        prefix = log_listing_tree(artifact_repository, tmp_path)
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTED_PATHS):
            plain = sorted((i.path, i.is_dir, i.file_size) for i in artifact_repository.list_artifacts(f"{prefix}/sub"))
            slash = sorted((i.path, i.is_dir, i.file_size)
                           for i in artifact_repository.list_artifacts(f"{prefix}/sub/"))
            assert slash == plain, f"list_artifacts('.../sub/') returned {slash}, list_artifacts('.../sub') {plain}"

    @clause("artifact_repository/list/file-path-is-empty")
    def test_list_file_path_is_empty(self, artifact_repository, tmp_path):
        """Listing the path of a file returns [] (MLflow's download uses this to tell files from directories)."""
        prefix = log_listing_tree(artifact_repository, tmp_path)
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTED_PATHS):
            got = artifact_repository.list_artifacts(f"{prefix}/top.txt")
            assert got == [], f"listing a file returned {got}"

    @clause("artifact_repository/list/missing-path-is-empty")
    def test_list_missing_path_is_empty(self, artifact_repository, tmp_path):
        """Listing a path that does not exist returns [], not an error."""
        prefix = log_listing_tree(artifact_repository, tmp_path)
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTED_PATHS):
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
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTED_PATHS):
            got = [i.path for i in artifact_repository.list_artifacts(f"{prefix}/dir")]
            assert got == [f"{prefix}/dir/x.txt"], f"list_artifacts('.../dir') returned {got}"

    @clause("artifact_repository/list/empty-root")
    def test_list_empty_root(self, artifact_repository_factory):
        """A repository nothing was logged to lists nothing at its root: list_artifacts(None) returns [] (not an
        error: its root may not exist yet)."""
        repo = artifact_repository_factory(unique_name("empty-root"))
        got = repo.list_artifacts(None)
        assert got == [], f"a fresh repository lists {got}"

    @clause("artifact_repository/list/root-none")
    def test_list_root_none(self, artifact_repository_factory, tmp_path):
        """list_artifacts(None) returns exactly the top-level entries (MlflowClient.list_artifacts(run_id))."""
        repo = artifact_repository_factory(unique_name("root-none"))
        _root_listing(repo, tmp_path, lambda r: r.list_artifacts(None), "list_artifacts(None)")

    @clause("artifact_repository/list/root-empty-string")
    def test_list_root_empty_string(self, artifact_repository_factory, tmp_path):
        """list_artifacts("") returns exactly the top-level entries (download_artifacts("") lists the root so)."""
        repo = artifact_repository_factory(unique_name("root-empty"))
        _root_listing(repo, tmp_path, lambda r: r.list_artifacts(""), 'list_artifacts("")')

    @clause("artifact_repository/list/root-no-argument")
    def test_list_root_no_argument(self, artifact_repository_factory, tmp_path):
        """list_artifacts() with no argument returns exactly the top-level entries: ArtifactRepository's
        signature is ``list_artifacts(self, path=None)``, and callers rely on the default."""
        repo = artifact_repository_factory(unique_name("root-noarg"))
        _root_listing(repo, tmp_path, lambda r: r.list_artifacts(), "list_artifacts()")
