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
                    workdir=workdir, timeout=self.timeout)
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


#: Where MLflow's own server path (its REST clients, handlers and error mapping) diverges from what a clause
#: checks in process, whatever the plugin behind it does: through the server these clauses are strict known
#: failures with MLflow's reason, for every target (found with MLflow 3.17.2, where MLflow's SQL stores, its
#: local artifact repository and the example plugin show exactly these). A plugin's own declarations take
#: precedence. Each reason says whose behaviour it is.
_INVALID_STATE_LOST = (
    "MLflow maps INVALID_STATE to HTTP 500, which its REST client treats as a transient failure: it retries (by "
    "default seven times with backoff, minutes) and then raises INTERNAL_ERROR ('too many 500 error responses') "
    "without the store's code or message, so no client of a tracking server can see INVALID_STATE")
_LOCAL_SOURCE_REFUSED = (
    "the clause registers model versions from local file:// sources without a run holding them, and MLflow's "
    "server refuses such a source before the store sees it (INVALID_PARAMETER_VALUE 'Invalid model version "
    "source', a security check of its create_model_version handler); in process the store accepts it")
_ZERO_SIZE_LOST = (
    "MLflow's server leaves a 0-byte file's file_size out of its JSON listing (zero is the protobuf default) and "
    "MLflow's mlflow-artifacts client turns the missing size into None, so an empty file is listed with size "
    "None through the server")
_PATHS_NOT_ENCODED = (
    "MLflow's mlflow-artifacts client puts artifact paths into request URLs without percent-encoding them, so "
    "a name holding '%XX' reaches the server decoded: 'a%20b.txt' is stored, read or deleted as 'a b.txt'")
SERVER_FINDINGS = {
    "tracking_store/experiments/rename-deleted": _INVALID_STATE_LOST,
    "tracking_store/concurrency/racing-experiment-creation":
        "MLflow's REST store sends search_experiments() without max_results when none is given (its default is "
        "None), and MLflow's server passes the protobuf default 0 to the store, which rejects it with "
        "INVALID_PARAMETER_VALUE; MlflowClient always passes max_results, the clause calls the store's default",
    "tracking_store/validation/experiment-name-rejected":
        "MLflow's REST store cannot put an experiment name that is not a string (123) into its protobuf request: "
        "it raises TypeError in the client, not INVALID_PARAMETER_VALUE (None is sent as no name and rejected "
        "with INVALID_PARAMETER_VALUE by the server)",
    "tracking_store/batch/invalid-batch-stores-nothing":
        "MLflow's REST store cannot put a metric value that is not a number into its protobuf request: it raises "
        "TypeError in the client, not INVALID_PARAMETER_VALUE",
    "model_registry_store/model-versions/*": _LOCAL_SOURCE_REFUSED,
    "model_registry_store/aliases/*": _LOCAL_SOURCE_REFUSED,
    "model_registry_store/registered-models/delete": _LOCAL_SOURCE_REFUSED,
    "model_registry_store/registered-models/rename": _LOCAL_SOURCE_REFUSED,
    "model_registry_store/registered-models/rename-to-existing": _LOCAL_SOURCE_REFUSED,
    "model_registry_store/registered-models/unknown-name-operations": _LOCAL_SOURCE_REFUSED,
    "model_registry_store/search-model-versions/filter": _LOCAL_SOURCE_REFUSED,
    "model_registry_store/search-model-versions/filter-name-in": _LOCAL_SOURCE_REFUSED,
    "model_registry_store/search-model-versions/order-by": _LOCAL_SOURCE_REFUSED,
    "model_registry_store/search-model-versions/pagination": _LOCAL_SOURCE_REFUSED,
    "model_registry_store/concurrency/racing-versions": _LOCAL_SOURCE_REFUSED,
    "model_registry_store/properties/aliases-round-trip": _LOCAL_SOURCE_REFUSED,
    "model_registry_store/properties/model-version-round-trip": _LOCAL_SOURCE_REFUSED,
    "model_registry_store/properties/differential-machine": _LOCAL_SOURCE_REFUSED,
    "model_registry_store/public-api/register-model": _LOCAL_SOURCE_REFUSED,
    "model_registry_store/public-api/client-registry-calls": _LOCAL_SOURCE_REFUSED,
    "model_registry_store/webhooks/lifecycle":
        "MLflow's server refuses a webhook URL that resolves to a non-public address (its SSRF check: "
        "'Webhook URL must not resolve to a non-public IP address') before the store sees it; the clause's "
        "webhook points at 127.0.0.1, which the store accepts in process",
    "artifact_repository/log/empty-file": _ZERO_SIZE_LOST,
    "artifact_repository/log/directory-tree": _ZERO_SIZE_LOST,
    "artifact_repository/log/percent-escapes-in-names": _PATHS_NOT_ENCODED,
    "artifact_repository/delete/literal-names": _PATHS_NOT_ENCODED,
    "artifact_repository/safety/traversal-delete":
        "MLflow's mlflow-artifacts client checks no path it deletes (its uploads reject '..'), and the HTTP "
        "client resolves '..' in the URL before sending: the server's own path check then sees a harmless path, "
        "so delete_artifacts('../x') deletes x next to the repository's root (another run's artifacts under the "
        "same destination)",
}

#: Clauses whose outcome through the server depends on what Hypothesis generates, because a generated input may
#: or may not meet one of the findings above: a strict known failure cannot be declared for them, so through the
#: server they are not-applicable, with the finding as the reason (the example clauses cover those paths).
SERVER_UNCHECKABLE = {
    "tracking_store/differential/state-machine":
        "the machine compares error codes with MLflow's in-process reference, and through the server every "
        "INVALID_STATE the reference raises (renaming a deleted experiment...) arrives as INTERNAL_ERROR: "
        + _INVALID_STATE_LOST,
    "artifact_repository/properties/tree-round-trip": "a generated tree may hold an empty file: " + _ZERO_SIZE_LOST,
    "artifact_repository/properties/differential-vs-local":
        "a generated sequence may log an empty file: " + _ZERO_SIZE_LOST,
}


def server_findings(mlflow_version: str | None = None) -> dict[str, str]:
    """:data:`SERVER_FINDINGS` as known-failure declarations for the server route only (``glob@server``)."""
    return {f"{glob}@{SERVER}": reason for glob, reason in SERVER_FINDINGS.items()}


def server_uncheckable(clause_id: str) -> str | None:
    """Why ``clause_id`` is not-applicable through the server (:data:`SERVER_UNCHECKABLE`), or None."""
    import fnmatch

    for glob, reason in SERVER_UNCHECKABLE.items():
        if fnmatch.fnmatchcase(clause_id, glob):
            return f"MLflow's server path makes the outcome depend on the generated examples: {reason}"
    return None
