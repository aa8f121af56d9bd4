"""Model versions: create, numbering, get, update, delete, tags, download URI, stages."""

from __future__ import annotations

from .._support import raises_mlflow_error
from ..base import clause
from ._helpers import ANY_ERROR_CODE, mv_tag, new_model, new_version, not_none, tags_of, version_source, versions_of


class ModelVersionClauses:
    """Clauses of the ``model_registry_store/model-versions/*`` family."""

    @clause("model_registry_store/model-versions/create-and-get")
    def test_model_versions_create_and_get(self, model_registry_store):
        """create_model_version stores source, run_id, tags and description; the version starts in stage
        'None' with status READY, and get_model_version returns the same."""
        store = model_registry_store
        name = new_model(store)
        source = version_source(f"{name}/model")
        created = new_version(store, name, source=source, run_id="0123456789abcdef",
                                    tags=[mv_tag("k", "v"), mv_tag("unicode", "ü ✓")], description="first")
        assert created.name == name and str(created.version) == "1"
        mv = not_none(store.get_model_version(name, "1"), "get_model_version")
        assert (mv.name, str(mv.version)) == (name, "1")
        assert mv.source == source
        assert mv.run_id == "0123456789abcdef"
        assert mv.description == "first"
        assert tags_of(mv) == {"k": "v", "unicode": "ü ✓"}
        assert mv.current_stage == "None", f"a new version is in stage 'None', got {mv.current_stage!r}"
        assert mv.status == "READY", f"a new version of a store without async copy is READY, got {mv.status!r}"
        assert isinstance(mv.creation_timestamp, int) and mv.creation_timestamp > 0

    @clause("model_registry_store/model-versions/numbers-increment")
    def test_model_versions_numbers_increment(self, model_registry_store):
        """Version numbers start at 1 and increase by one per model, independently for each model; get accepts
        the version as a string or an int."""
        store = model_registry_store
        first, second = new_model(store), new_model(store)
        assert [str(new_version(store, first).version) for _ in range(3)] == ["1", "2", "3"]
        assert str(new_version(store, second).version) == "1", "numbering is per model, not global"
        assert str(store.get_model_version(first, 3).version) == "3"
        assert str(store.get_model_version(first, "2").version) == "2"

    @clause("model_registry_store/model-versions/numbers-not-reused")
    def test_model_versions_numbers_not_reused(self, model_registry_store):
        """A deleted version's number is never given to a new version (``models:/name/3`` must not silently
        point at different artifacts): after deleting the latest version 2, the next version is 3."""
        store = model_registry_store
        name = new_model(store)
        new_version(store, name)
        new_version(store, name)
        store.delete_model_version(name, "2")
        assert str(new_version(store, name).version) == "3"

    @clause("model_registry_store/model-versions/get-unknown")
    def test_model_versions_get_unknown(self, model_registry_store):
        """get_model_version of a version that does not exist raises RESOURCE_DOES_NOT_EXIST; so do update,
        delete, tags, stage transitions and the download URI."""
        store = model_registry_store
        name = new_model(store)
        new_version(store, name)
        operations = {
            "get_model_version": lambda: store.get_model_version(name, "7"),
            "update_model_version": lambda: store.update_model_version(name, "7", "d"),
            "delete_model_version": lambda: store.delete_model_version(name, "7"),
            "set_model_version_tag": lambda: store.set_model_version_tag(name, "7", mv_tag("k", "v")),
            "delete_model_version_tag": lambda: store.delete_model_version_tag(name, "7", "k"),
            "transition_model_version_stage": lambda: store.transition_model_version_stage(name, "7", "Staging",
                                                                                           False),
            "get_model_version_download_uri": lambda: store.get_model_version_download_uri(name, "7"),
        }
        for what, operation in operations.items():
            with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing=f"calling {what} on an unknown version"):
                result = operation()
                assert what.startswith(("delete", "set")) or result is not None, \
                    f"{what} returned None for an unknown version instead of raising"

    @clause("model_registry_store/model-versions/update-description")
    def test_model_versions_update_description(self, model_registry_store):
        """update_model_version replaces the description of that version only and returns the version."""
        store = model_registry_store
        name = new_model(store)
        new_version(store, name, description="one")
        new_version(store, name, description="two")
        updated = not_none(store.update_model_version(name, "1", "changed"), "update_model_version")
        assert updated.description == "changed"
        assert store.get_model_version(name, "1").description == "changed"
        assert store.get_model_version(name, "2").description == "two"

    @clause("model_registry_store/model-versions/delete")
    def test_model_versions_delete(self, model_registry_store):
        """delete_model_version removes that version only: get raises RESOURCE_DOES_NOT_EXIST, search and
        get_latest_versions no longer return it, the other versions are untouched."""
        store = model_registry_store
        name = new_model(store)
        for _ in range(3):
            new_version(store, name)
        store.transition_model_version_stage(name, "3", "Production", False)
        store.delete_model_version(name, "3")
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted model version"):
            store.get_model_version(name, "3")
        assert sorted(versions_of(store.search_model_versions(f"name = '{name}'"))) == [(name, "1"), (name, "2")]
        latest = store.get_latest_versions(name, ["Production"])
        assert not list(latest), f"a deleted version is still the latest in Production: {versions_of(latest)}"
        assert str(store.get_model_version(name, "2").version) == "2"
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="deleting a version twice"):
            store.delete_model_version(name, "3")

    @clause("model_registry_store/model-versions/tags")
    def test_model_versions_tags(self, model_registry_store):
        """set_model_version_tag adds or overwrites a tag of one version; delete_model_version_tag removes it;
        other versions' tags are untouched."""
        store = model_registry_store
        name = new_model(store)
        new_version(store, name, tags=[mv_tag("shared", "v1")])
        new_version(store, name, tags=[mv_tag("shared", "v2")])
        store.set_model_version_tag(name, "1", mv_tag("a", "1"))
        store.set_model_version_tag(name, "1", mv_tag("a", "overwritten"))
        assert tags_of(store.get_model_version(name, "1")) == {"shared": "v1", "a": "overwritten"}
        store.delete_model_version_tag(name, "1", "shared")
        assert tags_of(store.get_model_version(name, "1")) == {"a": "overwritten"}
        assert tags_of(store.get_model_version(name, "2")) == {"shared": "v2"}, "a tag of another version changed"
        store.delete_model_version_tag(name, "1", "never-set")
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="setting a version tag with the key '../x'"):
            store.set_model_version_tag(name, "1", mv_tag("../x", "v"))

    @clause("model_registry_store/model-versions/download-uri")
    def test_model_versions_download_uri(self, model_registry_store):
        """get_model_version_download_uri returns where the version's artifacts can be read: the source, for a
        store that does not copy artifacts (what ``models:/`` URIs resolve to)."""
        store = model_registry_store
        name = new_model(store)
        source = version_source(f"{name}/model-one")
        new_version(store, name, source=source)
        new_version(store, name, source=version_source(f"{name}/model-two"))
        uri = not_none(store.get_model_version_download_uri(name, "1"), "get_model_version_download_uri")
        assert uri == source, f"download URI {uri!r} is not the source {source!r} of version 1"

    @clause("model_registry_store/model-versions/stage-transitions")
    def test_model_versions_stage_transitions(self, model_registry_store):
        """transition_model_version_stage accepts stage names in any letter case and stores and returns the
        canonical name ('None', 'Staging', 'Production', 'Archived')."""
        store = model_registry_store
        name = new_model(store)
        new_version(store, name)
        for typed, canonical in (("staging", "Staging"), ("PRODUCTION", "Production"), ("aRcHiVeD", "Archived"),
                                 ("none", "None")):
            returned = not_none(store.transition_model_version_stage(name, "1", typed, False),
                                 "transition_model_version_stage")
            assert returned.current_stage == canonical, f"{typed!r} returned stage {returned.current_stage!r}"
            stored = store.get_model_version(name, "1").current_stage
            assert stored == canonical, f"{typed!r} stored stage {stored!r}, expected {canonical!r}"

    @clause("model_registry_store/model-versions/stage-invalid")
    def test_model_versions_stage_invalid(self, model_registry_store):
        """An unknown stage name raises INVALID_PARAMETER_VALUE and leaves the stage as it was."""
        store = model_registry_store
        name = new_model(store)
        new_version(store, name)
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="transitioning to the stage 'Canary'"):
            store.transition_model_version_stage(name, "1", "Canary", False)
        assert store.get_model_version(name, "1").current_stage == "None"

    @clause("model_registry_store/model-versions/archive-existing-versions")
    def test_model_versions_archive_existing_versions(self, model_registry_store):
        """With archive_existing_versions=True, the other versions in the target stage move to 'Archived';
        with False they stay; versions in other stages are never touched."""
        store = model_registry_store
        name = new_model(store)
        for _ in range(4):
            new_version(store, name)
        store.transition_model_version_stage(name, "1", "Production", False)
        store.transition_model_version_stage(name, "2", "Production", False)
        store.transition_model_version_stage(name, "3", "Staging", False)
        stages = {v: store.get_model_version(name, v).current_stage for v in "123"}
        assert stages == {"1": "Production", "2": "Production", "3": "Staging"}, \
            f"archive_existing_versions=False must not archive anything: {stages}"
        store.transition_model_version_stage(name, "4", "production", True)
        stages = {v: store.get_model_version(name, v).current_stage for v in "1234"}
        assert stages == {"1": "Archived", "2": "Archived", "3": "Staging", "4": "Production"}, stages

    @clause("model_registry_store/model-versions/archive-needs-active-stage")
    def test_model_versions_archive_needs_active_stage(self, model_registry_store):
        """archive_existing_versions=True with a stage other than Staging or Production raises an
        MlflowException and changes nothing (MLflow's stores raise it without a specific error code)."""
        store = model_registry_store
        name = new_model(store)
        new_version(store, name)
        new_version(store, name)
        store.transition_model_version_stage(name, "1", "Archived", False)
        with raises_mlflow_error(*ANY_ERROR_CODE, doing="archiving existing versions for the stage 'Archived'"):
            store.transition_model_version_stage(name, "2", "Archived", True)
        assert store.get_model_version(name, "2").current_stage == "None"
        assert store.get_model_version(name, "1").current_stage == "Archived"

    @clause("model_registry_store/model-versions/latest-versions")
    def test_model_versions_latest_versions(self, model_registry_store):
        """get_latest_versions returns, for each requested stage (any letter case), the highest version in that
        stage; with no stages, the highest version of every stage that has one."""
        store = model_registry_store
        name = new_model(store)
        for _ in range(5):
            new_version(store, name)
        for version, stage in (("1", "Production"), ("2", "Production"), ("3", "Staging"), ("4", "Archived")):
            store.transition_model_version_stage(name, version, stage, False)
        by_stage = {mv.current_stage: str(mv.version) for mv in store.get_latest_versions(name, ["production"])}
        assert by_stage == {"Production": "2"}
        both = {mv.current_stage: str(mv.version)
                for mv in store.get_latest_versions(name, ["Production", "STAGING"])}
        assert both == {"Production": "2", "Staging": "3"}
        every = {mv.current_stage: str(mv.version) for mv in store.get_latest_versions(name)}
        assert every == {"None": "5", "Production": "2", "Staging": "3", "Archived": "4"}, every
        model = store.get_registered_model(name)
        listed = {mv.current_stage: str(mv.version) for mv in model.latest_versions}
        assert listed == every, f"get_registered_model().latest_versions {listed} != get_latest_versions {every}"

    @clause("model_registry_store/model-versions/models-uri-source")
    def test_model_versions_models_uri_source(self, model_registry_store):
        """A version created from the source ``models:/<name>/<version>`` keeps that source, and its download URI
        is the referenced version's artifact location (``mlflow.register_model("models:/...")`` and
        copy_model_version create such versions; ``models:/`` URIs of the new version must read those files)."""
        store = model_registry_store
        source_name = new_model(store, "uri-src")
        location = version_source(f"{source_name}/weights")
        new_version(store, source_name, source=version_source(f"{source_name}/other"))
        new_version(store, source_name, source=location)
        name = new_model(store, "uri-dst")
        created = new_version(store, name, source=f"models:/{source_name}/2")
        assert store.get_model_version(name, created.version).source == f"models:/{source_name}/2"
        uri = store.get_model_version_download_uri(name, created.version)
        assert uri == location, f"the download URI is {uri!r}, not version 2's artifact location {location!r}"

    # MLflow 3.0.1 raised mlflow.utils.validation.MAX_MODEL_REGISTRY_TAG_VALUE_LENGTH from 5000 to 100000.
    @clause("model_registry_store/model-versions/tag-value-limit", since="3.0.1")
    def test_model_versions_tag_value_limit(self, model_registry_store):
        """A version tag value of exactly 100000 characters round-trips whole (a prompt's template is one);
        100001 characters raise INVALID_PARAMETER_VALUE and leave the tag as it was."""
        store = model_registry_store
        name = new_model(store)
        new_version(store, name)
        longest = "x" * 99_999 + "é"
        store.set_model_version_tag(name, "1", mv_tag("long", longest))
        assert tags_of(store.get_model_version(name, "1")).get("long") == longest, \
            "a 100000-character version tag value was cut"
        with raises_mlflow_error("INVALID_PARAMETER_VALUE",
                                 doing="setting a version tag with a 100001-character value"):
            store.set_model_version_tag(name, "1", mv_tag("long", "y" * 100_001))
        assert tags_of(store.get_model_version(name, "1")) == {"long": longest}
