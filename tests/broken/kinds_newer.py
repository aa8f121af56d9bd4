"""Newer plugin groups: an in-memory labeling store (MLflow ships only a Databricks one, so this is the correct
reference the labeling contract is validated on) and broken variants, one realistic bug each."""

from __future__ import annotations

import json

#: The base classes imported below exist from this MLflow release (job executors: 3.17).
NEEDS_MLFLOW = "3.17"

from mlflow.exceptions import MlflowException
from mlflow.genai.labeling.stores import AbstractLabelingStore
from mlflow.genai.scorers.registry import MlflowTrackingStore
from mlflow.protos.databricks_pb2 import RESOURCE_ALREADY_EXISTS, RESOURCE_DOES_NOT_EXIST
from mlflow.server.jobs.local_executor import LocalJobExecutor
from mlflow.store.workspace.sqlalchemy_store import SqlAlchemyStore as WorkspaceSqlStore
from _mutant import Mutant


class InMemoryLabelingStore(AbstractLabelingStore):
    """Label schemas in a dict; sessions are not offered (NotImplementedError, the contract's optional part)."""

    def __init__(self, tracking_uri=None):
        self._schemas = {}

    def get_label_schema(self, name):
        if name not in self._schemas:
            raise MlflowException(f"label schema {name!r} not found", error_code=RESOURCE_DOES_NOT_EXIST)
        return self._schemas[name]

    def create_label_schema(self, name, *, type, title, input, instruction=None, enable_comment=False,
                            overwrite=False):
        from mlflow.genai.label_schemas.label_schemas import LabelSchema

        if name in self._schemas and not overwrite:
            raise MlflowException(f"label schema {name!r} exists", error_code=RESOURCE_ALREADY_EXISTS)
        self._schemas[name] = LabelSchema(name=name, type=type, input=input, instruction=instruction,
                                          enable_comment=enable_comment)
        return self._schemas[name]

    def delete_label_schema(self, name):
        self._schemas.pop(name, None)

    def get_labeling_session(self, run_id):
        raise NotImplementedError

    def get_labeling_sessions(self, experiment_id=None):
        raise NotImplementedError

    def create_labeling_session(self, name, *, assigned_users=None, agent=None, label_schemas=None,
                                enable_multi_turn_chat=False, custom_inputs=None, experiment_id=None):
        raise NotImplementedError

    def delete_labeling_session(self, labeling_session):
        raise NotImplementedError

    def add_dataset_to_session(self, labeling_session, dataset_name, record_ids=None):
        raise NotImplementedError

    def add_traces_to_session(self, labeling_session, traces):
        raise NotImplementedError

    def sync_session_expectations(self, labeling_session, dataset):
        raise NotImplementedError

    def set_session_assigned_users(self, labeling_session, assigned_users):
        raise NotImplementedError


# -- broken variants ------------------------------------------------------------------------------------------------


class BrokenLabelingOverwrites(InMemoryLabelingStore):
    """Creating an existing schema silently replaces it (ignores ``overwrite=False``)."""

    def create_label_schema(self, name, **kwargs):
        kwargs["overwrite"] = True
        return super().create_label_schema(name, **kwargs)


class BrokenLabelingNoOverwriteParam(InMemoryLabelingStore):
    """An override written against an older signature: no ``overwrite`` parameter."""

    def create_label_schema(self, name, *, type, title, input, instruction=None, enable_comment=False):
        return super().create_label_schema(name, type=type, title=title, input=input, instruction=instruction,
                                           enable_comment=enable_comment)


class _Delegating:
    """Forwards every attribute to a correct implementation built with the same arguments."""

    _inner_class: type

    def __init__(self, *args, **kwargs):
        self._inner = self._inner_class(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._inner, name)


class BrokenWorkspaceGetReturnsNone(WorkspaceSqlStore):
    """get_workspace of an unknown name returns None instead of raising RESOURCE_DOES_NOT_EXIST."""

    def get_workspace(self, workspace_name):
        try:
            return super().get_workspace(workspace_name)
        except MlflowException:
            return None


class BrokenWorkspaceDuplicateUpserts(WorkspaceSqlStore):
    """create_workspace of an existing name updates it instead of raising RESOURCE_ALREADY_EXISTS."""

    def create_workspace(self, workspace):
        try:
            return super().create_workspace(workspace)
        except MlflowException as exc:
            if exc.error_code != "RESOURCE_ALREADY_EXISTS":
                raise
            return self.update_workspace(workspace)


class BrokenWorkspaceNoNameCheck(WorkspaceSqlStore):
    """create_workspace skips MLflow's name validation: '../etc' and upper case names are stored."""

    def create_workspace(self, workspace):
        import mlflow.store.workspace.sqlalchemy_store as module

        validator = module.WorkspaceNameValidator.validate
        module.WorkspaceNameValidator.validate = classmethod(lambda cls, name: None)
        try:
            return super().create_workspace(workspace)
        finally:
            module.WorkspaceNameValidator.validate = validator


class BrokenScorerListsEveryVersion(MlflowTrackingStore):
    """list_scorers returns one entry per version instead of the latest of each scorer."""

    def list_scorers(self, experiment_id):
        listed = []
        for scorer in super().list_scorers(experiment_id):
            listed.extend(s for s, _ in self.list_scorer_versions(experiment_id, scorer.name))
        return listed


class BrokenScorerGetUnknownNone(MlflowTrackingStore):
    """get_scorer of an unknown name returns None."""

    def get_scorer(self, experiment_id, name, version=None):
        try:
            return super().get_scorer(experiment_id, name, version)
        except MlflowException:
            return None


class BrokenJobReportsSuccess(LocalJobExecutor):
    """wait_for_job reports SUCCEEDED whatever happened (the status mapping is inverted for failures)."""

    def wait_for_job(self, job_id):
        from mlflow.entities._job_status import JobStatus

        result = super().wait_for_job(job_id)
        if result.status == JobStatus.FAILED:
            result.status = JobStatus.SUCCEEDED
            result.result = json.dumps(None)
        return result


class BrokenJobOldSubmitSignature(LocalJobExecutor):
    """submit_job written against an earlier draft: no ``timeout`` parameter."""

    def submit_job(self, job_id, job_name, fn_fullname, params, context, python_env=None):
        return super().submit_job(job_id, job_name, fn_fullname, params, context, python_env)



class BrokenWorkspaceDuckTyped(_Delegating):
    """Wraps WorkspaceSqlStore instead of subclassing MLflow's base class (duck typing)."""

    _inner_class = WorkspaceSqlStore


class BrokenWorkspaceRenamedParameter(WorkspaceSqlStore):
    """get_workspace(name): MLflow calls get_workspace(workspace_name=...)."""

    def get_workspace(self, name):
        return super().get_workspace(name)


class BrokenScorerDuckTyped(_Delegating):
    """Wraps MlflowTrackingStore instead of subclassing MLflow's base class (duck typing)."""

    _inner_class = MlflowTrackingStore


class BrokenScorerGetWithoutVersion(MlflowTrackingStore):
    """get_scorer without the version parameter (written before scorers had versions)."""

    def get_scorer(self, experiment_id, name):
        return super().get_scorer(experiment_id, name)


class BrokenLabelingDuckTyped(_Delegating):
    """Wraps InMemoryLabelingStore instead of subclassing MLflow's base class (duck typing)."""

    _inner_class = InMemoryLabelingStore


class BrokenJobDuckTyped(_Delegating):
    """Wraps LocalJobExecutor instead of subclassing MLflow's base class (duck typing)."""

    _inner_class = LocalJobExecutor


def openai_provider():
    """The correct control: MLflow's OpenAI provider."""
    from mlflow.gateway.providers.openai import OpenAIProvider

    return OpenAIProvider


def broken_gateway_claims_embeddings():
    """A provider that declares the embeddings route but implements only chat."""
    from mlflow.gateway.base_models import ConfigModel
    from mlflow.gateway.providers import BaseProvider

    class Config(ConfigModel):
        api_key: str = "x"

    class ClaimsEmbeddings(BaseProvider):
        DISPLAY_NAME = "Claims embeddings"
        CONFIG_TYPE = Config
        SUPPORTED_ROUTE_TYPES = ("llm/v1/chat", "llm/v1/embeddings")

        async def chat(self, payload):
            raise NotImplementedError

    return ClaimsEmbeddings


def broken_gateway_no_display_name():
    """A provider without DISPLAY_NAME: BaseProvider refuses to construct it at the first request."""
    from mlflow.gateway.providers.openai import OpenAIProvider

    class NoDisplayName(OpenAIProvider):
        DISPLAY_NAME = ""

    return NoDisplayName



def broken_gateway_duck_typed():
    """A provider that wraps OpenAIProvider by delegation instead of subclassing BaseProvider."""
    from mlflow.gateway.providers.openai import OpenAIProvider

    class DuckTyped:
        DISPLAY_NAME = "Duck-typed OpenAI"
        CONFIG_TYPE = OpenAIProvider.CONFIG_TYPE
        SUPPORTED_ROUTE_TYPES = ("llm/v1/chat",)

        def __init__(self, config, enable_tracing=False):
            self.config = config
            self._inner = OpenAIProvider(config, enable_tracing=enable_tracing)

        async def chat(self, payload):
            return await self._inner.chat(payload)

    return DuckTyped


def broken_gateway_old_passthrough():
    """passthrough written before MLflow added its ``headers`` parameter."""
    from mlflow.gateway.providers.openai import OpenAIProvider

    class OldPassthrough(OpenAIProvider):
        async def passthrough(self, action, payload):
            return await super().passthrough(action, payload)

    return OldPassthrough

MUTANTS = [
    Mutant("workspace_provider", "BrokenWorkspaceGetReturnsNone", "workspace_provider/workspaces/get-unknown",
           BrokenWorkspaceGetReturnsNone),
    Mutant("workspace_provider", "BrokenWorkspaceDuplicateUpserts", "workspace_provider/workspaces/duplicate",
           BrokenWorkspaceDuplicateUpserts),
    Mutant("workspace_provider", "BrokenWorkspaceNoNameCheck", "workspace_provider/workspaces/invalid-name",
           BrokenWorkspaceNoNameCheck),
    Mutant("scorer_store", "BrokenScorerListsEveryVersion", "scorer_store/scorers/list-once",
           BrokenScorerListsEveryVersion),
    Mutant("scorer_store", "BrokenScorerGetUnknownNone", "scorer_store/scorers/get-unknown",
           BrokenScorerGetUnknownNone),
    Mutant("labeling_store", "BrokenLabelingOverwrites", "labeling_store/label-schemas/duplicate",
           BrokenLabelingOverwrites),
    Mutant("labeling_store", "BrokenLabelingNoOverwriteParam", "labeling_store/interface/signatures",
           BrokenLabelingNoOverwriteParam),
    Mutant("job_executor", "BrokenJobReportsSuccess", "job_executor/jobs/fail", BrokenJobReportsSuccess),
    Mutant("job_executor", "BrokenJobOldSubmitSignature", "job_executor/interface/signatures",
           BrokenJobOldSubmitSignature),
    Mutant("gateway_provider", "BrokenGatewayClaimsEmbeddings", "gateway_provider/interface/routes-implemented",
           broken_gateway_claims_embeddings),
    Mutant("gateway_provider", "BrokenGatewayNoDisplayName", "gateway_provider/interface/display-name",
           broken_gateway_no_display_name),
    Mutant("workspace_provider", "BrokenWorkspaceDuckTyped", "workspace_provider/interface/complete",
           BrokenWorkspaceDuckTyped),
    Mutant("workspace_provider", "BrokenWorkspaceRenamedParameter", "workspace_provider/interface/signatures",
           BrokenWorkspaceRenamedParameter),
    Mutant("scorer_store", "BrokenScorerDuckTyped", "scorer_store/interface/complete", BrokenScorerDuckTyped),
    Mutant("scorer_store", "BrokenScorerGetWithoutVersion", "scorer_store/interface/signatures",
           BrokenScorerGetWithoutVersion),
    Mutant("labeling_store", "BrokenLabelingDuckTyped", "labeling_store/interface/complete", BrokenLabelingDuckTyped),
    Mutant("job_executor", "BrokenJobDuckTyped", "job_executor/interface/complete", BrokenJobDuckTyped),
    Mutant("gateway_provider", "BrokenGatewayDuckTyped", "gateway_provider/interface/complete",
           broken_gateway_duck_typed),
    Mutant("gateway_provider", "BrokenGatewayOldPassthrough", "gateway_provider/interface/signatures",
           broken_gateway_old_passthrough),
]
