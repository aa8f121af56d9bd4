"""Local MLflow fixtures the contracts of the non-store kinds share: a private SQLite tracking store and a tiny
pyfunc model.

Everything stays offline and under the test's temporary directories: the tracking store is a SQLite file
(migrated once per process, then copied), the model is an ``mlflow.pyfunc.PythonModel`` saved to a directory.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def fresh_tracking_uri(folder: Path) -> str:
    """A new SQLite tracking URI in ``folder`` (a copy of the migrated template: no migration cost)."""
    from ..reference import fresh_sqlite_uri

    return fresh_sqlite_uri(folder, "mlflow")


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


def _python_model_class():
    import mlflow.pyfunc

    class AffineModel(mlflow.pyfunc.PythonModel):
        """Predicts ``scale * x + offset`` for the column ``x`` (as integers when both are integers)."""

        def __init__(self, scale, offset):
            self.scale = scale
            self.offset = offset

        def predict(self, context, model_input, params=None):
            import pandas as pd

            frame = model_input if isinstance(model_input, pd.DataFrame) else pd.DataFrame(model_input)
            return (frame["x"] * self.scale + self.offset).to_numpy()

    return AffineModel


def save_tiny_model(path: Path, scale=1, offset=0) -> str:
    """Save a pyfunc model predicting ``scale * x + offset`` to ``path``; return its URI (a local path)."""
    import mlflow.pyfunc

    mlflow.pyfunc.save_model(str(path), python_model=_python_model_class()(scale, offset),
                             pip_requirements=["mlflow"])
    return str(path)


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
