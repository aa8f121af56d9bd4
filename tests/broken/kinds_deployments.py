"""Broken deployment clients and target modules, one realistic bug each, built on the example plugin's client."""

from __future__ import annotations

import json
import types

from mlflow.exceptions import MlflowException
from mlflow_file_plugin.deployments import FilePluginDeploymentClient, run_local, target_help
from _mutant import Mutant

KIND = "deployments"


class BrokenKeyErrorOnMissing(FilePluginDeploymentClient):
    """A missing deployment surfaces as KeyError from an in-memory index."""

    def get_deployment(self, name, endpoint=None):
        index = {d["name"]: d for d in self.list_deployments(endpoint)}
        return index[name]


class BrokenStringErrorCode(FilePluginDeploymentClient):
    """Raises MlflowException(error_code="RESOURCE_DOES_NOT_EXIST"): a string code becomes INTERNAL_ERROR."""

    def get_deployment(self, name, endpoint=None):
        path = self._record_path(name, endpoint)
        if not path.exists():
            raise MlflowException(f"deployment {name!r} does not exist", error_code="RESOURCE_DOES_NOT_EXIST")
        return json.loads(path.read_text())


class BrokenDeleteNotIdempotent(FilePluginDeploymentClient):
    """Deleting a deployment that is already gone raises."""

    def delete_deployment(self, name, config=None, endpoint=None):
        self._record_path(name, endpoint).unlink()


class BrokenCreateOverwrites(FilePluginDeploymentClient):
    """create_deployment with an existing name silently replaces it."""

    def create_deployment(self, name, model_uri, flavor=None, config=None, endpoint=None):
        self.delete_deployment(name, endpoint=endpoint)
        return super().create_deployment(name, model_uri, flavor, config, endpoint)


class BrokenUpdateKeepsModel(FilePluginDeploymentClient):
    """update_deployment records the new model URI but predict keeps the model loaded first (cache by name)."""

    def predict(self, deployment_name=None, inputs=None, endpoint=None):
        cache = self.__dict__.setdefault("_by_name", {})
        if deployment_name not in cache:
            cache[deployment_name] = self.get_deployment(deployment_name, endpoint)["model_uri"]
        model = self._load(cache[deployment_name])
        return {"predictions": model.predict(inputs).tolist()}


class BrokenListReturnsNames(FilePluginDeploymentClient):
    """list_deployments returns names, not dicts with a 'name' key."""

    def list_deployments(self, endpoint=None):
        return [d["name"] for d in super().list_deployments(endpoint)]


class BrokenNoSuperInit(FilePluginDeploymentClient):
    """__init__ does not call BaseDeploymentClient.__init__: no target_uri."""

    def __init__(self, target_uri):
        from mlflow_file_plugin.deployments import _target_dir
        import threading

        self.root = _target_dir(target_uri)
        self._lock = threading.RLock()
        self._models = {}


class BrokenPredictReversed(FilePluginDeploymentClient):
    """predict returns the predictions sorted (not in input order)."""

    def predict(self, deployment_name=None, inputs=None, endpoint=None):
        response = super().predict(deployment_name, inputs, endpoint)
        return {"predictions": sorted(response["predictions"])}


class BrokenEndpointIgnored(FilePluginDeploymentClient):
    """list_deployments ignores the endpoint: every endpoint lists every deployment."""

    def list_deployments(self, endpoint=None):
        found = super().list_deployments(None)
        folder = self.root / "endpoint-deployments"
        if folder.is_dir():
            found += [json.loads(p.read_text()) for p in folder.glob("*/*.json")]
        return found


def module_with(client_cls, **overrides):
    """A stand-in target module: run_local, target_help and the client class, with ``overrides``."""
    namespace = {"run_local": run_local, "target_help": target_help, client_cls.__name__: client_cls}
    namespace.update(overrides)
    module = types.ModuleType("conformance_target_module")
    module.__dict__.update(namespace)
    return module


def run_local_without_flavor(name, model_uri):
    """run_local written without MLflow's flavor and config arguments."""
    return run_local(name, model_uri)


def target_help_returns_none():
    """target_help that prints instead of returning."""
    print("help")


class SecondClient(FilePluginDeploymentClient):
    """A second BaseDeploymentClient subclass in the module (MLflow refuses the plugin)."""


def example_module():
    """The correct control: the example plugin's target module."""
    return module_with(FilePluginDeploymentClient)


def module_run_local_without_flavor():
    return module_with(FilePluginDeploymentClient, run_local=run_local_without_flavor)


def module_target_help_prints():
    return module_with(FilePluginDeploymentClient, target_help=target_help_returns_none)


def module_two_client_classes():
    return module_with(FilePluginDeploymentClient, SecondClient=SecondClient)


MUTANTS = [
    Mutant(KIND, "BrokenKeyErrorOnMissing", "deployments/errors/get-unknown", BrokenKeyErrorOnMissing),
    Mutant(KIND, "BrokenStringErrorCode", "deployments/errors/get-unknown-code", BrokenStringErrorCode),
    Mutant(KIND, "BrokenDeleteNotIdempotent", "deployments/lifecycle/delete-absent", BrokenDeleteNotIdempotent),
    Mutant(KIND, "BrokenCreateOverwrites", "deployments/lifecycle/duplicate-create", BrokenCreateOverwrites),
    Mutant(KIND, "BrokenUpdateKeepsModel", "deployments/lifecycle/update-model", BrokenUpdateKeepsModel),
    Mutant(KIND, "BrokenListReturnsNames", "deployments/lifecycle/list", BrokenListReturnsNames),
    Mutant(KIND, "BrokenNoSuperInit", "deployments/client/target-uri", BrokenNoSuperInit),
    Mutant(KIND, "BrokenPredictReversed", "deployments/lifecycle/predict", BrokenPredictReversed),
    Mutant(KIND, "BrokenEndpointIgnored", "deployments/endpoints/deployment-isolated", BrokenEndpointIgnored),
    Mutant(KIND, "RunLocalWithoutFlavor", "deployments/interface/run-local-signature", module_run_local_without_flavor,
           via="module"),
    Mutant(KIND, "TargetHelpPrints", "deployments/module/target-help", module_target_help_prints, via="module"),
    Mutant(KIND, "TwoClientClasses", "deployments/interface/one-client-class", module_two_client_classes, via="module"),
]
