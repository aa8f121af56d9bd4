"""Mutation score of the non-store contracts: each broken plugin in ``tests/broken/kinds_*.py`` (one realistic bug)
must fail the clause named in ``MUTANTS``, while the correct control of its kind passes that same clause in the
same run. Run with ``-s`` to see the score."""

from __future__ import annotations

from pathlib import Path

import pytest

BROKEN_DIR = Path(__file__).parent / "broken"

# fixture bodies per kind: {cls} is the variant (or control) expression
FIXTURES = {
    "backend": ("ProjectBackendContract", """
    @pytest.fixture
    def project_backend(self):
        return {cls}()
"""),
    "deployments": ("DeploymentsContract", """
    @pytest.fixture
    def deployment_client(self, tmp_path):
        return {cls}(f"file-plugin://{{tmp_path}}/deployments")

    @pytest.fixture
    def deployment_target_module(self, deployment_client):
        return {module}
"""),
    "evaluator": ("ModelEvaluatorContract", """
    @pytest.fixture
    def model_evaluator(self):
        return {cls}()
"""),
    "source": ("DatasetSourceContract", """
    @pytest.fixture
    def dataset_source(self):
        from mlflow.data.dataset_source_registry import _dataset_source_registry
        _dataset_source_registry.register({cls})
        yield {cls}
        _dataset_source_registry.sources.remove({cls})
"""),
    "constructor": ("DatasetConstructorContract", """
    @pytest.fixture
    def dataset_constructor(self):
        return {cls}
"""),
    "workspace": ("WorkspaceProviderContract", """
    @pytest.fixture(scope="class")
    @classmethod
    def workspace_provider(cls, tmp_path_factory):
        return {cls}(fresh_tracking_uri(tmp_path_factory.mktemp("ws")))
"""),
    "scorer": ("ScorerStoreContract", """
    @pytest.fixture(scope="class")
    @classmethod
    def scorer_store(cls, tmp_path_factory):
        return {cls}(tracking_uri=fresh_tracking_uri(tmp_path_factory.mktemp("scorers")))
"""),
    "labeling": ("LabelingStoreContract", """
    @pytest.fixture
    def labeling_store(self):
        return {cls}()
"""),
    "jobs": ("JobExecutorContract", """
    @pytest.fixture
    def job_executor(self):
        from mlflow.server.jobs.executor import JobExecutorConfig
        executor = {cls}(JobExecutorConfig())
        yield executor
        executor.stop_executor()
"""),
    "gateway": ("GatewayProviderContract", """
    @pytest.fixture
    def gateway_provider(self):
        return {cls}

    @pytest.fixture
    def gateway_provider_name(self):
        return "openai"

    @pytest.fixture
    def gateway_provider_config(self):
        return {{"openai_api_key": "sk-conformance-not-a-key"}}
"""),
}

CONTROLS = {
    "backend": "LocalBackend",
    "deployments": "kinds_deployments.FilePluginDeploymentClient",
    "evaluator": "kinds_evaluators.FilePluginEvaluator",
    "source": "kinds_datasets.FilePluginDatasetSource",
    "constructor": "kinds_datasets.from_file_plugin",
    "workspace": "WorkspaceSqlStore",
    "scorer": "kinds_newer.MlflowTrackingStore",
    "labeling": "kinds_newer.InMemoryLabelingStore",
    "jobs": "kinds_newer.LocalJobExecutor",
    "gateway": "kinds_newer._openai()",
}

# variant -> (kind, class expression, clause id it must fail[, target-module expression])
MUTANTS = {
    "BrokenReturnsNothing": ("backend", "kinds_backends.BrokenReturnsNothing", "project_backend/run/submitted-run"),
    "BrokenWaitReturnsExitCode": ("backend", "kinds_backends.BrokenWaitReturnsExitCode",
                                  "project_backend/run/wait-success"),
    "BrokenStatusAsEnumValue": ("backend", "kinds_backends.BrokenStatusAsEnumValue",
                                "project_backend/run/wait-failure"),
    "BrokenCancelIsNoop": ("backend", "kinds_backends.BrokenCancelIsNoop", "project_backend/run/cancel"),
    "BrokenBlocksUntilDone": ("backend", "kinds_backends.BrokenBlocksUntilDone", "project_backend/run/asynchronous"),
    "BrokenDefaultExperiment": ("backend", "kinds_backends.BrokenDefaultExperiment",
                                "project_backend/run/submitted-run"),
    "BrokenUnquotedCommand": ("backend", "kinds_backends.BrokenUnquotedCommand",
                              "project_backend/run/parameters-reach-entry-point"),
    "BrokenIgnoresRequiredParameters": ("backend", "kinds_backends.BrokenIgnoresRequiredParameters",
                                        "project_backend/run/missing-parameter"),
    "BrokenKeyErrorOnMissing": ("deployments", "kinds_deployments.BrokenKeyErrorOnMissing",
                                "deployments/errors/get-unknown"),
    "BrokenStringErrorCode": ("deployments", "kinds_deployments.BrokenStringErrorCode",
                              "deployments/errors/get-unknown-code"),
    "BrokenDeleteNotIdempotent": ("deployments", "kinds_deployments.BrokenDeleteNotIdempotent",
                                  "deployments/lifecycle/delete-absent"),
    "BrokenCreateOverwrites": ("deployments", "kinds_deployments.BrokenCreateOverwrites",
                               "deployments/lifecycle/duplicate-create"),
    "BrokenUpdateKeepsModel": ("deployments", "kinds_deployments.BrokenUpdateKeepsModel",
                               "deployments/lifecycle/update-model"),
    "BrokenListReturnsNames": ("deployments", "kinds_deployments.BrokenListReturnsNames",
                               "deployments/lifecycle/list"),
    "BrokenNoSuperInit": ("deployments", "kinds_deployments.BrokenNoSuperInit", "deployments/client/target-uri"),
    "BrokenPredictReversed": ("deployments", "kinds_deployments.BrokenPredictReversed",
                              "deployments/lifecycle/predict"),
    "BrokenEndpointIgnored": ("deployments", "kinds_deployments.BrokenEndpointIgnored",
                              "deployments/endpoints/deployment-isolated"),
    "RunLocalWithoutFlavor": ("deployments", "kinds_deployments.FilePluginDeploymentClient",
                              "deployments/interface/run-local-signature",
                              "kinds_deployments.module_with(kinds_deployments.FilePluginDeploymentClient, "
                              "run_local=kinds_deployments.run_local_without_flavor)"),
    "TargetHelpPrints": ("deployments", "kinds_deployments.FilePluginDeploymentClient",
                         "deployments/module/target-help",
                         "kinds_deployments.module_with(kinds_deployments.FilePluginDeploymentClient, "
                         "target_help=kinds_deployments.target_help_returns_none)"),
    "TwoClientClasses": ("deployments", "kinds_deployments.FilePluginDeploymentClient",
                         "deployments/interface/one-client-class",
                         "kinds_deployments.module_with(kinds_deployments.FilePluginDeploymentClient, "
                         "SecondClient=kinds_deployments.SecondClient)"),
    "BrokenEvaluateNoKwargs": ("evaluator", "kinds_evaluators.BrokenEvaluateNoKwargs",
                               "model_evaluator/interface/evaluate-model-id"),
    "BrokenMetricsNotLogged": ("evaluator", "kinds_evaluators.BrokenMetricsNotLogged",
                               "model_evaluator/evaluate/metrics-logged"),
    "BrokenIgnoresModel": ("evaluator", "kinds_evaluators.BrokenIgnoresModel", "model_evaluator/evaluate/uses-model"),
    "BrokenStringMetrics": ("evaluator", "kinds_evaluators.BrokenStringMetrics",
                            "model_evaluator/evaluate/metric-values"),
    "BrokenRefusesUnknownConfig": ("evaluator", "kinds_evaluators.BrokenRefusesUnknownConfig",
                                   "model_evaluator/evaluate/config-passed"),
    "BrokenGreedySource": ("source", "kinds_datasets.BrokenGreedySource", "dataset_source/resolve/foreign-uris"),
    "BrokenCanResolveRaises": ("source", "kinds_datasets.BrokenCanResolveRaises",
                               "dataset_source/resolve/foreign-objects"),
    "BrokenUrlparseRoundTrip": ("source", "kinds_datasets.BrokenUrlparseRoundTrip",
                                "dataset_source/json/round-trip"),
    "BrokenSharedType": ("source", "kinds_datasets.BrokenSharedType", "dataset_source/type/unique"),
    "BrokenInstanceCanResolve": ("source", "kinds_datasets.BrokenInstanceCanResolve",
                                 "dataset_source/interface/class-level"),
    "BrokenNoFromDict": ("source", "kinds_datasets.BrokenNoFromDict", "dataset_source/interface/methods"),
    "from_ignoring_name": ("constructor", "kinds_datasets.from_ignoring_name",
                           "dataset_constructor/dataset/name-honoured"),
    "from_random_digest": ("constructor", "kinds_datasets.from_random_digest", "dataset_constructor/dataset/digest-stable"),
    "from_constant_digest": ("constructor", "kinds_datasets.from_constant_digest",
                             "dataset_constructor/dataset/digest-tracks-data"),
    "from_required_name": ("constructor", "kinds_datasets.from_required_name",
                           "dataset_constructor/interface/name-digest"),
    "from_string_annotation": ("constructor", "kinds_datasets.from_string_annotation",
                               "dataset_constructor/interface/return-annotation"),
    "from_unregistered_source": ("constructor", "kinds_datasets.from_unregistered_source",
                                 "dataset_constructor/dataset/source-registered"),
    "BrokenWorkspaceGetReturnsNone": ("workspace", "kinds_newer.BrokenWorkspaceGetReturnsNone",
                                      "workspace_provider/workspaces/get-unknown"),
    "BrokenWorkspaceDuplicateUpserts": ("workspace", "kinds_newer.BrokenWorkspaceDuplicateUpserts",
                                        "workspace_provider/workspaces/duplicate"),
    "BrokenWorkspaceNoNameCheck": ("workspace", "kinds_newer.BrokenWorkspaceNoNameCheck",
                                   "workspace_provider/workspaces/invalid-name"),
    "BrokenScorerListsEveryVersion": ("scorer", "kinds_newer.BrokenScorerListsEveryVersion",
                                      "scorer_store/scorers/list-once"),
    "BrokenScorerGetUnknownNone": ("scorer", "kinds_newer.BrokenScorerGetUnknownNone",
                                   "scorer_store/scorers/get-unknown"),
    "BrokenLabelingOverwrites": ("labeling", "kinds_newer.BrokenLabelingOverwrites",
                                 "labeling_store/label-schemas/duplicate"),
    "BrokenLabelingNoOverwriteParam": ("labeling", "kinds_newer.BrokenLabelingNoOverwriteParam",
                                       "labeling_store/interface/signatures"),
    "BrokenJobReportsSuccess": ("jobs", "kinds_newer.BrokenJobReportsSuccess", "job_executor/jobs/fail"),
    "BrokenJobOldSubmitSignature": ("jobs", "kinds_newer.BrokenJobOldSubmitSignature",
                                    "job_executor/interface/signatures"),
    "BrokenGatewayClaimsEmbeddings": ("gateway", "kinds_newer.broken_gateway_claims_embeddings()",
                                      "gateway_provider/interface/routes-implemented"),
    "BrokenGatewayNoDisplayName": ("gateway", "kinds_newer.broken_gateway_no_display_name()",
                                   "gateway_provider/interface/display-name"),
}

HEADER = """
import sys
import pytest
sys.path.insert(0, {broken_dir!r})
import kinds_backends, kinds_datasets, kinds_deployments, kinds_evaluators, kinds_newer
from mlflow.projects.backend.local import LocalBackend
from mlflow.store.workspace.sqlalchemy_store import SqlAlchemyStore as WorkspaceSqlStore
from mlflow_plugin_conformance.contracts.shared.local_mlflow import fresh_tracking_uri
from mlflow_plugin_conformance.contracts.project_backend import ProjectBackendContract
from mlflow_plugin_conformance.contracts.deployments import DeploymentsContract
from mlflow_plugin_conformance.contracts.model_evaluator import ModelEvaluatorContract
from mlflow_plugin_conformance.contracts.dataset_source import DatasetSourceContract
from mlflow_plugin_conformance.contracts.dataset_constructor import DatasetConstructorContract
from mlflow_plugin_conformance.contracts.gateway_provider import GatewayProviderContract
from mlflow_plugin_conformance.contracts.job_executor import JobExecutorContract
from mlflow_plugin_conformance.contracts.labeling_store import LabelingStoreContract
from mlflow_plugin_conformance.contracts.scorer_store import ScorerStoreContract
from mlflow_plugin_conformance.contracts.workspace_provider import WorkspaceProviderContract
"""


def run_outcomes(pytester, *args) -> dict[str, str]:
    """Run pytest in a subprocess (MLflow's global state stays out of this process) and return
    {nodeid: 'passed' | 'failed'} from the short summary (an error in setup or teardown counts as failed)."""
    result = pytester.runpytest_subprocess(*args, "-p", "no:cacheprovider", "-W", "ignore", "-rA", "-q")
    outcomes = {}
    for line in result.outlines:
        word, _, rest = line.partition(" ")
        if word in ("PASSED", "FAILED", "ERROR"):
            nodeid = rest.split(" - ")[0].strip()
            if word == "PASSED":
                outcomes.setdefault(nodeid, "passed")
            else:
                outcomes[nodeid] = "failed"
    return outcomes


def contract_class(kind):
    import mlflow_plugin_conformance

    return getattr(mlflow_plugin_conformance, FIXTURES[kind][0])


def method_of(contract, clause_id: str) -> str:
    """The contract's test method checking ``clause_id``."""
    from mlflow_plugin_conformance.contracts.base import declared_clauses

    for name, declared in declared_clauses(contract):
        if declared.id == clause_id:
            return name
    raise LookupError(clause_id)


def _class_source(class_name, kind, cls_expr, module_expr=None):
    contract, body = FIXTURES[kind]
    module_expr = module_expr or f"kinds_deployments.module_with({cls_expr})"
    return f"\n\nclass {class_name}({contract}):" + body.format(cls=cls_expr, module=module_expr)


def build_module():
    """The generated test module and the node ids to run: {variant: nodeid}, {control nodeid: kind}."""
    parts = [HEADER.format(broken_dir=str(BROKEN_DIR))]
    variant_nodes, control_nodes = {}, {}
    for kind, control in CONTROLS.items():
        parts.append(_class_source(f"TestControl_{kind}", kind, control,
                                   "kinds_deployments.module_with(kinds_deployments.FilePluginDeploymentClient)"))
    for variant, (kind, cls_expr, clause_id, *module_expr) in MUTANTS.items():
        parts.append(_class_source(f"TestBroken_{variant}", kind, cls_expr, module_expr[0] if module_expr else None))
        method = method_of(contract_class(kind), clause_id)
        variant_nodes[variant] = f"test_kinds_mutant_module.py::TestBroken_{variant}::{method}"
        control_nodes[f"test_kinds_mutant_module.py::TestControl_{kind}::{method}"] = kind
    return "".join(parts), variant_nodes, control_nodes


def test_every_clause_in_the_table_exists():
    """The table names real clauses (a renamed clause would silently drop its mutant)."""
    for variant, (kind, _, clause_id, *_) in MUTANTS.items():
        assert method_of(contract_class(kind), clause_id), variant


@pytest.mark.slow
def test_broken_plugins_are_caught(pytester, capsys):
    """Every broken variant fails its clause; the correct control of its kind passes the same clause."""
    source, variant_nodes, control_nodes = build_module()
    pytester.makepyfile(test_kinds_mutant_module=source)
    outcome = run_outcomes(pytester, *variant_nodes.values(), *control_nodes)
    caught = [v for v, node in variant_nodes.items() if outcome.get(node) == "failed"]
    missed = sorted(set(variant_nodes) - set(caught))
    controls_bad = {node: outcome.get(node) for node in control_nodes if outcome.get(node) != "passed"}
    with capsys.disabled():
        print(f"\nkinds mutation score: {len(caught)}/{len(variant_nodes)} caught; missed: {missed or 'none'}")
    assert not controls_bad, f"correct controls did not pass: {controls_bad}"
    assert not missed, f"broken variants not caught: {missed}"
