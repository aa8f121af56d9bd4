"""Registered models: create, get, update, rename, delete, tags and name rules."""

from __future__ import annotations

from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ._helpers import (
    ALIAS_NOT_FOUND_CODES,
    mv_tag,
    new_model,
    new_version,
    not_none,
    rm_tag,
    tags_of,
    version_source,
    versions_of,
)


class RegisteredModelClauses:
    """Clauses of the ``model_registry_store/registered-models/*`` family."""

    @clause("model_registry_store/registered-models/create-and-get")
    def test_registered_models_create_and_get(self, model_registry_store):
        """create_registered_model stores the name, tags and description; get_registered_model returns them with
        creation and last-updated timestamps, no versions and no aliases."""
        store = model_registry_store
        name = unique_name("rm")
        created = not_none(store.create_registered_model(
            name, tags=[rm_tag("team", "conformance"), rm_tag("unicode", "ü ✓ 数据")], description="a model"),
            "create_registered_model")
        assert created.name == name
        model = not_none(store.get_registered_model(name), "get_registered_model")
        assert model.name == name
        assert model.description == "a model"
        assert tags_of(model) == {"team": "conformance", "unicode": "ü ✓ 数据"}
        assert isinstance(model.creation_timestamp, int) and model.creation_timestamp > 0, \
            f"creation_timestamp must be epoch milliseconds, got {model.creation_timestamp!r}"
        assert model.last_updated_timestamp is not None and model.last_updated_timestamp >= model.creation_timestamp
        assert not model.latest_versions, f"a new model has no versions, got {model.latest_versions}"
        assert not model.aliases, f"a new model has no aliases, got {model.aliases}"

    @clause("model_registry_store/registered-models/duplicate-name")
    def test_registered_models_duplicate_name(self, model_registry_store):
        """Creating a registered model whose name exists raises RESOURCE_ALREADY_EXISTS (mlflow.register_model
        catches exactly this code to add a version to an existing model) and keeps the existing one."""
        store = model_registry_store
        name = new_model(store, description="first")
        with raises_mlflow_error("RESOURCE_ALREADY_EXISTS", doing="creating a registered model whose name exists"):
            store.create_registered_model(name, description="second")
        assert store.get_registered_model(name).description == "first"

    @clause("model_registry_store/registered-models/empty-name")
    def test_registered_models_empty_name(self, model_registry_store):
        """An empty name raises INVALID_PARAMETER_VALUE, on create and on rename (the model keeps its name)."""
        store = model_registry_store
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="creating a registered model named ''"):
            store.create_registered_model("")
        name = new_model(store)
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="renaming a model to ''"):
            store.rename_registered_model(name, "")
        assert store.get_registered_model(name).name == name

    # MLflow 3.11 (mlflow.utils.validation._validate_model_name / _validate_model_renaming) added the rejection of
    # whitespace-only names and of '/' and ':'; before, only None and "" were refused.
    @clause("model_registry_store/registered-models/invalid-name", since="3.11")
    def test_registered_models_invalid_name(self, model_registry_store):
        """A blank name, or one containing '/' or ':', raises INVALID_PARAMETER_VALUE and stores nothing (such a
        name would break ``models:/<name>/<version>`` URIs)."""
        store = model_registry_store
        prefix = unique_name("bad")
        for bad in ("", "   ", f"{prefix}/x", f"{prefix}:x"):
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"creating a registered model named {bad!r}"):
                store.create_registered_model(bad)
        stored = store.search_registered_models(filter_string=f"name LIKE '{prefix}%'")
        assert not list(stored), f"rejected names were stored anyway: {[m.name for m in stored]}"

    @clause("model_registry_store/registered-models/get-unknown")
    def test_registered_models_get_unknown(self, model_registry_store):
        """get_registered_model of a name nobody created raises RESOURCE_DOES_NOT_EXIST (HTTP 404), not None."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown registered model"):
            result = model_registry_store.get_registered_model(unique_name("missing"))
            assert result is not None, "get_registered_model returned None for an unknown name instead of raising"

    @clause("model_registry_store/registered-models/unknown-name-operations")
    def test_registered_models_unknown_name_operations(self, model_registry_store):
        """Every operation on a registered model that does not exist raises RESOURCE_DOES_NOT_EXIST: update,
        rename, delete, tags, get_latest_versions, create_model_version, aliases."""
        store = model_registry_store
        name = unique_name("missing")
        operations = {
            "update_registered_model": lambda: store.update_registered_model(name, "d"),
            "rename_registered_model": lambda: store.rename_registered_model(name, unique_name("new")),
            "delete_registered_model": lambda: store.delete_registered_model(name),
            "set_registered_model_tag": lambda: store.set_registered_model_tag(name, rm_tag("k", "v")),
            "delete_registered_model_tag": lambda: store.delete_registered_model_tag(name, "k"),
            "get_latest_versions": lambda: store.get_latest_versions(name),
            "create_model_version": lambda: store.create_model_version(name, version_source("x")),
            "delete_registered_model_alias": lambda: store.delete_registered_model_alias(name, "champion"),
        }
        for what, operation in operations.items():
            with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing=f"calling {what} on an unknown model"):
                operation()

    @clause("model_registry_store/registered-models/update-description")
    def test_registered_models_update_description(self, model_registry_store):
        """update_registered_model replaces the description, returns the updated model and advances
        last_updated_timestamp (never backwards)."""
        store = model_registry_store
        name = new_model(store, description="before")
        before = store.get_registered_model(name)
        updated = not_none(store.update_registered_model(name, "after"), "update_registered_model")
        assert updated.description == "after"
        after = store.get_registered_model(name)
        assert after.description == "after"
        assert after.last_updated_timestamp >= before.last_updated_timestamp

    @clause("model_registry_store/registered-models/rename")
    def test_registered_models_rename(self, model_registry_store):
        """rename_registered_model moves the model, its tags, versions and aliases to the new name; the old name
        no longer exists."""
        store = model_registry_store
        old, new = unique_name("rm"), unique_name("renamed")
        store.create_registered_model(old, tags=[rm_tag("k", "v")])
        new_version(store, old)
        new_version(store, old)
        store.set_registered_model_alias(old, "champion", "2")
        renamed = not_none(store.rename_registered_model(old, new), "rename_registered_model")
        assert renamed.name == new
        model = store.get_registered_model(new)
        assert tags_of(model) == {"k": "v"}, "tags must follow the renamed model"
        assert {str(v) for v in model.aliases.values()} == {"2"} and "champion" in model.aliases
        for version in ("1", "2"):
            mv = store.get_model_version(new, version)
            assert mv.name == new, f"version {version} still names {mv.name!r} after the rename"
        assert sorted(versions_of(store.search_model_versions(f"name = '{new}'"))) == [(new, "1"), (new, "2")]
        assert str(store.get_model_version_by_alias(new, "champion").version) == "2"
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a model by its old name after a rename"):
            store.get_registered_model(old)
        assert not list(store.search_model_versions(f"name = '{old}'")), "versions are still found by the old name"

    @clause("model_registry_store/registered-models/rename-to-existing")
    def test_registered_models_rename_to_existing(self, model_registry_store):
        """Renaming onto a name that exists raises RESOURCE_ALREADY_EXISTS and changes neither model."""
        store = model_registry_store
        first, second = new_model(store, description="first"), new_model(store, description="second")
        new_version(store, first)
        with raises_mlflow_error("RESOURCE_ALREADY_EXISTS", doing="renaming a model onto an existing name"):
            store.rename_registered_model(first, second)
        assert store.get_registered_model(first).description == "first"
        assert store.get_registered_model(second).description == "second"
        assert versions_of(store.search_model_versions(f"name = '{first}'")) == [(first, "1")]
        assert not list(store.search_model_versions(f"name = '{second}'"))

    @clause("model_registry_store/registered-models/rename-invalid", since="3.11")
    def test_registered_models_rename_invalid(self, model_registry_store):
        """Renaming to a blank name or one containing '/' or ':' raises INVALID_PARAMETER_VALUE; the model
        keeps its name."""
        store = model_registry_store
        name = new_model(store)
        for bad in ("", f"{name}/x", f"{name}:x"):
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"renaming a model to {bad!r}"):
                store.rename_registered_model(name, bad)
        assert store.get_registered_model(name).name == name

    @clause("model_registry_store/registered-models/delete")
    def test_registered_models_delete(self, model_registry_store):
        """delete_registered_model removes the model with its versions, tags and aliases: nothing is found
        afterwards, and a new model of the same name starts again at version 1 with no tags or aliases."""
        store = model_registry_store
        name = unique_name("rm")
        store.create_registered_model(name, tags=[rm_tag("k", "v")])
        new_version(store, name, tags=[mv_tag("mk", "mv")])
        new_version(store, name)
        store.set_registered_model_alias(name, "champion", "1")
        store.delete_registered_model(name)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted registered model"):
            store.get_registered_model(name)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a version of a deleted model"):
            store.get_model_version(name, "1")
        assert not list(store.search_model_versions(f"name = '{name}'")), \
            "versions of a deleted model are still found by search_model_versions"
        assert not [m for m in store.search_registered_models(f"name = '{name}'")]
        store.create_registered_model(name)
        model = store.get_registered_model(name)
        assert not tags_of(model), f"a re-created model inherited the deleted model's tags {tags_of(model)}"
        assert not model.aliases, f"a re-created model inherited the deleted model's aliases {model.aliases}"
        assert str(new_version(store, name).version) == "1", "a re-created model starts again at version 1"
        with raises_mlflow_error(*ALIAS_NOT_FOUND_CODES, doing="resolving an alias of a deleted model"):
            store.get_model_version_by_alias(name, "champion")

    @clause("model_registry_store/registered-models/tags")
    def test_registered_models_tags(self, model_registry_store):
        """set_registered_model_tag adds or overwrites one tag; delete_registered_model_tag removes it and
        leaves the others; deleting a key that is not set is not an error."""
        store = model_registry_store
        name = new_model(store)
        store.set_registered_model_tag(name, rm_tag("a", "1"))
        store.set_registered_model_tag(name, rm_tag("b", "2"))
        store.set_registered_model_tag(name, rm_tag("a", "overwritten"))
        assert tags_of(store.get_registered_model(name)) == {"a": "overwritten", "b": "2"}
        store.delete_registered_model_tag(name, "a")
        assert tags_of(store.get_registered_model(name)) == {"b": "2"}
        store.delete_registered_model_tag(name, "never-set")
        assert tags_of(store.get_registered_model(name)) == {"b": "2"}

    @clause("model_registry_store/registered-models/tag-limits")
    def test_registered_models_tag_limits(self, model_registry_store):
        """A key of exactly 250 characters is accepted; an over-long key (251), an invalid key or an empty key
        raise INVALID_PARAMETER_VALUE and leave the tags as they were."""
        store = model_registry_store
        name = new_model(store)
        longest_key = "k" * 250
        store.set_registered_model_tag(name, rm_tag(longest_key, "v"))
        for key, value, what in (("k" * 251, "v", "a 251-character key"),
                                 ("../escape", "v", "the key '../escape'"),
                                 ("", "v", "an empty key")):
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"setting a tag with {what}"):
                store.set_registered_model_tag(name, rm_tag(key, value))
        assert tags_of(store.get_registered_model(name)) == {longest_key: "v"}

    # MLflow 3.0.1 raised mlflow.utils.validation.MAX_MODEL_REGISTRY_TAG_VALUE_LENGTH from 5000 to 100000.
    @clause("model_registry_store/registered-models/tag-value-limit", since="3.0.1")
    def test_registered_models_tag_value_limit(self, model_registry_store):
        """A tag value of exactly 100000 characters round-trips whole; 100001 characters raise
        INVALID_PARAMETER_VALUE and leave the tag as it was."""
        store = model_registry_store
        name = new_model(store)
        longest = "x" * 99_999 + "é"
        store.set_registered_model_tag(name, rm_tag("long", longest))
        assert tags_of(store.get_registered_model(name)).get("long") == longest, "a 100000-character value was cut"
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="setting a tag with a 100001-character value"):
            store.set_registered_model_tag(name, rm_tag("long", "y" * 100_001))
        assert tags_of(store.get_registered_model(name)) == {"long": longest}
