"""What the contracts of the non-store kinds still import from here: the tracking-URI switch and the names
re-exported from ``shared/local_mlflow.py`` and ``shared/import_order.py``."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


from .shared.local_mlflow import fresh_tracking_uri, save_tiny_model  # noqa: F401  (re-exported)


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


# -- import order: written once in shared/import_order.py --------------------------------------------------------
# These names stay until every contract imports the mixin from there; a contract's `_import_probe` is no longer
# called (the shared probe resolves every entry point through MLflow's registry of its group).

from .shared.import_order import ImportOrderClauses  # noqa: E402,F401


def import_order_clauses(since: str | None = None) -> type:
    """The ``import-order`` mixin (:class:`shared.import_order.ImportOrderClauses`); ``since`` is ignored: a
    kind's ``since`` in the catalogue already applies to every clause of it."""
    return ImportOrderClauses


def entry_points_of(group: str, module: str) -> str:
    """Unused since the shared probe: kept so that contracts still defining ``_import_probe`` import."""
    return ""
