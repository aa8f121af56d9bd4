"""Deployment target ``file-plugin`` (entry point group ``mlflow.deployments``).

MLflow requires the module to define ``run_local``, ``target_help`` and exactly one subclass of
``BaseDeploymentClient``. Deployments and endpoints are JSON records in the directory the target URI names
(``file-plugin:///abs/dir``; plain ``file-plugin`` uses ``./mlflow-file-plugin-deployments``). Predictions load
the deployed model with ``mlflow.pyfunc`` in this process.
"""

from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path

from mlflow.deployments import BaseDeploymentClient, PredictionsResponse
from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import RESOURCE_ALREADY_EXISTS, RESOURCE_DOES_NOT_EXIST

_NAME = re.compile(r"^[A-Za-z0-9][\w.\-]{0,254}$")
_DEFAULT_DIR = "mlflow-file-plugin-deployments"


def _target_dir(target_uri: str) -> Path:
    from urllib.parse import unquote, urlparse

    parsed = urlparse(target_uri)
    path = unquote(parsed.netloc + parsed.path) if parsed.scheme else ""
    return Path(path or _DEFAULT_DIR)


def _check_name(name, what="deployment"):
    if not isinstance(name, str) or not _NAME.match(name):
        raise MlflowException.invalid_parameter_value(
            f"invalid {what} name {name!r}: use letters, digits, '_', '-', '.', at most 255 characters")


def _not_found(what, name):
    return MlflowException(f"{what} {name!r} does not exist", error_code=RESOURCE_DOES_NOT_EXIST)


class FilePluginDeploymentClient(BaseDeploymentClient):
    """Deployments as JSON files under the target directory; predicts with ``mlflow.pyfunc.load_model``."""

    def __init__(self, target_uri):
        super().__init__(target_uri)
        self.root = _target_dir(target_uri)
        self._lock = threading.RLock()
        self._models = {}

    # -- storage ---------------------------------------------------------------------------------------------

    def _dir(self, endpoint):
        if endpoint is None:
            return self.root / "deployments"
        _check_name(endpoint, "endpoint")
        if not (self.root / "endpoints" / f"{endpoint}.json").exists():
            raise _not_found("endpoint", endpoint)
        return self.root / "endpoint-deployments" / endpoint

    def _record_path(self, name, endpoint):
        _check_name(name)
        return self._dir(endpoint) / f"{name}.json"

    @staticmethod
    def _write(path: Path, record: dict):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(record))
        os.replace(tmp, path)

    # -- deployments -----------------------------------------------------------------------------------------

    def create_deployment(self, name, model_uri, flavor=None, config=None, endpoint=None):
        with self._lock:
            path = self._record_path(name, endpoint)
            if path.exists():
                raise MlflowException(f"deployment {name!r} already exists", error_code=RESOURCE_ALREADY_EXISTS)
            self._check_flavor(flavor)
            record = {"name": name, "model_uri": str(model_uri), "flavor": flavor or "python_function",
                      "config": dict(config or {}), "endpoint": endpoint}
            self._load(record["model_uri"])  # fail now, not at the first prediction, when the model is unusable
            self._write(path, record)
            return dict(record)

    def update_deployment(self, name, model_uri=None, flavor=None, config=None, endpoint=None):
        with self._lock:
            path = self._record_path(name, endpoint)
            if not path.exists():
                raise _not_found("deployment", name)
            if flavor is not None and model_uri is None:
                raise MlflowException.invalid_parameter_value("a new flavor needs a model_uri too")
            self._check_flavor(flavor)
            record = json.loads(path.read_text())
            if model_uri is not None:
                self._load(str(model_uri))
                record["model_uri"] = str(model_uri)
                record["flavor"] = flavor or "python_function"
            if config:
                record["config"].update(config)
            self._write(path, record)
            return dict(record)

    def delete_deployment(self, name, config=None, endpoint=None):
        with self._lock:
            try:
                self._record_path(name, endpoint).unlink()
            except FileNotFoundError:
                pass  # deletion is idempotent

    def list_deployments(self, endpoint=None):
        folder = self._dir(endpoint)
        if not folder.is_dir():
            return []
        return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]

    def get_deployment(self, name, endpoint=None):
        path = self._record_path(name, endpoint)
        if not path.exists():
            raise _not_found("deployment", name)
        return json.loads(path.read_text())

    def predict(self, deployment_name=None, inputs=None, endpoint=None):
        import pandas as pd

        record = self.get_deployment(deployment_name, endpoint)
        predictions = self._load(record["model_uri"]).predict(inputs)
        if isinstance(predictions, pd.DataFrame):
            payload = predictions.to_dict(orient="records")
        elif isinstance(predictions, pd.Series):
            payload = predictions.tolist()
        elif hasattr(predictions, "tolist"):
            payload = predictions.tolist()
        else:
            payload = predictions
        return PredictionsResponse({"predictions": payload})

    # -- endpoints -------------------------------------------------------------------------------------------

    def create_endpoint(self, name, config=None):
        with self._lock:
            _check_name(name, "endpoint")
            path = self.root / "endpoints" / f"{name}.json"
            if path.exists():
                raise MlflowException(f"endpoint {name!r} already exists", error_code=RESOURCE_ALREADY_EXISTS)
            record = {"name": name, "config": dict(config or {})}
            self._write(path, record)
            return dict(record)

    def update_endpoint(self, endpoint, config=None):
        with self._lock:
            record = self.get_endpoint(endpoint)
            record["config"].update(config or {})
            self._write(self.root / "endpoints" / f"{endpoint}.json", record)

    def delete_endpoint(self, endpoint):
        import shutil

        with self._lock:
            _check_name(endpoint, "endpoint")
            shutil.rmtree(self.root / "endpoint-deployments" / endpoint, ignore_errors=True)
            try:
                (self.root / "endpoints" / f"{endpoint}.json").unlink()
            except FileNotFoundError:
                pass

    def list_endpoints(self):
        folder = self.root / "endpoints"
        return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))] if folder.is_dir() else []

    def get_endpoint(self, endpoint):
        _check_name(endpoint, "endpoint")
        path = self.root / "endpoints" / f"{endpoint}.json"
        if not path.exists():
            raise _not_found("endpoint", endpoint)
        return json.loads(path.read_text())

    # -- helpers ---------------------------------------------------------------------------------------------

    @staticmethod
    def _check_flavor(flavor):
        if flavor not in (None, "python_function"):
            raise MlflowException.invalid_parameter_value(
                f"flavor {flavor!r} is not supported by the file-plugin target; use 'python_function'")

    def _load(self, model_uri):
        import mlflow.pyfunc

        if model_uri not in self._models:
            try:
                self._models[model_uri] = mlflow.pyfunc.load_model(model_uri)
            except MlflowException:
                raise
            except Exception as exc:
                raise MlflowException.invalid_parameter_value(f"cannot load model {model_uri!r}: {exc}") from exc
        return self._models[model_uri]


def run_local(name, model_uri, flavor=None, config=None):
    """Deploy ``model_uri`` under ``name`` in ``./mlflow-file-plugin-deployments`` (what ``mlflow deployments
    run-local -t file-plugin`` calls: MLflow passes name, model_uri, flavor, config)."""
    client = FilePluginDeploymentClient("file-plugin")
    client.create_deployment(name, model_uri, flavor, config)


def target_help():
    return (
        "file-plugin deployment target: deployments are JSON records in a local directory.\n"
        "Target URI: file-plugin:///absolute/dir (or file-plugin for ./mlflow-file-plugin-deployments).\n"
        "Flavor: python_function only. config: free-form dict stored with the deployment.\n"
        "Endpoints: create_endpoint(name) groups deployments; pass endpoint=name to the deployment calls."
    )
