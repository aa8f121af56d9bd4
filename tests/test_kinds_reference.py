"""The contracts of the non-store kinds never fail a correct plugin: each runs against MLflow's own
implementations (LocalBackend, the built-in evaluators, HTTPDatasetSource, from_pandas, the SQL workspace store,
MlflowTrackingStore for scorers, LocalJobExecutor, OpenAIProvider) and, where MLflow ships none that runs offline,
a correct implementation of ours (the in-memory labeling store). Divergences are declared as known failures with
the reason.
"""

from __future__ import annotations

from pathlib import Path

from test_kinds_mutants import run_outcomes

BROKEN_DIR = Path(__file__).parent / "broken"

REFERENCE_MODULE = """
import sys
import pytest
sys.path.insert(0, {broken_dir!r})

from mlflow_plugin_conformance.contracts.project_backend import ProjectBackendContract
from mlflow_plugin_conformance.contracts.model_evaluator import ModelEvaluatorContract
from mlflow_plugin_conformance.contracts.dataset_source import DatasetSourceContract
from mlflow_plugin_conformance.contracts.dataset_constructor import DatasetConstructorContract
from mlflow_plugin_conformance.contracts.gateway_provider import GatewayProviderContract
from mlflow_plugin_conformance.contracts.job_executor import JobExecutorContract
from mlflow_plugin_conformance.contracts.labeling_store import LabelingStoreContract
from mlflow_plugin_conformance.contracts.scorer_store import ScorerStoreContract
from mlflow_plugin_conformance.contracts.workspace_provider import WorkspaceProviderContract
from mlflow_plugin_conformance.contracts.shared.local_mlflow import fresh_tracking_uri


class TestLocalBackend(ProjectBackendContract):
    @pytest.fixture
    def project_backend(self):
        from mlflow.projects.backend.local import LocalBackend
        return LocalBackend()


class TestRegressorEvaluator(ModelEvaluatorContract):
    @pytest.fixture
    def model_evaluator(self, tmp_path):
        # MLflow's built-in evaluators bind a tracking client when built; MLflow builds them inside
        # mlflow.models.evaluate, under the user's tracking URI. Built here, outside any, the client would open
        # MLflow 3's default ./mlflow.db in the working directory: build it as MLflow does, under a tracking URI.
        from mlflow.models.evaluation.evaluators.regressor import RegressorEvaluator
        from mlflow_plugin_conformance.contracts.shared.mlflow_uris import mlflow_pointed_at
        with mlflow_pointed_at(tracking_uri=fresh_tracking_uri(tmp_path)):
            return RegressorEvaluator()


class TestHTTPDatasetSource(DatasetSourceContract):
    @pytest.fixture
    def dataset_source(self):
        from mlflow.data.http_dataset_source import HTTPDatasetSource
        return HTTPDatasetSource


class TestFromPandas(DatasetConstructorContract):
    @pytest.fixture
    def dataset_constructor(self):
        from mlflow.data.pandas_dataset import from_pandas
        return from_pandas


class TestSqlWorkspaceStore(WorkspaceProviderContract):
    @pytest.fixture(scope="class")
    @classmethod
    def workspace_provider(cls, tmp_path_factory):
        from mlflow.store.workspace.sqlalchemy_store import SqlAlchemyStore
        return SqlAlchemyStore(fresh_tracking_uri(tmp_path_factory.mktemp("ws")))


class TestTrackingScorerStore(ScorerStoreContract):
    @pytest.fixture(scope="class")
    @classmethod
    def scorer_store(cls, tmp_path_factory):
        from mlflow.genai.scorers.registry import MlflowTrackingStore
        return MlflowTrackingStore(tracking_uri=fresh_tracking_uri(tmp_path_factory.mktemp("scorers")))


class TestInMemoryLabelingStore(LabelingStoreContract):
    @pytest.fixture
    def labeling_store(self):
        import kinds_newer
        return kinds_newer.InMemoryLabelingStore()


class TestLocalJobExecutor(JobExecutorContract):
    @pytest.fixture(scope="class")
    @classmethod
    def job_executor(cls):
        from mlflow.server.jobs.executor import JobExecutorConfig
        from mlflow.server.jobs.local_executor import LocalJobExecutor
        executor = LocalJobExecutor(JobExecutorConfig())
        yield executor
        executor.stop_executor()


class TestOpenAIProvider(GatewayProviderContract):
    @pytest.fixture
    def gateway_provider(self):
        from mlflow.gateway.providers.openai import OpenAIProvider
        return OpenAIProvider

    @pytest.fixture
    def gateway_provider_config(self):
        return {{"openai_api_key": "sk-conformance-not-a-key"}}
"""


def test_reference_implementations_pass(pytester):
    """Every clause passes (or is unsupported) on MLflow's reference implementations."""
    pytester.makepyfile(test_reference=REFERENCE_MODULE.format(broken_dir=str(BROKEN_DIR)))
    # the import-order clauses check a plugin's own module; MLflow's modules are imported by mlflow itself
    outcomes = run_outcomes(pytester, "-k", "not test_import_order")
    failed = sorted(node for node, outcome in outcomes.items() if outcome == "failed")
    assert not failed, f"clauses failing on MLflow's reference implementations: {failed}"
    passed = [node for node, outcome in outcomes.items() if outcome == "passed"]
    assert len(passed) >= 60, f"only {len(passed)} clauses passed"
