"""mlflow-plugin-conformance: a pytest plugin that checks MLflow plugins against MLflow's contracts.

The public API is imported lazily, so that the pytest plugin (installed for every pytest run in the
environment) costs nothing until it is used::

    from mlflow_plugin_conformance import TrackingStoreContract, Capabilities

Every contract class is exported under its own name, as the catalogue (``kinds.KINDS``) names it; importing one
has no side effects (see ``contracts/__init__.py``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_API = {
    "Capabilities": "mlflow_plugin_conformance.capabilities:Capabilities",
    "Clause": "mlflow_plugin_conformance.capabilities:Clause",
    "clause": "mlflow_plugin_conformance.contracts.base:clause",
    "unsupported": "mlflow_plugin_conformance.outcomes:unsupported",
    "not_applicable": "mlflow_plugin_conformance.outcomes:not_applicable",
    "not_run": "mlflow_plugin_conformance.outcomes:not_run",
    "blocked_by": "mlflow_plugin_conformance.outcomes:blocked_by",
    "PluginTarget": "mlflow_plugin_conformance.discovery:PluginTarget",
    "strategies": "mlflow_plugin_conformance.strategies",
}


def _public() -> dict[str, str]:
    from .kinds import KINDS

    contracts = {kind.contract.rpartition(":")[2]: kind.contract for kind in KINDS}
    return {**_API, **contracts}


__all__ = sorted(_public())

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time the names are imported on first use (below)
    from . import strategies
    from .capabilities import Capabilities, Clause
    from .contracts.app import AppContract
    from .contracts.app_client import AppClientContract
    from .contracts.artifact_repository import ArtifactRepositoryContract
    from .contracts.base import clause
    from .contracts.dataset_constructor import DatasetConstructorContract
    from .contracts.dataset_source import DatasetSourceContract
    from .contracts.default_experiment_provider import DefaultExperimentProviderContract
    from .contracts.deployments import DeploymentsContract
    from .contracts.gateway_provider import GatewayProviderContract
    from .contracts.job_executor import JobExecutorContract
    from .contracts.labeling_store import LabelingStoreContract
    from .contracts.model_evaluator import ModelEvaluatorContract
    from .contracts.model_registry_store import ModelRegistryStoreContract
    from .contracts.project_backend import ProjectBackendContract
    from .contracts.request_auth_provider import RequestAuthProviderContract
    from .contracts.request_header_provider import RequestHeaderProviderContract
    from .contracts.run_context_provider import RunContextProviderContract
    from .contracts.scorer_store import ScorerStoreContract
    from .contracts.tracking_store import TrackingStoreContract
    from .contracts.workspace_provider import WorkspaceProviderContract
    from .discovery import PluginTarget
    from .outcomes import blocked_by, not_applicable, not_run, unsupported


def __getattr__(name: str):
    target = _public().get(name)
    if target is None:
        raise AttributeError(f"module 'mlflow_plugin_conformance' has no attribute {name!r}")
    module_name, _, attr = target.partition(":")
    module = importlib.import_module(module_name)
    value = getattr(module, attr) if attr else module
    globals()[name] = value
    return value
