"""Logging files and trees: where they land, byte for byte, names kept exactly."""

from __future__ import annotations

import os
from pathlib import Path

from .._support import unique_name
from ..base import clause
from ._helpers import LARGE_FILE_BYTES, download_bytes, files_of, mk, read_local_tree, sha256_of, write_file


class LogClauses:
    """Clauses of the ``artifact_repository/log/*`` family."""

    @clause("artifact_repository/log/file-at-root")
    def test_log_file_at_root(self, artifact_repository_factory, tmp_path):
        """log_artifact without artifact_path stores the file directly under the repository root."""
        repo = artifact_repository_factory(unique_name("root"))
        repo.log_artifact(str(write_file(tmp_path / "model.txt", b"weights")))
        assert [(i.path, i.is_dir, i.file_size) for i in repo.list_artifacts(None)] == [("model.txt", False, 7)]
        assert download_bytes(repo, "model.txt", tmp_path / "dl") == b"weights"

    @clause("artifact_repository/log/file-with-artifact-path")
    def test_log_file_with_artifact_path(self, artifact_repository, tmp_path):
        """log_artifact with a nested artifact_path stores the file at ``<artifact_path>/<file name>``."""
        prefix = unique_name("log")
        artifact_repository.log_artifact(str(write_file(tmp_path / "m.bin", b"abc")), f"{prefix}/a/b")
        assert files_of(artifact_repository, prefix) == {f"{prefix}/a/b/m.bin": 3}
        assert download_bytes(artifact_repository, f"{prefix}/a/b/m.bin", tmp_path / "dl") == b"abc"

    @clause("artifact_repository/log/directory-tree")
    def test_log_directory_tree(self, artifact_repository, artifact_repository_factory, tmp_path):
        """log_artifacts uploads a nested tree, byte for byte, under artifact_path (or the root without one)."""
        from ...strategies import flatten_tree, write_tree

        tree = {"a.txt": b"A", "d1": {"b.txt": b"B", "d2": {"c.bin": bytes(range(256)), "e.txt": b""}}}
        write_tree(tree, tmp_path / "src")
        expected, _ = flatten_tree(tree)
        prefix = unique_name("tree")
        artifact_repository.log_artifacts(str(tmp_path / "src"), prefix)
        assert files_of(artifact_repository, prefix) == {f"{prefix}/{p}": len(d) for p, d in expected.items()}
        local = artifact_repository.download_artifacts(prefix, dst_path=str(mk(tmp_path / "dl")))
        assert read_local_tree(local)[0] == expected
        fresh = artifact_repository_factory(unique_name("tree-root"))
        fresh.log_artifacts(str(tmp_path / "src"))
        assert files_of(fresh) == {p: len(d) for p, d in expected.items()}

    @clause("artifact_repository/log/overwrite")
    def test_log_overwrite(self, artifact_repository, tmp_path):
        """Logging a file again to the same path replaces its content (and size), with no second entry."""
        prefix = unique_name("overwrite")
        artifact_repository.log_artifact(str(write_file(tmp_path / "v1" / "f.txt", b"first version, long")), prefix)
        artifact_repository.log_artifact(str(write_file(tmp_path / "v2" / "f.txt", b"second")), prefix)
        assert files_of(artifact_repository, prefix) == {f"{prefix}/f.txt": 6}
        assert download_bytes(artifact_repository, f"{prefix}/f.txt", tmp_path / "dl") == b"second"
        write_file(tmp_path / "tree" / "f.txt", b"third")
        artifact_repository.log_artifacts(str(tmp_path / "tree"), prefix)
        assert download_bytes(artifact_repository, f"{prefix}/f.txt", tmp_path / "dl2") == b"third"

    @clause("artifact_repository/log/empty-file")
    def test_log_empty_file(self, artifact_repository, tmp_path):
        """An empty file is stored and listed (size 0) and downloads as an empty file."""
        prefix = unique_name("empty")
        artifact_repository.log_artifact(str(write_file(tmp_path / "empty.txt", b"")), prefix)
        assert files_of(artifact_repository, prefix) == {f"{prefix}/empty.txt": 0}
        assert download_bytes(artifact_repository, f"{prefix}/empty.txt", tmp_path / "dl") == b""

    @clause("artifact_repository/log/binary-byte-for-byte")
    def test_log_binary_byte_for_byte(self, artifact_repository, tmp_path):
        """Binary content round-trips byte for byte: every byte value, NUL, CR, LF and CRLF kept as written."""
        prefix = unique_name("binary")
        data = bytes(range(256)) * 4 + b"line1\r\nline2\rline3\n\x00\xff\r\n"
        for name in ("data.bin", "text.txt", "table.csv"):  # text-looking names must not be re-encoded either
            artifact_repository.log_artifact(str(write_file(tmp_path / name, data)), prefix)
        for name in ("data.bin", "text.txt", "table.csv"):
            assert download_bytes(artifact_repository, f"{prefix}/{name}", tmp_path / f"dl-{name}") == data, (
                f"{name} changed between upload and download")

    @clause("artifact_repository/log/large-file")
    def test_log_large_file(self, artifact_repository, tmp_path):
        """A 20 MB file round-trips intact (same size and SHA-256): no truncation at chunk or part boundaries."""
        prefix = unique_name("large")
        source = tmp_path / "large.bin"
        with open(source, "wb") as fh:
            for _ in range(LARGE_FILE_BYTES // (1 << 20)):
                fh.write(os.urandom(1 << 20))
        artifact_repository.log_artifact(str(source), prefix)
        assert files_of(artifact_repository, prefix) == {f"{prefix}/large.bin": LARGE_FILE_BYTES}
        local = artifact_repository.download_artifacts(f"{prefix}/large.bin", dst_path=str(mk(tmp_path / "dl")))
        assert sha256_of(Path(local)) == sha256_of(source)

    @clause("artifact_repository/log/unicode-and-spaced-names")
    def test_log_unicode_and_spaced_names(self, artifact_repository, tmp_path):
        """File and directory names with spaces, non-ASCII letters, '+', '=' and '~' are kept exactly."""
        prefix = unique_name("names")
        names = ["with space.txt", "données é.csv", "数据 文件.bin", "a+b=c~.txt"]
        for name in names:
            artifact_repository.log_artifact(str(write_file(tmp_path / "src" / name, name.encode())),
                                             f"{prefix}/dir ü ñ")
        listed = files_of(artifact_repository, prefix)
        assert listed == {f"{prefix}/dir ü ñ/{n}": len(n.encode()) for n in names}
        for i, name in enumerate(names):
            got = download_bytes(artifact_repository, f"{prefix}/dir ü ñ/{name}", tmp_path / f"dl{i}")
            assert got == name.encode()

    @clause("artifact_repository/log/percent-escapes-in-names")
    def test_log_percent_escapes_in_names(self, artifact_repository, tmp_path):
        """A file whose name looks URL-encoded ('%20', '%2F') is stored, listed and downloaded under exactly
        that name: the repository never decodes artifact names (decoding would fetch another file, or none)."""
        prefix = unique_name("percent")
        names = ["pct%20sign.txt", "a%2Fb.txt", "100%.txt"]
        for name in names:
            artifact_repository.log_artifact(str(write_file(tmp_path / "src" / name, name.encode())), prefix)
        assert files_of(artifact_repository, prefix) == {f"{prefix}/{n}": len(n.encode()) for n in names}
        for i, name in enumerate(names):
            got = download_bytes(artifact_repository, f"{prefix}/{name}", tmp_path / f"dl{i}")
            assert got == name.encode(), f"downloading {name!r} gave other content"
