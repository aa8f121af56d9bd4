"""Deliberately broken model registry stores: MLflow's registry SqlAlchemyStore with one realistic bug each.

``VARIANTS`` maps a variant name to (class name, the clause id that must catch it).  ``tests/test_registry_broken.py``
runs the contract against each and asserts that clause fails.
"""

from __future__ import annotations

from mlflow.entities.model_registry.model_version_stages import get_canonical_stage
from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE
from mlflow.store.model_registry.abstract_store import AbstractStore
from mlflow.store.model_registry.dbmodels.models import (
    SqlModelVersion,
    SqlModelVersionTag,
    SqlRegisteredModelAlias,
)
from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore
from mlflow.utils.search_utils import SearchUtils
from mlflow.utils.validation import _validate_model_alias_name


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
VARIANTS = {
    "missing-download-uri": ("MissingDownloadUriStore", "model_registry_store/interface/core-methods"),
    "duplicate-wrong-code": ("DuplicateWrongCodeStore", "model_registry_store/registered-models/duplicate-name"),
    "get-unknown-returns-none": ("GetUnknownReturnsNoneStore", "model_registry_store/registered-models/get-unknown"),
    "rename-by-copy": ("RenameByCopyStore", "model_registry_store/registered-models/rename"),
    "delete-version-keeps-aliases": ("DeleteVersionKeepsAliasesStore",
                                     "model_registry_store/aliases/deleting-version-removes-aliases"),
    "hard-delete-reuses-numbers": ("HardDeleteReusesNumbersStore",
                                   "model_registry_store/model-versions/numbers-not-reused"),
    "stage-as-typed": ("StageAsTypedStore", "model_registry_store/model-versions/stage-transitions"),
    "stage-unvalidated": ("StageUnvalidatedStore", "model_registry_store/model-versions/stage-invalid"),
    "archive-ignored": ("ArchiveIgnoredStore", "model_registry_store/model-versions/archive-existing-versions"),
    "latest-versions-case-sensitive": ("LatestVersionsCaseSensitiveStore",
                                       "model_registry_store/model-versions/latest-versions"),
    "reserved-alias-accepted": ("ReservedAliasAcceptedStore", "model_registry_store/aliases/reserved-and-invalid"),
    "pagination-skips-one": ("PaginationSkipsOneStore",
                             "model_registry_store/search-registered-models/pagination"),
    "bad-token-crashes": ("BadTokenCrashesStore", "model_registry_store/search-model-versions/bounds-and-errors"),
    "like-ignores-case": ("LikeIgnoresCaseStore", "model_registry_store/search-registered-models/filter"),
    "tag-value-truncated": ("TagValueTruncatedStore", "model_registry_store/registered-models/tag-value-limit"),
    "version-description-dropped": ("VersionDescriptionDroppedStore",
                                    "model_registry_store/model-versions/create-and-get"),
    "prompts-leak-into-model-search": ("PromptsLeakIntoModelSearchStore",
                                       "model_registry_store/prompts/not-in-model-search"),
    "update-drops-tags": ("UpdateDropsTagsStore", "model_registry_store/differential/state-machine"),
    "name-stripped": ("NameStrippedStore", "model_registry_store/properties/registered-model-round-trip"),
}


class PerInstanceStateStore(SqlAlchemyStore):
    """Keeps its data per instance (state never shared through the URI): MLflow's client, which builds its own
    store from the registry URI, and the store the plugin handed out see different registries."""

    SCHEME = "broken-registry-per-instance"

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


VARIANTS.update({
    "per-instance-state": ("PerInstanceStateStore", "model_registry_store/end-to-end/register-model"),
    "idempotent-create": ("IdempotentCreateStore", "model_registry_store/concurrency/racing-creators"),
})
