"""Deliberately broken model registry stores for the clauses of MLflow 3's registry surface (issue 12): core tag
filters, ``models:/`` sources and copy_model_version, the prompt registry and webhooks.

Each class is MLflow's registry SqlAlchemyStore with one realistic bug. ``VARIANTS`` maps a variant name to
(class name, the clause id that must fail); ``BLOCKED`` names the clauses a variant must report as blocked by
the clause that catches it (one bug, one headline). ``tests/test_registry_new_mutants.py`` runs them.
"""

from __future__ import annotations

import json
import re

from mlflow.entities.model_registry import ModelVersionTag, RegisteredModelTag
from mlflow.entities.webhook import Webhook, WebhookStatus
from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import RESOURCE_ALREADY_EXISTS
from mlflow.store.entities.paged_list import PagedList
from mlflow.store.model_registry.dbmodels.models import SqlModelVersion, SqlWebhook
from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore

# -- core: tag filters, tag values, models:/ sources ----------------------------------------------------------


def _truncate_quoted_keys(filter_string):
    """What a hand-written filter parser that splits ``tags.<key>`` on '.' does to a backticked dotted key."""
    if not filter_string:
        return filter_string
    return re.sub(r"(tags?)\.`([^`.]*)\.[^`]*`", r"\1.`\2`", filter_string)


class QuotedTagKeyTruncatedStore(SqlAlchemyStore):
    """Registered-model search reads ``tags.`a.b``` as the key ``a``: every prompt search finds nothing."""

    def search_registered_models(self, filter_string=None, max_results=100, order_by=None, page_token=None):
        return super().search_registered_models(_truncate_quoted_keys(filter_string), max_results, order_by,
                                                page_token)


class QuotedVersionTagKeyTruncatedStore(SqlAlchemyStore):
    """Model-version search reads ``tag.`a.b``` as the key ``a``: search_prompt_versions finds nothing."""

    def search_model_versions(self, filter_string=None, max_results=10000, order_by=None, page_token=None):
        return super().search_model_versions(_truncate_quoted_keys(filter_string), max_results, order_by,
                                             page_token)


class VersionTagValueTruncatedStore(SqlAlchemyStore):
    """Keeps 5000 characters of a version tag value (a VARCHAR(5000) column): long prompt templates are cut."""

    def create_model_version(self, name, source, run_id=None, tags=None, run_link=None, description=None,
                             local_model_path=None, model_id=None):
        tags = [ModelVersionTag(t.key, (t.value or "")[:5000]) for t in tags or []]
        return super().create_model_version(name, source, run_id, tags, run_link, description, local_model_path,
                                            model_id)

    def set_model_version_tag(self, name, version, tag):
        return super().set_model_version_tag(name, version, ModelVersionTag(tag.key, (tag.value or "")[:5000]))


class ModelsUriSourceVerbatimStore(SqlAlchemyStore):
    """Stores a ``models:/`` source as the version's artifact location instead of resolving it: the copy's
    download URI is a ``models:/`` URI, not the files' location."""

    def create_model_version(self, name, source, run_id=None, tags=None, run_link=None, description=None,
                             local_model_path=None, model_id=None):
        mv = super().create_model_version(name, source, run_id, tags, run_link, description, local_model_path,
                                          model_id)
        with self.ManagedSessionMaker(read_only=False) as session:
            row = session.query(SqlModelVersion).filter(SqlModelVersion.name == name,
                                                        SqlModelVersion.version == int(mv.version)).one()
            row.storage_location = source
        return mv


class ModelsUriLatestVersionStore(SqlAlchemyStore):
    """Resolves ``models:/<name>/<version>`` to the artifacts of the model's latest version, whatever the version:
    a copy of version 1 reads version 2's files."""

    def create_model_version(self, name, source, run_id=None, tags=None, run_link=None, description=None,
                             local_model_path=None, model_id=None):
        mv = super().create_model_version(name, source, run_id, tags, run_link, description, local_model_path,
                                          model_id)
        if source.startswith("models:/"):
            referenced = source[len("models:/"):].rsplit("/", 1)[0]
            latest = max(self.search_model_versions(f"name = '{referenced}'"), key=lambda v: int(v.version))
            with self.ManagedSessionMaker(read_only=False) as session:
                row = session.query(SqlModelVersion).filter(SqlModelVersion.name == name,
                                                            SqlModelVersion.version == int(mv.version)).one()
                row.storage_location = self.get_model_version_download_uri(referenced, latest.version)
        return mv


# -- copy_model_version ------------------------------------------------------------------------------------------


class CopyNeedsDestinationStore(SqlAlchemyStore):
    """copy_model_version only adds a version: copying into a new name fails (RESOURCE_DOES_NOT_EXIST)."""

    def copy_model_version(self, src_mv, dst_name):
        return self.create_model_version(dst_name, f"models:/{src_mv.name}/{src_mv.version}", src_mv.run_id,
                                         [ModelVersionTag(k, v) for k, v in src_mv.tags.items()],
                                         src_mv.run_link, src_mv.description)


class CopyRefusesExistingDestinationStore(SqlAlchemyStore):
    """copy_model_version creates the destination without catching RESOURCE_ALREADY_EXISTS: copying into an
    existing model fails."""

    def copy_model_version(self, src_mv, dst_name):
        self.create_registered_model(dst_name)
        return self.create_model_version(dst_name, f"models:/{src_mv.name}/{src_mv.version}", src_mv.run_id)


class CopyDropsTagsStore(SqlAlchemyStore):
    """copy_model_version copies the source and run id but neither the tags nor the description."""

    def copy_model_version(self, src_mv, dst_name):
        try:
            self.create_registered_model(dst_name)
        except MlflowException as exc:
            if exc.error_code != "RESOURCE_ALREADY_EXISTS":
                raise
        return self.create_model_version(dst_name, f"models:/{src_mv.name}/{src_mv.version}", src_mv.run_id)


# -- prompts -----------------------------------------------------------------------------------------------------


class PromptTagsDroppedStore(SqlAlchemyStore):
    """create_prompt forgets the prompt's tags."""

    def create_prompt(self, name, description=None, tags=None):
        return super().create_prompt(name, description, None)


class GetPromptOfModelStore(SqlAlchemyStore):
    """get_prompt answers any registered model as a prompt (it never looks at the is-prompt tag)."""

    def get_prompt(self, name):
        from mlflow.entities.model_registry.prompt import Prompt

        try:
            rm = self.get_registered_model(name)
        except MlflowException:
            return None
        return Prompt(name=rm.name, description=rm.description, creation_timestamp=rm.creation_timestamp,
                      tags=rm.tags)


class PromptOverModelStore(SqlAlchemyStore):
    """create_prompt on a registered model's name turns that model into a prompt instead of refusing."""

    def create_prompt(self, name, description=None, tags=None):
        try:
            return super().create_prompt(name, description, tags)
        except MlflowException as exc:
            if exc.error_code != "RESOURCE_ALREADY_EXISTS" or self.get_prompt(name) is not None:
                raise
            self.set_registered_model_tag(name, RegisteredModelTag("mlflow.prompt.is_prompt", "true"))
            return self.get_prompt(name)


class PromptCommitMessageDroppedStore(SqlAlchemyStore):
    """create_prompt_version forgets the commit message (the version's description)."""

    def create_prompt_version(self, name, template, description=None, tags=None, response_format=None,
                              model_config=None):
        return super().create_prompt_version(name, template, None, tags, response_format, model_config)


class TemplateCutStore(SqlAlchemyStore):
    """Keeps 65535 characters of a template (a MySQL TEXT column of its own)."""

    def create_prompt_version(self, name, template, description=None, tags=None, response_format=None,
                              model_config=None):
        if isinstance(template, str):
            template = template[:65535]
        return super().create_prompt_version(name, template, description, tags, response_format, model_config)


class ChatTemplateAsTextStore(SqlAlchemyStore):
    """Stores a chat template as its JSON text: it comes back as a text prompt holding a string."""

    def create_prompt_version(self, name, template, description=None, tags=None, response_format=None,
                              model_config=None):
        if not isinstance(template, str):
            template = json.dumps(template)
        return super().create_prompt_version(name, template, description, tags, response_format, model_config)


class ResponseFormatDroppedStore(SqlAlchemyStore):
    """create_prompt_version forgets the response format."""

    def create_prompt_version(self, name, template, description=None, tags=None, response_format=None,
                              model_config=None):
        return super().create_prompt_version(name, template, description, tags, None, model_config)


class ModelConfigDroppedStore(SqlAlchemyStore):
    """create_prompt_version forgets the model config."""

    def create_prompt_version(self, name, template, description=None, tags=None, response_format=None,
                              model_config=None):
        return super().create_prompt_version(name, template, description, tags, response_format, None)


class PromptVersionOfModelIsNoneStore(SqlAlchemyStore):
    """get_prompt_version answers None for a registered model's version instead of refusing it."""

    def get_prompt_version(self, name, version):
        if self.get_prompt(name) is None:
            try:
                self.get_registered_model(name)
            except MlflowException:
                pass
            else:
                return None
        return super().get_prompt_version(name, version)


class UnknownPromptVersionIsNoneStore(SqlAlchemyStore):
    """get_prompt_version answers None for a version that does not exist (a dictionary .get())."""

    def get_prompt_version(self, name, version):
        try:
            return super().get_prompt_version(name, version)
        except MlflowException as exc:
            if exc.error_code == "RESOURCE_DOES_NOT_EXIST":
                return None
            raise


class PromptAliasNotMovedStore(SqlAlchemyStore):
    """set_prompt_alias keeps an alias where it is once set (insert-if-absent)."""

    def set_prompt_alias(self, name, alias, version):
        if alias not in self.get_registered_model(name).aliases:
            super().set_prompt_alias(name, alias, version)


class PromptAliasDeleteIgnoredStore(SqlAlchemyStore):
    """delete_prompt_alias does nothing."""

    def delete_prompt_alias(self, name, alias):
        self.get_registered_model(name)


class PromptTagDeleteUntagsPromptStore(SqlAlchemyStore):
    """delete_prompt_tag rewrites the prompt's tags from the user-visible ones: the is-prompt tag is lost and the
    prompt becomes a registered model."""

    def delete_prompt_tag(self, name, key):
        for existing in list(self.get_registered_model(name)._tags):
            if existing == key or existing == "mlflow.prompt.is_prompt":
                self.delete_registered_model_tag(name, existing)


class PromptVersionTagDeleteIgnoredStore(SqlAlchemyStore):
    """delete_prompt_version_tag does nothing."""

    def delete_prompt_version_tag(self, name, version, key):
        self.get_model_version(name, int(version))


class SearchPromptsIgnoresFilterStore(SqlAlchemyStore):
    """search_prompts drops the caller's filter: every prompt comes back."""

    def search_prompts(self, filter_string=None, max_results=None, order_by=None, page_token=None):
        return super().search_prompts(None, max_results, order_by, page_token)


class SearchPromptsIncludesModelsStore(SqlAlchemyStore):
    """search_prompts returns the registered models that match the filter next to the prompts."""

    def search_prompts(self, filter_string=None, max_results=None, order_by=None, page_token=None):
        from mlflow.entities.model_registry.prompt import Prompt

        prompts = super().search_prompts(filter_string, max_results, order_by, page_token)
        models = [Prompt(name=m.name, description=m.description, creation_timestamp=m.creation_timestamp,
                         tags=m.tags) for m in self.search_registered_models(filter_string)]
        return PagedList(list(prompts) + models, prompts.token)


class PromptPagesIgnoreTokenStore(SqlAlchemyStore):
    """search_prompts ignores page_token: the first page comes back for ever."""

    def search_prompts(self, filter_string=None, max_results=None, order_by=None, page_token=None):
        return super().search_prompts(filter_string, max_results, order_by, None)


class ExperimentFilterIgnoredStore(SqlAlchemyStore):
    """search_prompts drops an ``experiment_id = 'N'`` clause instead of turning it into the tag filter."""

    def search_prompts(self, filter_string=None, max_results=None, order_by=None, page_token=None):
        if filter_string:
            filter_string = re.sub(r"experiment_id\s*=\s*'[^']*'\s*AND\s*", "", filter_string)
        return super().search_prompts(filter_string, max_results, order_by, page_token)


class PromptVersionsOldestFirstStore(SqlAlchemyStore):
    """search_prompt_versions lists the oldest version first."""

    def search_prompt_versions(self, name, max_results=None, page_token=None):
        found = super().search_prompt_versions(name, max_results, page_token)
        return PagedList(sorted(found, key=lambda v: int(v.version)), found.token)


class PromptVersionsOfModelEmptyStore(SqlAlchemyStore):
    """search_prompt_versions answers an empty list for a registered model instead of refusing it."""

    def search_prompt_versions(self, name, max_results=None, page_token=None):
        if self.get_prompt(name) is None:
            self.get_registered_model(name)
            return PagedList([], None)
        return super().search_prompt_versions(name, max_results, page_token)


class PromptDeleteVersionDeletesLatestStore(SqlAlchemyStore):
    """delete_prompt_version deletes the latest version, whichever was asked for."""

    def delete_prompt_version(self, name, version):
        latest = max(int(v.version) for v in self.search_prompt_versions(name))
        return super().delete_prompt_version(name, latest)


class PromptDeleteUntagsStore(SqlAlchemyStore):
    """delete_prompt only removes the is-prompt tag (a soft delete): the versions and the name stay taken."""

    def delete_prompt(self, name):
        self.delete_registered_model_tag(name, "mlflow.prompt.is_prompt")


class RunLinkOverwritesStore(SqlAlchemyStore):
    """link_prompt_version_to_run writes only the newest link into the run's tag, losing the earlier ones."""

    def link_prompt_version_to_run(self, name, version, run_id):
        from mlflow.entities import RunTag
        from mlflow.tracking import _get_store

        _get_store().set_tag(run_id, RunTag("mlflow.linkedPrompts",
                                            json.dumps([{"name": name, "version": str(version)}])))


class ModelLinkDuplicatesStore(SqlAlchemyStore):
    """link_prompt_version_to_model appends the link every time it is called."""

    def link_prompt_version_to_model(self, name, version, model_id):
        from mlflow.entities import LoggedModelTag
        from mlflow.tracking import _get_store

        tracking = _get_store()
        current = json.loads(tracking.get_logged_model(model_id).tags.get("mlflow.linkedPrompts") or "[]")
        current.append({"name": name, "version": str(version)})
        tracking.set_logged_model_tags(model_id, [LoggedModelTag("mlflow.linkedPrompts", json.dumps(current))])


class TraceLinkTagMissingStore(SqlAlchemyStore):
    """link_prompts_to_trace records the link in the tracking store's association table only: the trace's
    ``mlflow.linkedPrompts`` tag (which the UI and search read) is never written."""

    def link_prompts_to_trace(self, prompt_versions, trace_id):
        from mlflow.tracking import _get_store

        _get_store().link_prompts_to_trace(trace_id, prompt_versions)


# -- webhooks ----------------------------------------------------------------------------------------------------


class WebhookDisabledByDefaultStore(SqlAlchemyStore):
    """A webhook created without a status is DISABLED."""

    def create_webhook(self, name, url, events, description=None, secret=None, status=None):
        return super().create_webhook(name, url, events, description, secret, status or WebhookStatus.DISABLED)


class WebhookSecretDroppedStore(SqlAlchemyStore):
    """Never stores the secret: deliveries go out unsigned."""

    def create_webhook(self, name, url, events, description=None, secret=None, status=None):
        return super().create_webhook(name, url, events, description, None, status)

    def update_webhook(self, webhook_id, name=None, description=None, url=None, events=None, secret=None,
                       status=None):
        return super().update_webhook(webhook_id, name, description, url, events, None, status)


class WebhookListIncludesDeletedStore(SqlAlchemyStore):
    """list_webhooks forgets the soft-delete filter: deleted webhooks are listed."""

    def list_webhooks(self, max_results=None, page_token=None):
        from mlflow.utils.search_utils import SearchUtils

        max_results = max_results or 100
        offset = SearchUtils.parse_start_offset_from_page_token(page_token)
        with self.ManagedSessionMaker() as session:
            rows = (self._get_query(session, SqlWebhook).order_by(SqlWebhook.creation_timestamp.desc())
                    .offset(offset).limit(max_results + 1).all())
            token = SearchUtils.create_page_token(offset + max_results) if len(rows) > max_results else None
            return PagedList([w.to_mlflow_entity() for w in rows[:max_results]], token)


class WebhookListByEventIgnoresEventStore(SqlAlchemyStore):
    """list_webhooks_by_event returns every live webhook, whatever it subscribed to."""

    def list_webhooks_by_event(self, event, max_results=None, page_token=None):
        return self.list_webhooks(max_results, page_token)


class WebhookUpdateClearsFieldsStore(SqlAlchemyStore):
    """update_webhook writes every field, so a field not given is cleared (the description here)."""

    def update_webhook(self, webhook_id, name=None, description=None, url=None, events=None, secret=None,
                       status=None):
        updated = super().update_webhook(webhook_id, name, description, url, events, secret, status)
        if description is None:
            with self.ManagedSessionMaker(read_only=False) as session:
                self._get_webhook_by_id(session, webhook_id).description = None
            updated = self.get_webhook(webhook_id)
        return updated


class WebhookUpdateAppendsEventsStore(SqlAlchemyStore):
    """update_webhook adds the new events to the old ones instead of replacing them."""

    def update_webhook(self, webhook_id, name=None, description=None, url=None, events=None, secret=None,
                       status=None):
        if events is not None:
            events = list(self.get_webhook(webhook_id).events) + [e for e in events
                                                                  if e not in self.get_webhook(webhook_id).events]
        return super().update_webhook(webhook_id, name, description, url, events, secret, status)


class WebhookDeletedStillSubscribedStore(SqlAlchemyStore):
    """list_webhooks_by_event forgets the soft-delete filter: a deleted webhook still receives events."""

    def list_webhooks_by_event(self, event, max_results=None, page_token=None):
        from mlflow.store.model_registry.dbmodels.models import SqlWebhookEvent

        with self.ManagedSessionMaker() as session:
            rows = (self._get_query(session, SqlWebhook).join(SqlWebhookEvent)
                    .filter(SqlWebhookEvent.entity == event.entity.value,
                            SqlWebhookEvent.action == event.action.value).all())
            return PagedList([w.to_mlflow_entity() for w in rows], None)


class WebhookUnknownIsNoneStore(SqlAlchemyStore):
    """get_webhook answers None for an id nobody created."""

    def get_webhook(self, webhook_id):
        try:
            return super().get_webhook(webhook_id)
        except MlflowException as exc:
            if exc.error_code == "RESOURCE_DOES_NOT_EXIST":
                return None
            raise


class WebhookNameUnvalidatedStore(SqlAlchemyStore):
    """create_webhook stores any name (it skips MLflow's name rule)."""

    def create_webhook(self, name, url, events, description=None, secret=None, status=None):
        created = super().create_webhook("placeholder", url, events, description, secret, status)
        with self.ManagedSessionMaker(read_only=False) as session:
            self._get_webhook_by_id(session, created.webhook_id).name = name
        return self.get_webhook(created.webhook_id)


class WebhookEventsAsTextStore(SqlAlchemyStore):
    """get_webhook and list_webhooks_by_event return the events as 'entity.action' strings: MLflow's delivery
    code, which reads event.entity and event.action, cannot send anything."""

    @staticmethod
    def _as_text(webhook):
        return Webhook(webhook.webhook_id, webhook.name, webhook.url, [str(e) for e in webhook.events],
                       webhook.creation_timestamp, webhook.last_updated_timestamp, webhook.description,
                       webhook.status, webhook.secret, webhook.workspace)

    def get_webhook(self, webhook_id):
        return self._as_text(super().get_webhook(webhook_id))

    def list_webhooks_by_event(self, event, max_results=None, page_token=None):
        found = super().list_webhooks_by_event(event, max_results, page_token)
        return PagedList([self._as_text(w) for w in found], found.token)


class WebhookDisabledListedActiveStore(SqlAlchemyStore):
    """list_webhooks_by_event reports every webhook as ACTIVE: disabled webhooks still receive events."""

    def list_webhooks_by_event(self, event, max_results=None, page_token=None):
        found = super().list_webhooks_by_event(event, max_results, page_token)
        return PagedList([Webhook(w.webhook_id, w.name, w.url, w.events, w.creation_timestamp,
                                  w.last_updated_timestamp, w.description, WebhookStatus.ACTIVE, w.secret,
                                  w.workspace) for w in found], found.token)


class WebhookTestMethodFirstEventStore(SqlAlchemyStore):
    """Implements test_webhook but always tests the webhook's first event, not the one asked for."""

    def test_webhook(self, webhook_id, event=None):
        from mlflow.webhooks.delivery import test_webhook

        return test_webhook(self.get_webhook(webhook_id), None)


class PerInstanceStateStore(SqlAlchemyStore):
    """Keeps its data per instance: MLflow's client, which builds its own store from the registry URI, and the
    store the plugin handed out see different registries."""

    SCHEME = "broken-registry-new-per-instance"

    def __init__(self, store_uri, tracking_uri=None):
        import tempfile

        from mlflow_plugin_conformance.reference import fresh_registry_sqlite_uri

        super().__init__(fresh_registry_sqlite_uri(tempfile.mkdtemp(prefix="per-instance-")))


#: variant -> (class name in this module, clause id that must fail)
VARIANTS = {
    "quoted-tag-key-truncated": ("QuotedTagKeyTruncatedStore",
                                 "model_registry_store/search-registered-models/filter-quoted-tag-key"),
    "quoted-version-tag-key-truncated": ("QuotedVersionTagKeyTruncatedStore",
                                         "model_registry_store/search-model-versions/filter-quoted-tag-key"),
    "version-tag-value-truncated": ("VersionTagValueTruncatedStore",
                                    "model_registry_store/model-versions/tag-value-limit"),
    "models-uri-source-verbatim": ("ModelsUriSourceVerbatimStore",
                                   "model_registry_store/model-versions/models-uri-source"),
    "models-uri-latest-version": ("ModelsUriLatestVersionStore",
                                  "model_registry_store/end-to-end/copy-model-version"),
    "copy-needs-destination": ("CopyNeedsDestinationStore", "model_registry_store/copy-model-version/new-destination"),
    "copy-refuses-existing-destination": ("CopyRefusesExistingDestinationStore",
                                          "model_registry_store/copy-model-version/existing-destination"),
    "copy-drops-tags": ("CopyDropsTagsStore", "model_registry_store/copy-model-version/carries-metadata"),
    "prompt-tags-dropped": ("PromptTagsDroppedStore", "model_registry_store/prompts/create-and-get"),
    "get-prompt-of-model": ("GetPromptOfModelStore", "model_registry_store/prompts/get-not-a-prompt"),
    "prompt-over-model": ("PromptOverModelStore", "model_registry_store/prompts/duplicate-name"),
    "prompt-commit-message-dropped": ("PromptCommitMessageDroppedStore",
                                      "model_registry_store/prompts/version-round-trip"),
    "template-cut": ("TemplateCutStore", "model_registry_store/prompts/long-template"),
    "chat-template-as-text": ("ChatTemplateAsTextStore", "model_registry_store/prompts/chat-template"),
    "response-format-dropped": ("ResponseFormatDroppedStore", "model_registry_store/prompts/response-format"),
    "model-config-dropped": ("ModelConfigDroppedStore", "model_registry_store/prompts/model-config"),
    "prompt-version-of-model-is-none": ("PromptVersionOfModelIsNoneStore",
                                        "model_registry_store/prompts/version-of-a-model-rejected"),
    "unknown-prompt-version-is-none": ("UnknownPromptVersionIsNoneStore",
                                       "model_registry_store/prompts/unknown-version"),
    "prompt-alias-not-moved": ("PromptAliasNotMovedStore", "model_registry_store/prompts/aliases"),
    "prompt-alias-delete-ignored": ("PromptAliasDeleteIgnoredStore", "model_registry_store/prompts/alias-delete"),
    "prompt-tag-delete-untags-prompt": ("PromptTagDeleteUntagsPromptStore",
                                        "model_registry_store/prompts/prompt-tags"),
    "prompt-version-tag-delete-ignored": ("PromptVersionTagDeleteIgnoredStore",
                                          "model_registry_store/prompts/version-tags"),
    "search-prompts-ignores-filter": ("SearchPromptsIgnoresFilterStore", "model_registry_store/prompts/search"),
    "search-prompts-includes-models": ("SearchPromptsIncludesModelsStore",
                                       "model_registry_store/prompts/search-excludes-models"),
    "prompt-pages-ignore-token": ("PromptPagesIgnoreTokenStore", "model_registry_store/prompts/search-pagination"),
    "experiment-filter-ignored": ("ExperimentFilterIgnoredStore",
                                  "model_registry_store/prompts/search-by-experiment"),
    "prompt-versions-oldest-first": ("PromptVersionsOldestFirstStore",
                                     "model_registry_store/prompts/search-versions"),
    "prompt-versions-of-model-empty": ("PromptVersionsOfModelEmptyStore",
                                       "model_registry_store/prompts/search-versions-of-a-model-rejected"),
    "prompt-delete-version-deletes-latest": ("PromptDeleteVersionDeletesLatestStore",
                                             "model_registry_store/prompts/delete-version"),
    "prompt-delete-untags": ("PromptDeleteUntagsStore", "model_registry_store/prompts/delete"),
    "run-link-overwrites": ("RunLinkOverwritesStore", "model_registry_store/prompts/link-to-run"),
    "model-link-duplicates": ("ModelLinkDuplicatesStore", "model_registry_store/prompts/link-to-model"),
    "trace-link-tag-missing": ("TraceLinkTagMissingStore", "model_registry_store/prompts/link-to-trace"),
    "per-instance-prompts": ("PerInstanceStateStore", "model_registry_store/end-to-end/register-and-load-prompt"),
    "webhook-disabled-by-default": ("WebhookDisabledByDefaultStore", "model_registry_store/webhooks/create-and-get"),
    "webhook-secret-dropped": ("WebhookSecretDroppedStore", "model_registry_store/webhooks/secret-kept"),
    "webhook-list-includes-deleted": ("WebhookListIncludesDeletedStore", "model_registry_store/webhooks/list"),
    "webhook-list-by-event-ignores-event": ("WebhookListByEventIgnoresEventStore",
                                            "model_registry_store/webhooks/list-by-event"),
    "webhook-update-clears-fields": ("WebhookUpdateClearsFieldsStore", "model_registry_store/webhooks/update"),
    "webhook-update-appends-events": ("WebhookUpdateAppendsEventsStore",
                                      "model_registry_store/webhooks/update-events"),
    "webhook-deleted-still-subscribed": ("WebhookDeletedStillSubscribedStore",
                                         "model_registry_store/webhooks/delete"),
    "webhook-unknown-is-none": ("WebhookUnknownIsNoneStore", "model_registry_store/webhooks/unknown-id"),
    "webhook-name-unvalidated": ("WebhookNameUnvalidatedStore", "model_registry_store/webhooks/invalid-input"),
    "webhook-events-as-text": ("WebhookEventsAsTextStore", "model_registry_store/webhooks/test-delivery"),
    "webhook-disabled-listed-active": ("WebhookDisabledListedActiveStore",
                                       "model_registry_store/webhooks/event-delivery"),
    "test-webhook-first-event": ("WebhookTestMethodFirstEventStore",
                                 "model_registry_store/webhooks/test-webhook-method"),
}

#: variant -> {clause id: the clause it must report as blocked by}: a prompt or webhook clause built on a broken
#: core behaviour says so instead of failing (issue 11 item 2).
BLOCKED = {
    "quoted-tag-key-truncated": {
        "model_registry_store/prompts/search": "model_registry_store/search-registered-models/filter-quoted-tag-key",
        "model_registry_store/prompts/search-pagination":
            "model_registry_store/search-registered-models/filter-quoted-tag-key",
        "model_registry_store/prompts/search-by-experiment":
            "model_registry_store/search-registered-models/filter-quoted-tag-key",
    },
    "quoted-version-tag-key-truncated": {
        "model_registry_store/prompts/search-versions":
            "model_registry_store/search-model-versions/filter-quoted-tag-key",
    },
    "version-tag-value-truncated": {
        "model_registry_store/prompts/long-template": "model_registry_store/model-versions/tag-value-limit",
    },
    "webhook-secret-dropped": {
        "model_registry_store/webhooks/test-delivery": "model_registry_store/webhooks/secret-kept",
    },
}
