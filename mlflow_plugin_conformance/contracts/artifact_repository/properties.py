"""Hypothesis properties: arbitrary file trees round-trip."""

from __future__ import annotations

from .._support import unique_name
from ..base import clause
from ._helpers import files_of, mk, read_local_tree
from ._prerequisites import VIA_LISTING, unless_blocked


class PropertyClauses:
    """Clauses of the ``artifact_repository/properties/*`` family."""

    @clause("artifact_repository/properties/tree-round-trip")
    def test_properties_tree_round_trip(self, artifact_repository, tmp_path_factory):
        """For any file tree (unicode and spaced names, nesting, empty and binary files): log_artifacts, then
        the recursive listing shows every file with its size, and download_artifacts gives it back byte for
        byte."""
        from hypothesis import given, settings

        from ...strategies import file_trees, flatten_tree, write_tree

        @settings(deadline=None)  # the loaded profile's example count; I/O-bound, so no per-example deadline
        @given(tree=file_trees())
        def round_trip(tree):
            expected, _ = flatten_tree(tree)
            work = tmp_path_factory.mktemp("tree")
            write_tree(tree, work / "src")
            prefix = unique_name("prop")
            artifact_repository.log_artifacts(str(work / "src"), prefix)
            listed = files_of(artifact_repository, prefix)
            assert listed == {f"{prefix}/{p}": len(d) for p, d in expected.items()}
            local = artifact_repository.download_artifacts(prefix, dst_path=str(mk(work / "dst")))
            assert read_local_tree(local)[0] == expected

        with unless_blocked(artifact_repository, tmp_path_factory.mktemp("prerequisites"), VIA_LISTING):
            round_trip()
