"""Helpers only the artifact-repository clauses use: child repositories, reading a repository back (recursive
listing, downloads), and the optional features' names."""

from __future__ import annotations

import hashlib
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

#: Qualified names of the optional features (declared in ``kinds.py``).
DELETE = "artifact_repository.delete"
EMPTY_DIRS = "artifact_repository.empty-directories"
STREAM = "artifact_repository.stream-upload"
MULTIPART = "artifact_repository.multipart-upload"
PRESIGNED_UPLOAD = "artifact_repository.presigned-upload"
PRESIGNED_DOWNLOAD = "artifact_repository.presigned-download"
LOCAL_PATH = "artifact_repository.local-path"
TRACE_DATA = "artifact_repository.trace-data"
TRACE_ATTACHMENTS = "artifact_repository.trace-attachments"

LARGE_FILE_BYTES = 20 * 1024 * 1024
_MAX_WALK_DEPTH = 32


def child_uri(artifact_uri: str, sub: str) -> str:
    """``<artifact_uri>/<sub>`` (query string, if any, kept at the end). An empty authority stays as it was given:
    ``my-scheme:///tmp/x`` -> ``my-scheme:///tmp/x/sub`` (``urlunsplit`` alone would drop the ``//`` of a scheme
    it does not know, and a plugin that splits its URI at ``://`` would then fail on the suite's URI)."""
    parsed = urllib.parse.urlsplit(artifact_uri)
    path = parsed.path.rstrip("/") + "/" + sub.strip("/")
    rebuilt = urllib.parse.urlunsplit(parsed._replace(path=path))
    authority = f"{parsed.scheme}://"
    if parsed.scheme and artifact_uri.startswith(authority) and not rebuilt.startswith(authority):
        rebuilt = authority + rebuilt[len(parsed.scheme) + 1:]
    return rebuilt


def build_child_repository(repo, sub: str, directly: bool = False):
    """A repository of the same kind as ``repo``, rooted at ``<repo root>/<sub>``: built with MLflow's registry
    when the scheme is registered there to the same class, else with ``type(repo)(uri)``. ``directly``: the
    target itself was built directly because MLflow's registry could not build it
    (``--mlflow-conformance-build=direct``), so its children are built directly too; otherwise a registry that
    cannot build a child URI is an error the clause reports (MLflow builds such URIs for every run)."""
    uri = child_uri(repo.artifact_uri, sub)
    if directly:
        return type(repo)(uri)
    from mlflow.store.artifact import artifact_repository_registry as registry

    scheme = urllib.parse.urlsplit(uri).scheme
    registered = registry._artifact_repository_registry._registry.get(scheme)
    if registered is not None:
        built = registry.get_artifact_repository(uri)
        if type(built) is type(repo):
            return built
    return type(repo)(uri)


def mk(path: Path) -> Path:
    """``path``, created (with its parents) if missing."""
    path.mkdir(parents=True, exist_ok=True)
    return path


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
    """The bytes of ``artifact_path``, downloaded into ``dst`` (created), read from ``dst/<artifact_path>``, where
    download_artifacts must put it (the path it returns is the clause ``download/file-into-dst``'s business)."""
    dst.mkdir(parents=True, exist_ok=True)
    repo.download_artifacts(artifact_path, dst_path=str(dst))
    return dst.joinpath(*artifact_path.split("/")).read_bytes()


def read_local_tree(root) -> tuple[dict[str, bytes], set[str]]:
    """``({relative file path: bytes}, {relative empty directory})`` of a local directory."""
    from ...strategies import read_tree

    return read_tree(root)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def delete_is_base_noop(repo) -> bool:
    """True when ``delete_artifacts`` is ArtifactRepository's own body, which does nothing."""
    from mlflow.store.artifact.artifact_repo import ArtifactRepository

    return getattr(type(repo), "delete_artifacts", None) is ArtifactRepository.delete_artifacts


def require_real_delete(repo):
    """Fail when the repository kept the base class's silent no-op ``delete_artifacts``."""
    if delete_is_base_noop(repo):
        pytest.fail(
            f"{type(repo).__name__}.delete_artifacts is ArtifactRepository's silent no-op: callers believe the "
            "artifacts are gone while they stay. Implement it, or raise NotImplementedError to declare deletion "
            "unsupported.", pytrace=False)


def http(method: str, url: str, data: bytes | None = None, headers: dict | None = None):
    """One HTTP request to a URL the repository returned: ``(status, headers, body)``."""
    headers = dict(headers or {})
    if data is not None and not any(k.lower() == "content-type" for k in headers):
        headers["Content-Type"] = "application/octet-stream"  # urllib would say form-urlencoded
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (URL from the repository)
        return response.status, dict(response.headers), response.read()


def attempt(call) -> bool:
    """Run ``call``; True when it was accepted, False when it raised (a rejection)."""
    try:
        call()
    except Exception:  # any rejection protects the data; the point is what happens when it is accepted
        return False
    return True



def assert_stored(repo, expected: dict[str, bytes], tmp_path: Path, under: str = ""):
    """The files under ``under`` are exactly ``expected`` ({path from the root: bytes}): the recursive listing
    shows each with its size, and each downloads (one file at a time) with its bytes."""
    listed = files_of(repo, under)
    sizes = {path: len(data) for path, data in expected.items()}
    assert listed == sizes, (f"listed under {under or 'the root'!r}: {sorted(listed.items())}, "
                             f"expected {sorted(sizes.items())}")
    for n, (path, data) in enumerate(sorted(expected.items())):
        got = download_bytes(repo, path, tmp_path / f"read-back-{n}")
        assert got == data, f"{path!r} downloads as {len(got)} bytes that differ from the {len(data)} bytes logged"
