"""The artifact-repository contract (``mlflow.artifact_repository``).

Subclass :class:`ArtifactRepositoryContract` and provide an ``artifact_repository`` fixture returning the
repository under test, rooted at a location that nothing else uses.  Clauses share that repository (one per
class) and work under their own unique ``artifact_path`` prefixes.

Clauses that need an empty repository (root listings, path safety, the differential machine, the public-API run)
build fresh ones with the ``artifact_repository_factory`` fixture: ``factory(sub)`` returns a repository rooted at
``<root>/<sub>``.  The default builds ``<artifact_uri>/<sub>`` with MLflow's registry when the scheme is
registered there to the same class, else with ``type(repo)(uri)``.  Override it when your constructor needs more
than the URI::

    @pytest.fixture
    def artifact_repository_factory(self, artifact_repository):
        return lambda sub: MyRepo(f"{artifact_repository.artifact_uri}/{sub}", endpoint_url=...)

Each clause names the behaviour of ``mlflow.store.artifact.artifact_repo.ArtifactRepository`` (and of MLflow's
``LocalArtifactRepository``) that MLflow's client relies on.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
import posixpath
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from ..outcomes import not_applicable, unsupported
from ._support import raises_mlflow_error, unique_name
from .base import ContractBase, clause, required_fixture
from .server_route import ArtifactServerClauses

_EXAMPLE = """    @pytest.fixture
    def artifact_repository(self, tmp_path):
        return MyArtifactRepository(f"my-scheme://{tmp_path}/artifacts")"""

DELETE = "artifact_repository.delete"
EMPTY_DIRS = "artifact_repository.empty-directories"
STREAM = "artifact_repository.stream-upload"
MULTIPART = "artifact_repository.multipart-upload"
PRESIGNED_UPLOAD = "artifact_repository.presigned-upload"
PRESIGNED_DOWNLOAD = "artifact_repository.presigned-download"

LARGE_FILE_BYTES = 20 * 1024 * 1024
_MAX_WALK_DEPTH = 32


# -- helpers ---------------------------------------------------------------------------------------------------


def child_uri(artifact_uri: str, sub: str) -> str:
    """``<artifact_uri>/<sub>`` (query string, if any, kept at the end)."""
    parsed = urllib.parse.urlsplit(artifact_uri)
    path = parsed.path.rstrip("/") + "/" + sub.strip("/")
    return urllib.parse.urlunsplit(parsed._replace(path=path))


def build_child_repository(repo, sub: str):
    """A repository of the same kind as ``repo``, rooted at ``<repo root>/<sub>`` (see the module docstring)."""
    uri = child_uri(repo.artifact_uri, sub)
    from mlflow.store.artifact import artifact_repository_registry as registry

    scheme = urllib.parse.urlsplit(uri).scheme
    registered = registry._artifact_repository_registry._registry.get(scheme)
    if registered is not None:
        built = registry.get_artifact_repository(uri)
        if type(built) is type(repo):
            return built
    return type(repo)(uri)


def write_file(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def walk(repo, path: str = "") -> dict[str, object]:
    """Recursive listing ``{path: FileInfo}`` of files and directories under ``path``, checking every entry is
    a direct child of the listed directory (no '..', no absolute path, no self-inclusion)."""
    found: dict[str, object] = {}

    def visit(directory: str, depth: int):
        assert depth < _MAX_WALK_DEPTH, f"listing recursion deeper than {_MAX_WALK_DEPTH}: a directory lists itself"
        for info in repo.list_artifacts(directory or None):
            assert_child_entry(directory, info.path)
            found[info.path] = info
            if info.is_dir:
                visit(info.path, depth + 1)

    visit(path, 0)
    return found


def assert_child_entry(directory: str, entry: str):
    """``entry`` must be ``<directory>/<name>`` with a single, ordinary name."""
    prefix = f"{directory.rstrip('/')}/" if directory else ""
    name = entry[len(prefix):] if entry.startswith(prefix) else None
    assert name and "/" not in name.rstrip("/") and name not in (".", "..") and not entry.startswith("/"), (
        f"list_artifacts({directory or None!r}) returned {entry!r}: entries must be paths relative to the "
        f"repository root, direct children of the listed path ('{prefix}<name>')"
    )


def files_of(repo, path: str = "") -> dict[str, int]:
    """``{file path: size}`` of every file under ``path`` (directories left out)."""
    return {p: info.file_size for p, info in walk(repo, path).items() if not info.is_dir}


def download_bytes(repo, artifact_path: str, dst: Path) -> bytes:
    dst.mkdir(parents=True, exist_ok=True)
    local = repo.download_artifacts(artifact_path, dst_path=str(dst))
    return Path(local).read_bytes()


def read_local_tree(root) -> tuple[dict[str, bytes], set[str]]:
    from ..strategies import read_tree

    return read_tree(root)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def delete_is_base_noop(repo) -> bool:
    from mlflow.store.artifact.artifact_repo import ArtifactRepository

    return getattr(type(repo), "delete_artifacts", None) is ArtifactRepository.delete_artifacts


def require_real_delete(repo):
    if delete_is_base_noop(repo):
        pytest.fail(
            f"{type(repo).__name__}.delete_artifacts is ArtifactRepository's silent no-op: callers believe the "
            "artifacts are gone while they stay. Implement it, or raise NotImplementedError to declare deletion "
            "unsupported.", pytrace=False)


def http(method: str, url: str, data: bytes | None = None, headers: dict | None = None):
    headers = dict(headers or {})
    if data is not None and not any(k.lower() == "content-type" for k in headers):
        headers["Content-Type"] = "application/octet-stream"  # urllib would say form-urlencoded
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (URL from the repository)
        return response.status, dict(response.headers), response.read()


class _Sandbox:
    """A fresh parent repository holding a canary at ``outside/canary.txt``, a child repository rooted at the
    parent's ``inside`` directory, and a local canary directory in the test's tmp_path (outside every root)."""

    CANARY = b"canary: must never change\n"
    ATTACK = b"attack payload\n"

    def __init__(self, factory, tmp_path: Path):
        sub = unique_name("safety")
        self.parent = factory(sub)
        self.child = factory(f"{sub}/inside")
        self.tmp = tmp_path
        self.parent.log_artifact(str(write_file(tmp_path / "canary-src" / "canary.txt", self.CANARY)), "outside")
        self.fs_dir = tmp_path / "fs-canary"
        self.fs_file = write_file(self.fs_dir / "canary.txt", self.CANARY)
        self.attack_file = write_file(tmp_path / "attack" / "canary.txt", self.ATTACK)
        self.parent_path = urllib.parse.urlsplit(self.parent.artifact_uri).path.rstrip("/")

    def assert_intact(self, doing: str):
        assert self.fs_file.read_bytes() == self.CANARY and sorted(os.listdir(self.fs_dir)) == ["canary.txt"], (
            f"{doing} changed a local file outside the repository root ({self.fs_dir})")
        names = sorted(info.path for info in self.parent.list_artifacts(None))
        assert set(names) <= {"inside", "outside"}, f"{doing} wrote outside the repository root: parent now has {names}"
        outside = [(i.path, i.file_size) for i in self.parent.list_artifacts("outside")]
        assert outside == [("outside/canary.txt", len(self.CANARY))], (
            f"{doing} changed the canary next to the repository root: 'outside' lists {outside}")
        n = len(list(self.tmp.glob("dl-*")))
        got = download_bytes(self.parent, "outside/canary.txt", self.tmp / f"dl-{n}")
        assert got == self.CANARY, f"{doing} overwrote the canary next to the repository root"

    def assert_stayed_inside(self, doing: str, before: dict[str, int]):
        """An accepted write must have landed under the child's root (visible in its recursive listing)."""
        after = files_of(self.child)
        new = {p for p in after if p not in before or after[p] != before[p]}
        assert any(posixpath.basename(p) == "canary.txt" for p in new), (
            f"{doing} was accepted, yet no new file appears under the repository root: it was written elsewhere "
            "(reject such paths with MlflowException INVALID_PARAMETER_VALUE)")


def attempt(call) -> bool:
    """Run ``call``; True when it was accepted, False when it raised (a rejection)."""
    try:
        call()
    except Exception:  # any rejection protects the data; the point is what happens when it is accepted
        return False
    return True


class ArtifactRepositoryContract(ArtifactServerClauses, ContractBase):
    """Contract clauses for an artifact repository. Provide the ``artifact_repository`` fixture."""

    kind_key = "artifact_repository"
    target_fixture = "artifact_repository"

    artifact_repository = required_fixture("artifact_repository", "ArtifactRepositoryContract", _EXAMPLE)

    @pytest.fixture
    def artifact_repository_factory(self, artifact_repository):
        """``factory(sub) -> repository`` rooted at ``<root>/<sub>``: a fresh, empty repository per call."""
        return lambda sub: build_child_repository(artifact_repository, sub)

    # -- log ---------------------------------------------------------------------------------------------------

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
        from ..strategies import flatten_tree, write_tree

        tree = {"a.txt": b"A", "d1": {"b.txt": b"B", "d2": {"c.bin": bytes(range(256)), "e.txt": b""}}}
        write_tree(tree, tmp_path / "src")
        expected, _ = flatten_tree(tree)
        prefix = unique_name("tree")
        artifact_repository.log_artifacts(str(tmp_path / "src"), prefix)
        assert files_of(artifact_repository, prefix) == {f"{prefix}/{p}": len(d) for p, d in expected.items()}
        local = artifact_repository.download_artifacts(prefix, dst_path=str(_mk(tmp_path / "dl")))
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
        local = artifact_repository.download_artifacts(f"{prefix}/large.bin", dst_path=str(_mk(tmp_path / "dl")))
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

    # -- list --------------------------------------------------------------------------------------------------

    def _listing_fixture(self, repo, tmp_path):
        prefix = unique_name("list")
        write_file(tmp_path / "src" / "top.txt", b"12345")
        write_file(tmp_path / "src" / "sub" / "deep.txt", b"1")
        write_file(tmp_path / "src" / "sub" / "deeper" / "deepest.txt", b"12")
        repo.log_artifacts(str(tmp_path / "src"), prefix)
        return prefix

    @clause("artifact_repository/list/direct-children")
    def test_list_direct_children(self, artifact_repository, tmp_path):
        """list_artifacts(path) returns only the direct children of path, as paths relative to the repository
        root (``path/name``), with is_dir set and file_size the byte size for files and None for directories."""
        prefix = self._listing_fixture(artifact_repository, tmp_path)
        got = sorted((i.path, i.is_dir, i.file_size) for i in artifact_repository.list_artifacts(prefix))
        assert got == [(f"{prefix}/sub", True, None), (f"{prefix}/top.txt", False, 5)]
        got = sorted((i.path, i.is_dir, i.file_size) for i in artifact_repository.list_artifacts(f"{prefix}/sub"))
        assert got == [(f"{prefix}/sub/deep.txt", False, 1), (f"{prefix}/sub/deeper", True, None)]

    @clause("artifact_repository/list/trailing-slash")
    def test_list_trailing_slash(self, artifact_repository, tmp_path):
        """Listing ``dir/`` gives the same entries as listing ``dir``."""
        prefix = self._listing_fixture(artifact_repository, tmp_path)
        plain = sorted((i.path, i.is_dir, i.file_size) for i in artifact_repository.list_artifacts(f"{prefix}/sub"))
        slash = sorted((i.path, i.is_dir, i.file_size) for i in artifact_repository.list_artifacts(f"{prefix}/sub/"))
        assert slash == plain

    @clause("artifact_repository/list/file-path-is-empty")
    def test_list_file_path_is_empty(self, artifact_repository, tmp_path):
        """Listing the path of a file returns [] (MLflow's download uses this to tell files from directories)."""
        prefix = self._listing_fixture(artifact_repository, tmp_path)
        assert artifact_repository.list_artifacts(f"{prefix}/top.txt") == []

    @clause("artifact_repository/list/missing-path-is-empty")
    def test_list_missing_path_is_empty(self, artifact_repository, tmp_path):
        """Listing a path that does not exist returns [], not an error."""
        prefix = self._listing_fixture(artifact_repository, tmp_path)
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

    # -- download ----------------------------------------------------------------------------------------------

    @clause("artifact_repository/download/file-into-dst")
    def test_download_file_into_dst(self, artifact_repository, tmp_path):
        """download_artifacts(file, dst_path) writes ``dst_path/<artifact path>`` and returns that local path."""
        prefix = unique_name("dl")
        artifact_repository.log_artifact(str(write_file(tmp_path / "src" / "f.txt", b"content")), f"{prefix}/d")
        dst = _mk(tmp_path / "dst")
        local = artifact_repository.download_artifacts(f"{prefix}/d/f.txt", dst_path=str(dst))
        assert os.path.abspath(local) == os.path.abspath(dst / prefix / "d" / "f.txt"), f"returned {local!r}"
        assert Path(local).read_bytes() == b"content"

    @clause("artifact_repository/download/directory-recursive")
    def test_download_directory_recursive(self, artifact_repository, tmp_path):
        """download_artifacts(directory, dst_path) downloads the whole subtree and returns ``dst_path/<dir>``."""
        prefix = self._listing_fixture(artifact_repository, tmp_path)
        dst = _mk(tmp_path / "dst")
        local = artifact_repository.download_artifacts(f"{prefix}/sub", dst_path=str(dst))
        assert os.path.abspath(local) == os.path.abspath(dst / prefix / "sub"), f"returned {local!r}"
        files, _ = read_local_tree(local)
        assert files == {"deep.txt": b"1", "deeper/deepest.txt": b"12"}

    @clause("artifact_repository/download/default-destination")
    def test_download_default_destination(self, artifact_repository, tmp_path):
        """download_artifacts without dst_path returns an existing local path holding the artifact."""
        prefix = unique_name("dl")
        artifact_repository.log_artifact(str(write_file(tmp_path / "f.txt", b"xyz")), prefix)
        local = artifact_repository.download_artifacts(f"{prefix}/f.txt")
        assert Path(local).read_bytes() == b"xyz"

    @clause("artifact_repository/download/empty-directories-kept", feature=EMPTY_DIRS)
    def test_download_empty_directories_kept(self, artifact_repository, tmp_path):
        """An empty directory uploaded with log_artifacts is listed and recreated by download_artifacts.
        Optional: object stores without directory objects do not keep empty directories."""
        prefix = unique_name("emptydir")
        write_file(tmp_path / "src" / "f.txt", b"f")
        (tmp_path / "src" / "empty").mkdir()
        (tmp_path / "src" / "nested" / "empty2").mkdir(parents=True)
        artifact_repository.log_artifacts(str(tmp_path / "src"), prefix)
        if f"{prefix}/empty" not in walk(artifact_repository, prefix):
            unsupported(EMPTY_DIRS, "the repository does not keep empty directories (nothing to list or download)")
        local = artifact_repository.download_artifacts(prefix, dst_path=str(_mk(tmp_path / "dst")))
        files, empty = read_local_tree(local)
        assert files == {"f.txt": b"f"}
        assert empty == {"empty", "nested/empty2"}, f"empty directories after download: {sorted(empty)}"

    @clause("artifact_repository/download/missing-dst-path")
    def test_download_missing_dst_path(self, artifact_repository, tmp_path):
        """A dst_path that does not exist raises RESOURCE_DOES_NOT_EXIST and creates nothing there."""
        prefix = unique_name("dl")
        artifact_repository.log_artifact(str(write_file(tmp_path / "f.txt", b"x")), prefix)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="downloading into a missing dst_path"):
            artifact_repository.download_artifacts(f"{prefix}/f.txt", dst_path=str(tmp_path / "missing"))
        assert not (tmp_path / "missing").exists()

    @clause("artifact_repository/download/dst-path-is-a-file")
    def test_download_dst_path_is_a_file(self, artifact_repository, tmp_path):
        """A dst_path that is a file raises INVALID_PARAMETER_VALUE and leaves that file unchanged."""
        prefix = unique_name("dl")
        artifact_repository.log_artifact(str(write_file(tmp_path / "f.txt", b"x")), prefix)
        target = write_file(tmp_path / "a-file", b"keep")
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="downloading into a dst_path that is a file"):
            artifact_repository.download_artifacts(f"{prefix}/f.txt", dst_path=str(target))
        assert target.read_bytes() == b"keep"

    @clause("artifact_repository/download/missing-artifact")
    def test_download_missing_artifact(self, artifact_repository, tmp_path):
        """Downloading an artifact that does not exist raises an MlflowException (never returns a path to
        nothing); MLflow's own repositories say RESOURCE_DOES_NOT_EXIST or INTERNAL_ERROR."""
        from mlflow.exceptions import MlflowException

        prefix = unique_name("dl")
        dst = _mk(tmp_path / "dst")
        with pytest.raises(MlflowException):
            artifact_repository.download_artifacts(f"{prefix}/no-such-file.txt", dst_path=str(dst))
        assert not (dst / prefix / "no-such-file.txt").exists(), "a file appeared for a missing artifact"

    # -- delete ------------------------------------------------------------------------------------------------

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

    # -- path safety -------------------------------------------------------------------------------------------

    @clause("artifact_repository/safety/dotdot-write")
    def test_safety_dotdot_write(self, artifact_repository_factory, tmp_path):
        """log_artifact / log_artifacts with '..' in artifact_path are rejected or stay inside the root: a
        canary next to the root is never overwritten."""
        box = _Sandbox(artifact_repository_factory, tmp_path)
        src = write_file(tmp_path / "tree" / "canary.txt", _Sandbox.ATTACK).parent
        for path in ("../outside", "sub/../../outside", "./../outside"):
            for how, call in (("log_artifact", lambda p=path: box.child.log_artifact(str(box.attack_file), p)),
                              ("log_artifacts", lambda p=path: box.child.log_artifacts(str(src), p))):
                before = files_of(box.child)
                doing = f"{how}(..., artifact_path={path!r})"
                if attempt(call):
                    box.assert_stayed_inside(doing, before)
                box.assert_intact(doing)

    @clause("artifact_repository/safety/absolute-write")
    def test_safety_absolute_write(self, artifact_repository_factory, tmp_path):
        """An absolute artifact_path (the path of a directory outside the root) is rejected or kept inside the
        root; neither the canary next to the root nor a local file outside it changes."""
        box = _Sandbox(artifact_repository_factory, tmp_path)
        for path in (f"{box.parent_path}/outside", str(box.fs_dir)):
            before = files_of(box.child)
            doing = f"log_artifact(..., artifact_path={path!r})"
            if attempt(lambda p=path: box.child.log_artifact(str(box.attack_file), p)):
                box.assert_stayed_inside(doing, before)
            box.assert_intact(doing)

    @clause("artifact_repository/safety/encoded-traversal-write")
    def test_safety_encoded_traversal_write(self, artifact_repository_factory, tmp_path):
        """URL-encoded traversal ('%2e%2e/', '..%2f', double encoding) is rejected or taken literally inside
        the root; the canary next to the root never changes."""
        box = _Sandbox(artifact_repository_factory, tmp_path)
        for path in ("%2e%2e/outside", "..%2foutside", "%2E%2E%2Foutside", "%252e%252e/outside"):
            before = files_of(box.child)
            doing = f"log_artifact(..., artifact_path={path!r})"
            if attempt(lambda p=path: box.child.log_artifact(str(box.attack_file), p)):
                box.assert_stayed_inside(doing, before)
            box.assert_intact(doing)

    @clause("artifact_repository/safety/traversal-read")
    def test_safety_traversal_read(self, artifact_repository_factory, tmp_path):
        """list_artifacts and download_artifacts of '..' or absolute paths never reveal the canary outside
        the root (an error or an empty result)."""
        box = _Sandbox(artifact_repository_factory, tmp_path)
        for path in ("..", "../outside", "%2e%2e/outside", f"{box.parent_path}/outside", str(box.fs_dir)):
            try:
                listed = box.child.list_artifacts(path)
            except Exception:
                listed = []
            assert not any("canary" in i.path for i in listed), f"list_artifacts({path!r}) showed {listed}"
        for n, path in enumerate(("../outside/canary.txt", "%2e%2e/outside/canary.txt",
                                  f"{box.parent_path}/outside/canary.txt", str(box.fs_file))):
            for dst in (str(_mk(tmp_path / f"read-{n}")), None):
                try:
                    local = box.child.download_artifacts(path, dst_path=dst)
                except Exception:
                    continue
                leaked = Path(local).is_file() and Path(local).read_bytes() == _Sandbox.CANARY
                assert not leaked, (
                    f"download_artifacts({path!r}, dst_path={dst!r}) returned the canary outside the root")

    @clause("artifact_repository/safety/traversal-delete", feature=DELETE)
    def test_safety_traversal_delete(self, artifact_repository_factory, tmp_path):
        """delete_artifacts with '..', encoded '..' or an absolute path never deletes outside the root: it
        raises or deletes nothing there."""
        box = _Sandbox(artifact_repository_factory, tmp_path)
        require_real_delete(box.child)
        box.child.log_artifact(str(write_file(tmp_path / "own" / "own.txt", b"own")))
        for path in ("../outside/canary.txt", "../outside", "sub/../../outside", "%2e%2e/outside",
                     f"{box.parent_path}/outside", str(box.fs_file), str(box.fs_dir)):
            doing = f"delete_artifacts({path!r})"
            try:
                box.child.delete_artifacts(path)
            except NotImplementedError:
                raise
            except Exception:
                pass
            box.assert_intact(doing)

    @clause("artifact_repository/safety/symlinks-in-uploaded-tree")
    def test_safety_symlinks_in_uploaded_tree(self, artifact_repository_factory, tmp_path):
        """A tree uploaded with log_artifacts may contain symlinks to files and directories outside it: the
        repository rejects them, skips them or copies contents, but never stores a link that later writes or
        deletes follow out of the root."""
        box = _Sandbox(artifact_repository_factory, tmp_path)
        src = tmp_path / "linked-tree"
        write_file(src / "real.txt", b"real")
        try:
            os.symlink(box.fs_dir, src / "link_dir", target_is_directory=True)
            os.symlink(box.fs_file, src / "link_file")
        except (OSError, NotImplementedError) as exc:
            not_applicable(f"cannot create symlinks here ({exc})")
        attempt(lambda: box.child.log_artifacts(str(src), "tree"))
        box.assert_intact("log_artifacts of a tree with symlinks")
        attempt(lambda: box.child.log_artifact(str(box.attack_file), "tree/link_dir"))
        box.assert_intact("log_artifact into a directory uploaded as a symlink")
        if not delete_is_base_noop(box.child):
            for path in ("tree/link_dir/canary.txt", "tree/link_file", "tree/link_dir"):
                try:
                    box.child.delete_artifacts(path)
                except Exception:
                    pass
                box.assert_intact(f"delete_artifacts({path!r}) after uploading symlinks")

    # -- optional mixins ---------------------------------------------------------------------------------------

    @clause("artifact_repository/mixins/stream-upload", feature=STREAM, since="3.15")
    def test_mixins_stream_upload(self, artifact_repository, tmp_path):
        """A StreamUploadMixin repository stores log_artifact_from_stream and log_artifact_from_async_stream
        content byte for byte at ``<artifact_path>/<file name>``."""
        from mlflow.store.artifact.artifact_repo import StreamUploadMixin

        if not isinstance(artifact_repository, StreamUploadMixin):
            unsupported(STREAM, "the repository does not implement StreamUploadMixin")
        prefix = unique_name("stream")
        data = bytes(range(256)) * 64 + b"\r\n"
        artifact_repository.log_artifact_from_stream(io.BytesIO(data), "sync.bin", artifact_path=prefix)

        async def chunks():
            for start in range(0, len(data), 1000):
                yield data[start:start + 1000]

        asyncio.run(artifact_repository.log_artifact_from_async_stream(chunks(), "async.bin", artifact_path=prefix))
        assert files_of(artifact_repository, prefix) == {f"{prefix}/sync.bin": len(data),
                                                         f"{prefix}/async.bin": len(data)}
        assert download_bytes(artifact_repository, f"{prefix}/sync.bin", tmp_path / "a") == data
        assert download_bytes(artifact_repository, f"{prefix}/async.bin", tmp_path / "b") == data

    @clause("artifact_repository/mixins/multipart-upload", feature=MULTIPART)
    def test_mixins_multipart_upload(self, artifact_repository, tmp_path):
        """A MultipartUploadMixin repository: parts PUT to the returned URLs and completed form the file byte
        for byte; an aborted upload leaves nothing listed."""
        from mlflow.entities.multipart_upload import MultipartUploadPart
        from mlflow.store.artifact.artifact_repo import MultipartUploadMixin

        if not isinstance(artifact_repository, MultipartUploadMixin):
            unsupported(MULTIPART, "the repository does not implement MultipartUploadMixin")
        prefix = unique_name("multipart")
        part_size = 5 * 1024 * 1024  # S3's minimum for every part but the last
        data = os.urandom(part_size) + b"tail\r\n"
        source = write_file(tmp_path / "mp.bin", data)
        created = artifact_repository.create_multipart_upload(str(source), 2, prefix)
        parts = []
        for credential in sorted(created.credentials, key=lambda c: c.part_number):
            start = (credential.part_number - 1) * part_size
            chunk = data[start:start + part_size] if credential.part_number == 1 else data[part_size:]
            _, headers, _ = http("PUT", credential.url, chunk, credential.headers)
            etag = {k.lower(): v for k, v in headers.items()}.get("etag")
            parts.append(MultipartUploadPart(part_number=credential.part_number, etag=etag, url=credential.url))
        artifact_repository.complete_multipart_upload(str(source), created.upload_id, parts, prefix)
        assert download_bytes(artifact_repository, f"{prefix}/mp.bin", tmp_path / "dl") == data
        aborted = write_file(tmp_path / "aborted.bin", b"never")
        started = artifact_repository.create_multipart_upload(str(aborted), 1, prefix)
        artifact_repository.abort_multipart_upload(str(aborted), started.upload_id, prefix)
        assert files_of(artifact_repository, prefix) == {f"{prefix}/mp.bin": len(data)}

    @clause("artifact_repository/mixins/presigned-upload", feature=PRESIGNED_UPLOAD, since="3.12")
    def test_mixins_presigned_upload(self, artifact_repository, tmp_path):
        """A PresignedUploadMixin repository returns a URL that, PUT with the returned headers, stores the file
        at the requested artifact path."""
        from mlflow.store.artifact.artifact_repo import PresignedUploadMixin

        if not isinstance(artifact_repository, PresignedUploadMixin):
            unsupported(PRESIGNED_UPLOAD, "the repository does not implement PresignedUploadMixin")
        prefix = unique_name("presigned")
        data = bytes(range(256)) + b"\r\n"
        created = artifact_repository.create_presigned_upload_url(f"{prefix}/up.bin")
        http("PUT", created.presigned_url, data, created.headers)
        assert files_of(artifact_repository, prefix) == {f"{prefix}/up.bin": len(data)}
        assert download_bytes(artifact_repository, f"{prefix}/up.bin", tmp_path / "dl") == data

    @clause("artifact_repository/mixins/presigned-download", feature=PRESIGNED_DOWNLOAD, since="3.11")
    def test_mixins_presigned_download(self, artifact_repository, tmp_path):
        """A MultipartDownloadMixin repository returns a presigned URL that GETs the artifact byte for byte,
        with the right file_size."""
        from mlflow.store.artifact.artifact_repo import MultipartDownloadMixin

        if not isinstance(artifact_repository, MultipartDownloadMixin):
            unsupported(PRESIGNED_DOWNLOAD, "the repository does not implement MultipartDownloadMixin")
        prefix = unique_name("presigned")
        data = bytes(range(256)) * 3
        artifact_repository.log_artifact(str(write_file(tmp_path / "down.bin", data)), prefix)
        response = artifact_repository.get_download_presigned_url(f"{prefix}/down.bin")
        _, _, body = http("GET", response.url, None, response.headers)
        assert body == data
        assert response.file_size in (None, len(data)), f"file_size {response.file_size}, expected {len(data)}"

    # -- through MLflow's public API ---------------------------------------------------------------------------

    @clause("artifact_repository/mlflow-api/run-artifacts")
    def test_mlflow_api_run_artifacts(self, artifact_repository_factory, tmp_path):
        """A run whose experiment's artifact location uses the plugin's URI works through MLflow's public API:
        mlflow.log_artifact / log_artifacts store into the plugin's repository, MlflowClient.list_artifacts
        lists them and mlflow.artifacts.download_artifacts returns them byte for byte."""
        import mlflow
        from mlflow import MlflowClient

        sub = unique_name("api")
        location = artifact_repository_factory(sub)
        tracking_uri = f"sqlite:///{(tmp_path / 'tracking.db').as_posix()}"
        previous = mlflow.get_tracking_uri() if mlflow.is_tracking_uri_set() else None
        mlflow.set_tracking_uri(tracking_uri)
        try:
            client = MlflowClient(tracking_uri)
            experiment_id = client.create_experiment(unique_name("exp"), artifact_location=location.artifact_uri)
            data = bytes(range(256)) + b"\r\n"
            write_file(tmp_path / "tree" / "nested" / "n.txt", b"nested")
            with mlflow.start_run(experiment_id=experiment_id) as run:
                mlflow.log_artifact(str(write_file(tmp_path / "model.bin", data)), "outputs")
                mlflow.log_artifacts(str(tmp_path / "tree"), "tree")
            run_id = run.info.run_id
            listed = sorted((i.path, i.is_dir, i.file_size) for i in client.list_artifacts(run_id, "outputs"))
            assert listed == [("outputs/model.bin", False, len(data))]
            assert sorted(i.path for i in client.list_artifacts(run_id)) == ["outputs", "tree"]
            dst = _mk(tmp_path / "dl")
            local = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="outputs/model.bin",
                                                        dst_path=str(dst))
            assert Path(local).read_bytes() == data
            local_tree = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="tree",
                                                             dst_path=str(_mk(tmp_path / "dl2")))
            assert read_local_tree(local_tree)[0] == {"nested/n.txt": b"nested"}
            stored = files_of(location)
            assert stored.get(f"{run_id}/artifacts/outputs/model.bin") == len(data), (
                f"the run's artifact did not land in the plugin's repository: it holds {sorted(stored)}")
        finally:
            mlflow.set_tracking_uri(previous)

    # -- properties --------------------------------------------------------------------------------------------

    @clause("artifact_repository/properties/tree-round-trip")
    def test_properties_tree_round_trip(self, artifact_repository, tmp_path_factory):
        """For any file tree (unicode and spaced names, nesting, empty and binary files): log_artifacts, then
        the recursive listing shows every file with its size, and download_artifacts gives it back byte for
        byte."""
        from hypothesis import given, settings

        from ..strategies import file_trees, flatten_tree, write_tree

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
            local = artifact_repository.download_artifacts(prefix, dst_path=str(_mk(work / "dst")))
            assert read_local_tree(local)[0] == expected

        round_trip()

    @clause("artifact_repository/properties/differential-vs-local")
    def test_properties_differential_vs_local(self, artifact_repository_factory, tmp_path_factory):
        """Any sequence of log_artifact, log_artifacts (with overwrites) and delete_artifacts leaves the
        repository holding exactly the files MLflow's LocalArtifactRepository holds after the same sequence
        (paths, sizes and bytes)."""
        from hypothesis import settings
        from hypothesis.stateful import run_state_machine_as_test

        machine = differential_machine(artifact_repository_factory, tmp_path_factory)
        run_state_machine_as_test(machine, settings=settings(stateful_step_count=8, deadline=None))

    @clause("artifact_repository/concurrency/threaded-uploads")
    def test_concurrency_threaded_uploads(self, artifact_repository, tmp_path):
        """Eight threads logging different files into one repository (shared and own directories) lose
        nothing: every file is listed and downloads with its own content."""
        prefix = unique_name("threads")
        errors: list[BaseException] = []
        expected: dict[str, bytes] = {}
        jobs = []
        for t in range(8):
            for k in range(4):
                data = f"thread {t} file {k}\n".encode() * (t + k + 1)
                name = f"t{t}-f{k}.txt"
                source = write_file(tmp_path / f"src-{t}-{k}" / name, data)
                target = f"{prefix}/shared" if k % 2 else f"{prefix}/own-{t}"
                expected[f"{target}/{name}"] = data
                jobs.append((t, str(source), target))

        barrier = threading.Barrier(8)

        def worker(t):
            try:
                barrier.wait(timeout=30)
                for owner, source, target in jobs:
                    if owner == t:
                        artifact_repository.log_artifact(source, target)
            except BaseException as exc:  # collected and reported by the main thread
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(t,)) for t in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors, f"concurrent log_artifact raised: {errors[0]!r}"
        assert files_of(artifact_repository, prefix) == {p: len(d) for p, d in expected.items()}
        local = artifact_repository.download_artifacts(prefix, dst_path=str(_mk(tmp_path / "dl")))
        assert read_local_tree(local)[0] == {p[len(prefix) + 1:]: d for p, d in expected.items()}


def _mk(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def differential_machine(factory, tmp_path_factory):
    """A RuleBasedStateMachine class driving a fresh plugin repository and a fresh LocalArtifactRepository with
    the same operations, comparing what each holds after every step."""
    from hypothesis import strategies as st
    from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
    from mlflow.store.artifact.local_artifact_repo import LocalArtifactRepository

    from ..strategies import artifact_contents, artifact_names, file_trees, flatten_tree, write_tree

    directories = st.sampled_from(["", "d", "d/e", "x y", "数据"])

    class ArtifactDifferential(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.work = tmp_path_factory.mktemp("machine")
            self.plugin = factory(unique_name("machine"))
            self.reference = LocalArtifactRepository((self.work / "reference").as_uri())
            self.delete_supported = not delete_is_base_noop(self.plugin)
            self.model: dict[str, bytes] = {}
            self.n = 0

        def _scratch(self) -> Path:
            self.n += 1
            return self.work / f"s{self.n}"

        def _conflicts(self, new_files):
            dirs_old = {p.rsplit("/", i)[0] for p in self.model for i in range(1, p.count("/") + 1)}
            dirs_new = {p.rsplit("/", i)[0] for p in new_files for i in range(1, p.count("/") + 1)}
            return any(p in dirs_old for p in new_files) or any(p in self.model for p in dirs_new)

        @rule(name=artifact_names(8), data=artifact_contents(256), directory=directories)
        def log_file(self, name, data, directory):
            path = f"{directory}/{name}" if directory else name
            if self._conflicts({path}):
                return
            source = write_file(self._scratch() / name, data)
            self.plugin.log_artifact(str(source), directory or None)
            self.reference.log_artifact(str(source), directory or None)
            self.model[path] = data

        @rule(tree=file_trees(max_leaves=3, max_depth=2), directory=directories)
        def log_tree(self, tree, directory):
            files, _ = flatten_tree(tree, f"{directory}/" if directory else "")
            if self._conflicts(set(files)):
                return
            source = self._scratch()
            write_tree(tree, source)
            self.plugin.log_artifacts(str(source), directory or None)
            self.reference.log_artifacts(str(source), directory or None)
            self.model.update(files)

        @rule(data=st.data())
        def delete(self, data):
            if not self.delete_supported or not self.model:
                return
            ancestors = {p.rsplit("/", i)[0] for p in self.model for i in range(1, p.count("/") + 1)}
            paths = sorted(self.model) + sorted(ancestors)
            path = data.draw(st.sampled_from(paths), label="deleted path")
            try:
                self.plugin.delete_artifacts(path)
            except NotImplementedError:
                self.delete_supported = False
                return
            self.reference.delete_artifacts(path)
            self.model = {p: d for p, d in self.model.items() if p != path and not p.startswith(path + "/")}

        @invariant()
        def same_files(self):
            plugin_files = files_of(self.plugin)
            reference_files = files_of(self.reference)
            assert plugin_files == reference_files, (
                f"plugin holds {sorted(plugin_files.items())}, MLflow's LocalArtifactRepository holds "
                f"{sorted(reference_files.items())}")

        def teardown(self):
            if not self.model:
                return
            local = self.plugin.download_artifacts("", dst_path=str(_mk(self._scratch())))
            assert read_local_tree(local)[0] == self.model, "downloaded bytes differ from what was logged"

    return ArtifactDifferential
