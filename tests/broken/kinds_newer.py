"""Newer plugin groups: an in-memory labeling store (MLflow ships only a Databricks one, so this is the correct
reference the labeling contract is validated on) and broken variants, one realistic bug each."""

from __future__ import annotations

import json

from mlflow.exceptions import MlflowException
from mlflow.genai.labeling.stores import AbstractLabelingStore
from mlflow.genai.scorers.registry import MlflowTrackingStore
from mlflow.protos.databricks_pb2 import RESOURCE_ALREADY_EXISTS, RESOURCE_DOES_NOT_EXIST
from mlflow.server.jobs.local_executor import LocalJobExecutor
from mlflow.store.workspace.sqlalchemy_store import SqlAlchemyStore as WorkspaceSqlStore


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


def _openai():
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
