"""The import-order check and the tracking-URI switch the contracts of the non-store kinds still share (the
private tracking store and the tiny models live in ``shared/local_mlflow.py``)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path


from .base import clause
from .shared.local_mlflow import fresh_tracking_uri  # noqa: F401  (re-exported for project_backend)


@contextlib.contextmanager
def tracking_uri_set(uri: str):
    """Point MLflow's global tracking URI (and the environment variable subprocesses inherit) at ``uri``."""
    import mlflow
    from mlflow.tracking._tracking_service import utils

    previous_uri = utils._tracking_uri  # None when never set: restore exactly that, not the resolved default
    previous_env = os.environ.get("MLFLOW_TRACKING_URI")
    mlflow.set_tracking_uri(uri)
    os.environ["MLFLOW_TRACKING_URI"] = uri
    try:
        yield uri
    finally:
        while mlflow.active_run() is not None:
            mlflow.end_run()
        utils._tracking_uri = previous_uri
        if previous_env is None:
            os.environ.pop("MLFLOW_TRACKING_URI", None)
        else:
            os.environ["MLFLOW_TRACKING_URI"] = previous_env


# -- import order -----------------------------------------------------------------------------------------------

_IMPORT_PROBE = """
import importlib, sys
order = sys.argv[1]
if order == "plugin-first":
    importlib.import_module({module!r})
    import mlflow
else:
    import mlflow
    importlib.import_module({module!r})
{probe}
print("import-order-ok")
"""


def entry_points_of(group: str, module: str) -> str:
    """Probe code binding ``eps``: the installed entry points of ``group`` whose object lives in ``module`` (none for
    a plugin checked through its own test module without an entry point: then only the import itself is checked)."""
    return (
        "from mlflow.utils.plugins import get_entry_points\n"
        f"eps = [e for e in get_entry_points({group!r}) if e.value.split(':')[0].strip() == {module!r}]\n"
    )


def run_import_probe(module: str, probe: str, order: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run ``probe`` in a fresh interpreter after importing ``module`` and ``mlflow`` in ``order``."""
    code = _IMPORT_PROBE.format(module=module, probe=textwrap.dedent(probe))
    env = dict(os.environ, MLFLOW_DISABLE_TELEMETRY="true", DO_NOT_TRACK="true", PYTHONWARNINGS="ignore")
    return subprocess.run([sys.executable, "-c", code, order], capture_output=True, text=True, timeout=300,
                          cwd=str(cwd), env=env)


def import_order_clauses(since: str | None = None) -> type:
    """Mixin: the plugin works whether its module or ``mlflow`` is imported first (MLflow issues 18509, 4697).

    A contract using it implements ``_import_probe(subject) -> (module_name, probe_code)``: the code runs after both
    imports in a fresh interpreter and must prove MLflow's registry can use the plugin. ``since`` is the MLflow
    release of the kind's group.
    """

    class ImportOrder:
        def _import_probe(self, subject) -> tuple[str, str]:  # pragma: no cover - every user overrides it
            raise NotImplementedError

        def _check_import_order(self, request, order, tmp_path):
            subject = request.getfixturevalue(self.target_fixture)
            module, probe = self._import_probe(subject)
            done = run_import_probe(module, probe, order, tmp_path)
            assert done.returncode == 0 and "import-order-ok" in done.stdout, (
                f"with {order.replace('-', ' ')} ({module}), the plugin did not work:\n{done.stderr[-3000:]}")

        @clause("{kind}/import/plugin-first", since=since)
        def test_import_plugin_first(self, request, tmp_path):
            """Importing the plugin's module before ``mlflow`` works, and MLflow's registry then uses the plugin
            (a top-level import of MLflow internals can be a circular import that MLflow swallows with a
            warning)."""
            self._check_import_order(request, "plugin-first", tmp_path)

        @clause("{kind}/import/mlflow-first", since=since)
        def test_import_mlflow_first(self, request, tmp_path):
            """Importing ``mlflow`` first and the plugin's module second works, and MLflow's registry uses it."""
            self._check_import_order(request, "mlflow-first", tmp_path)

    return ImportOrder


ImportOrderClauses = import_order_clauses()
