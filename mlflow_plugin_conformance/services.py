"""Real services the contracts and the suite's own tests start on 127.0.0.1.

Each service is a pytest-free context manager: it starts the service, yields how to reach it, and stops exactly
the process it started.
"""

from __future__ import annotations

# -- PostgreSQL ------------------------------------------------------------------------------------------------

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass


class ServiceUnavailable(RuntimeError):
    """The service cannot start on this machine; the message says why (shown as the skip reason)."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    port = _free_port()
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
