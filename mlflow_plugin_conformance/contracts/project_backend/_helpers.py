"""What only the project-backend contract uses: a tiny local MLflow project, the ``backend_config`` MLflow passes,
and the status names a ``SubmittedRun`` reports."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

#: Seconds after which the gate of the ``gated`` entry point opens by itself (a backend whose ``run`` blocks).
GATE_VALVE_SECONDS = 15.0

_STEP = """\
import pathlib, sys
args = sys.argv[1:]
pathlib.Path(args[args.index("--out") + 1]).write_text("\\n".join(args), encoding="utf-8")
"""

_GATED = """\
import pathlib, sys, time
gate, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
(out / "started").write_text("started")
for _ in range(6000):  # at most ten minutes: the contract opens the gate or cancels the run
    if gate.exists():
        break
    time.sleep(0.1)
(out / "finished").write_text("finished")
"""


def write_project(folder: Path) -> Path:
    """A tiny MLflow project: ``main`` records its arguments, ``fail`` exits 3, ``gated`` waits for a file."""
    folder.mkdir(parents=True, exist_ok=True)
    python = shlex.quote(sys.executable)
    (folder / "step.py").write_text(_STEP, encoding="utf-8")
    (folder / "gated.py").write_text(_GATED, encoding="utf-8")
    (folder / "MLproject").write_text(
        "name: conformance-project\n"
        "entry_points:\n"
        "  main:\n"
        "    parameters:\n"
        "      alpha: {type: string}\n"
        "      out: {type: string}\n"
        "      beta: {type: string, default: 'beta-default'}\n"
        f"    command: \"{python} step.py --alpha {{alpha}} --beta {{beta}} --out {{out}}\"\n"
        "  fail:\n"
        f"    command: \"{python} -c 'import sys; sys.exit(3)'\"\n"
        "  gated:\n"
        "    parameters:\n"
        "      gate: {type: string}\n"
        "      out: {type: string}\n"
        f"    command: \"{python} gated.py {{gate}} {{out}}\"\n",
        encoding="utf-8",
    )
    return folder


def mlflow_backend_config(**overrides) -> dict:
    """The ``backend_config`` ``mlflow.projects.run`` passes: its keys set, local environment, synchronous."""
    from mlflow.projects.utils import (
        PROJECT_BUILD_IMAGE,
        PROJECT_DOCKER_ARGS,
        PROJECT_DOCKER_AUTH,
        PROJECT_ENV_MANAGER,
        PROJECT_STORAGE_DIR,
        PROJECT_SYNCHRONOUS,
    )

    config = {PROJECT_ENV_MANAGER: "local", PROJECT_SYNCHRONOUS: True, PROJECT_DOCKER_ARGS: None,
              PROJECT_STORAGE_DIR: None, PROJECT_BUILD_IMAGE: False, PROJECT_DOCKER_AUTH: None}
    config.update(overrides)
    return config


def status_name(status) -> str:
    """``get_status()`` must return a RunStatus name (what MLflow's own SubmittedRuns return)."""
    from mlflow.entities import RunStatus

    assert isinstance(status, str), (
        f"get_status() returned {status!r} ({type(status).__name__}); MLflow's SubmittedRuns return a RunStatus "
        f"name such as 'RUNNING' or 'FINISHED' (RunStatus.to_string)")
    assert status in RunStatus.all_status() or status in {RunStatus.to_string(s) for s in RunStatus.all_status()}, (
        f"get_status() returned {status!r}, not one of {sorted(RunStatus.to_string(s) for s in RunStatus.all_status())}")
    return status
