"""Logging files and trees: where they land, byte for byte, names kept exactly. Each write path (log_artifact,
log_artifacts) is checked on its own; a write is read back through listings and single-file downloads, so a
broken read makes these clauses *blocked* (see ``_prerequisites``), not failed."""

from __future__ import annotations

import os
from pathlib import Path

from .._support import unique_name
from ..base import clause
from ._helpers import LARGE_FILE_BYTES, assert_stored, files_of, mk, sha256_of, write_file
from ._prerequisites import (
    VIA_DOWNLOAD,
    VIA_LISTING,
    VIA_ROOT_LISTING,
    check_file_at_root,
    check_round_trip,
    unless_blocked,
)

#: A nested tree: files at three depths, a binary and an empty file.
_TREE = {"a.txt": b"A", "d1": {"b.txt": b"B", "d2": {"c.bin": bytes(range(256)), "e.txt": b""}}}


class LogClauses:
    """Clauses of the ``artifact_repository/log/*`` family."""

    @clause("artifact_repository/log/file-at-root")
    def test_log_file_at_root(self, artifact_repository_factory, tmp_path):
        """log_artifact without artifact_path stores the file directly under the repository root:
        download_artifacts(<file name>) gives it back."""
        repo = artifact_repository_factory(unique_name("root"))
        with unless_blocked(repo, tmp_path, VIA_DOWNLOAD):
            check_file_at_root(repo, tmp_path)

    @clause("artifact_repository/log/file-with-artifact-path")
    def test_log_file_with_artifact_path(self, artifact_repository, tmp_path):
        """log_artifact with a nested artifact_path stores the file at ``<artifact_path>/<file name>``:
        download_artifacts of that path gives its bytes back. (The most basic write and read: every other clause
        that reads a write back is blocked, not failed, when this one fails.)"""
        check_round_trip(artifact_repository, tmp_path)

    @clause("artifact_repository/log/directory-tree")
    def test_log_directory_tree(self, artifact_repository, tmp_path):
        """log_artifacts(local_dir, artifact_path) uploads a nested tree, byte for byte, under artifact_path."""
        from ...strategies import flatten_tree, write_tree

        write_tree(_TREE, tmp_path / "src")
        prefix = unique_name("tree")
        artifact_repository.log_artifacts(str(tmp_path / "src"), prefix)
        expected = {f"{prefix}/{path}": data for path, data in flatten_tree(_TREE)[0].items()}
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTING):
            assert_stored(artifact_repository, expected, tmp_path, prefix)

    @clause("artifact_repository/log/tree-at-root")
    def test_log_tree_at_root(self, artifact_repository_factory, tmp_path):
        """log_artifacts(local_dir) without artifact_path uploads the tree's contents directly under the root
        (not under a directory named after local_dir)."""
        from ...strategies import flatten_tree, write_tree

        repo = artifact_repository_factory(unique_name("tree-root"))
        write_tree(_TREE, tmp_path / "src")
        repo.log_artifacts(str(tmp_path / "src"))
        with unless_blocked(repo, tmp_path, VIA_ROOT_LISTING):
            assert_stored(repo, flatten_tree(_TREE)[0], tmp_path)

    @clause("artifact_repository/log/overwrite")
    def test_log_overwrite(self, artifact_repository, tmp_path):
        """log_artifact of a file to a path that holds one replaces its content (and size), with no second
        entry."""
        prefix = unique_name("overwrite")
        artifact_repository.log_artifact(str(write_file(tmp_path / "v1" / "f.txt", b"first version, long")), prefix)
        artifact_repository.log_artifact(str(write_file(tmp_path / "v2" / "f.txt", b"second")), prefix)
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTING):
            assert_stored(artifact_repository, {f"{prefix}/f.txt": b"second"}, tmp_path, prefix)

    @clause("artifact_repository/log/tree-overwrite")
    def test_log_tree_overwrite(self, artifact_repository, tmp_path):
        """log_artifacts of a tree holding a file that is already stored replaces that file's content."""
        prefix = unique_name("overwrite-tree")
        artifact_repository.log_artifact(str(write_file(tmp_path / "v1" / "f.txt", b"first version, long")), prefix)
        write_file(tmp_path / "tree" / "f.txt", b"third")
        artifact_repository.log_artifacts(str(tmp_path / "tree"), prefix)
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTING):
            assert_stored(artifact_repository, {f"{prefix}/f.txt": b"third"}, tmp_path, prefix)

    @clause("artifact_repository/log/empty-file")
    def test_log_empty_file(self, artifact_repository, tmp_path):
        """An empty file is stored and listed (size 0) and downloads as an empty file."""
        prefix = unique_name("empty")
        artifact_repository.log_artifact(str(write_file(tmp_path / "empty.txt", b"")), prefix)
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTING):
            assert_stored(artifact_repository, {f"{prefix}/empty.txt": b""}, tmp_path, prefix)

    @clause("artifact_repository/log/binary-byte-for-byte")
    def test_log_binary_byte_for_byte(self, artifact_repository, tmp_path):
        """Binary content round-trips byte for byte: every byte value, NUL, CR, LF and CRLF kept as written."""
        prefix = unique_name("binary")
        data = bytes(range(256)) * 4 + b"line1\r\nline2\rline3\n\x00\xff\r\n"
        names = ("data.bin", "text.txt", "table.csv")  # text-looking names must not be re-encoded either
        for name in names:
            artifact_repository.log_artifact(str(write_file(tmp_path / name, data)), prefix)
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTING):
            assert_stored(artifact_repository, {f"{prefix}/{name}": data for name in names}, tmp_path, prefix)

    @clause("artifact_repository/log/large-file")
    def test_log_large_file(self, artifact_repository, tmp_path):
        """A 20 MB file round-trips intact (same size and SHA-256): no truncation at chunk or part boundaries."""
        prefix = unique_name("large")
        source = tmp_path / "large.bin"
        with open(source, "wb") as fh:
            for _ in range(LARGE_FILE_BYTES // (1 << 20)):
                fh.write(os.urandom(1 << 20))
        artifact_repository.log_artifact(str(source), prefix)
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTING):
            assert files_of(artifact_repository, prefix) == {f"{prefix}/large.bin": LARGE_FILE_BYTES}
            local = artifact_repository.download_artifacts(f"{prefix}/large.bin", dst_path=str(mk(tmp_path / "dl")))
            assert sha256_of(Path(local)) == sha256_of(source), "the downloaded file differs from the one logged"

    @clause("artifact_repository/log/unicode-and-spaced-names")
    def test_log_unicode_and_spaced_names(self, artifact_repository, tmp_path):
        """File and directory names with spaces, non-ASCII letters, '+', '=' and '~' are kept exactly."""
        prefix = unique_name("names")
        names = ["with space.txt", "données é.csv", "数据 文件.bin", "a+b=c~.txt"]
        for name in names:
            artifact_repository.log_artifact(str(write_file(tmp_path / "src" / name, name.encode())),
                                             f"{prefix}/dir ü ñ")
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTING):
            assert_stored(artifact_repository, {f"{prefix}/dir ü ñ/{n}": n.encode() for n in names}, tmp_path,
                          prefix)

    @clause("artifact_repository/log/percent-escapes-in-names")
    def test_log_percent_escapes_in_names(self, artifact_repository, tmp_path):
        """A file whose name looks URL-encoded ('%20', '%2F') is stored, listed and downloaded under exactly
        that name: the repository never decodes artifact names (decoding would fetch another file, or none)."""
        prefix = unique_name("percent")
        names = ["pct%20sign.txt", "a%2Fb.txt", "100%.txt"]
        for name in names:
            artifact_repository.log_artifact(str(write_file(tmp_path / "src" / name, name.encode())), prefix)
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTING):
            assert_stored(artifact_repository, {f"{prefix}/{n}": n.encode() for n in names}, tmp_path, prefix)
