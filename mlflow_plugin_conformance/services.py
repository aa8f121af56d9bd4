"""Real services for tests, started on 127.0.0.1 and stopped afterwards.

Each section is a pytest-free context manager plus, where useful, a documented pytest fixture a plugin author
imports into their ``conftest.py``.  Nothing here is a mock of a part the user really has: the S3 section runs
moto's server mode, which speaks the S3 HTTP protocol to boto3 exactly as AWS would.
"""

from __future__ import annotations

import contextlib
import glob
import http.client
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator


# -- S3 on moto's server mode -------------------------------------------------------------------------------------
# For plugin authors whose artifact repository sits on S3 (or an S3-compatible store):
#
#     # conftest.py
#     from mlflow_plugin_conformance.services import moto_s3  # noqa: F401  (a session fixture)
#
#     class TestMyRepo(ArtifactRepositoryContract):
#         @pytest.fixture
#         def artifact_repository(self, moto_s3):
#             return MyS3Repo(f"s3://{moto_s3.bucket}/{uuid.uuid4().hex}", endpoint_url=moto_s3.endpoint_url)
#
# ``moto_s3`` starts one ThreadedMotoServer on 127.0.0.1 (a free port) per test session (per xdist worker),
# creates a fresh bucket, and sets for the session only: dummy AWS credentials and region (never real ones; the
# values are never printed) and ``MLFLOW_S3_ENDPOINT_URL``, so MLflow's own S3ArtifactRepository talks to moto.


_DUMMY_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "conformance-dummy-key",
    "AWS_SECRET_ACCESS_KEY": "conformance-dummy-secret",
    "AWS_SESSION_TOKEN": "conformance-dummy-token",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@dataclass(frozen=True)
class MotoS3:
    """A running moto S3 server: ``endpoint_url`` (http://127.0.0.1:PORT) and a fresh, empty ``bucket``."""

    endpoint_url: str
    bucket: str

    def client(self):
        """A boto3 S3 client for this server (dummy credentials), e.g. for a back door in tests."""
        import boto3

        return boto3.client(
            "s3", endpoint_url=self.endpoint_url, region_name=_DUMMY_AWS_ENV["AWS_DEFAULT_REGION"],
            aws_access_key_id=_DUMMY_AWS_ENV["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=_DUMMY_AWS_ENV["AWS_SECRET_ACCESS_KEY"],
        )

    def uri(self, prefix: str = "") -> str:
        """``s3://<bucket>/<prefix>`` for this server's bucket."""
        return f"s3://{self.bucket}/{prefix.lstrip('/')}".rstrip("/")

    def environ(self) -> dict[str, str]:
        """The environment MLflow's S3ArtifactRepository needs to reach this server."""
        return {**_DUMMY_AWS_ENV, "MLFLOW_S3_ENDPOINT_URL": self.endpoint_url}


@contextlib.contextmanager
def moto_s3_server(bucket: str | None = None) -> Iterator[MotoS3]:
    """Start moto's S3 server on 127.0.0.1 (free port), create ``bucket`` (fresh name by default), stop at exit.

    Does not touch ``os.environ``: use :meth:`MotoS3.environ` (or :func:`moto_s3_environment`) for code that reads
    credentials and the endpoint from the environment.
    """
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        service = MotoS3(endpoint_url=f"http://{host}:{port}", bucket=bucket or f"conformance-{uuid.uuid4().hex[:16]}")
        service.client().create_bucket(Bucket=service.bucket)
        yield service
    finally:
        server.stop()


@contextlib.contextmanager
def moto_s3_environment(service: MotoS3) -> Iterator[MotoS3]:
    """Set :meth:`MotoS3.environ` in ``os.environ`` for the body, and restore every variable afterwards."""
    saved = {name: os.environ.get(name) for name in service.environ()}
    os.environ.update(service.environ())
    try:
        yield service
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _moto_s3_fixture():
    import pytest

    @pytest.fixture(scope="session")
    def moto_s3() -> Iterator[MotoS3]:
        """A moto S3 server on 127.0.0.1 with a fresh bucket, and the environment MLflow's S3 client reads
        (dummy credentials, ``MLFLOW_S3_ENDPOINT_URL``) for the whole session; everything restored at the end."""
        with moto_s3_server() as service, moto_s3_environment(service):
            yield service

    return moto_s3


moto_s3 = _moto_s3_fixture()


# == mlflow server and a recording proxy (providers, apps) =====================================================


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServiceStartError(RuntimeError):
    """A service did not come up; the message carries the tail of its log."""


@dataclass
class MlflowServer:
    """A running ``mlflow server`` on 127.0.0.1. ``url`` is its tracking URI; ``log`` its combined output."""

    url: str
    process: subprocess.Popen
    log: Path
    app_name: str | None = None
    startup_seconds: float = 0.0

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the server and the workers it forked (its own process group), by process id."""
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)


def _die_with_parent() -> None:
    """In the child (Linux): receive SIGTERM when the suite's process dies, so no server is left behind."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def _get(url: str, timeout: float = 2.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (127.0.0.1 only)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def migrated_sqlite_template() -> Path | None:
    """A SQLite database with MLflow's schema at its head (see ``reference.sqlite_template``), or None.

    ``mlflow server`` spends seconds migrating a fresh database; each server gets a copy of this one instead.
    None when it cannot be built: the server then migrates its own database.
    """
    try:
        from .reference import sqlite_template

        return sqlite_template()
    except Exception:
        return None


def start_mlflow_server(workdir: Path, *, app_name: str | None = None, timeout: float = 120.0,
                        env: dict[str, str] | None = None) -> MlflowServer:
    """Start ``mlflow server`` (default uvicorn server, one worker) on a free port and wait for ``/health``.

    Backend store: ``sqlite:///<workdir>/mlflow.db``; artifacts under ``<workdir>/artifacts``. With ``app_name``
    the server runs ``--app-name app_name``, exactly as a user would start a plugin's app. Raises
    :class:`ServiceStartError` with the server's log when it exits or does not answer within ``timeout``.
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = workdir / f"mlflow-server-{port}.log"
    database = workdir / "mlflow.db"
    template = migrated_sqlite_template() if not database.exists() else None
    if template is not None:
        import shutil

        shutil.copyfile(template, database)
    cmd = [sys.executable, "-m", "mlflow", "server", "--host", "127.0.0.1", "--port", str(port),
           "--backend-store-uri", f"sqlite:///{(workdir / 'mlflow.db').as_posix()}",
           "--default-artifact-root", (workdir / "artifacts").as_posix(), "--workers", "1"]
    if app_name:
        cmd += ["--app-name", app_name]
    child_env = dict(os.environ)
    child_env.update({"MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true",
                      "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"})
    child_env.update(env or {})
    started = time.monotonic()
    with open(log, "wb") as out:
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   cwd=workdir, env=child_env, start_new_session=True,
                                   preexec_fn=_die_with_parent if sys.platform == "linux" else None)
    server = MlflowServer(f"http://127.0.0.1:{port}", process, log, app_name)
    deadline = started + timeout
    failures: list[str] = []  # answers from a listening server that are not 200: the app itself is broken
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServiceStartError(f"`{' '.join(cmd[2:])}` exited with code {process.returncode}:\n"
                                    f"{server.log_tail()}")
        try:
            status, body = _get(f"{server.url}/health", timeout=5.0)
            if status == 200:
                server.startup_seconds = time.monotonic() - started
                return server
            failures.append(f"HTTP {status} {body[:200]!r}")
        except (ConnectionRefusedError, urllib.error.URLError) as exc:
            if not isinstance(getattr(exc, "reason", exc), ConnectionRefusedError):
                failures.append(f"{type(exc).__name__}: {exc}")
        except OSError as exc:  # connection reset or closed without an answer
            failures.append(f"{type(exc).__name__}: {exc}")
        if len(failures) >= 5:
            server.stop()
            raise ServiceStartError(f"`{' '.join(cmd[2:])}` listens, but /health fails: {failures[-1]}\n"
                                    f"{server.log_tail()}")
        time.sleep(0.2)
    server.stop()
    raise ServiceStartError(f"`{' '.join(cmd[2:])}` did not answer /health within {timeout:g} s:\n"
                            f"{server.log_tail()}")


@contextlib.contextmanager
def mlflow_server(workdir: Path, *, app_name: str | None = None, timeout: float = 120.0):
    """Context manager around :func:`start_mlflow_server`; the server is stopped on exit."""
    server = start_mlflow_server(workdir, app_name=app_name, timeout=timeout)
    try:
        yield server
    finally:
        server.stop()


_SHARED: dict[str | None, MlflowServer | ServiceStartError] = {}
_SHARED_LOCK = threading.Lock()


def shared_mlflow_server(*, app_name: str | None = None, env: dict[str, str] | None = None) -> MlflowServer:
    """One server per process and ``app_name`` (servers take seconds to start); a start failure is remembered.

    The server lives in a fresh temporary directory and stops (and the directory goes) when the interpreter
    exits, so in-process pytest runs (pytester) share it too.
    """
    import atexit
    import shutil
    import tempfile

    with _SHARED_LOCK:
        known = _SHARED.get(app_name)
        if isinstance(known, MlflowServer) and known.process.poll() is None:
            return known
        if isinstance(known, ServiceStartError):
            raise known
        workdir = Path(tempfile.mkdtemp(prefix=f"mlflow-conformance-{app_name or 'server'}-"))
        try:
            server = start_mlflow_server(workdir, app_name=app_name, env=env)
        except ServiceStartError as exc:
            _SHARED[app_name] = exc
            shutil.rmtree(workdir, ignore_errors=True)
            raise
        _SHARED[app_name] = server

        def stop():
            server.stop()
            shutil.rmtree(workdir, ignore_errors=True)

        atexit.register(stop)
        return server


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class RecordingProxy:
    """An HTTP server on 127.0.0.1 that records each request and forwards it to ``upstream``.

    MLflow's REST client (``http_request``) talks to ``url`` as to a tracking server: the real answers come from
    the upstream ``mlflow server``, and the suite sees exactly which headers and credentials MLflow sent.
    """

    upstream: str
    url: str = ""
    requests: list[RecordedRequest] = field(default_factory=list)
    _server: http.server.ThreadingHTTPServer | None = None

    def clear(self) -> None:
        self.requests.clear()

    def matching(self, path_part: str) -> list[RecordedRequest]:
        return [r for r in self.requests if path_part in r.path]


def _proxy_handler(proxy: RecordingProxy):
    upstream = urllib.parse.urlsplit(proxy.upstream)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # quiet: the suite reports what matters
            return

        def _forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            proxy.requests.append(RecordedRequest(self.command, self.path, dict(self.headers.items())))
            forward = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
            connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
            try:
                connection.request(self.command, self.path, body=body, headers=forward)
                response = connection.getresponse()
                payload = response.read()
                self.send_response(response.status)
                for key, value in response.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            finally:
                connection.close()

        do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _forward

    return Handler


@contextlib.contextmanager
def recording_proxy(upstream: str):
    """Run a :class:`RecordingProxy` in front of ``upstream`` (an ``http://127.0.0.1:PORT`` URL) until exit."""
    proxy = RecordingProxy(upstream)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _proxy_handler(proxy))
    server.daemon_threads = True
    proxy._server = server
    proxy.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="conformance-recording-proxy", daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# -- PostgreSQL ------------------------------------------------------------------------------------------------


class ServiceUnavailable(RuntimeError):
    """The service cannot start on this machine; the message says why (shown as the skip reason)."""


def find_postgres_bin() -> str | None:
    """The directory holding ``initdb`` and ``pg_ctl`` (PATH first, then Debian's /usr/lib/postgresql/*/bin)."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return os.path.dirname(found)
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return os.path.dirname(candidates[0]) if candidates else None


@dataclass
class PostgresServer:
    """A running PostgreSQL server: ``uri(database)`` gives a SQLAlchemy URI, ``create_database`` a fresh one."""

    host: str
    port: int
    user: str

    def uri(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg2://{self.user}@{self.host}:{self.port}/{database}"

    def create_database(self, prefix: str = "conformance") -> str:
        """Create an empty database with a unique name and return its URI."""
        import psycopg2

        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        connection = psycopg2.connect(host=self.host, port=self.port, user=self.user, dbname="postgres")
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()
        return self.uri(name)


def _as_postgres_user(command: list[str]) -> list[str]:
    """Run as the ``postgres`` user when we are root (initdb refuses to run as root)."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            raise ServiceUnavailable("running as root without `runuser`: cannot start PostgreSQL as `postgres`")
        return [runuser, "-u", "postgres", "--", *command]
    return command


@contextlib.contextmanager
def postgres_server(timeout: float = 60.0):
    """Start a throw-away PostgreSQL server on 127.0.0.1 (free port, trust auth, socket dir in tmp); stop it after.

    Raises :class:`ServiceUnavailable` when no PostgreSQL binaries are installed or the server cannot start
    (Debian: ``apt-get install postgresql``). As root, the server runs as the ``postgres`` user on a data
    directory it owns.
    """
    bindir = find_postgres_bin()
    if bindir is None:
        raise ServiceUnavailable("PostgreSQL is not installed (no initdb/pg_ctl; Debian: apt-get install postgresql)")
    try:
        import psycopg2  # noqa: F401
    except ImportError as exc:
        raise ServiceUnavailable("psycopg2 is not installed (pip install psycopg2-binary)") from exc
    root = tempfile.mkdtemp(prefix="mlflow-conformance-pg-")
    os.chmod(root, 0o755)
    data, sockets, log = os.path.join(root, "data"), os.path.join(root, "sock"), os.path.join(root, "server.log")
    os.makedirs(sockets)
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if as_root:
        try:
            import pwd

            entry = pwd.getpwnam("postgres")
        except KeyError as exc:
            shutil.rmtree(root, ignore_errors=True)
            raise ServiceUnavailable("running as root and no `postgres` user exists") from exc
        for path in (root, sockets):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    user = "postgres" if as_root else (os.environ.get("USER") or "postgres")
    port = free_port()
    pg_ctl = os.path.join(bindir, "pg_ctl")
    started = False
    try:
        init = subprocess.run(
            _as_postgres_user([os.path.join(bindir, "initdb"), "-D", data, "-U", user, "--auth=trust",
                               "-E", "UTF8", "--no-sync"]),
            capture_output=True, text=True, timeout=timeout)
        if init.returncode != 0:
            raise ServiceUnavailable(f"initdb failed: {init.stderr.strip()[-500:]}")
        start = subprocess.run(
            _as_postgres_user([pg_ctl, "-D", data, "-l", log, "-w", "-t", str(int(timeout)), "-o",
                               f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off", "start"]),
            capture_output=True, text=True, timeout=timeout + 10)
        if start.returncode != 0:
            tail = open(log).read()[-500:] if os.path.exists(log) else ""
            raise ServiceUnavailable(f"PostgreSQL did not start: {start.stderr.strip()[-300:]} {tail}")
        started = True
        yield PostgresServer("127.0.0.1", port, user)
    finally:
        if started:
            subprocess.run(_as_postgres_user([pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"]),
                           capture_output=True, timeout=timeout)
        shutil.rmtree(root, ignore_errors=True)
