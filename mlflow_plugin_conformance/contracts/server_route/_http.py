"""Raw HTTP to an ``mlflow server``, with each connection pinned to a known worker process.

MLflow's REST client keeps one connection alive and so talks to one worker at a time; the clauses here need to
know which worker answers. A connection stays with the worker that accepted it, and on Linux the worker that
holds its other end is read from /proc (``MlflowServer.worker_serving``), so the suite opens connections until it
holds one on each of several distinct workers, and then sends each request through the worker it chooses.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.parse
from dataclasses import dataclass

from ...outcomes import not_run

#: The fewest workers the consistency clauses check (the server route starts 4 by default).
MIN_WORKERS = 4
#: Seconds to spend opening connections until each of the wanted workers holds one (workers boot one by one).
PIN_SECONDS = 60.0
_DROPPED = (http.client.RemoteDisconnected, http.client.CannotSendRequest, ConnectionResetError, BrokenPipeError,
            ConnectionAbortedError)


@dataclass
class Answer:
    """One HTTP answer: status, headers (lower-case names) and body; ``data`` is the body as JSON (None if not)."""

    method: str
    path: str
    status: int
    headers: dict[str, str]
    body: bytes
    worker: int | None = None

    @property
    def data(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    @property
    def error_code(self) -> str | None:
        data = self.data
        return data.get("error_code") if isinstance(data, dict) else None

    def describe(self) -> str:
        where = f" (worker pid {self.worker})" if self.worker else ""
        return f"{self.method} {self.path}{where} -> HTTP {self.status} {self.body[:300]!r}"

    def ok(self, doing: str):
        """The JSON body of a 200 answer; an AssertionError naming ``doing`` otherwise."""
        assert self.status == 200, f"{doing}: {self.describe()}"
        return self.data if self.data is not None else {}


def _path(path: str, params: dict | None) -> str:
    return f"{path}?{urllib.parse.urlencode(params, doseq=True)}" if params else path


class ServerClient:
    """JSON requests to one server. ``request(..., worker=pid)`` goes through a connection that pid serves."""

    def __init__(self, server, timeout: float = 120.0):
        self.server = server
        self.timeout = timeout
        self._pinned: dict[int, http.client.HTTPConnection] = {}

    # -- connections -------------------------------------------------------------------------------------------

    def _open(self) -> tuple[http.client.HTTPConnection, int | None]:
        """A new connection that has been answered once (so a worker accepted it), and the pid serving it."""
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=self.timeout)
        connection.request("GET", "/health")
        connection.getresponse().read()
        return connection, self.server.worker_serving(connection.sock)

    def pin_workers(self, wanted: int = MIN_WORKERS, seconds: float = PIN_SECONDS) -> list[int]:
        """Hold a connection on each of ``wanted`` distinct workers; return their pids.

        Not-run when /proc cannot tell which worker serves a connection, when the server runs fewer than
        ``wanted`` workers, or when fewer than ``wanted`` of them answered within ``seconds``."""
        if getattr(self.server, "workers", 1) < wanted:
            not_run(f"the server runs {getattr(self.server, 'workers', 1)} worker process(es); this clause needs "
                    f"at least {wanted} (--mlflow-conformance-server-workers)")
        deadline = time.monotonic() + seconds
        attempts = 0
        while len(self._pinned) < wanted and time.monotonic() < deadline:
            connection, pid = self._open()
            attempts += 1
            if pid is None:
                connection.close()
                not_run("cannot tell which worker process serves a connection here (no /proc): the workers of "
                        "the server cannot be told apart")
            if pid in self._pinned:
                connection.close()
                time.sleep(0.05)
            else:
                self._pinned[pid] = connection
        if len(self._pinned) < wanted:
            not_run(f"only {len(self._pinned)} of the server's workers answered {attempts} new connections within "
                    f"{seconds:g} s")
        return sorted(self._pinned)

    def _repin(self, worker: int, seconds: float = PIN_SECONDS) -> http.client.HTTPConnection:
        """A fresh connection served by ``worker`` (the old one was closed by the server after idling)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            connection, pid = self._open()
            if pid == worker:
                self._pinned[worker] = connection
                return connection
            connection.close()
        raise AssertionError(f"worker pid {worker} stopped accepting connections (did it die? see the server log)")

    def close(self) -> None:
        for connection in self._pinned.values():
            connection.close()
        self._pinned.clear()

    # -- requests ----------------------------------------------------------------------------------------------

    def request(self, method: str, path: str, *, params: dict | None = None, body=None,
                worker: int | None = None, headers: dict | None = None) -> Answer:
        """``method path`` with ``params`` in the query string and ``body`` (JSON unless bytes); through the
        connection of ``worker`` when given, else through a fresh connection."""
        target = _path(path, params)
        payload = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        sent = dict(headers or {})
        if body is not None and not isinstance(body, bytes):
            sent.setdefault("Content-Type", "application/json")
        for attempt in range(2):
            if worker is None:
                connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=self.timeout)
            else:
                connection = self._pinned.get(worker) or self._repin(worker)
            try:
                connection.request(method, target, body=payload, headers=sent)
                response = connection.getresponse()
                data = response.read()
            except _DROPPED:
                connection.close()
                if worker is None or attempt:
                    raise
                self._repin(worker)
                continue
            finally:
                if worker is None:
                    connection.close()
            return Answer(method, target, response.status, {k.lower(): v for k, v in response.getheaders()},
                          data, worker)
        raise AssertionError("unreachable")

    def get(self, path: str, params: dict | None = None, **kwargs) -> Answer:
        return self.request("GET", path, params=params, **kwargs)

    def post(self, path: str, body=None, **kwargs) -> Answer:
        return self.request("POST", path, body=body if body is not None else {}, **kwargs)


def expect_error(answer: Answer, status: int, code: str, doing: str) -> None:
    """``answer`` is MLflow's JSON error for ``code`` with HTTP ``status``: what MLflow's client turns back into an
    MlflowException with that code (a 500, or a body without the code, loses it)."""
    assert answer.error_code == code and answer.status == status, (
        f"{doing}: expected HTTP {status} with error_code {code}, got {answer.describe()}")


def require_server(server) -> ServerClient:
    """A client for the class's server; not-run when the class has none (a plugin's own in-process subclass)."""
    if server is None:
        not_run("no mlflow server: these clauses check the plugin behind `mlflow server` "
                "(--mlflow-conformance-via=server, or a subclass with mlflow_route = 'server' that provides the "
                "`mlflow_conformance_server` fixture)")
    return ServerClient(server)
