"""The process-wide state a plugin must leave alone when MLflow asks it something: the environment, MLflow's
tracking and registry URIs, its fluent state (active experiment and runs) and the working directory.

A clause records it before and after asking the plugin, reports every change, and puts it back so that one broken
plugin does not break the clauses after it.
"""

from __future__ import annotations

import os
from typing import Any


def global_state() -> dict[str, Any]:
    """What a plugin must not change by being asked: environment, MLflow's URIs and fluent state, cwd."""
    import mlflow.tracking._model_registry.utils as registry_utils
    import mlflow.tracking._tracking_service.utils as tracking_utils
    import mlflow.tracking.fluent as fluent

    return {
        "environment": dict(os.environ),
        "tracking URI (mlflow.set_tracking_uri)": tracking_utils._tracking_uri,
        "registry URI (mlflow.set_registry_uri)": registry_utils._registry_uri,
        "active experiment (mlflow.set_experiment)": fluent._active_experiment_id,
        "active runs": [run.info.run_id for run in fluent._active_run_stack.get()],
        "working directory": os.getcwd(),
    }


def state_changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The differences between two :func:`global_state` records, one line each."""
    changes = []
    for key, old in before.items():
        new = after[key]
        if key == "environment":
            for name in sorted(set(old) | set(new)):
                if old.get(name) != new.get(name):
                    changes.append(f"environment variable {name}: {old.get(name)!r} -> {new.get(name)!r}")
        elif old != new:
            changes.append(f"{key}: {old!r} -> {new!r}")
    return changes


def restore_global_state(state: dict[str, Any]) -> None:
    """Put back what :func:`global_state` recorded, so one broken plugin does not break the clauses after it."""
    import mlflow.tracking._model_registry.utils as registry_utils
    import mlflow.tracking._tracking_service.utils as tracking_utils
    import mlflow.tracking.fluent as fluent

    if dict(os.environ) != state["environment"]:
        os.environ.clear()
        os.environ.update(state["environment"])
    tracking_utils._tracking_uri = state["tracking URI (mlflow.set_tracking_uri)"]
    registry_utils._registry_uri = state["registry URI (mlflow.set_registry_uri)"]
    fluent._active_experiment_id = state["active experiment (mlflow.set_experiment)"]
    if os.getcwd() != state["working directory"]:
        os.chdir(state["working directory"])
