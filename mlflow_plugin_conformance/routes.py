"""The route a clause takes to the plugin: in process, or through a real ``mlflow server`` backed by the plugin.

In production most plugin stores sit behind a tracking server and every client talks REST. The *in-process*
route hands a clause the plugin's own object; the *server* route starts ``mlflow server`` on 127.0.0.1 with the
plugin behind it (``--backend-store-uri``, ``--registry-store-uri``, ``--serve-artifacts --artifacts-destination``,
the option each kind's catalogue record names as ``served_as``) and hands the same clause MLflow's own REST client
for that kind, built as MLflow builds it from a URI: the tracking ``RestStore`` from ``http://127.0.0.1:PORT``,
the registry ``RestStore`` from the same URL, and the ``mlflow-artifacts`` repository from
``mlflow-artifacts://127.0.0.1:PORT/<prefix>``. Every request then crosses MLflow's protobuf messages, its
handlers and its error mapping, in one of several worker processes.

One server serves every served kind of one distribution and entry-point name (the tracking store, registry store
and artifact repository a plugin registers under one scheme) for the whole session: its start costs seconds, so
it is started on first use and shared by the classes of that group; under pytest-xdist each worker process starts
its own. A kind the group lacks is stood in for by MLflow's SQLite store or a local directory, so the server
starts. Servers stop at the end of the session, at interpreter exit, and with the suite's process (Linux).
"""

from __future__ import annotations

import contextlib
import os
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .kinds import KINDS, PluginKind

if TYPE_CHECKING:
    from .discovery import PluginTarget

IN_PROCESS = "in-process"
SERVER = "server"
ROUTES = (IN_PROCESS, SERVER)
#: ``--mlflow-conformance-via`` -> the routes each served kind is checked through.
VIA_CHOICES = {"in-process": (IN_PROCESS,), "server": (SERVER,), "both": (IN_PROCESS, SERVER)}

#: Worker processes of the server: several, so that state kept in one process's memory shows (at least 4 for
#: the clause that checks what one worker wrote is seen by every other).
SERVER_WORKERS = 4
#: Seconds a server may take to answer ``/health`` (several workers each import MLflow on a busy CI machine).
SERVER_START_TIMEOUT = 300.0
#: The environment of the server the suite starts: MLflow's stores refuse webhooks to private addresses and over
#: http unless told otherwise, in the process that validates them; the webhook clauses allow their receiver on
#: 127.0.0.1 in process (contracts/model_registry_store/webhooks.py), and behind the server that process is the
#: server's.
SERVER_ENV = {"MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS": "true", "MLFLOW_WEBHOOK_ALLOWED_SCHEMES": "http,https"}
#: Through the server, a clause's time limit is this many times ``--mlflow-conformance-timeout``: each call is an
#: HTTP request (the differential machines make hundreds; about ten times slower than in process).
SERVER_TIME_FACTOR = 4


def routes_for(via: str) -> tuple[str, ...]:
    """The routes ``--mlflow-conformance-via=via`` selects; ValueError for an unknown value."""
    try:
        return VIA_CHOICES[via]
    except KeyError:
        raise ValueError(f"unknown route {via!r}: choose one of {', '.join(VIA_CHOICES)}") from None


def kind_routes(kind: PluginKind, via: str) -> tuple[str, ...]:
    """The routes ``kind`` is checked through: a kind no server can serve is checked in process whatever is
    chosen (a provider, an evaluator... are always in the client's process)."""
    chosen = routes_for(via)
    if kind.served_as is None:
        return (IN_PROCESS,)
    return chosen


def served_kinds() -> tuple[PluginKind, ...]:
    """The kinds ``mlflow server`` can put a plugin behind."""
    return tuple(kind for kind in KINDS if kind.served_as is not None)


def route_label(label: str, route: str) -> str:
    """How reports name a target on a route: ``tracking_store:my-scheme`` / ``tracking_store:my-scheme (server)``."""
    return label if route == IN_PROCESS else f"{label} ({route})"


def class_suffix(route: str) -> str:
    """The bundled suite's class name suffix for a route: ``TestTrackingStore`` / ``TestTrackingStoreServer``."""
    return "" if route == IN_PROCESS else "".join(part.capitalize() for part in route.split("-"))


def server_group(target: PluginTarget) -> tuple[str, str]:
    """Targets served by one server: the same distribution and entry-point name."""
    return (target.dist, target.name)


def server_options(served: dict[str, str], workdir: Path) -> dict[str, str]:
    """``mlflow server`` options for the plugin URIs in ``served`` (``{served_as option: URI}``), with MLflow's
    SQLite store (migrated template) and a local directory standing in for the kinds the plugin does not offer."""
    options = dict(served)
    if "--backend-store-uri" not in options or "--registry-store-uri" not in options:
        from .services import migrated_sqlite_template

        database = workdir / "stand-in.db"
        template = migrated_sqlite_template()
        if template is not None and not database.exists():
            import shutil

            shutil.copyfile(template, database)
        options.setdefault("--backend-store-uri", f"sqlite:///{database.as_posix()}")
        options.setdefault("--registry-store-uri", f"sqlite:///{database.as_posix()}")
    options.setdefault("--artifacts-destination", (workdir / "stand-in-artifacts").as_posix())
    return options


class ServerPool:
    """The servers of one session, one per :func:`server_group`, started on first use.

    ``targets`` are the session's selected targets; ``uri_of(target, directory)`` renders a target's URI under a
    directory (as the in-process build does); ``workdir(name)`` gives a fresh directory for one server.
    """

    def __init__(self, targets: list[PluginTarget], uri_of: Callable[[PluginTarget, Path], str | None],
                 workdir: Callable[[str], Path], *, workers: int = SERVER_WORKERS,
                 timeout: float = SERVER_START_TIMEOUT):
        self._targets = [t for t in targets if t.kind is not None and t.kind.served_as is not None]
        self._uri_of = uri_of
        self._workdir = workdir
        self.workers = workers
        self.timeout = timeout
        self._started: dict[tuple[str, str], object] = {}  # MlflowServer, or the ServiceStartError
        self._lock = threading.Lock()

    def served_by_group(self, target: PluginTarget) -> dict[str, PluginTarget]:
        """``{served_as option: target}`` of the targets sharing ``target``'s server."""
        group = server_group(target)
        return {t.kind.served_as: t for t in self._targets if server_group(t) == group}

    def known(self, target: PluginTarget):
        """The server of ``target``'s group if it was started (None otherwise): never starts one."""
        found = self._started.get(server_group(target))
        from .services import MlflowServer

        return found if isinstance(found, MlflowServer) else None

    def server_for(self, target: PluginTarget):
        """The running server of ``target``'s group (started now if needed). Raises ``ServiceStartError`` with the
        server's log when it cannot start (remembered: the group's other classes get the same error at once)."""
        from .services import ServiceStartError, shared_mlflow_server

        group = server_group(target)
        with self._lock:
            found = self._started.get(group)
            if isinstance(found, ServiceStartError):
                raise found
            if found is not None and found.process.poll() is None:
                return found
            workdir = self._workdir(f"server-{group[0]}-{group[1]}")
            served = {}
            for option, member in self.served_by_group(target).items():
                uri = self._uri_of(member, workdir / member.kind.key)
                if uri is not None:
                    served[option] = uri
            options = server_options(served, workdir)
            try:
                server = shared_mlflow_server(
                    backend_store_uri=options["--backend-store-uri"],
                    registry_store_uri=options["--registry-store-uri"],
                    artifacts_destination=options["--artifacts-destination"], workers=self.workers,
                    workdir=workdir, timeout=self.timeout, env=SERVER_ENV)
            except ServiceStartError as exc:
                self._started[group] = exc
                raise
            self._started[group] = server
            return server

    def stop_all(self) -> None:
        """Stop every server this pool started (by process id)."""
        from .services import MlflowServer, stop_shared_mlflow_server

        with self._lock:
            for group, server in list(self._started.items()):
                if isinstance(server, MlflowServer):
                    stop_shared_mlflow_server(server)
                del self._started[group]


def rest_client(kind: PluginKind, server, tmp: Path):
    """``(instance, uri)``: MLflow's own REST client for ``kind`` on ``server``, built through MLflow's registries
    from a URI as MLflow builds it for a user whose tracking URI is the server (a plugin's own server-route
    subclass can build its fixture with it)."""
    if kind.served_as == "--backend-store-uri":
        from mlflow.tracking._tracking_service import utils

        return utils._tracking_store_registry.get_store(server.url, (tmp / "client-artifacts").as_uri()), server.url
    if kind.served_as == "--registry-store-uri":
        from mlflow.tracking._model_registry import utils

        return utils._get_store_registry().get_store(server.url, server.url), server.url
    if kind.served_as == "--artifacts-destination":
        from mlflow.store.artifact.artifact_repository_registry import get_artifact_repository

        uri = f"mlflow-artifacts://127.0.0.1:{server.port}/conformance/{uuid.uuid4().hex[:12]}"
        with tracking_uri_environment(server.url):  # MLflow resolves mlflow-artifacts: against the tracking URI
            return get_artifact_repository(uri), uri
    raise ValueError(f"{kind.key} has no client through mlflow server (served_as={kind.served_as!r})")


def build_client(target: PluginTarget, kind: PluginKind, server, tmp: Path):
    """:func:`rest_client` as the ``BuiltTarget`` of ``target``: its ``uri`` is the client's URI and its context
    holds the server (``"server"``) and its tracking URI."""
    from .build import BuiltTarget

    instance, uri = rest_client(kind, server, tmp)
    return BuiltTarget(target, uri, instance, {"route": SERVER, "server": server, "tracking_uri": server.url})


@contextlib.contextmanager
def tracking_uri_environment(url: str):
    """``MLFLOW_TRACKING_URI`` set to ``url`` for the block (restored after): what a user of the server has."""
    saved = os.environ.get("MLFLOW_TRACKING_URI")
    os.environ["MLFLOW_TRACKING_URI"] = url
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("MLFLOW_TRACKING_URI", None)
        else:
            os.environ["MLFLOW_TRACKING_URI"] = saved


#: The REST client the server route builds for each served kind: MLflow's findings on its server path are
#: recorded in ``findings.py`` under these implementations.
REST_CLIENTS = {
    "--backend-store-uri": "mlflow.store.tracking.rest_store:RestStore",
    "--registry-store-uri": "mlflow.store.model_registry.rest_store:RestStore",
    "--artifacts-destination": "mlflow.store.artifact.mlflow_artifacts_repo:MlflowArtifactsRepository",
}


def server_findings(kind_key: str, mlflow_version: str) -> dict[str, str]:
    """MLflow's own divergences on its server path for ``kind_key`` (``findings.py``, under the kind's REST
    client), as known-failure declarations for the server route only (``glob@server``): every plugin behind the
    server meets them."""
    from .findings import known_failures
    from .kinds import KINDS_BY_KEY

    client = REST_CLIENTS.get(KINDS_BY_KEY[kind_key].served_as or "") if kind_key in KINDS_BY_KEY else None
    if client is None:
        return {}
    return {f"{glob}@{SERVER}": why for glob, why in known_failures(client, mlflow_version).items()}


def server_uncheckable(kind_key: str, clause_id: str, mlflow_version: str) -> str | None:
    """Why ``clause_id`` is not-applicable through the server (a finding it meets only in some generated
    examples, ``findings.py``), or None."""
    from .findings import uncheckable
    from .kinds import KINDS_BY_KEY

    client = REST_CLIENTS.get(KINDS_BY_KEY[kind_key].served_as or "") if kind_key in KINDS_BY_KEY else None
    why = uncheckable(client, clause_id, mlflow_version) if client else None
    return f"MLflow's server path makes the outcome depend on the generated examples: {why}" if why else None
