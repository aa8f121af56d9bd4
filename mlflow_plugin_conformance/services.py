"""Real services for tests, started on 127.0.0.1 and stopped afterwards.

Each section is a pytest-free context manager plus, where useful, a documented pytest fixture a plugin author
imports into their ``conftest.py``.  Nothing here is a mock of a part the user really has: the S3 section runs
moto's server mode, which speaks the S3 HTTP protocol to boto3 exactly as AWS would.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import http.client
import http.server
import os
import re
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
from collections.abc import Callable
from concurrent.futures import Future
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
    workers: int = 1
    command: str = ""  # the command line as shown in messages (credentials redacted)
    launched: float = 0.0  # time.monotonic() when the process was launched
    _cleanup: object = None

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def log_size(self) -> int:
        """The log's length in bytes now: :meth:`log_since` of it gives what the server writes from here on."""
        try:
            return self.log.stat().st_size
        except OSError:
            return 0

    def log_since(self, offset: int, lines: int = 60) -> str:
        """The last ``lines`` lines the server wrote after the log was ``offset`` bytes long."""
        try:
            with open(self.log, "rb") as fh:
                fh.seek(offset)
                text = fh.read().decode(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def log_excerpt(self, offset: int, lines: int = 60, requests: int = 15) -> str:
        """What the server wrote after ``offset``, for a failure report: its last ``lines`` messages, with only the
        last ``requests`` lines of its access log (one per request) among them."""
        kept = self.log_since(offset, lines=10_000).splitlines()
        access = [i for i, line in enumerate(kept) if _ACCESS_LINE.search(line)]
        dropped = set(access[:-requests]) if requests else set(access)
        excerpt = [line for i, line in enumerate(kept) if i not in dropped][-lines:]
        if dropped:
            excerpt.insert(0, f"({len(dropped)} earlier request lines left out)")
        return "\n".join(excerpt)

    def worker_pids(self) -> list[int]:
        """The process ids of the server and every process it started (its workers), read from /proc (Linux);
        empty where there is no /proc."""
        return _descendants(self.process.pid)

    def worker_serving(self, client_socket) -> int | None:
        """The id of the server process that holds the other end of ``client_socket`` (a connected socket of
        this process to this server): which worker serves that connection. None where /proc cannot tell."""
        inode = _peer_socket_inode(self.port, client_socket.getsockname()[1])
        if inode is None:
            return None
        wanted = f"socket:[{inode}]"
        for pid in self.worker_pids():
            try:
                for fd in os.listdir(f"/proc/{pid}/fd"):
                    with contextlib.suppress(OSError):
                        if os.readlink(f"/proc/{pid}/fd/{fd}") == wanted:
                            return pid
            except OSError:
                continue
        return None

    def terminate(self) -> None:
        """Tell the server and the workers it forked (its own process group) to stop; do not wait."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGTERM)

    def stop(self) -> None:
        """Stop the server and the workers it forked (its own process group), by process id."""
        if self.process.poll() is not None:
            return
        self.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)


#: A line of the server's access log (uvicorn: ``127.0.0.1:PORT - "GET /path HTTP/1.1" 200``; gunicorn alike).
_ACCESS_LINE = re.compile(r'"(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) [^"]*HTTP/[0-9.]+"')


def _descendants(root: int) -> list[int]:
    """``root`` and every process below it, from the parent ids in /proc/*/stat (empty without /proc)."""
    parents: dict[int, int] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents[int(entry)] = int(fields[1])
    if root not in parents:
        return []
    found, frontier = [root], [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found


def _peer_socket_inode(server_port: int, client_port: int) -> str | None:
    """The inode of the server-side socket of the TCP connection 127.0.0.1:client_port -> :server_port."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as fh:
                rows = fh.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            local, remote = fields[1], fields[2]
            if int(local.rsplit(":", 1)[1], 16) == server_port and int(remote.rsplit(":", 1)[1], 16) == client_port:
                return fields[9]
    return None


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
                        env: dict[str, str] | None = None, backend_store_uri: str | None = None,
                        registry_store_uri: str | None = None, artifacts_destination: str | None = None,
                        workers: int = 1, wait: bool = True) -> MlflowServer:
    """Start ``mlflow server`` (MLflow's default server, ``workers`` processes) on a free port; wait for ``/health``.

    Backend store: ``backend_store_uri``, default ``sqlite:///<workdir>/mlflow.db`` (a copy of the migrated
    template). ``registry_store_uri`` is given to ``--registry-store-uri`` when set (MLflow's default: the backend
    store). With ``artifacts_destination`` the server proxies artifacts (``--serve-artifacts
    --artifacts-destination``; clients use ``mlflow-artifacts:`` URIs), otherwise artifacts go under
    ``<workdir>/artifacts``. With ``app_name`` the server runs ``--app-name app_name``, exactly as a user would
    start a plugin's app. Raises :class:`ServiceStartError` with the server's log when it exits or does not answer
    within ``timeout``. With ``wait=False`` it returns as soon as the process is launched, for
    :func:`await_mlflow_server` (the command line as shown is ``server.command``): the launch must happen in a
    thread that outlives the server (on Linux the server is told to stop when the thread that launched it ends),
    the wait may happen in any.
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = workdir / f"mlflow-server-{port}.log"
    if backend_store_uri is None:
        database = workdir / "mlflow.db"
        template = migrated_sqlite_template() if not database.exists() else None
        if template is not None:
            shutil.copyfile(template, database)
        backend_store_uri = f"sqlite:///{database.as_posix()}"
    cmd = [sys.executable, "-m", "mlflow", "server", "--host", "127.0.0.1", "--port", str(port),
           "--backend-store-uri", backend_store_uri, "--workers", str(workers)]
    if registry_store_uri is not None:
        cmd += ["--registry-store-uri", registry_store_uri]
    if artifacts_destination is not None:
        cmd += ["--serve-artifacts", "--artifacts-destination", artifacts_destination]
    else:
        cmd += ["--default-artifact-root", (workdir / "artifacts").as_posix()]
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
    server = MlflowServer(f"http://127.0.0.1:{port}", process, log, app_name, workers=workers)
    shown = " ".join(redact_command(cmd[2:]))
    server.command, server.launched = shown, started
    if not wait:
        return server
    return await_mlflow_server(server, shown, started, timeout)


def await_mlflow_server(server: MlflowServer, shown: str, started: float, timeout: float) -> MlflowServer:
    """Wait until the launched ``server`` answers ``/health`` (see :func:`start_mlflow_server`); any thread may
    wait."""
    process = server.process
    deadline = started + timeout
    failures: list[str] = []  # answers from a listening server that are not 200: the app itself is broken
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServiceStartError(f"`{shown}` exited with code {process.returncode}:\n{server.log_tail()}")
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
            raise ServiceStartError(f"`{shown}` listens, but /health fails: {failures[-1]}\n{server.log_tail()}")
        time.sleep(0.2)
    server.stop()
    raise ServiceStartError(f"`{shown}` did not answer /health within {timeout:g} s:\n{server.log_tail()}")


def redact_command(args: list[str]) -> list[str]:
    """The arguments of a command line with the credentials in URIs replaced (for messages and reports)."""
    from .redaction import redact_uri

    return [redact_uri(a) if "://" in a else a for a in args]


@contextlib.contextmanager
def mlflow_server(workdir: Path, *, app_name: str | None = None, timeout: float = 120.0):
    """Context manager around :func:`start_mlflow_server`; the server is stopped on exit."""
    server = start_mlflow_server(workdir, app_name=app_name, timeout=timeout)
    try:
        yield server
    finally:
        server.stop()


#: One entry per server configuration: the future of its start (done: the server, or the ServiceStartError).
_SHARED: dict[tuple, Future] = {}
_SHARED_LOCK = threading.Lock()
#: Every shared server launched and not stopped: id -> (server, how to stop it and remove its files).
_RUNNING: dict[int, tuple[MlflowServer, Callable[[], None]]] = {}


def _shared_key(app_name, env, backend_store_uri, registry_store_uri, artifacts_destination, workers) -> tuple:
    return (app_name, tuple(sorted((env or {}).items())), backend_store_uri, registry_store_uri,
            artifacts_destination, workers)


def _claim_start(key: tuple) -> tuple[Future, bool]:
    """The future of ``key``'s server, and whether the caller must start it (no start yet, or its server died)."""
    with _SHARED_LOCK:
        known = _SHARED.get(key)
        if known is not None and not (known.done() and known.exception() is None
                                      and known.result().process.poll() is not None):
            return known, False
        future: Future = Future()
        _SHARED[key] = future
        return future, True


def _start_shared(future: Future, *, workdir: Path | None, timeout: float, in_background: bool = False,
                  **config) -> None:
    """Launch the server of ``config`` in this thread; wait for it here or, ``in_background``, in a new thread;
    the outcome goes to ``future``."""
    owned = workdir is None
    where = Path(tempfile.mkdtemp(prefix=f"mlflow-conformance-{config.get('app_name') or 'server'}-")) \
        if owned else Path(workdir)

    def failed(exc: BaseException) -> None:
        if owned:
            shutil.rmtree(where, ignore_errors=True)
        future.set_exception(exc)

    try:
        launched = start_mlflow_server(where, timeout=timeout, wait=False, **config)
    except BaseException as exc:
        failed(exc)
        return
    if in_background:
        threading.Thread(target=_await_shared, args=(future, launched, where, owned, timeout, failed),
                         name="conformance-server-start", daemon=True).start()
    else:
        _await_shared(future, launched, where, owned, timeout, failed)


def _await_shared(future: Future, launched: MlflowServer, where: Path, owned: bool, timeout: float,
                  failed: Callable[[BaseException], None]) -> None:
    _RUNNING[id(launched)] = (launched, launched.stop)  # stopped at exit even while it is still starting
    try:
        server = await_mlflow_server(launched, launched.command, launched.launched, timeout)
    except BaseException as exc:
        _RUNNING.pop(id(launched), None)
        launched.stop()
        failed(exc)
        return

    def stop():
        _RUNNING.pop(id(server), None)
        server.stop()
        if owned:
            shutil.rmtree(where, ignore_errors=True)

    server._cleanup = stop
    _RUNNING[id(server)] = (server, stop)
    future.set_result(server)


def shared_mlflow_server(*, app_name: str | None = None, env: dict[str, str] | None = None,
                         backend_store_uri: str | None = None, registry_store_uri: str | None = None,
                         artifacts_destination: str | None = None, workers: int = 1,
                         workdir: Path | None = None, timeout: float = 120.0) -> MlflowServer:
    """One server per process and configuration (servers take seconds to start); a start failure is remembered.

    The configuration is everything :func:`start_mlflow_server` is given except ``workdir`` and ``timeout``. The
    server lives in ``workdir`` (default: a fresh temporary directory, removed with it) and stops when the
    interpreter exits (or earlier through :func:`stop_shared_mlflow_server`), so in-process pytest runs
    (pytester) share it too. A start :func:`warm_shared_mlflow_server` began is waited for, not repeated.
    """
    config = dict(app_name=app_name, env=env, backend_store_uri=backend_store_uri,
                  registry_store_uri=registry_store_uri, artifacts_destination=artifacts_destination, workers=workers)
    future, mine = _claim_start(_shared_key(**config))
    if mine:
        _start_shared(future, workdir=workdir, timeout=timeout, **config)
    return future.result()


def warm_shared_mlflow_server(**config) -> None:
    """Begin starting the :func:`shared_mlflow_server` of ``config`` in a background thread and return at once: a
    server takes seconds to start, time the run spends on other clauses meanwhile. The first clause that needs it
    waits for the start (and sees its error, if it failed)."""
    workdir, timeout = config.pop("workdir", None), config.pop("timeout", 120.0)
    config = dict(dict(app_name=None, env=None, backend_store_uri=None, registry_store_uri=None,
                       artifacts_destination=None, workers=1), **config)
    future, mine = _claim_start(_shared_key(**config))
    if mine:
        _start_shared(future, workdir=workdir, timeout=timeout, in_background=True, **config)


def stop_shared_mlflow_server(server: MlflowServer) -> None:
    """Stop a server :func:`shared_mlflow_server` started (and forget it: the next call starts a new one)."""
    with _SHARED_LOCK:
        for key, known in list(_SHARED.items()):
            if known.done() and known.exception() is None and known.result() is server:
                del _SHARED[key]
    (server._cleanup or server.stop)()


def _stop_all_shared_servers() -> None:
    """At exit: every shared server still running (or still starting) is told to stop at once, then each is
    waited for and its files removed (a server takes about a second to stop; one after the other, a run with
    several would end that much later)."""
    running = list(_RUNNING.values())
    for server, _ in running:
        server.terminate()
    for _, stop in running:
        with contextlib.suppress(Exception):
            stop()


atexit.register(_stop_all_shared_servers)


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
