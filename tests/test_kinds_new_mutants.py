"""Mutants for the clauses issue 11 added to the deployments and model-evaluator contracts, in the style of
``test_kinds_mutants.py`` (its fixtures and runner): each broken plugin of ``tests/broken/*_new.py`` must fail its
clause while the kind's correct control passes that clause in the same run."""

from __future__ import annotations

import pytest

from test_kinds_mutants import BROKEN_DIR, CONTROLS, FIXTURES, contract_class, method_of, run_outcomes

HEADER = """
import sys
import pytest
sys.path.insert(0, {broken_dir!r})
import kinds_datasets, kinds_deployments, kinds_evaluators, kinds_newer
import dataset_constructor_new, deployments_new, gateway_provider_new, job_executor_new, labeling_store_new
import model_evaluator_new, scorer_store_new, workspace_provider_new
from mlflow.store.workspace.sqlalchemy_store import SqlAlchemyStore as WorkspaceSqlStore
from mlflow_plugin_conformance import (
    DatasetConstructorContract, DeploymentsContract, GatewayProviderContract, JobExecutorContract,
    LabelingStoreContract, ModelEvaluatorContract, ScorerStoreContract, WorkspaceProviderContract,
)
from mlflow_plugin_conformance.contracts.shared.local_mlflow import fresh_tracking_uri
"""

# variant -> (kind, class expression, clause id it must fail[, target-module expression])
NEW_MUTANTS = {
    "BrokenCanEvaluatePositional": ("evaluator", "model_evaluator_new.BrokenCanEvaluatePositional",
                                    "model_evaluator/interface/can-evaluate-signature"),
    "BrokenCanEvaluateRaises": ("evaluator", "model_evaluator_new.BrokenCanEvaluateRaises",
                                "model_evaluator/interface/can-evaluate-answers"),
    "BrokenCanEvaluateNothing": ("evaluator", "model_evaluator_new.BrokenCanEvaluateNothing",
                                 "model_evaluator/interface/can-evaluate-some-type"),
    "BrokenEvaluateOldSignature": ("evaluator", "model_evaluator_new.BrokenEvaluateOldSignature",
                                   "model_evaluator/interface/evaluate-signature"),
    "BrokenEnumMetricNames": ("evaluator", "model_evaluator_new.BrokenEnumMetricNames",
                              "model_evaluator/evaluate/metric-names"),
    "BrokenPredictRenamed": ("deployments", "deployments_new.BrokenPredictRenamed",
                             "deployments/interface/predict-keywords"),
    "ModuleWithoutRunLocal": ("deployments", "kinds_deployments.FilePluginDeploymentClient",
                              "deployments/interface/module-functions",
                              "deployments_new.module_without_run_local(kinds_deployments.FilePluginDeploymentClient)"),
    "BrokenCreateReturnsNothing": ("deployments", "deployments_new.BrokenCreateReturnsNothing",
                                   "deployments/lifecycle/create"),
    "BrokenGetRenamesName": ("deployments", "deployments_new.BrokenGetRenamesName", "deployments/lifecycle/get"),
    "BrokenListStale": ("deployments", "deployments_new.BrokenListStale", "deployments/lifecycle/list-live"),
    "BrokenDuplicateOverwritesThenRaises": ("deployments", "deployments_new.BrokenDuplicateOverwritesThenRaises",
                                            "deployments/lifecycle/duplicate-create-keeps-first"),
    "BrokenGetCachedAfterDelete": ("deployments", "deployments_new.BrokenGetCachedAfterDelete",
                                   "deployments/lifecycle/delete"),
    "BrokenListIndexKeepsDeleted": ("deployments", "deployments_new.BrokenListIndexKeepsDeleted",
                                    "deployments/lifecycle/delete-unlisted"),
    "BrokenUpdateUpserts": ("deployments", "deployments_new.BrokenUpdateUpserts", "deployments/errors/update-unknown"),
    "BrokenPredictUnknownEmpty": ("deployments", "deployments_new.BrokenPredictUnknownEmpty",
                                  "deployments/errors/predict-unknown"),
    "BrokenEndpointCreateReturnsNothing": ("deployments", "deployments_new.BrokenEndpointCreateReturnsNothing",
                                           "deployments/endpoints/create"),
    "BrokenEndpointGetConfigOnly": ("deployments", "deployments_new.BrokenEndpointGetConfigOnly",
                                    "deployments/endpoints/get"),
    "BrokenEndpointListNames": ("deployments", "deployments_new.BrokenEndpointListNames",
                                "deployments/endpoints/list"),
    "BrokenEndpointUpdateKeyError": ("deployments", "deployments_new.BrokenEndpointUpdateKeyError",
                                     "deployments/endpoints/update"),
    "BrokenEndpointGetCached": ("deployments", "deployments_new.BrokenEndpointGetCached",
                                "deployments/endpoints/delete"),
    "BrokenEndpointListIndexKeepsDeleted": ("deployments", "deployments_new.BrokenEndpointListIndexKeepsDeleted",
                                            "deployments/endpoints/delete-unlisted"),
    "BrokenEndpointDeleteNotIdempotent": ("deployments", "deployments_new.BrokenEndpointDeleteNotIdempotent",
                                          "deployments/endpoints/delete-absent"),
    "BrokenEndpointListsTopLevel": ("deployments", "deployments_new.BrokenEndpointListsTopLevel",
                                    "deployments/endpoints/deployment-listed"),
    "BrokenEndpointPredictIgnoresEndpoint": ("deployments", "deployments_new.BrokenEndpointPredictIgnoresEndpoint",
                                             "deployments/endpoints/deployment-predicts"),
    "from_returns_frame": ("constructor", "dataset_constructor_new.from_returns_frame",
                           "dataset_constructor/dataset/returned"),
    "from_empty_digest": ("constructor", "dataset_constructor_new.from_empty_digest", "dataset_constructor/dataset/digest"),
    "from_other_source_type": ("constructor", "dataset_constructor_new.from_other_source_type",
                               "dataset_constructor/dataset/source-type"),
    "from_ignoring_digest": ("constructor", "dataset_constructor_new.from_ignoring_digest",
                             "dataset_constructor/dataset/digest-honoured"),
    "from_source_uri_in_record": ("constructor", "dataset_constructor_new.from_source_uri_in_record",
                                  "dataset_constructor/log/get-source"),
    "BrokenWorkspaceListNames": ("workspace", "workspace_provider_new.BrokenWorkspaceListNames",
                                 "workspace_provider/workspaces/list"),
    "BrokenWorkspaceListsDefaultTwice": ("workspace", "workspace_provider_new.BrokenWorkspaceListsDefaultTwice",
                                         "workspace_provider/workspaces/list-distinct"),
    "BrokenWorkspaceGetCaseSensitive": ("workspace", "workspace_provider_new.BrokenWorkspaceGetCaseSensitive",
                                        "workspace_provider/workspaces/get-listed"),
    "BrokenWorkspaceCreateReturnsNothing": ("workspace", "workspace_provider_new.BrokenWorkspaceCreateReturnsNothing",
                                            "workspace_provider/workspaces/create"),
    "BrokenWorkspaceGetDropsDescription": ("workspace", "workspace_provider_new.BrokenWorkspaceGetDropsDescription",
                                           "workspace_provider/workspaces/get"),
    "BrokenWorkspaceListOnlyDefault": ("workspace", "workspace_provider_new.BrokenWorkspaceListOnlyDefault",
                                       "workspace_provider/workspaces/list-created"),
    "BrokenWorkspaceUpdateIgnored": ("workspace", "workspace_provider_new.BrokenWorkspaceUpdateIgnored",
                                     "workspace_provider/workspaces/update"),
    "BrokenWorkspaceSoftDelete": ("workspace", "workspace_provider_new.BrokenWorkspaceSoftDelete",
                                  "workspace_provider/workspaces/delete"),
    "BrokenWorkspaceValidatesAfterInsert": ("workspace", "workspace_provider_new.BrokenWorkspaceValidatesAfterInsert",
                                            "workspace_provider/workspaces/invalid-name-not-created"),
    "BrokenScorerAlwaysVersionOne": ("scorer", "scorer_store_new.BrokenScorerAlwaysVersionOne",
                                     "scorer_store/scorers/versions"),
    "BrokenScorerGetFirstVersion": ("scorer", "scorer_store_new.BrokenScorerGetFirstVersion",
                                    "scorer_store/scorers/get-latest"),
    "BrokenScorerIgnoresVersion": ("scorer", "scorer_store_new.BrokenScorerIgnoresVersion",
                                   "scorer_store/scorers/get-version"),
    "BrokenScorerDeleteAllDeletesLatest": ("scorer", "scorer_store_new.BrokenScorerDeleteAllDeletesLatest",
                                           "scorer_store/scorers/delete-all"),
    "BrokenLabelingCreateReturnsNothing": ("labeling", "labeling_store_new.BrokenLabelingCreateReturnsNothing",
                                           "labeling_store/label-schemas/create"),
    "BrokenLabelingDropsInstruction": ("labeling", "labeling_store_new.BrokenLabelingDropsInstruction",
                                       "labeling_store/label-schemas/get"),
    "BrokenLabelingOverwriteIgnored": ("labeling", "labeling_store_new.BrokenLabelingOverwriteIgnored",
                                       "labeling_store/label-schemas/overwrite"),
    "BrokenLabelingDeleteIgnored": ("labeling", "labeling_store_new.BrokenLabelingDeleteIgnored",
                                    "labeling_store/label-schemas/delete"),
    "BrokenJobNoSuperInit": ("jobs", "job_executor_new.BrokenJobNoSuperInit", "job_executor/config/kept"),
    "BrokenJobRemoteExecutionString": ("jobs", "job_executor_new.BrokenJobRemoteExecutionString",
                                       "job_executor/config/remote-execution"),
    "BrokenJobRequirementsRaise": ("jobs", "job_executor_new.BrokenJobRequirementsRaise",
                                   "job_executor/config/requirements"),
    "BrokenJobSucceededAsRunning": ("jobs", "job_executor_new.BrokenJobSucceededAsRunning",
                                    "job_executor/jobs/succeed"),
    "BrokenJobResultRepr": ("jobs", "job_executor_new.BrokenJobResultRepr", "job_executor/jobs/result"),
    "BrokenJobDropsErrorMessage": ("jobs", "job_executor_new.BrokenJobDropsErrorMessage",
                                   "job_executor/jobs/error-message"),
    "BrokenJobRecoverInventsJobs": ("jobs", "job_executor_new.BrokenJobRecoverInventsJobs",
                                    "job_executor/jobs/recover-nothing"),
    "BrokenGatewayConfigTypeDict": ("gateway", "gateway_provider_new.broken_config_type_dict()",
                                    "gateway_provider/interface/config-type"),
    "BrokenGatewayRouteTypesList": ("gateway", "gateway_provider_new.broken_route_types_list()",
                                    "gateway_provider/interface/route-types"),
    "BrokenGatewayConstructNeedsRegion": ("gateway", "gateway_provider_new.broken_construct_needs_region()",
                                          "gateway_provider/lifecycle/construct"),
    "BrokenGatewayConfigDumped": ("gateway", "gateway_provider_new.broken_config_dumped()",
                                  "gateway_provider/lifecycle/config-kept"),
}


def build_module():
    """The generated test module and the node ids to run: {variant: nodeid}, {control nodeid: kind}."""
    parts = [HEADER.format(broken_dir=str(BROKEN_DIR))]
    variant_nodes, control_nodes = {}, {}
    module_expr = "kinds_deployments.module_with({cls})"
    for kind in sorted({kind for kind, *_ in NEW_MUTANTS.values()}):
        contract, body = FIXTURES[kind]
        control = CONTROLS[kind]
        parts.append(f"\n\nclass TestControl_{kind}({contract}):" + body.format(
            cls=control, module=module_expr.format(cls=control)))
    for variant, (kind, cls_expr, clause_id, *module) in NEW_MUTANTS.items():
        contract, body = FIXTURES[kind]
        parts.append(f"\n\nclass TestBroken_{variant}({contract}):" + body.format(
            cls=cls_expr, module=module[0] if module else module_expr.format(cls=cls_expr)))
        method = method_of(contract_class(kind), clause_id)
        variant_nodes[variant] = f"test_kinds_new_mutant_module.py::TestBroken_{variant}::{method}"
        control_nodes[f"test_kinds_new_mutant_module.py::TestControl_{kind}::{method}"] = kind
    return "".join(parts), variant_nodes, control_nodes


def test_every_clause_in_the_table_exists():
    for variant, (kind, _, clause_id, *_) in NEW_MUTANTS.items():
        assert method_of(contract_class(kind), clause_id), variant


@pytest.mark.slow
def test_new_broken_plugins_are_caught(pytester, capsys):
    """Every broken variant fails its clause; the correct control of its kind passes the same clause."""
    source, variant_nodes, control_nodes = build_module()
    pytester.makepyfile(test_kinds_new_mutant_module=source)
    outcome = run_outcomes(pytester, *variant_nodes.values(), *control_nodes)
    caught = [v for v, node in variant_nodes.items() if outcome.get(node) == "failed"]
    missed = sorted(set(variant_nodes) - set(caught))
    controls_bad = {node: outcome.get(node) for node in control_nodes if outcome.get(node) != "passed"}
    with capsys.disabled():
        print(f"\nnew kinds mutants: {len(caught)}/{len(variant_nodes)} caught; missed: {missed or 'none'}")
    assert not controls_bad, f"correct controls did not pass: {controls_bad}"
    assert not missed, f"broken variants not caught: {missed}"
