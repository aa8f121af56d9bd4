"""A local MLflow for the contracts that evaluate or deploy models: a private SQLite tracking store and tiny pyfunc
models, everything under the test's temporary directories and offline.

The tracking store is a copy of the migrated SQLite template (no migration cost); a model is an
``mlflow.pyfunc.PythonModel`` saved to a directory, whose URI is that directory's path.
"""

from __future__ import annotations

from pathlib import Path


def fresh_tracking_uri(folder: Path) -> str:
    """A new SQLite tracking URI in ``folder`` (a copy of the migrated template: no migration cost)."""
    from ...reference import fresh_sqlite_uri

    return fresh_sqlite_uri(folder, "mlflow")


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
