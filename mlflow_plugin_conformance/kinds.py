"""The catalogue of plugin kinds: one record per ``mlflow.*`` entry-point group.

A :class:`PluginKind` says how MLflow builds a plugin of that group (the builder in ``build.py`` that goes
through MLflow's own registry), which URI it is built from by default, which contract class checks it and since
which MLflow release the group exists.  Nothing here imports MLflow: the catalogue is read on every pytest run
that has the plugin installed, and must stay cheap.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PluginKind:
    """How one entry-point group is built and checked: the single place a kind's facts live.

    ``key`` is the short name used in clause ids (``tracking_store/...``), ``--mlflow-plugin-uri KEY=URI``, the
    report and the bundled suite's class name (``TestTrackingStore``). ``fixture`` is the fixture a contract
    class reads its subject from (a plugin's own subclass provides it). ``contract`` is ``"module:Class"`` of the
    base test class and ``builder`` ``"module:function"`` of the function that builds a target through MLflow's
    registry (``(target, uri, tmp) -> BuiltTarget``); both are imported only when the kind is checked.
    ``default_uri`` is a template (``{scheme}`` is the entry-point name, ``{tmp}`` a fresh directory); a kind
    with one is addressed by URI, so its entry-point name is a URI scheme. ``since`` is the MLflow release that
    introduced the group. ``builtin_names`` are the names MLflow registers itself; a plugin that registers one of
    them overrides the built-in for every user of the environment (``--mlflow-plugin-list`` flags it).
    ``features`` are the kind's optional families, name -> one line: a clause names one as ``"<key>.<name>"``,
    a plugin declares one unsupported by that name, and the report has a row per feature.
    ``served_as`` is the ``mlflow server`` option that puts a plugin of this kind behind a tracking server
    (``--backend-store-uri``...): such a kind can also be checked through the server
    (``--mlflow-conformance-via=server``, see ``routes.py``), against MLflow's own REST client.
    ``name_is_key``: MLflow finds a plugin of this kind by its entry-point name (a URI scheme, a backend, a target);
    False where MLflow loads every entry point of the group into one list and never reads the name (the providers,
    dataset sources), so two plugins may share one (MLflow's own test plugin names all its providers ``unused``).
    """

    key: str
    group: str
    fixture: str
    contract: str
    builder: str
    description: str
    default_uri: str | None = None
    since: str | None = None
    builtin_names: frozenset[str] = field(default_factory=frozenset)
    features: Mapping[str, str] = field(default_factory=dict)
    served_as: str | None = None
    name_is_key: bool = True

    @property
    def class_name(self) -> str:
        """The bundled suite's test class for this kind (``tracking_store`` -> ``TestTrackingStore``)."""
        return "Test" + "".join(part.capitalize() for part in self.key.split("_"))

    def contract_class(self) -> type:
        """Import and return the contract class (this imports the contract module, not MLflow)."""
        return load_object(self.contract)

    def builder_function(self):
        """Import and return the builder: ``(target, uri, tmp) -> BuiltTarget``."""
        return load_object(self.builder)

    @property
    def qualified_features(self) -> dict[str, str]:
        """``{"<key>.<name>": description}``: the names clauses and declarations use."""
        return {f"{self.key}.{name}": text for name, text in self.features.items()}


_CONTRACTS = "mlflow_plugin_conformance.contracts"
_BUILD = "mlflow_plugin_conformance.build"
_SQL_SCHEMES = frozenset({"sqlite", "postgresql", "mysql", "mssql"})

KINDS: tuple[PluginKind, ...] = (
    PluginKind(
        key="tracking_store",
        group="mlflow.tracking_store",
        fixture="tracking_store",
        contract=f"{_CONTRACTS}.tracking_store:TrackingStoreContract",
        builder=f"{_BUILD}:build_tracking_store",
        default_uri="{scheme}://{tmp}/tracking",
        builtin_names=frozenset({"", "file", "databricks", "databricks-uc", "uc", "http", "https"}) | _SQL_SCHEMES,
        description="tracking store (experiments, runs, metrics, params, tags)",
        features={
            "logged_models": "logged models (MLflow 3): create, finalize, tags, params, metrics, run outputs, search",
            "traces": "traces and spans: start, log spans, get, search with filters, delete, tags, run links, "
                      "UI metrics",
            "assessments": "assessments (feedback and expectations) on traces and spans: create, update, "
                           "override, delete",
            "evaluation_datasets": "evaluation datasets and their records: upsert, delete, tags, search, "
                                   "experiment links",
            "scorers": "registered scorers and their versions, online scoring configurations",
            "label_schemas": "label schemas of an experiment (the review app's questions)",
            "issues": "issues found on traces: create, get, update, search",
            "review_queues": "review queues of traces for human labelling",
            "gateway": "AI gateway administration: secrets, model definitions, endpoints, bindings, guardrails",
            "gateway_budgets": "AI gateway budget policies",
            "mcp_servers": "MCP server registry: servers, versions, aliases, tags, access endpoints",
        },
        served_as="--backend-store-uri",
    ),
    PluginKind(
        key="artifact_repository",
        group="mlflow.artifact_repository",
        fixture="artifact_repository",
        contract=f"{_CONTRACTS}.artifact_repository:ArtifactRepositoryContract",
        builder=f"{_BUILD}:build_artifact_repository",
        default_uri="{scheme}://{tmp}/artifacts",
        builtin_names=frozenset(
            {"", "file", "s3", "r2", "b2", "gs", "wasbs", "ftp", "sftp", "dbfs", "hdfs", "viewfs", "runs",
             "models", "http", "https", "mlflow-artifacts", "abfss"}
        ),
        description="artifact repository",
        features={
            "delete": "delete_artifacts removes files and directories",
            "empty-directories": "empty directories are kept and listed",
            "stream-upload": "streaming upload mixin",
            "multipart-upload": "multipart upload mixin",
            "presigned-upload": "presigned upload URLs",
            "presigned-download": "presigned download URLs",
            "local-path": "get_local_path names local files MLflow's server sends as they are",
            "trace-data": "trace data (traces.json) uploaded and downloaded through the repository",
            "trace-attachments": "trace attachments uploaded and downloaded by id",
        },
        served_as="--artifacts-destination",
    ),
    PluginKind(
        key="model_registry_store",
        group="mlflow.model_registry_store",
        fixture="model_registry_store",
        contract=f"{_CONTRACTS}.model_registry_store:ModelRegistryStoreContract",
        builder=f"{_BUILD}:build_model_registry_store",
        default_uri="{scheme}://{tmp}/registry",
        builtin_names=frozenset({"", "file", "databricks", "databricks-uc", "uc", "http", "https"}) | _SQL_SCHEMES,
        description="model registry store",
        features={
            "prompts": "the prompt registry (prompts, versions, templates, aliases, tags, search, links to runs, "
                       "logged models and traces)",
            "webhooks": "registry webhooks (create, list, update, delete; delivery and tests by MLflow's server)",
        },
        served_as="--registry-store-uri",
    ),
    PluginKind(
        key="run_context_provider",
        group="mlflow.run_context_provider",
        fixture="run_context_provider",
        contract=f"{_CONTRACTS}.run_context_provider:RunContextProviderContract",
        builder=f"{_BUILD}:build_run_context_provider",
        description="run context provider (tags for new runs)",
        name_is_key=False,
    ),
    PluginKind(
        key="request_header_provider",
        group="mlflow.request_header_provider",
        fixture="request_header_provider",
        contract=f"{_CONTRACTS}.request_header_provider:RequestHeaderProviderContract",
        builder=f"{_BUILD}:build_request_header_provider",
        description="request header provider (headers of REST calls)",
        name_is_key=False,
    ),
    PluginKind(
        key="request_auth_provider",
        group="mlflow.request_auth_provider",
        fixture="request_auth_provider",
        contract=f"{_CONTRACTS}.request_auth_provider:RequestAuthProviderContract",
        builder=f"{_BUILD}:build_request_auth_provider",
        description="request auth provider (MLFLOW_TRACKING_AUTH)",
        name_is_key=False,
    ),
    PluginKind(
        key="default_experiment_provider",
        group="mlflow.default_experiment_provider",
        fixture="default_experiment_provider",
        contract=f"{_CONTRACTS}.default_experiment_provider:DefaultExperimentProviderContract",
        builder=f"{_BUILD}:build_default_experiment_provider",
        description="default experiment provider",
        name_is_key=False,
    ),
    PluginKind(
        key="project_backend",
        group="mlflow.project_backend",
        fixture="project_backend",
        contract=f"{_CONTRACTS}.project_backend:ProjectBackendContract",
        builder=f"{_BUILD}:build_project_backend",
        builtin_names=frozenset({"local", "databricks", "kubernetes"}),
        description="project backend (mlflow run --backend)",
    ),
    PluginKind(
        key="deployments",
        group="mlflow.deployments",
        fixture="deployment_client",
        contract=f"{_CONTRACTS}.deployments:DeploymentsContract",
        builder=f"{_BUILD}:build_deployments",
        default_uri="{scheme}://{tmp}/deployments",
        builtin_names=frozenset({"databricks", "http", "https", "openai", "sagemaker"}),
        description="deployment target",
        features={
            "endpoints": "endpoint management (create/get/update/delete/list endpoints)",
        },
    ),
    PluginKind(
        key="model_evaluator",
        group="mlflow.model_evaluator",
        fixture="model_evaluator",
        contract=f"{_CONTRACTS}.model_evaluator:ModelEvaluatorContract",
        builder=f"{_BUILD}:build_model_evaluator",
        builtin_names=frozenset({"default", "shap", "regressor", "classifier"}),
        description="model evaluator (mlflow.models.evaluate)",
        features={
            "metrics": "the evaluator returns metrics (one that only logs artifacts does not)",
        },
    ),
    PluginKind(
        key="app",
        group="mlflow.app",
        fixture="app",
        contract=f"{_CONTRACTS}.app:AppContract",
        builder=f"{_BUILD}:build_app",
        builtin_names=frozenset({"basic-auth"}),
        description="tracking server app (mlflow server --app-name)",
        features={
            "wsgi-servers": "the app also serves under MLflow's WSGI servers (gunicorn, waitress)",
        },
    ),
    PluginKind(
        key="app_client",
        group="mlflow.app.client",
        fixture="app_client",
        contract=f"{_CONTRACTS}.app_client:AppClientContract",
        builder=f"{_BUILD}:build_app_client",
        builtin_names=frozenset({"basic-auth"}),
        description="client of a server app",
        features={
            "exercise": "the plugin author's own exercise of the client against a running server",
        },
    ),
    PluginKind(
        key="dataset_source",
        group="mlflow.dataset_source",
        fixture="dataset_source",
        contract=f"{_CONTRACTS}.dataset_source:DatasetSourceContract",
        builder=f"{_BUILD}:build_dataset_source",
        description="dataset source",
        name_is_key=False,
    ),
    PluginKind(
        key="dataset_constructor",
        group="mlflow.dataset_constructor",
        fixture="dataset_constructor",
        contract=f"{_CONTRACTS}.dataset_constructor:DatasetConstructorContract",
        builder=f"{_BUILD}:build_dataset_constructor",
        description="dataset constructor",
    ),
    PluginKind(
        key="workspace_provider",
        group="mlflow.workspace_provider",
        fixture="workspace_provider",
        contract=f"{_CONTRACTS}.workspace_provider:WorkspaceProviderContract",
        builder=f"{_BUILD}:build_workspace_provider",
        default_uri="{scheme}://{tmp}/workspaces",
        since="3.11",
        builtin_names=frozenset({"http", "https"}) | _SQL_SCHEMES,
        description="workspace provider",
        features={
            "write": "creating, updating and deleting workspaces",
        },
    ),
    PluginKind(
        key="job_executor",
        group="mlflow.job_executors",
        fixture="job_executor",
        contract=f"{_CONTRACTS}.job_executor:JobExecutorContract",
        builder=f"{_BUILD}:build_job_executor",
        since="3.17",
        builtin_names=frozenset({"local"}),
        description="job executor (experimental)",
    ),
    PluginKind(
        key="gateway_provider",
        group="mlflow.gateway.providers",
        fixture="gateway_provider",
        contract=f"{_CONTRACTS}.gateway_provider:GatewayProviderContract",
        builder=f"{_BUILD}:build_gateway_provider",
        builtin_names=frozenset({
            "ai21labs", "amazon-bedrock", "anthropic", "azure", "bedrock", "cohere", "databricks",
            "databricks-model-serving", "deepseek", "gemini", "groq", "huggingface-text-generation-inference",
            "litellm", "mistral", "mlflow-model-serving", "mosaicml", "ollama", "openai", "openrouter", "palm",
            "portkey", "sap-ai-core", "togetherai", "typesafe", "vertex_ai", "xai",
        }),
        description="AI gateway provider",
    ),
    PluginKind(
        key="scorer_store",
        group="mlflow.scorer_store",
        fixture="scorer_store",
        contract=f"{_CONTRACTS}.scorer_store:ScorerStoreContract",
        builder=f"{_BUILD}:build_scorer_store",
        default_uri="{scheme}://{tmp}/scorers",
        since="3.4",
        builtin_names=frozenset({"http", "https", "databricks"}) | _SQL_SCHEMES,
        description="scorer store",
    ),
    PluginKind(
        key="labeling_store",
        group="mlflow.labeling_store",
        fixture="labeling_store",
        contract=f"{_CONTRACTS}.labeling_store:LabelingStoreContract",
        builder=f"{_BUILD}:build_labeling_store",
        default_uri="{scheme}://{tmp}/labeling",
        since="3.5",
        builtin_names=frozenset({"databricks"}),
        description="labeling store",
    ),
)

KINDS_BY_GROUP: dict[str, PluginKind] = {kind.group: kind for kind in KINDS}
KINDS_BY_KEY: dict[str, PluginKind] = {kind.key: kind for kind in KINDS}


def kind_for_group(group: str) -> PluginKind | None:
    """The catalogue record of ``group``, or None for an ``mlflow.*`` group the suite does not know."""
    return KINDS_BY_GROUP.get(group)


def kind_for_key(key: str) -> PluginKind:
    """The record whose short key is ``key``; ValueError listing the known keys otherwise."""
    try:
        return KINDS_BY_KEY[key]
    except KeyError:
        raise ValueError(f"unknown plugin kind {key!r}; known kinds: {', '.join(sorted(KINDS_BY_KEY))}") from None


def all_features() -> dict[str, str]:
    """Every declared feature of every kind: ``{"<key>.<name>": description}``."""
    return {name: text for kind in KINDS for name, text in kind.qualified_features.items()}


def load_object(spec: str):
    """The object a ``"module:attribute"`` string names."""
    module_name, _, attribute = spec.partition(":")
    value = importlib.import_module(module_name)
    for part in filter(None, attribute.split(".")):
        value = getattr(value, part)
    return value
