"""Deliberately broken model registry stores: MLflow's registry SqlAlchemyStore with one realistic bug each.

``MUTANTS`` at the end declares each for the mutation harness (tests/mutants.py).
"""

from __future__ import annotations

import re

from mlflow.entities.model_registry import RegisteredModelTag
from mlflow.entities.model_registry.model_version_stages import get_canonical_stage
from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE, INVALID_STATE, RESOURCE_DOES_NOT_EXIST
from mlflow.store.model_registry.abstract_store import AbstractStore
from mlflow.store.model_registry.dbmodels.models import (
    SqlModelVersion,
    SqlModelVersionTag,
    SqlRegisteredModelAlias,
)
from mlflow.store.entities.paged_list import PagedList
from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore
from mlflow.utils.search_utils import SearchUtils
from mlflow.utils.validation import _validate_model_alias_name
from _bugs import ignoring, recoded
from _mutant import Mutant

KIND = "model_registry_store"


class MissingDownloadUriStore(SqlAlchemyStore):
    """Forgot get_model_version_download_uri: inherits AbstractStore's, which silently returns None."""

    get_model_version_download_uri = AbstractStore.get_model_version_download_uri


class DuplicateWrongCodeStore(SqlAlchemyStore):
    """Maps every integrity error on create to INVALID_PARAMETER_VALUE, so mlflow.register_model cannot tell
    'already exists' from a real error."""

    def create_registered_model(self, name, tags=None, description=None, deployment_job_id=None):
        try:
            return super().create_registered_model(name, tags, description, deployment_job_id)
        except MlflowException as exc:
            raise MlflowException(f"could not create {name}: {exc.message}", INVALID_PARAMETER_VALUE) from exc


class GetUnknownReturnsNoneStore(SqlAlchemyStore):
    """Returns None for a model that does not exist (a dictionary .get() in a hand-written store)."""

    def get_registered_model(self, name):
        try:
            return super().get_registered_model(name)
        except MlflowException as exc:
            if exc.error_code == "RESOURCE_DOES_NOT_EXIST":
                return None
            raise


class RenameByCopyStore(SqlAlchemyStore):
    """Renames by creating a new model with the same tags and description, then deleting the old one: the
    versions and aliases are lost."""

    def rename_registered_model(self, name, new_name):
        old = self.get_registered_model(name)
        from mlflow.entities.model_registry import RegisteredModelTag

        created = self.create_registered_model(
            new_name, tags=[RegisteredModelTag(k, v) for k, v in old.tags.items()], description=old.description)
        self.delete_registered_model(name)
        return created


class DeleteVersionKeepsAliasesStore(SqlAlchemyStore):
    """Deletes the version but leaves the aliases that pointed at it (dangling aliases)."""

    def delete_model_version(self, name, version):
        dangling = [a for a, v in self.get_registered_model(name).aliases.items() if str(v) == str(version)]
        super().delete_model_version(name, version)
        with self.ManagedSessionMaker(read_only=False) as session:
            for alias in dangling:
                session.add(SqlRegisteredModelAlias(workspace=self._get_active_workspace(), name=name, alias=alias,
                                                    version=int(version)))


class HardDeleteReusesNumbersStore(SqlAlchemyStore):
    """Deletes version rows physically, so max(version) + 1 hands a deleted number to the next version."""

    def delete_model_version(self, name, version):
        super().delete_model_version(name, version)
        with self.ManagedSessionMaker(read_only=False) as session:
            session.query(SqlModelVersionTag).filter(SqlModelVersionTag.name == name,
                                                     SqlModelVersionTag.version == int(version)).delete()
            session.query(SqlModelVersion).filter(SqlModelVersion.name == name,
                                                  SqlModelVersion.version == int(version)).delete()


class StageAsTypedStore(SqlAlchemyStore):
    """Stores the stage exactly as the caller typed it ('staging'), not the canonical 'Staging'."""

    def transition_model_version_stage(self, name, version, stage, archive_existing_versions):
        super().transition_model_version_stage(name, version, stage, archive_existing_versions)
        with self.ManagedSessionMaker(read_only=False) as session:
            row = session.query(SqlModelVersion).filter(SqlModelVersion.name == name,
                                                        SqlModelVersion.version == int(version)).one()
            row.current_stage = stage
        return self.get_model_version(name, version)


class ArchiveIgnoredStore(SqlAlchemyStore):
    """Ignores archive_existing_versions: the previous Production version stays in Production."""

    def transition_model_version_stage(self, name, version, stage, archive_existing_versions):
        return super().transition_model_version_stage(name, version, stage, False)


class LatestVersionsCaseSensitiveStore(SqlAlchemyStore):
    """get_latest_versions compares stage names as typed: ['production'] finds nothing."""

    def get_latest_versions(self, name, stages=None):
        found = super().get_latest_versions(name, None)
        if not stages:
            return found
        return [mv for mv in found if mv.current_stage in stages]


class ReservedAliasAcceptedStore(SqlAlchemyStore):
    """Checks the alias characters but not the reserved names: 'latest' and 'v1' can be set."""

    def set_registered_model_alias(self, name, alias, version):
        _validate_model_alias_name(alias)
        with self.ManagedSessionMaker(read_only=False) as session:
            self._get_sql_model_version(session, name, version)
            session.merge(SqlRegisteredModelAlias(workspace=self._get_active_workspace(), name=name, alias=alias,
                                                  version=int(version)))


class PaginationSkipsOneStore(SqlAlchemyStore):
    """The next-page token points one past the end of the page: one result is lost at every page boundary."""

    def search_registered_models(self, filter_string=None, max_results=100, order_by=None, page_token=None):
        page = super().search_registered_models(filter_string, max_results, order_by, page_token)
        if page.token:
            offset = SearchUtils.parse_start_offset_from_page_token(page_token)
            page.token = SearchUtils.create_page_token(offset + max_results + 1)
        return page


class BadTokenCrashesStore(SqlAlchemyStore):
    """Decodes the page token itself and lets the ValueError escape (HTTP 500 instead of 400)."""

    def search_model_versions(self, filter_string=None, max_results=10000, order_by=None, page_token=None):
        if page_token:
            import base64
            import json

            json.loads(base64.b64decode(page_token, validate=True))
        return super().search_model_versions(filter_string, max_results, order_by, page_token)


class LikeIgnoresCaseStore(SqlAlchemyStore):
    """Treats LIKE as ILIKE (what a MySQL collation or SQLite's default LIKE does): LIKE ignores letter case."""

    def search_registered_models(self, filter_string=None, max_results=100, order_by=None, page_token=None):
        if filter_string:
            filter_string = filter_string.replace(" ILIKE ", " LIKE ").replace(" LIKE ", " ILIKE ")
        return super().search_registered_models(filter_string, max_results, order_by, page_token)


class TagValueTruncatedStore(SqlAlchemyStore):
    """Keeps only the first 5000 characters of a tag value (a VARCHAR(5000) column) without saying so."""

    def set_registered_model_tag(self, name, tag):
        from mlflow.entities.model_registry import RegisteredModelTag

        return super().set_registered_model_tag(name, RegisteredModelTag(tag.key, (tag.value or "")[:5000]))


class VersionDescriptionDroppedStore(SqlAlchemyStore):
    """create_model_version forgets to pass the description on."""

    def create_model_version(self, name, source, run_id=None, tags=None, run_link=None, description=None,
                             local_model_path=None, model_id=None):
        return super().create_model_version(name, source, run_id, tags, run_link, None, local_model_path, model_id)


class UpdateDropsTagsStore(SqlAlchemyStore):
    """update_registered_model rewrites the whole model and loses its tags (only the state machine sees it)."""

    def update_registered_model(self, name, description, deployment_job_id=None):
        super().update_registered_model(name, description, deployment_job_id)
        for key in list(self.get_registered_model(name).tags):
            self.delete_registered_model_tag(name, key)
        return self.get_registered_model(name)


class NameStrippedStore(SqlAlchemyStore):
    """Strips surrounding whitespace from new model names: ' m' is stored as 'm' (only the round-trip
    property's generated names find it)."""

    def create_registered_model(self, name, tags=None, description=None, deployment_job_id=None):
        return super().create_registered_model(name.strip(), tags, description, deployment_job_id)


class PromptsLeakIntoModelSearchStore(SqlAlchemyStore):
    """Forgets to exclude prompts from search_registered_models."""

    @classmethod
    def _is_querying_prompt(cls, parsed_filters):
        return True


class StageUnvalidatedStore(SqlAlchemyStore):
    """Accepts any stage name: 'Canary' is stored, and get_latest_versions and the UI never show it."""

    def transition_model_version_stage(self, name, version, stage, archive_existing_versions):
        try:
            get_canonical_stage(stage)
        except MlflowException:
            with self.ManagedSessionMaker(read_only=False) as session:
                row = session.query(SqlModelVersion).filter(SqlModelVersion.name == name,
                                                            SqlModelVersion.version == int(version)).one()
                row.current_stage = stage
            return self.get_model_version(name, version)
        return super().transition_model_version_stage(name, version, stage, archive_existing_versions)


#: variant -> (class name in this module, clause id that must fail)


class PerInstanceStateStore(SqlAlchemyStore):
    """Keeps its data per instance (state never shared through the URI): MLflow's client, which builds its own
    store from the registry URI, and the store the plugin handed out see different registries."""

    def __init__(self, store_uri, tracking_uri=None):
        import tempfile

        from mlflow_plugin_conformance.reference import fresh_registry_sqlite_uri

        super().__init__(fresh_registry_sqlite_uri(tempfile.mkdtemp(prefix="per-instance-")))


class IdempotentCreateStore(SqlAlchemyStore):
    """create_registered_model returns the existing model instead of raising: racing creators all 'win', and
    mlflow.register_model cannot tell it created nothing."""

    def create_registered_model(self, name, tags=None, description=None, deployment_job_id=None):
        try:
            return super().create_registered_model(name, tags, description, deployment_job_id)
        except MlflowException as exc:
            if exc.error_code == "RESOURCE_ALREADY_EXISTS":
                return self.get_registered_model(name)
            raise



# -- helpers for the one-method mutants below ---------------------------------------------------------------------


class _VersionSearch(SqlAlchemyStore):
    """search_model_versions with its filter rewritten by ``_filter`` and its result by ``_result``."""

    def search_model_versions(self, filter_string=None, max_results=10000, order_by=None, page_token=None):
        page = super().search_model_versions(self._filter(filter_string or ""), max_results, order_by, page_token)
        return self._result(page, order_by)

    def _filter(self, filter_string):
        return filter_string

    def _result(self, page, order_by):
        return page


# -- registered models ---------------------------------------------------------------------------------------------


class ModelTagsDroppedStore(SqlAlchemyStore):
    """create_registered_model forgets the tags it is given."""

    def create_registered_model(self, name, tags=None, description=None, deployment_job_id=None):
        return super().create_registered_model(name, None, description, deployment_job_id)


class DeleteNeedsNoVersionsStore(SqlAlchemyStore):
    """Refuses to delete a model that still has versions ('delete the versions first')."""

    def delete_registered_model(self, name):
        if self.search_model_versions(f"name = '{name}'"):
            raise MlflowException(f"model {name} has versions", INVALID_STATE)
        return super().delete_registered_model(name)


class EmptyRenameIgnoredStore(SqlAlchemyStore):
    """rename_registered_model to an empty name does nothing instead of raising."""

    def rename_registered_model(self, name, new_name):
        if not new_name:
            return self.get_registered_model(name)
        return super().rename_registered_model(name, new_name)


class NameSanitisedStore(SqlAlchemyStore):
    """Replaces '/' and ':' in new model names with '-', and blank names with 'model', instead of rejecting."""

    def create_registered_model(self, name, tags=None, description=None, deployment_job_id=None):
        clean = name.replace("/", "-").replace(":", "-").strip() or "model"
        return super().create_registered_model(clean, tags, description, deployment_job_id)


class RenameSanitisedStore(SqlAlchemyStore):
    """Replaces '/' and ':' in the new name of a rename with '-'; a blank new name keeps the old one."""

    def rename_registered_model(self, name, new_name):
        clean = new_name.replace("/", "-").replace(":", "-").strip() or name
        if clean == name:
            return self.get_registered_model(name)
        return super().rename_registered_model(name, clean)


class RenameOverwritesStore(SqlAlchemyStore):
    """Renaming onto an existing name replaces that model."""

    def rename_registered_model(self, name, new_name):
        ignoring("RESOURCE_DOES_NOT_EXIST", lambda: self.delete_registered_model(new_name))
        return super().rename_registered_model(name, new_name)


class LongTagKeyTruncatedStore(SqlAlchemyStore):
    """Cuts registered-model tag keys to 250 characters instead of rejecting longer ones."""

    def set_registered_model_tag(self, name, tag):
        return super().set_registered_model_tag(name, RegisteredModelTag(tag.key[:250], tag.value))


class DeleteMissingModelTagRaisesStore(SqlAlchemyStore):
    """delete_registered_model_tag of a key that is not set raises RESOURCE_DOES_NOT_EXIST."""

    def delete_registered_model_tag(self, name, key):
        if key not in self.get_registered_model(name).tags:
            raise MlflowException(f"no tag {key!r} on {name}", RESOURCE_DOES_NOT_EXIST)
        return super().delete_registered_model_tag(name, key)


class UpdateUnknownModelSilentlyStore(SqlAlchemyStore):
    """update_registered_model of an unknown model returns None instead of raising."""

    def update_registered_model(self, name, description, deployment_job_id=None):
        return ignoring("RESOURCE_DOES_NOT_EXIST", lambda: super(UpdateUnknownModelSilentlyStore, self)
                         .update_registered_model(name, description, deployment_job_id))


class UpdateModelReturnsNoneStore(SqlAlchemyStore):
    """update_registered_model updates but returns nothing."""

    def update_registered_model(self, name, description, deployment_job_id=None):
        super().update_registered_model(name, description, deployment_job_id)


class ModelSearchMaxResultsClampedStore(SqlAlchemyStore):
    """Clamps max_results to 1000 instead of rejecting larger values."""

    def search_registered_models(self, filter_string=None, max_results=100, order_by=None, page_token=None):
        return super().search_registered_models(filter_string, min(max_results, 1000), order_by, page_token)


class ModelNameInUnsupportedStore(SqlAlchemyStore):
    """Refuses `name IN (...)` in registered-model filters."""

    def search_registered_models(self, filter_string=None, max_results=100, order_by=None, page_token=None):
        if re.search(r"\bname IN\b", filter_string or "", flags=re.I):
            raise MlflowException("IN is not supported", INVALID_PARAMETER_VALUE)
        return super().search_registered_models(filter_string, max_results, order_by, page_token)


class ModelOrderByIgnoredStore(SqlAlchemyStore):
    """Ignores order_by: registered models always come by name ascending."""

    def search_registered_models(self, filter_string=None, max_results=100, order_by=None, page_token=None):
        return super().search_registered_models(filter_string, max_results, None, page_token)


# -- model versions ------------------------------------------------------------------------------------------------


class ArchiveAnyStageStore(SqlAlchemyStore):
    """archive_existing_versions with a stage other than Staging or Production is ignored instead of refused."""

    def transition_model_version_stage(self, name, version, stage, archive_existing_versions):
        if get_canonical_stage(stage) not in ("Staging", "Production"):
            archive_existing_versions = False
        return super().transition_model_version_stage(name, version, stage, archive_existing_versions)


class DeleteVersionTwiceSilentlyStore(SqlAlchemyStore):
    """Deleting a version that is already gone does nothing."""

    def delete_model_version(self, name, version):
        return ignoring("RESOURCE_DOES_NOT_EXIST", lambda: super(DeleteVersionTwiceSilentlyStore, self)
                         .delete_model_version(name, version))


class DownloadUriIsModelsUriStore(SqlAlchemyStore):
    """Answers the download URI with the version's own ``models:/`` URI, which MLflow resolves by asking for the
    download URI again."""

    def get_model_version_download_uri(self, name, version):
        self.get_model_version(name, version)
        return f"models:/{name}/{version}"


class DownloadUriOfUnknownIsNoneStore(SqlAlchemyStore):
    """get_model_version_download_uri of an unknown version returns None."""

    def get_model_version_download_uri(self, name, version):
        return ignoring("RESOURCE_DOES_NOT_EXIST", lambda: super(DownloadUriOfUnknownIsNoneStore, self)
                         .get_model_version_download_uri(name, version))


class VersionMustBeStringStore(SqlAlchemyStore):
    """Refuses a version number given as an int (a store keyed by strings)."""

    def get_model_version(self, name, version):
        if not isinstance(version, str):
            raise MlflowException(f"version must be a string, got {version!r}", INVALID_PARAMETER_VALUE)
        return super().get_model_version(name, version)


class VersionTagKeepsFirstStore(SqlAlchemyStore):
    """set_model_version_tag inserts only: setting an existing tag again keeps the first value."""

    def set_model_version_tag(self, name, version, tag):
        if tag.key not in self.get_model_version(name, version).tags:
            super().set_model_version_tag(name, version, tag)


class UpdateVersionReturnsNoneStore(SqlAlchemyStore):
    """update_model_version updates but returns nothing."""

    def update_model_version(self, name, version, description=None):
        super().update_model_version(name, version, description)


class EmptyVersionTagsDroppedStore(SqlAlchemyStore):
    """create_model_version drops tags whose value is empty."""

    def create_model_version(self, name, source, run_id=None, tags=None, *args, **kwargs):
        tags = [t for t in tags or [] if t.value]
        return super().create_model_version(name, source, run_id, tags, *args, **kwargs)


class RunIdDroppedStore(SqlAlchemyStore):
    """create_model_version forgets the run id (the version no longer links to its run)."""

    def create_model_version(self, name, source, run_id=None, tags=None, *args, **kwargs):
        return super().create_model_version(name, source, None, tags, *args, **kwargs)


class VersionIlikeAsLikeStore(_VersionSearch):
    """Implements ILIKE as LIKE (case-sensitive) in version filters."""

    def _filter(self, filter_string):
        return re.sub(r"\bILIKE\b", "LIKE", filter_string)


class VersionNameInUnsupportedStore(_VersionSearch):
    """Refuses `name IN (...)` in version filters."""

    def _filter(self, filter_string):
        if re.search(r"\bname IN\b", filter_string, flags=re.I):
            raise MlflowException("IN is not supported", INVALID_PARAMETER_VALUE)
        return filter_string


class NonIntegerVersionMatchesNothingStore(SqlAlchemyStore):
    """Compares version_number with a non-integer value as 'no match' instead of refusing it."""

    def search_model_versions(self, filter_string=None, max_results=10000, order_by=None, page_token=None):
        try:
            return super().search_model_versions(filter_string, max_results, order_by, page_token)
        except MlflowException as exc:
            if exc.error_code != "INVALID_PARAMETER_VALUE" or "version_number" not in (filter_string or ""):
                raise
            return PagedList([], None)


class VersionOrderAsTextStore(_VersionSearch):
    """Sorts by version_number as text (10 before 9)."""

    def _result(self, page, order_by):
        if not order_by or not order_by[0].startswith("version_number"):
            return page
        descending = order_by[0].upper().endswith("DESC")
        return PagedList(sorted(page, key=lambda mv: str(mv.version), reverse=descending), page.token)


class VersionPaginationOffByOneStore(SqlAlchemyStore):
    """search_model_versions' next-page token starts one version too late."""

    def search_model_versions(self, filter_string=None, max_results=10000, order_by=None, page_token=None):
        page = super().search_model_versions(filter_string, max_results, order_by, page_token)
        if page.token:
            offset = SearchUtils.parse_start_offset_from_page_token(page.token)
            page = PagedList(list(page), SearchUtils.create_page_token(offset + 1))
        return page


# -- aliases -------------------------------------------------------------------------------------------------------


class DeleteAliasIsNoopStore(SqlAlchemyStore):
    """delete_registered_model_alias checks the model but removes nothing."""

    def delete_registered_model_alias(self, name, alias):
        self.get_registered_model(name)


class AliasNotMovedStore(SqlAlchemyStore):
    """set_registered_model_alias inserts only: an alias that exists keeps pointing at its first version."""

    def set_registered_model_alias(self, name, alias, version):
        if alias not in self.get_registered_model(name).aliases:
            super().set_registered_model_alias(name, alias, version)


class AliasesNotListedStore(SqlAlchemyStore):
    """get_model_version_by_alias returns the version without its aliases."""

    def get_model_version_by_alias(self, name, alias):
        version = super().get_model_version_by_alias(name, alias)
        version._aliases = []
        return version


class AliasToUnknownVersionWrongCodeStore(SqlAlchemyStore):
    """Pointing an alias at an unknown version raises INVALID_PARAMETER_VALUE, not RESOURCE_DOES_NOT_EXIST."""

    def set_registered_model_alias(self, name, alias, version):
        return recoded(lambda: super(AliasToUnknownVersionWrongCodeStore, self).set_registered_model_alias(
            name, alias, version), "RESOURCE_DOES_NOT_EXIST", INVALID_PARAMETER_VALUE)


class AliasLowercasedStore(SqlAlchemyStore):
    """Stores aliases in lower case; resolving one is case-sensitive, so a mixed-case alias is lost."""

    def set_registered_model_alias(self, name, alias, version):
        return super().set_registered_model_alias(name, alias.lower(), version)

MUTANTS = [
    Mutant(KIND, "missing-download-uri", "model_registry_store/interface/core-methods", MissingDownloadUriStore),
    Mutant(KIND, "duplicate-wrong-code", "model_registry_store/registered-models/duplicate-name",
           DuplicateWrongCodeStore),
    Mutant(KIND, "get-unknown-returns-none", "model_registry_store/registered-models/get-unknown",
           GetUnknownReturnsNoneStore),
    Mutant(KIND, "rename-by-copy", "model_registry_store/registered-models/rename", RenameByCopyStore),
    Mutant(KIND, "delete-version-keeps-aliases", "model_registry_store/aliases/deleting-version-removes-aliases",
           DeleteVersionKeepsAliasesStore),
    Mutant(KIND, "hard-delete-reuses-numbers", "model_registry_store/model-versions/numbers-not-reused",
           HardDeleteReusesNumbersStore),
    Mutant(KIND, "stage-as-typed", "model_registry_store/model-versions/stage-transitions", StageAsTypedStore),
    Mutant(KIND, "stage-unvalidated", "model_registry_store/model-versions/stage-invalid", StageUnvalidatedStore),
    Mutant(KIND, "archive-ignored", "model_registry_store/model-versions/archive-existing-versions",
           ArchiveIgnoredStore),
    Mutant(KIND, "latest-versions-case-sensitive", "model_registry_store/model-versions/latest-versions",
           LatestVersionsCaseSensitiveStore),
    Mutant(KIND, "reserved-alias-accepted", "model_registry_store/aliases/reserved-and-invalid",
           ReservedAliasAcceptedStore, since="3.3",
           notes="before 3.3, MLflow's _validate_model_alias_name itself refused the reserved aliases, so a store "
                 "calling it (as this one does) is correct there"),
    Mutant(KIND, "pagination-skips-one", "model_registry_store/search-registered-models/pagination",
           PaginationSkipsOneStore),
    Mutant(KIND, "bad-token-crashes", "model_registry_store/search-model-versions/bounds-and-errors",
           BadTokenCrashesStore),
    Mutant(KIND, "like-ignores-case", "model_registry_store/search-registered-models/filter", LikeIgnoresCaseStore),
    Mutant(KIND, "tag-value-truncated", "model_registry_store/registered-models/tag-value-limit",
           TagValueTruncatedStore),
    Mutant(KIND, "version-description-dropped", "model_registry_store/model-versions/create-and-get",
           VersionDescriptionDroppedStore),
    Mutant(KIND, "prompts-leak-into-model-search", "model_registry_store/prompts/not-in-model-search",
           PromptsLeakIntoModelSearchStore),
    Mutant(KIND, "update-drops-tags", "model_registry_store/differential/state-machine", UpdateDropsTagsStore),
    Mutant(KIND, "name-stripped", "model_registry_store/properties/registered-model-round-trip", NameStrippedStore),
    Mutant(KIND, "per-instance-state", "model_registry_store/end-to-end/register-model", PerInstanceStateStore),
    Mutant(KIND, "idempotent-create", "model_registry_store/concurrency/racing-creators", IdempotentCreateStore),
    Mutant(KIND, "model-tags-dropped", "model_registry_store/registered-models/create-and-get", ModelTagsDroppedStore),
    Mutant(KIND, "delete-needs-no-versions", "model_registry_store/registered-models/delete",
           DeleteNeedsNoVersionsStore),
    Mutant(KIND, "empty-rename-ignored", "model_registry_store/registered-models/empty-name", EmptyRenameIgnoredStore),
    Mutant(KIND, "name-sanitised", "model_registry_store/registered-models/invalid-name", NameSanitisedStore,
           also_caught_by=("model_registry_store/properties/invalid-names-rejected",)),
    Mutant(KIND, "rename-sanitised", "model_registry_store/registered-models/rename-invalid", RenameSanitisedStore),
    Mutant(KIND, "rename-overwrites", "model_registry_store/registered-models/rename-to-existing",
           RenameOverwritesStore),
    Mutant(KIND, "long-tag-key-truncated", "model_registry_store/registered-models/tag-limits",
           LongTagKeyTruncatedStore),
    Mutant(KIND, "delete-missing-model-tag-raises", "model_registry_store/registered-models/tags",
           DeleteMissingModelTagRaisesStore),
    Mutant(KIND, "update-unknown-model-silently", "model_registry_store/registered-models/unknown-name-operations",
           UpdateUnknownModelSilentlyStore),
    Mutant(KIND, "update-model-returns-none", "model_registry_store/registered-models/update-description",
           UpdateModelReturnsNoneStore),
    Mutant(KIND, "model-search-max-results-clamped", "model_registry_store/search-registered-models/bounds-and-errors",
           ModelSearchMaxResultsClampedStore),
    Mutant(KIND, "model-name-in-unsupported", "model_registry_store/search-registered-models/filter-name-in",
           ModelNameInUnsupportedStore),
    Mutant(KIND, "model-order-by-ignored", "model_registry_store/search-registered-models/order-by",
           ModelOrderByIgnoredStore),
    Mutant(KIND, "archive-any-stage", "model_registry_store/model-versions/archive-needs-active-stage",
           ArchiveAnyStageStore),
    Mutant(KIND, "delete-version-twice-silently", "model_registry_store/model-versions/delete",
           DeleteVersionTwiceSilentlyStore),
    Mutant(KIND, "download-uri-is-models-uri", "model_registry_store/model-versions/download-uri",
           DownloadUriIsModelsUriStore, also_caught_by=("model_registry_store/end-to-end/client-registry-calls",)),
    Mutant(KIND, "download-uri-of-unknown-is-none", "model_registry_store/model-versions/get-unknown",
           DownloadUriOfUnknownIsNoneStore),
    Mutant(KIND, "version-must-be-string", "model_registry_store/model-versions/numbers-increment",
           VersionMustBeStringStore),
    Mutant(KIND, "version-tag-keeps-first", "model_registry_store/model-versions/tags", VersionTagKeepsFirstStore),
    Mutant(KIND, "update-version-returns-none", "model_registry_store/model-versions/update-description",
           UpdateVersionReturnsNoneStore),
    Mutant(KIND, "empty-version-tags-dropped", "model_registry_store/properties/model-version-round-trip",
           EmptyVersionTagsDroppedStore),
    Mutant(KIND, "run-id-dropped", "model_registry_store/end-to-end/register-model-from-run", RunIdDroppedStore),
    Mutant(KIND, "version-ilike-as-like", "model_registry_store/search-model-versions/filter", VersionIlikeAsLikeStore),
    Mutant(KIND, "version-name-in-unsupported", "model_registry_store/search-model-versions/filter-name-in",
           VersionNameInUnsupportedStore),
    Mutant(KIND, "non-integer-version-matches-nothing",
           "model_registry_store/search-model-versions/non-integer-version-number",
           NonIntegerVersionMatchesNothingStore),
    Mutant(KIND, "version-order-as-text", "model_registry_store/search-model-versions/order-by",
           VersionOrderAsTextStore),
    Mutant(KIND, "version-pagination-off-by-one", "model_registry_store/search-model-versions/pagination",
           VersionPaginationOffByOneStore),
    Mutant(KIND, "delete-alias-is-noop", "model_registry_store/aliases/delete", DeleteAliasIsNoopStore),
    Mutant(KIND, "alias-not-moved", "model_registry_store/aliases/move", AliasNotMovedStore),
    Mutant(KIND, "aliases-not-listed", "model_registry_store/aliases/set-and-get", AliasesNotListedStore),
    Mutant(KIND, "alias-to-unknown-version-wrong-code", "model_registry_store/aliases/unknown-version",
           AliasToUnknownVersionWrongCodeStore),
    Mutant(KIND, "alias-lowercased", "model_registry_store/properties/aliases-round-trip", AliasLowercasedStore),
]
