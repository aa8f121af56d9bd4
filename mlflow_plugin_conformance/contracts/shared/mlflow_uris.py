"""MLflow's client pointed at a URI for a block, as a user points it, and put back exactly as it was."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile


@contextlib.contextmanager
def mlflow_pointed_at(tracking_uri: str | None = None, registry_uri: str | None = None):
    """For the body, MLflow's fluent API and ``MlflowClient()`` use ``tracking_uri`` and/or ``registry_uri``:
    set with ``mlflow.set_tracking_uri`` / ``set_registry_uri`` and in ``MLFLOW_TRACKING_URI`` /
    ``MLFLOW_REGISTRY_URI`` (which subprocesses inherit). After the body, runs it left active are ended and the
    module state and both variables are restored exactly (an unset URI stays unset, not the resolved default).

    MLflow before 3 gives a SQL tracking store built without an artifact root ``./mlruns`` and creates it in the
    working directory; for the body that default is a temporary directory (removed after), so the suite's own
    client calls leave nothing for the side-effect clauses to blame on the plugin."""
    import mlflow
    from mlflow.tracking._model_registry import utils as registry_utils
    from mlflow.tracking._tracking_service import utils as tracking_utils

    saved_state = (tracking_utils._tracking_uri, registry_utils._registry_uri)
    saved_env = {name: os.environ.get(name) for name in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")}
    default_root = getattr(tracking_utils, "DEFAULT_LOCAL_FILE_AND_ARTIFACT_PATH", None)
    scratch = (tempfile.mkdtemp(prefix="mlflow-conformance-mlruns-")
               if default_root is not None and tracking_uri is not None else None)
    if scratch is not None:
        tracking_utils.DEFAULT_LOCAL_FILE_AND_ARTIFACT_PATH = os.path.join(scratch, "mlruns")
    try:
        if tracking_uri is not None:
            mlflow.set_tracking_uri(tracking_uri)
            os.environ["MLFLOW_TRACKING_URI"] = tracking_uri
        if registry_uri is not None:
            mlflow.set_registry_uri(registry_uri)
            os.environ["MLFLOW_REGISTRY_URI"] = registry_uri
        yield
    finally:
        if tracking_uri is not None:
            while mlflow.active_run() is not None:
                mlflow.end_run()
        tracking_utils._tracking_uri, registry_utils._registry_uri = saved_state
        if scratch is not None:
            tracking_utils.DEFAULT_LOCAL_FILE_AND_ARTIFACT_PATH = default_root
            shutil.rmtree(scratch, ignore_errors=True)
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
