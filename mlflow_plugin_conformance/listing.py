"""``pytest --mlflow-plugin-list``: what is installed, whether it loads, and what breaks users silently."""

from __future__ import annotations

import warnings
from typing import TextIO

from .discovery import discover, load_status, silent_conflicts
from .kinds import KINDS


def print_listing(out: TextIO) -> int:
    """Print every ``mlflow.*`` entry point (group, name, value, distribution, version, load status); return 0.

    MLflow is imported first, as MLflow itself would be, so an entry point is loaded in the order a user's
    process loads it; warnings MLflow emits while registering plugins are shown, since MLflow otherwise only
    warns when it drops a broken plugin.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            import mlflow  # noqa: F401  (registers the built-in and plugin stores, as in a user's process)

            version = mlflow.__version__
        except Exception as exc:  # MLflow missing or broken: still list what is installed
            version = f"unavailable ({type(exc).__name__}: {exc})"
        targets = discover()
        rows = [("group", "name", "value", "distribution", "version", "loads")]
        for target in targets:
            rows.append((target.group, target.name, target.value, target.dist, target.version, load_status(target)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    out.write(f"MLflow {version}: {len(targets)} entry point(s) in mlflow.* groups\n")
    for row in rows:
        out.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1] + "\n")
    known = {kind.group for kind in KINDS}
    for group in sorted({t.group for t in targets} - known):
        out.write(f"note: group {group} is not in the suite's catalogue (no contract; MLflow may not load it)\n")
    for finding in silent_conflicts(targets):
        out.write(f"WARNING {finding.target.label} ({finding.target.dist}): {finding.message}\n")
    for warning in caught:
        text = str(warning.message)
        if "Failure attempting to register" in text:
            out.write(f"WARNING from MLflow while registering plugins: {text}\n")
    out.flush()
    return 0
