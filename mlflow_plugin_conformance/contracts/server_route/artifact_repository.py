"""Artifact-repository clauses that exist only through ``mlflow server --serve-artifacts``: several workers, error
mapping, payload sizes and the web UI's artifact browser, checked with raw HTTP against the server whose artifact
destination is the plugin's repository."""

from __future__ import annotations

import hashlib
import os
import time
import urllib.parse

from ...outcomes import not_run
from .._support import unique_name
from ..base import clause
from ._http import MIN_WORKERS, ServerClient, require_server

_ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts"
_API = "/api/2.0/mlflow"
_AJAX = "/ajax-api/2.0/mlflow"
#: Bytes of the large file sent through the server's artifact proxy.
LARGE_FILE_BYTES = 32 * 1024 * 1024


def _prefix(artifact_repository) -> str:
    """The path under the server's artifact destination the class's repository (an ``mlflow-artifacts:`` URI)
    is rooted at; each clause works under a unique directory below it."""
    uri = getattr(artifact_repository, "artifact_uri", "") or ""
    parsed = urllib.parse.urlsplit(uri)
    if parsed.scheme == "mlflow-artifacts":
        path = parsed.path
    elif parsed.scheme in ("http", "https") and _ARTIFACTS in parsed.path:  # resolved by MLflow's client
        path = parsed.path.split(_ARTIFACTS, 1)[1]
    else:
        not_run(f"the class's repository is not reached through mlflow server ({uri!r})")
    return f"{urllib.parse.unquote(path).strip('/')}/{unique_name('server')}"


def _url(path: str) -> str:
    return f"{_ARTIFACTS}/{urllib.parse.quote(path)}"


def _listing(client: ServerClient, path: str, worker=None) -> dict[str, int | None]:
    """``{entry path: size (None for a directory)}`` of the listing of ``path`` through the server (which names
    each entry relative to the listed directory, as MLflow's client reads it)."""
    data = client.get(_ARTIFACTS, {"path": path}, worker=worker).ok(f"listing {path!r}")
    return {f"{path}/{f['path']}": (None if f.get("is_dir") else int(f.get("file_size", 0)))
            for f in data.get("files", [])}


def _upload(client: ServerClient, path: str, data: bytes, worker=None) -> None:
    client.request("PUT", _url(path), body=data, worker=worker,
                   headers={"Content-Type": "application/octet-stream"}).ok(f"uploading {path!r}")


def _download(client: ServerClient, path: str, worker=None) -> bytes:
    answer = client.get(_url(path), worker=worker)
    answer.ok(f"downloading {path!r}")
    return answer.body


class ArtifactServerClauses:
    """Clauses of the ``artifact_repository/server/*`` family (server route only)."""

    @clause("artifact_repository/server/workers-consistent", routes=("server",))
    def test_server_workers_consistent(self, artifact_repository, mlflow_conformance_server):
        """What one worker process of the server writes, every other worker reads in the next request: a file
        uploaded through one of at least 4 workers is listed with its size and downloads with its bytes through
        each of the others (each of which listed the directory just before the upload), and a file each other
        worker adds is listed through the first. A repository that keeps files or listings in process memory (or
        in a per-process location) fails here."""
        client = require_server(mlflow_conformance_server)
        prefix = _prefix(artifact_repository)
        try:
            first, *others = client.pin_workers(MIN_WORKERS)
            _upload(client, f"{prefix}/seed.txt", b"seed", worker=first)
            for worker in (first, *others):  # every worker has seen the directory before the write
                _listing(client, prefix, worker=worker)
            data = f"written through worker {first}\n".encode()
            _upload(client, f"{prefix}/first.txt", data, worker=first)
            for worker in others:
                listed = _listing(client, prefix, worker=worker)
                assert listed.get(f"{prefix}/first.txt") == len(data), (
                    f"worker {worker} lists {prefix!r} as {listed}, without the file worker {first} uploaded")
                assert _download(client, f"{prefix}/first.txt", worker=worker) == data, (
                    f"worker {worker} downloads other bytes than worker {first} uploaded")
                _upload(client, f"{prefix}/from-{worker}.txt", b"x", worker=worker)
            listed = _listing(client, prefix, worker=first)
            missing = [w for w in others if f"{prefix}/from-{w}.txt" not in listed]
            assert not missing, f"worker {first} does not list the files workers {missing} uploaded: {listed}"
        finally:
            client.close()

    @clause("artifact_repository/server/error-codes", routes=("server",))
    def test_server_error_codes(self, artifact_repository, mlflow_conformance_server):
        """Downloading an artifact that does not exist is answered with MLflow's JSON error and a client error
        status (404 RESOURCE_DOES_NOT_EXIST, or 400 INVALID_PARAMETER_VALUE), never a server error: MLflow's client
        retries a 5xx answer seven times with backoff (minutes) before it gives up. The repository must raise an
        MlflowException with such a code, not an OSError or another exception MLflow maps to HTTP 500."""
        client = require_server(mlflow_conformance_server)
        prefix = _prefix(artifact_repository)
        _upload(client, f"{prefix}/present.txt", b"present")
        for path in (f"{prefix}/missing.txt", f"{prefix}/no-such-dir/missing.txt"):
            answer = client.get(_url(path))
            assert 400 <= answer.status < 500 and answer.error_code in (
                "RESOURCE_DOES_NOT_EXIST", "INVALID_PARAMETER_VALUE"), (
                f"downloading a missing artifact: expected HTTP 404 RESOURCE_DOES_NOT_EXIST (or 400 "
                f"INVALID_PARAMETER_VALUE), got {answer.describe()}")

    @clause("artifact_repository/server/large-payloads", routes=("server",))
    def test_server_large_payloads(self, artifact_repository, mlflow_conformance_server, tmp_path):
        """Large transfers pass through the server's artifact proxy intact: a 32 MiB file uploads and downloads
        with the same SHA-256, 300 files in one directory are all listed in one listing, and a file whose name
        is 200 characters long, holds spaces, '?', '&', '+' and non-ASCII letters keeps its name and bytes (MLflow's
        server refuses '#' in artifact paths)."""
        client = require_server(mlflow_conformance_server)
        prefix = _prefix(artifact_repository)
        large = os.urandom(1024 * 1024) * (LARGE_FILE_BYTES // (1024 * 1024))
        _upload(client, f"{prefix}/large.bin", large)
        got = _download(client, f"{prefix}/large.bin")
        assert hashlib.sha256(got).hexdigest() == hashlib.sha256(large).hexdigest(), (
            f"the {len(large)}-byte file downloads as {len(got)} bytes with another digest")
        for i in range(300):
            _upload(client, f"{prefix}/many/f{i:03d}.txt", str(i).encode())
        listed = _listing(client, f"{prefix}/many")
        assert sorted(listed) == [f"{prefix}/many/f{i:03d}.txt" for i in range(300)], (
            f"one listing of a directory of 300 files shows {len(listed)} entries")
        odd = ("ünï cødé ?y &z +w " + "n" * 200)[:196] + ".txt"
        _upload(client, f"{prefix}/{odd}", b"odd name")
        assert f"{prefix}/{odd}" in _listing(client, prefix), "the file with an unusual name is not listed by it"
        assert _download(client, f"{prefix}/{odd}") == b"odd name"

    @clause("artifact_repository/server/ui-read-paths", routes=("server",))
    def test_server_ui_read_paths(self, mlflow_conformance_server):
        """The web UI's artifact browser answers for a run whose artifacts the server keeps in the plugin's
        repository: the run's listing (ajax-api artifacts/list) shows a file uploaded to the run's artifact
        location and ``get-artifact`` returns its bytes."""
        client = require_server(mlflow_conformance_server)
        experiment_id = client.post(f"{_API}/experiments/create", {"name": unique_name("ui-artifacts")}).ok(
            "creating an experiment")["experiment_id"]
        run = client.post(f"{_API}/runs/create", {"experiment_id": experiment_id, "user_id": "conformance",
                                                  "start_time": int(time.time() * 1000)}).ok("creating a run")["run"]
        run_id, root = run["info"]["run_id"], run["info"].get("artifact_uri", "")
        if not root.startswith("mlflow-artifacts:"):
            not_run(f"the run's artifacts are not proxied by the server (artifact URI {root!r}): the server's "
                    "tracking store does not use the default artifact root it was given")
        base = urllib.parse.urlsplit(root).path.strip("/")
        _upload(client, f"{base}/ui/seen.txt", b"seen by the UI")
        listed = client.get(f"{_AJAX}/artifacts/list", {"run_uuid": run_id, "path": "ui"}).ok(
            "the UI's artifact browser")
        assert [f["path"] for f in listed.get("files", [])] == ["ui/seen.txt"], listed
        answer = client.get("/get-artifact", {"path": "ui/seen.txt", "run_uuid": run_id})
        assert answer.status == 200 and answer.body == b"seen by the UI", f"the UI's preview: {answer.describe()}"
