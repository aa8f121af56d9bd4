"""mlflow-plugin-conformance: a pytest plugin that checks MLflow plugins against MLflow's contracts.

The public API is imported lazily, so that the pytest plugin (installed for every pytest run in the
environment) costs nothing until it is used::

    from mlflow_plugin_conformance import TrackingStoreContract, Capabilities
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_PUBLIC = {
    "Capabilities": "mlflow_plugin_conformance.capabilities:Capabilities",
    "Clause": "mlflow_plugin_conformance.capabilities:Clause",
    "clause": "mlflow_plugin_conformance.contracts.base:clause",
    "PluginTarget": "mlflow_plugin_conformance.discovery:PluginTarget",
    "TrackingStoreContract": "mlflow_plugin_conformance.contracts.tracking_store:TrackingStoreContract",
    "ArtifactRepositoryContract": "mlflow_plugin_conformance.contracts.artifact_repository:ArtifactRepositoryContract",
    "ModelRegistryStoreContract": "mlflow_plugin_conformance.contracts.model_registry_store:ModelRegistryStoreContract",
    "RunContextProviderContract": "mlflow_plugin_conformance.contracts.providers:RunContextProviderContract",
    "RequestHeaderProviderContract": "mlflow_plugin_conformance.contracts.providers:RequestHeaderProviderContract",
    "RequestAuthProviderContract": "mlflow_plugin_conformance.contracts.providers:RequestAuthProviderContract",
    "DefaultExperimentProviderContract": "mlflow_plugin_conformance.contracts.providers:DefaultExperimentProviderContract",
    "ProjectBackendContract": "mlflow_plugin_conformance.contracts.project_backend:ProjectBackendContract",
    "DeploymentsContract": "mlflow_plugin_conformance.contracts.deployments:DeploymentsContract",
    "ModelEvaluatorContract": "mlflow_plugin_conformance.contracts.model_evaluator:ModelEvaluatorContract",
    "DatasetSourceContract": "mlflow_plugin_conformance.contracts.datasets:DatasetSourceContract",
    "DatasetConstructorContract": "mlflow_plugin_conformance.contracts.datasets:DatasetConstructorContract",
    "WorkspaceProviderContract": "mlflow_plugin_conformance.contracts.newer:WorkspaceProviderContract",
    "ScorerStoreContract": "mlflow_plugin_conformance.contracts.newer:ScorerStoreContract",
    "LabelingStoreContract": "mlflow_plugin_conformance.contracts.newer:LabelingStoreContract",
    "JobExecutorContract": "mlflow_plugin_conformance.contracts.newer:JobExecutorContract",
    "GatewayProviderContract": "mlflow_plugin_conformance.contracts.newer:GatewayProviderContract",
    "AppContract": "mlflow_plugin_conformance.contracts.app:AppContract",
    "AppClientContract": "mlflow_plugin_conformance.contracts.app:AppClientContract",
    "strategies": "mlflow_plugin_conformance.strategies",
}

__all__ = sorted(_PUBLIC)

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time the names are imported on first use (below)
    from . import strategies
    from .capabilities import Capabilities, Clause
    from .contracts.app import AppClientContract, AppContract
    from .contracts.artifact_repository import ArtifactRepositoryContract
    from .contracts.base import clause
    from .contracts.datasets import DatasetConstructorContract, DatasetSourceContract
    from .contracts.deployments import DeploymentsContract
    from .contracts.model_evaluator import ModelEvaluatorContract
    from .contracts.model_registry_store import ModelRegistryStoreContract
    from .contracts.newer import (
        GatewayProviderContract,
        JobExecutorContract,
        LabelingStoreContract,
        ScorerStoreContract,
        WorkspaceProviderContract,
    )
    from .contracts.project_backend import ProjectBackendContract
    from .contracts.providers import (
        DefaultExperimentProviderContract,
        RequestAuthProviderContract,
        RequestHeaderProviderContract,
        RunContextProviderContract,
    )
    from .contracts.tracking_store import TrackingStoreContract
    from .discovery import PluginTarget


def __getattr__(name: str):
    target = _PUBLIC.get(name)
    if target is None:
        raise AttributeError(f"module 'mlflow_plugin_conformance' has no attribute {name!r}")
    # Importing a contract means MLflow is about to be imported: keep its telemetry off unless the user chose.
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    os.environ.setdefault("DO_NOT_TRACK", "true")
    module_name, _, attr = target.partition(":")
    module = importlib.import_module(module_name)
    value = getattr(module, attr) if attr else module
    globals()[name] = value
    return value
