"""The catalogue of plugin kinds: one record per ``mlflow.*`` entry-point group.

A :class:`PluginKind` says how MLflow builds a plugin of that group (the builder in ``build.py`` that goes
through MLflow's own registry), which URI it is built from by default, which contract class checks it and since
which MLflow release the group exists.  Nothing here imports MLflow: the catalogue is read on every pytest run
that has the plugin installed, and must stay cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PluginKind:
    """How one entry-point group is built and checked.

    ``key`` is the short name used in clause ids (``tracking_store/...``), ``--mlflow-plugin-uri KEY=URI`` and the
    report. ``default_uri`` is a template: ``{scheme}`` is the entry-point name and ``{tmp}`` a fresh directory.
    ``contract`` is ``"module:Class"`` of the base test class, imported only when the kind is checked.
    ``builtin_names`` are the names MLflow registers itself; a plugin that registers one of them overrides the
    built-in for every user of the environment, which ``--mlflow-plugin-list`` flags.
    """

    key: str
    group: str
    fixture: str
    contract: str | None
    default_uri: str | None = None
    name_is_scheme: bool = False
    since: str | None = None
    builtin_names: frozenset[str] = field(default_factory=frozenset)
    description: str = ""


_SQL_SCHEMES = frozenset({"sqlite", "postgresql", "mysql", "mssql"})

KINDS: tuple[PluginKind, ...] = (
    PluginKind(
        key="tracking_store",
        group="mlflow.tracking_store",
        fixture="tracking_store",
        contract="mlflow_plugin_conformance.contracts.tracking_store:TrackingStoreContract",
        default_uri="{scheme}://{tmp}/tracking",
        name_is_scheme=True,
        builtin_names=frozenset({"", "file", "databricks", "databricks-uc", "uc", "http", "https"}) | _SQL_SCHEMES,
        description="tracking store (experiments, runs, metrics, params, tags)",
    ),
    PluginKind(
        key="artifact_repository",
        group="mlflow.artifact_repository",
        fixture="artifact_repository",
        contract="mlflow_plugin_conformance.contracts.artifact_repository:ArtifactRepositoryContract",
        default_uri="{scheme}://{tmp}/artifacts",
        name_is_scheme=True,
        builtin_names=frozenset(
            {"", "file", "s3", "r2", "b2", "gs", "wasbs", "ftp", "sftp", "dbfs", "hdfs", "viewfs", "runs",
             "models", "http", "https", "mlflow-artifacts", "abfss"}
        ),
        description="artifact repository",
    ),
    PluginKind(
        key="model_registry_store",
        group="mlflow.model_registry_store",
        fixture="model_registry_store",
        contract="mlflow_plugin_conformance.contracts.model_registry_store:ModelRegistryStoreContract",
        default_uri="{scheme}://{tmp}/registry",
        name_is_scheme=True,
        builtin_names=frozenset({"", "file", "databricks", "databricks-uc", "uc", "http", "https"}) | _SQL_SCHEMES,
        description="model registry store",
    ),
    PluginKind(
        key="run_context_provider",
        group="mlflow.run_context_provider",
        fixture="run_context_provider",
        contract="mlflow_plugin_conformance.contracts.providers:RunContextProviderContract",
        description="run context provider (tags for new runs)",
    ),
    PluginKind(
        key="request_header_provider",
        group="mlflow.request_header_provider",
        fixture="request_header_provider",
        contract="mlflow_plugin_conformance.contracts.providers:RequestHeaderProviderContract",
        description="request header provider (headers of REST calls)",
    ),
    PluginKind(
        key="request_auth_provider",
        group="mlflow.request_auth_provider",
        fixture="request_auth_provider",
        contract="mlflow_plugin_conformance.contracts.providers:RequestAuthProviderContract",
        description="request auth provider (MLFLOW_TRACKING_AUTH)",
    ),
    PluginKind(
        key="default_experiment_provider",
        group="mlflow.default_experiment_provider",
        fixture="default_experiment_provider",
        contract="mlflow_plugin_conformance.contracts.providers:DefaultExperimentProviderContract",
        description="default experiment provider",
    ),
    PluginKind(
        key="project_backend",
        group="mlflow.project_backend",
        fixture="project_backend",
        contract="mlflow_plugin_conformance.contracts.project_backend:ProjectBackendContract",
        builtin_names=frozenset({"local", "databricks", "kubernetes"}),
        description="project backend (mlflow run --backend)",
    ),
    PluginKind(
        key="deployments",
        group="mlflow.deployments",
        fixture="deployment_client",
        contract="mlflow_plugin_conformance.contracts.deployments:DeploymentsContract",
        default_uri="{scheme}://{tmp}/deployments",
        name_is_scheme=True,
        builtin_names=frozenset({"databricks", "http", "https", "openai", "sagemaker"}),
        description="deployment target",
    ),
    PluginKind(
        key="model_evaluator",
        group="mlflow.model_evaluator",
        fixture="model_evaluator",
        contract="mlflow_plugin_conformance.contracts.model_evaluator:ModelEvaluatorContract",
        builtin_names=frozenset({"default", "shap", "regressor", "classifier"}),
        description="model evaluator (mlflow.models.evaluate)",
    ),
    PluginKind(
        key="app",
        group="mlflow.app",
        fixture="app",
        contract="mlflow_plugin_conformance.contracts.app:AppContract",
        builtin_names=frozenset({"basic-auth"}),
        description="tracking server app (mlflow server --app-name)",
    ),
    PluginKind(
        key="app_client",
        group="mlflow.app.client",
        fixture="app_client",
        contract="mlflow_plugin_conformance.contracts.app:AppClientContract",
        builtin_names=frozenset({"basic-auth"}),
        description="client of a server app",
    ),
    PluginKind(
        key="dataset_source",
        group="mlflow.dataset_source",
        fixture="dataset_source",
        contract="mlflow_plugin_conformance.contracts.datasets:DatasetSourceContract",
        description="dataset source",
    ),
    PluginKind(
        key="dataset_constructor",
        group="mlflow.dataset_constructor",
        fixture="dataset_constructor",
        contract="mlflow_plugin_conformance.contracts.datasets:DatasetConstructorContract",
        description="dataset constructor",
    ),
    PluginKind(
        key="workspace_provider",
        group="mlflow.workspace_provider",
        fixture="workspace_provider",
        contract="mlflow_plugin_conformance.contracts.newer:WorkspaceProviderContract",
        default_uri="{scheme}://{tmp}/workspaces",
        name_is_scheme=True,
        since="3.11",
        builtin_names=frozenset({"http", "https"}) | _SQL_SCHEMES,
        description="workspace provider",
    ),
    PluginKind(
        key="job_executor",
        group="mlflow.job_executors",
        fixture="job_executor",
        contract="mlflow_plugin_conformance.contracts.newer:JobExecutorContract",
        since="3.17",
        builtin_names=frozenset({"local"}),
        description="job executor (experimental)",
    ),
    PluginKind(
        key="gateway_provider",
        group="mlflow.gateway.providers",
        fixture="gateway_provider",
        contract="mlflow_plugin_conformance.contracts.newer:GatewayProviderContract",
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
        contract="mlflow_plugin_conformance.contracts.newer:ScorerStoreContract",
        default_uri="{scheme}://{tmp}/scorers",
        name_is_scheme=True,
        since="3.4",
        builtin_names=frozenset({"http", "https", "databricks"}) | _SQL_SCHEMES,
        description="scorer store",
    ),
    PluginKind(
        key="labeling_store",
        group="mlflow.labeling_store",
        fixture="labeling_store",
        contract="mlflow_plugin_conformance.contracts.newer:LabelingStoreContract",
        default_uri="{scheme}://{tmp}/labeling",
        name_is_scheme=True,
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
