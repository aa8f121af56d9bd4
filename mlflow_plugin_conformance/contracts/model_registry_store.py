"""The model-registry-store contract (``mlflow.model_registry_store``).

Subclass :class:`ModelRegistryStoreContract` and provide a ``model_registry_store`` fixture returning the store
under test.  The clauses that go through MLflow's public API (``mlflow.register_model``, ``MlflowClient``) also
need the ``registry_uri`` fixture: the URI from which MLflow's registry builds your store.

Each clause names a behaviour of ``mlflow.store.model_registry.abstract_store.AbstractStore`` (and of MLflow's
reference registry ``SqlAlchemyStore``) that MLflow's client, REST server and ``models:/`` URIs rely on.
"""

from __future__ import annotations

import contextlib
import os
import threading
import warnings

import pytest

from ._support import error_code_of, raises_mlflow_error, unique_name
from .base import ContractBase, clause, required_fixture
from .server_route import ModelRegistryServerClauses
from .model_registry_store_properties import ModelRegistryStoreProperties, collect_pages, tags_of

_EXAMPLE = """    @pytest.fixture
    def model_registry_store(self, tmp_path):
        return MyRegistryStore(f"my-scheme://{tmp_path}")"""

_REGISTRY_URI_EXAMPLE = """    @pytest.fixture
    def registry_uri(self, tmp_path):
        return f"my-scheme://{tmp_path}"   # the URI MLflow's registry builds your store from"""

#: The 21 methods MLflow's registry ``AbstractStore`` declares abstract.  Its ``__metaclass__ = ABCMeta`` is
#: Python 2 syntax, so nothing enforces them: a store that forgets one instantiates fine and the inherited
#: method silently returns None.
CORE_METHODS = (
    "create_registered_model", "update_registered_model", "rename_registered_model", "delete_registered_model",
    "search_registered_models", "get_registered_model", "get_latest_versions", "set_registered_model_tag",
    "delete_registered_model_tag", "create_model_version", "update_model_version",
    "transition_model_version_stage", "delete_model_version", "get_model_version",
    "get_model_version_download_uri", "search_model_versions", "set_model_version_tag",
    "delete_model_version_tag", "set_registered_model_alias", "delete_registered_model_alias",
    "get_model_version_by_alias",
)

STAGES = ("None", "Staging", "Production", "Archived")
#: MLflow's registry answers "this alias does not exist" with INVALID_PARAMETER_VALUE; RESOURCE_DOES_NOT_EXIST
#: (what every other missing entity raises) is accepted too.
ALIAS_NOT_FOUND_CODES = ("INVALID_PARAMETER_VALUE", "RESOURCE_DOES_NOT_EXIST")
#: Every MlflowException error code except NOT_IMPLEMENTED: for errors MLflow itself raises without a code.
ANY_ERROR_CODE = ("INVALID_PARAMETER_VALUE", "BAD_REQUEST", "INVALID_STATE", "INTERNAL_ERROR",
                  "RESOURCE_DOES_NOT_EXIST", "RESOURCE_ALREADY_EXISTS")


_tags = tags_of


def _versions(paged) -> list[tuple[str, str]]:
    return [(mv.name, str(mv.version)) for mv in paged]


def _not_none(value, what: str):
    assert value is not None, f"{what} returned None: a method inherited from MLflow's AbstractStore, or a " \
                              f"store that forgets to return its result"
    return value


def _rm_tag(key, value):
    from mlflow.entities.model_registry import RegisteredModelTag

    return RegisteredModelTag(key, value)


def _mv_tag(key, value):
    from mlflow.entities.model_registry import ModelVersionTag

    return ModelVersionTag(key, value)


@contextlib.contextmanager
def mlflow_uris(registry_uri: str, tracking_uri: str):
    """Set MLflow's global registry and tracking URIs for the body, then restore exactly what was there."""
    import mlflow
    from mlflow.tracking._model_registry import utils as registry_utils
    from mlflow.tracking._tracking_service import utils as tracking_utils

    saved = (registry_utils._registry_uri, tracking_utils._tracking_uri,
             os.environ.get("MLFLOW_REGISTRY_URI"), os.environ.get("MLFLOW_TRACKING_URI"))
    try:
        mlflow.set_registry_uri(registry_uri)
        mlflow.set_tracking_uri(tracking_uri)
        yield
    finally:
        registry_utils._registry_uri, tracking_utils._tracking_uri = saved[0], saved[1]
        for name, value in (("MLFLOW_REGISTRY_URI", saved[2]), ("MLFLOW_TRACKING_URI", saved[3])):
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class ModelRegistryStoreContract(ModelRegistryStoreProperties, ModelRegistryServerClauses, ContractBase):
    """Contract clauses for a model registry store. Provide the ``model_registry_store`` fixture (and
    ``registry_uri`` for the public-API clauses)."""

    kind_key = "model_registry_store"
    target_fixture = "model_registry_store"

    model_registry_store = required_fixture("model_registry_store", "ModelRegistryStoreContract", _EXAMPLE)

    #: The bundled suite binds this fixture to the URI the target was built from (suite/_binding.py).
    uri_fixture = "registry_uri"

    @pytest.fixture
    def registry_uri(self, request):
        """The URI MLflow's registry builds the store under test from (the public-API clauses use it).

        The bundled suite binds it to the built target's URI; a subclass of the contract provides it.
        """
        pytest.fail(
            f"{type(self).__name__} subclasses ModelRegistryStoreContract but does not provide the "
            f"`registry_uri` fixture the public-API clauses need (mlflow.register_model and MlflowClient build "
            f"your store from it through MLflow's registry). Add to the class:\n\n{_REGISTRY_URI_EXAMPLE}\n\n"
            "or declare 'model_registry_store/public-api/*' unsupported.",
            pytrace=False,
        )

    @pytest.fixture
    def _registry_client_tracking_db(self, tmp_path_factory):
        """One SQLite tracking database per session (per xdist worker): MLflow's client migrates it on first use,
        which takes seconds."""
        return f"sqlite:///{(tmp_path_factory.getbasetemp() / 'registry-client-tracking.db').as_posix()}"

    @pytest.fixture
    def registry_tracking_uri(self, mlflow_target_context, _registry_client_tracking_db):
        """The tracking URI MLflow's client is given next to the registry URI: the one the registry store was
        built with when the suite built it, else a SQLite database."""
        return mlflow_target_context.get("tracking_uri") or _registry_client_tracking_db

    # -- helpers -----------------------------------------------------------------------------------------------

    @staticmethod
    def _new_model(store, prefix: str = "rm", **kwargs) -> str:
        name = unique_name(prefix)
        _not_none(store.create_registered_model(name, **kwargs), "create_registered_model")
        return name

    @staticmethod
    def _new_version(store, name: str, source: str | None = None, **kwargs):
        mv = store.create_model_version(name, source or f"file:///conformance/{name}/artifacts", **kwargs)
        return _not_none(mv, "create_model_version")

    # -- completeness ------------------------------------------------------------------------------------------

    @clause("model_registry_store/completeness/core-methods")
    def test_completeness_core_methods(self, model_registry_store):
        """The store implements every one of the 21 abstract methods of MLflow's registry AbstractStore.

        MLflow does not enforce them (Python 2 ``__metaclass__``), so a forgotten method is inherited from the
        base and silently returns None: ``get_registered_model`` would answer None, ``search_model_versions``
        None instead of a list, and MLflow's client fails far from the cause.
        """
        from mlflow.store.model_registry.abstract_store import AbstractStore

        cls = type(model_registry_store)
        missing = []
        for method in CORE_METHODS:
            impl = getattr(cls, method, None)
            if impl is None or impl is getattr(AbstractStore, method):
                missing.append(method)
        assert not missing, (
            f"{cls.__name__} does not implement {', '.join(missing)}: these are inherited from MLflow's registry "
            "AbstractStore, whose 'abstract' methods are not enforced and silently return None"
        )

    # -- registered models -------------------------------------------------------------------------------------

    @clause("model_registry_store/registered-models/create-and-get")
    def test_registered_models_create_and_get(self, model_registry_store):
        """create_registered_model stores the name, tags and description; get_registered_model returns them with
        creation and last-updated timestamps, no versions and no aliases."""
        store = model_registry_store
        name = unique_name("rm")
        created = _not_none(store.create_registered_model(
            name, tags=[_rm_tag("team", "conformance"), _rm_tag("unicode", "ü ✓ 数据")], description="a model"),
            "create_registered_model")
        assert created.name == name
        model = _not_none(store.get_registered_model(name), "get_registered_model")
        assert model.name == name
        assert model.description == "a model"
        assert _tags(model) == {"team": "conformance", "unicode": "ü ✓ 数据"}
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
        name = self._new_model(store, description="first")
        with raises_mlflow_error("RESOURCE_ALREADY_EXISTS", doing="creating a registered model whose name exists"):
            store.create_registered_model(name, description="second")
        assert store.get_registered_model(name).description == "first"

    @clause("model_registry_store/registered-models/empty-name")
    def test_registered_models_empty_name(self, model_registry_store):
        """An empty name raises INVALID_PARAMETER_VALUE, on create and on rename (the model keeps its name)."""
        store = model_registry_store
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="creating a registered model named ''"):
            store.create_registered_model("")
        name = self._new_model(store)
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
            "set_registered_model_tag": lambda: store.set_registered_model_tag(name, _rm_tag("k", "v")),
            "delete_registered_model_tag": lambda: store.delete_registered_model_tag(name, "k"),
            "get_latest_versions": lambda: store.get_latest_versions(name),
            "create_model_version": lambda: store.create_model_version(name, "file:///x"),
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
        name = self._new_model(store, description="before")
        before = store.get_registered_model(name)
        updated = _not_none(store.update_registered_model(name, "after"), "update_registered_model")
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
        store.create_registered_model(old, tags=[_rm_tag("k", "v")])
        self._new_version(store, old)
        self._new_version(store, old)
        store.set_registered_model_alias(old, "champion", "2")
        renamed = _not_none(store.rename_registered_model(old, new), "rename_registered_model")
        assert renamed.name == new
        model = store.get_registered_model(new)
        assert _tags(model) == {"k": "v"}, "tags must follow the renamed model"
        assert {str(v) for v in model.aliases.values()} == {"2"} and "champion" in model.aliases
        for version in ("1", "2"):
            mv = store.get_model_version(new, version)
            assert mv.name == new, f"version {version} still names {mv.name!r} after the rename"
        assert sorted(_versions(store.search_model_versions(f"name = '{new}'"))) == [(new, "1"), (new, "2")]
        assert str(store.get_model_version_by_alias(new, "champion").version) == "2"
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a model by its old name after a rename"):
            store.get_registered_model(old)
        assert not list(store.search_model_versions(f"name = '{old}'")), "versions are still found by the old name"

    @clause("model_registry_store/registered-models/rename-to-existing")
    def test_registered_models_rename_to_existing(self, model_registry_store):
        """Renaming onto a name that exists raises RESOURCE_ALREADY_EXISTS and changes neither model."""
        store = model_registry_store
        first, second = self._new_model(store, description="first"), self._new_model(store, description="second")
        self._new_version(store, first)
        with raises_mlflow_error("RESOURCE_ALREADY_EXISTS", doing="renaming a model onto an existing name"):
            store.rename_registered_model(first, second)
        assert store.get_registered_model(first).description == "first"
        assert store.get_registered_model(second).description == "second"
        assert _versions(store.search_model_versions(f"name = '{first}'")) == [(first, "1")]
        assert not list(store.search_model_versions(f"name = '{second}'"))

    @clause("model_registry_store/registered-models/rename-invalid", since="3.11")
    def test_registered_models_rename_invalid(self, model_registry_store):
        """Renaming to a blank name or one containing '/' or ':' raises INVALID_PARAMETER_VALUE; the model
        keeps its name."""
        store = model_registry_store
        name = self._new_model(store)
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
        store.create_registered_model(name, tags=[_rm_tag("k", "v")])
        self._new_version(store, name, tags=[_mv_tag("mk", "mv")])
        self._new_version(store, name)
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
        assert not _tags(model), f"a re-created model inherited the deleted model's tags {_tags(model)}"
        assert not model.aliases, f"a re-created model inherited the deleted model's aliases {model.aliases}"
        assert str(self._new_version(store, name).version) == "1", "a re-created model starts again at version 1"
        with raises_mlflow_error(*ALIAS_NOT_FOUND_CODES, doing="resolving an alias of a deleted model"):
            store.get_model_version_by_alias(name, "champion")

    @clause("model_registry_store/registered-models/tags")
    def test_registered_models_tags(self, model_registry_store):
        """set_registered_model_tag adds or overwrites one tag; delete_registered_model_tag removes it and
        leaves the others; deleting a key that is not set is not an error."""
        store = model_registry_store
        name = self._new_model(store)
        store.set_registered_model_tag(name, _rm_tag("a", "1"))
        store.set_registered_model_tag(name, _rm_tag("b", "2"))
        store.set_registered_model_tag(name, _rm_tag("a", "overwritten"))
        assert _tags(store.get_registered_model(name)) == {"a": "overwritten", "b": "2"}
        store.delete_registered_model_tag(name, "a")
        assert _tags(store.get_registered_model(name)) == {"b": "2"}
        store.delete_registered_model_tag(name, "never-set")
        assert _tags(store.get_registered_model(name)) == {"b": "2"}

    @clause("model_registry_store/registered-models/tag-limits")
    def test_registered_models_tag_limits(self, model_registry_store):
        """A key of exactly 250 characters is accepted; an over-long key (251), an invalid key or an empty key
        raise INVALID_PARAMETER_VALUE and leave the tags as they were."""
        store = model_registry_store
        name = self._new_model(store)
        longest_key = "k" * 250
        store.set_registered_model_tag(name, _rm_tag(longest_key, "v"))
        for key, value, what in (("k" * 251, "v", "a 251-character key"),
                                 ("../escape", "v", "the key '../escape'"),
                                 ("", "v", "an empty key")):
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"setting a tag with {what}"):
                store.set_registered_model_tag(name, _rm_tag(key, value))
        assert _tags(store.get_registered_model(name)) == {longest_key: "v"}

    # MLflow 3.0.1 raised mlflow.utils.validation.MAX_MODEL_REGISTRY_TAG_VALUE_LENGTH from 5000 to 100000.
    @clause("model_registry_store/registered-models/tag-value-limit", since="3.0.1")
    def test_registered_models_tag_value_limit(self, model_registry_store):
        """A tag value of exactly 100000 characters round-trips whole; 100001 characters raise
        INVALID_PARAMETER_VALUE and leave the tag as it was."""
        store = model_registry_store
        name = self._new_model(store)
        longest = "x" * 99_999 + "é"
        store.set_registered_model_tag(name, _rm_tag("long", longest))
        assert _tags(store.get_registered_model(name)).get("long") == longest, "a 100000-character value was cut"
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="setting a tag with a 100001-character value"):
            store.set_registered_model_tag(name, _rm_tag("long", "y" * 100_001))
        assert _tags(store.get_registered_model(name)) == {"long": longest}

    # -- model versions ----------------------------------------------------------------------------------------

    @clause("model_registry_store/model-versions/create-and-get")
    def test_model_versions_create_and_get(self, model_registry_store):
        """create_model_version stores source, run_id, tags and description; the version starts in stage
        'None' with status READY, and get_model_version returns the same."""
        store = model_registry_store
        name = self._new_model(store)
        source = f"file:///conformance/{name}/model"
        created = self._new_version(store, name, source=source, run_id="0123456789abcdef",
                                    tags=[_mv_tag("k", "v"), _mv_tag("unicode", "ü ✓")], description="first")
        assert created.name == name and str(created.version) == "1"
        mv = _not_none(store.get_model_version(name, "1"), "get_model_version")
        assert (mv.name, str(mv.version)) == (name, "1")
        assert mv.source == source
        assert mv.run_id == "0123456789abcdef"
        assert mv.description == "first"
        assert _tags(mv) == {"k": "v", "unicode": "ü ✓"}
        assert mv.current_stage == "None", f"a new version is in stage 'None', got {mv.current_stage!r}"
        assert mv.status == "READY", f"a new version of a store without async copy is READY, got {mv.status!r}"
        assert isinstance(mv.creation_timestamp, int) and mv.creation_timestamp > 0

    @clause("model_registry_store/model-versions/numbers-increment")
    def test_model_versions_numbers_increment(self, model_registry_store):
        """Version numbers start at 1 and increase by one per model, independently for each model; get accepts
        the version as a string or an int."""
        store = model_registry_store
        first, second = self._new_model(store), self._new_model(store)
        assert [str(self._new_version(store, first).version) for _ in range(3)] == ["1", "2", "3"]
        assert str(self._new_version(store, second).version) == "1", "numbering is per model, not global"
        assert str(store.get_model_version(first, 3).version) == "3"
        assert str(store.get_model_version(first, "2").version) == "2"

    @clause("model_registry_store/model-versions/numbers-not-reused")
    def test_model_versions_numbers_not_reused(self, model_registry_store):
        """A deleted version's number is never given to a new version (``models:/name/3`` must not silently
        point at different artifacts): after deleting the latest version 2, the next version is 3."""
        store = model_registry_store
        name = self._new_model(store)
        self._new_version(store, name)
        self._new_version(store, name)
        store.delete_model_version(name, "2")
        assert str(self._new_version(store, name).version) == "3"

    @clause("model_registry_store/model-versions/get-unknown")
    def test_model_versions_get_unknown(self, model_registry_store):
        """get_model_version of a version that does not exist raises RESOURCE_DOES_NOT_EXIST; so do update,
        delete, tags, stage transitions and the download URI."""
        store = model_registry_store
        name = self._new_model(store)
        self._new_version(store, name)
        operations = {
            "get_model_version": lambda: store.get_model_version(name, "7"),
            "update_model_version": lambda: store.update_model_version(name, "7", "d"),
            "delete_model_version": lambda: store.delete_model_version(name, "7"),
            "set_model_version_tag": lambda: store.set_model_version_tag(name, "7", _mv_tag("k", "v")),
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
        name = self._new_model(store)
        self._new_version(store, name, description="one")
        self._new_version(store, name, description="two")
        updated = _not_none(store.update_model_version(name, "1", "changed"), "update_model_version")
        assert updated.description == "changed"
        assert store.get_model_version(name, "1").description == "changed"
        assert store.get_model_version(name, "2").description == "two"

    @clause("model_registry_store/model-versions/delete")
    def test_model_versions_delete(self, model_registry_store):
        """delete_model_version removes that version only: get raises RESOURCE_DOES_NOT_EXIST, search and
        get_latest_versions no longer return it, the other versions are untouched."""
        store = model_registry_store
        name = self._new_model(store)
        for _ in range(3):
            self._new_version(store, name)
        store.transition_model_version_stage(name, "3", "Production", False)
        store.delete_model_version(name, "3")
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted model version"):
            store.get_model_version(name, "3")
        assert sorted(_versions(store.search_model_versions(f"name = '{name}'"))) == [(name, "1"), (name, "2")]
        latest = store.get_latest_versions(name, ["Production"])
        assert not list(latest), f"a deleted version is still the latest in Production: {_versions(latest)}"
        assert str(store.get_model_version(name, "2").version) == "2"
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="deleting a version twice"):
            store.delete_model_version(name, "3")

    @clause("model_registry_store/model-versions/tags")
    def test_model_versions_tags(self, model_registry_store):
        """set_model_version_tag adds or overwrites a tag of one version; delete_model_version_tag removes it;
        other versions' tags are untouched."""
        store = model_registry_store
        name = self._new_model(store)
        self._new_version(store, name, tags=[_mv_tag("shared", "v1")])
        self._new_version(store, name, tags=[_mv_tag("shared", "v2")])
        store.set_model_version_tag(name, "1", _mv_tag("a", "1"))
        store.set_model_version_tag(name, "1", _mv_tag("a", "overwritten"))
        assert _tags(store.get_model_version(name, "1")) == {"shared": "v1", "a": "overwritten"}
        store.delete_model_version_tag(name, "1", "shared")
        assert _tags(store.get_model_version(name, "1")) == {"a": "overwritten"}
        assert _tags(store.get_model_version(name, "2")) == {"shared": "v2"}, "a tag of another version changed"
        store.delete_model_version_tag(name, "1", "never-set")
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="setting a version tag with the key '../x'"):
            store.set_model_version_tag(name, "1", _mv_tag("../x", "v"))

    @clause("model_registry_store/model-versions/download-uri")
    def test_model_versions_download_uri(self, model_registry_store):
        """get_model_version_download_uri returns where the version's artifacts can be read: the source, for a
        store that does not copy artifacts (what ``models:/`` URIs resolve to)."""
        store = model_registry_store
        name = self._new_model(store)
        source = f"file:///conformance/{name}/model-one"
        self._new_version(store, name, source=source)
        self._new_version(store, name, source=f"file:///conformance/{name}/model-two")
        uri = _not_none(store.get_model_version_download_uri(name, "1"), "get_model_version_download_uri")
        assert uri == source, f"download URI {uri!r} is not the source {source!r} of version 1"

    @clause("model_registry_store/model-versions/stage-transitions")
    def test_model_versions_stage_transitions(self, model_registry_store):
        """transition_model_version_stage accepts stage names in any letter case and stores and returns the
        canonical name ('None', 'Staging', 'Production', 'Archived')."""
        store = model_registry_store
        name = self._new_model(store)
        self._new_version(store, name)
        for typed, canonical in (("staging", "Staging"), ("PRODUCTION", "Production"), ("aRcHiVeD", "Archived"),
                                 ("none", "None")):
            returned = _not_none(store.transition_model_version_stage(name, "1", typed, False),
                                 "transition_model_version_stage")
            assert returned.current_stage == canonical, f"{typed!r} returned stage {returned.current_stage!r}"
            stored = store.get_model_version(name, "1").current_stage
            assert stored == canonical, f"{typed!r} stored stage {stored!r}, expected {canonical!r}"

    @clause("model_registry_store/model-versions/stage-invalid")
    def test_model_versions_stage_invalid(self, model_registry_store):
        """An unknown stage name raises INVALID_PARAMETER_VALUE and leaves the stage as it was."""
        store = model_registry_store
        name = self._new_model(store)
        self._new_version(store, name)
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="transitioning to the stage 'Canary'"):
            store.transition_model_version_stage(name, "1", "Canary", False)
        assert store.get_model_version(name, "1").current_stage == "None"

    @clause("model_registry_store/model-versions/archive-existing-versions")
    def test_model_versions_archive_existing_versions(self, model_registry_store):
        """With archive_existing_versions=True, the other versions in the target stage move to 'Archived';
        with False they stay; versions in other stages are never touched."""
        store = model_registry_store
        name = self._new_model(store)
        for _ in range(4):
            self._new_version(store, name)
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
        name = self._new_model(store)
        self._new_version(store, name)
        self._new_version(store, name)
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
        name = self._new_model(store)
        for _ in range(5):
            self._new_version(store, name)
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

    # -- aliases -----------------------------------------------------------------------------------------------

    @clause("model_registry_store/aliases/set-and-get")
    def test_aliases_set_and_get(self, model_registry_store):
        """set_registered_model_alias points an alias at a version: get_model_version_by_alias returns that
        version, which lists the alias; the registered model maps the alias to the version."""
        store = model_registry_store
        name = self._new_model(store)
        self._new_version(store, name)
        self._new_version(store, name)
        store.set_registered_model_alias(name, "champion", "1")
        store.set_registered_model_alias(name, "challenger", 2)
        found = _not_none(store.get_model_version_by_alias(name, "champion"), "get_model_version_by_alias")
        assert str(found.version) == "1"
        assert "champion" in found.aliases
        assert "champion" in store.get_model_version(name, "1").aliases
        aliases = {alias: str(version) for alias, version in store.get_registered_model(name).aliases.items()}
        assert aliases == {"champion": "1", "challenger": "2"}

    @clause("model_registry_store/aliases/move")
    def test_aliases_move(self, model_registry_store):
        """Setting an existing alias to another version moves it: the alias resolves to the new version and the
        old version no longer lists it."""
        store = model_registry_store
        name = self._new_model(store)
        self._new_version(store, name)
        self._new_version(store, name)
        store.set_registered_model_alias(name, "champion", "1")
        store.set_registered_model_alias(name, "champion", "2")
        assert str(store.get_model_version_by_alias(name, "champion").version) == "2"
        assert "champion" not in store.get_model_version(name, "1").aliases
        assert {a: str(v) for a, v in store.get_registered_model(name).aliases.items()} == {"champion": "2"}

    @clause("model_registry_store/aliases/delete")
    def test_aliases_delete(self, model_registry_store):
        """delete_registered_model_alias removes the alias: resolving it raises (INVALID_PARAMETER_VALUE in
        MLflow, or RESOURCE_DOES_NOT_EXIST) and the version no longer lists it; other aliases stay."""
        store = model_registry_store
        name = self._new_model(store)
        self._new_version(store, name)
        store.set_registered_model_alias(name, "champion", "1")
        store.set_registered_model_alias(name, "keep", "1")
        store.delete_registered_model_alias(name, "champion")
        with raises_mlflow_error(*ALIAS_NOT_FOUND_CODES, doing="resolving a deleted alias"):
            result = store.get_model_version_by_alias(name, "champion")
            assert result is not None, "get_model_version_by_alias returned None for a deleted alias"
        assert store.get_model_version(name, "1").aliases == ["keep"]
        assert list(store.get_registered_model(name).aliases) == ["keep"]

    @clause("model_registry_store/aliases/reserved-and-invalid")
    def test_aliases_reserved_and_invalid(self, model_registry_store):
        """Reserved aliases ('latest' in any case, 'v<digits>') and invalid ones (empty, characters outside
        ``[\\w-]``, over 255 characters) raise INVALID_PARAMETER_VALUE and set nothing."""
        store = model_registry_store
        name = self._new_model(store)
        self._new_version(store, name)
        for bad in ("latest", "LATEST", "v1", "V12", "", "has space", "a/b", "a" * 256):
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"setting the alias {bad[:40]!r}"):
                store.set_registered_model_alias(name, bad, "1")
        assert not store.get_registered_model(name).aliases

    @clause("model_registry_store/aliases/unknown-version")
    def test_aliases_unknown_version(self, model_registry_store):
        """Pointing an alias at a version that does not exist raises RESOURCE_DOES_NOT_EXIST and sets nothing."""
        store = model_registry_store
        name = self._new_model(store)
        self._new_version(store, name)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="setting an alias to an unknown version"):
            store.set_registered_model_alias(name, "champion", "9")
        assert not store.get_registered_model(name).aliases

    @clause("model_registry_store/aliases/deleting-version-removes-aliases")
    def test_aliases_deleting_version_removes_aliases(self, model_registry_store):
        """Deleting a version removes the aliases that point at it (and only those)."""
        store = model_registry_store
        name = self._new_model(store)
        self._new_version(store, name)
        self._new_version(store, name)
        store.set_registered_model_alias(name, "champion", "1")
        store.set_registered_model_alias(name, "challenger", "2")
        store.delete_model_version(name, "1")
        with raises_mlflow_error(*ALIAS_NOT_FOUND_CODES, doing="resolving an alias of a deleted version"):
            store.get_model_version_by_alias(name, "champion")
        assert {a: str(v) for a, v in store.get_registered_model(name).aliases.items()} == {"challenger": "2"}

    # MLflow 3.3: SqlAlchemyStore.get_model_version_by_alias resolves the reserved alias 'latest'.
    @clause("model_registry_store/aliases/latest", level="full", since="3.3")
    def test_aliases_latest(self, model_registry_store):
        """get_model_version_by_alias(name, 'latest') returns the highest live version, whatever its stage
        (``models:/name@latest``)."""
        store = model_registry_store
        name = self._new_model(store)
        for _ in range(3):
            self._new_version(store, name)
        store.transition_model_version_stage(name, "2", "Production", False)
        assert str(store.get_model_version_by_alias(name, "latest").version) == "3"
        store.delete_model_version(name, "3")
        assert str(store.get_model_version_by_alias(name, "latest").version) == "2"

    # -- search registered models ------------------------------------------------------------------------------

    def _search_fixture(self, store):
        """Models ``<p>-a-1``, ``<p>-a-2``, ``<p>-b-1`` (tags) with versions; returns the prefix and the names."""
        prefix = unique_name("search")
        names = {}
        for suffix, tags in (("a-1", {"team": "red", "env": "prod"}), ("a-2", {"team": "blue", "env": "prod"}),
                             ("b-1", {"team": "red", "env": "dev"})):
            name = f"{prefix}-{suffix}"
            store.create_registered_model(name, tags=[_rm_tag(k, v) for k, v in tags.items()])
            names[suffix] = name
        return prefix, names

    @clause("model_registry_store/search-registered-models/filter")
    def test_search_registered_models_filter(self, model_registry_store):
        """search_registered_models filters on name (=, !=, LIKE, ILIKE) and tags (=, !=, LIKE), clauses joined
        by AND."""
        store = model_registry_store
        prefix, n = self._search_fixture(store)

        def found(filter_string):
            return sorted(m.name for m in store.search_registered_models(filter_string=filter_string))

        scope = f"name LIKE '{prefix}-%'"
        assert found(f"name = '{n['a-1']}'") == [n["a-1"]]
        assert found(f"name LIKE '{prefix}-a-%'") == [n["a-1"], n["a-2"]]
        assert found(f"name ILIKE '{prefix.upper()}-A-%'") == [n["a-1"], n["a-2"]], "ILIKE ignores letter case"
        assert found(f"name LIKE '{prefix.upper()}-A-%'") == [], "LIKE is case-sensitive"
        assert found(f"{scope} AND name != '{n['a-1']}'") == [n["a-2"], n["b-1"]]
        assert found(f"{scope} AND tags.team = 'red'") == [n["a-1"], n["b-1"]]
        assert found(f"{scope} AND tags.team = 'red' AND tags.env = 'prod'") == [n["a-1"]]
        assert found(f"{scope} AND tags.env LIKE 'pr%'") == [n["a-1"], n["a-2"]]
        assert found(f"{scope} AND tags.team != 'red'") == [n["a-2"]]

    # MLflow 3.17: SearchModelUtils.LIST_SUPPORTED_KEYS = {"name"}; before, only run_id took a list.
    @clause("model_registry_store/search-registered-models/filter-name-in", since="3.17")
    def test_search_registered_models_filter_name_in(self, model_registry_store):
        """search_registered_models filters on ``name IN (...)``, alone and joined by AND with other clauses."""
        store = model_registry_store
        prefix, n = self._search_fixture(store)

        def found(filter_string):
            return sorted(m.name for m in store.search_registered_models(filter_string=filter_string))

        assert found(f"name IN ('{n['a-1']}', '{n['b-1']}')") == [n["a-1"], n["b-1"]]
        assert found(f"name IN ('{n['a-1']}', '{n['b-1']}') AND tags.env = 'prod'") == [n["a-1"]]
        assert found(f"name IN ('{prefix}-missing')") == []

    @clause("model_registry_store/search-registered-models/order-by")
    def test_search_registered_models_order_by(self, model_registry_store):
        """Results are ordered by name ascending by default; order_by accepts 'name DESC' and
        'last_updated_timestamp' (ties broken by name)."""
        store = model_registry_store
        prefix, n = self._search_fixture(store)
        scope = f"name LIKE '{prefix}-%'"
        default = [m.name for m in store.search_registered_models(scope)]
        assert default == sorted(n.values()), f"default order must be name ASC, got {default}"
        desc = [m.name for m in store.search_registered_models(scope, order_by=["name DESC"])]
        assert desc == sorted(n.values(), reverse=True)
        store.update_registered_model(n["a-1"], "touched last")
        by_time = store.search_registered_models(scope, order_by=["last_updated_timestamp DESC"])
        stamps = [m.last_updated_timestamp for m in by_time]
        assert stamps == sorted(stamps, reverse=True), f"not ordered by last_updated_timestamp DESC: {stamps}"
        assert by_time[0].name == n["a-1"]

    @clause("model_registry_store/search-registered-models/pagination")
    def test_search_registered_models_pagination(self, model_registry_store):
        """Paging with max_results and page_token returns every match exactly once, in order, and the last page
        has no token."""
        store = model_registry_store
        prefix = unique_name("page")
        names = [f"{prefix}-{i:02d}" for i in range(7)]
        for name in names:
            store.create_registered_model(name)
        for size in (1, 3, 7, 8):
            got = [m.name for m in collect_pages(store.search_registered_models, size,
                                                 filter_string=f"name LIKE '{prefix}-%'")]
            assert got == names, f"pages of {size} returned {got}"

    @clause("model_registry_store/search-registered-models/bounds-and-errors")
    def test_search_registered_models_bounds_and_errors(self, model_registry_store):
        """max_results above 1000, a page token the store did not issue, an unknown attribute or malformed
        filter, and an unknown order_by key raise INVALID_PARAMETER_VALUE."""
        store = model_registry_store
        cases = {
            "max_results=1001": lambda: store.search_registered_models(max_results=1001),
            "a bad page token": lambda: store.search_registered_models(page_token="not-a-token"),
            "an unknown attribute": lambda: store.search_registered_models("attributes.color = 'red'"),
            "a malformed filter": lambda: store.search_registered_models("name = "),
            "an unknown order_by key": lambda: store.search_registered_models(order_by=["color ASC"]),
        }
        for what, call in cases.items():
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"searching registered models with {what}"):
                call()

    # -- search model versions ---------------------------------------------------------------------------------

    @clause("model_registry_store/search-model-versions/filter")
    def test_search_model_versions_filter(self, model_registry_store):
        """search_model_versions filters on name (=, LIKE, ILIKE), version_number (numeric comparisons),
        run_id (=, IN), source_path and tags; deleted versions are never returned."""
        store = model_registry_store
        prefix = unique_name("mvsearch")
        first, second = f"{prefix}-one", f"{prefix}-two"
        for name in (first, second):
            store.create_registered_model(name)
        self._new_version(store, first, source="file:///s/1", run_id="run-a", tags=[_mv_tag("env", "prod")])
        self._new_version(store, first, source="file:///s/2", run_id="run-b", tags=[_mv_tag("env", "dev")])
        self._new_version(store, first, source="file:///s/3", run_id="run-c")
        self._new_version(store, second, source="file:///s/4", run_id="run-a", tags=[_mv_tag("env", "prod")])
        store.delete_model_version(first, "3")

        def found(filter_string):
            return sorted(_versions(store.search_model_versions(filter_string)))

        scope = f"name LIKE '{prefix}-%'"
        assert found(f"name = '{first}'") == [(first, "1"), (first, "2")], "a deleted version was returned"
        assert found(f"name ILIKE '{prefix.upper()}-T%'") == [(second, "1")]
        assert found(f"{scope} AND version_number = 1") == [(first, "1"), (second, "1")]
        assert found(f"{scope} AND version_number >= 2") == [(first, "2")]
        assert found(f"{scope} AND version_number < 2") == [(first, "1"), (second, "1")]
        assert found(f"{scope} AND run_id = 'run-a'") == [(first, "1"), (second, "1")]
        assert found(f"{scope} AND run_id IN ('run-b', 'run-c')") == [(first, "2")]
        assert found(f"{scope} AND source_path = 'file:///s/2'") == [(first, "2")]
        assert found(f"{scope} AND tags.env = 'prod'") == [(first, "1"), (second, "1")]
        assert found(f"{scope} AND tags.env LIKE 'd%'") == [(first, "2")]

    # MLflow 3.17: SearchModelVersionUtils.LIST_SUPPORTED_KEYS = {"name", "run_id"}; before, only run_id.
    @clause("model_registry_store/search-model-versions/filter-name-in", since="3.17")
    def test_search_model_versions_filter_name_in(self, model_registry_store):
        """search_model_versions filters on ``name IN (...)``; deleted versions are never returned."""
        store = model_registry_store
        prefix = unique_name("mvsearch-in")
        first, second, third = f"{prefix}-one", f"{prefix}-two", f"{prefix}-three"
        for name in (first, second, third):
            store.create_registered_model(name)
            self._new_version(store, name)
        self._new_version(store, first)
        store.delete_model_version(first, "2")
        got = sorted(_versions(store.search_model_versions(f"name IN ('{first}', '{second}')")))
        assert got == [(first, "1"), (second, "1")]
        got = sorted(_versions(store.search_model_versions(f"name IN ('{first}', '{third}') AND version_number = 1")))
        assert got == [(first, "1"), (third, "1")]

    @clause("model_registry_store/search-model-versions/order-by")
    def test_search_model_versions_order_by(self, model_registry_store):
        """order_by accepts name, version_number, creation_timestamp and last_updated_timestamp with ASC/DESC;
        version_number orders numerically (10 after 9)."""
        store = model_registry_store
        name = self._new_model(store)
        for _ in range(11):
            self._new_version(store, name)
        asc = [int(mv.version) for mv in store.search_model_versions(f"name = '{name}'",
                                                                      order_by=["version_number ASC"])]
        assert asc == list(range(1, 12)), f"version_number ASC gave {asc}"
        desc = [int(mv.version) for mv in store.search_model_versions(f"name = '{name}'",
                                                                       order_by=["version_number DESC"])]
        assert desc == list(range(11, 0, -1)), f"version_number DESC gave {desc}"
        created = [mv.creation_timestamp for mv in store.search_model_versions(
            f"name = '{name}'", order_by=["creation_timestamp ASC"])]
        assert created == sorted(created)

    @clause("model_registry_store/search-model-versions/pagination")
    def test_search_model_versions_pagination(self, model_registry_store):
        """Paging search_model_versions returns every match exactly once, in order, and ends with no token."""
        store = model_registry_store
        name = self._new_model(store)
        for _ in range(7):
            self._new_version(store, name)
        expected = [(name, str(v)) for v in range(1, 8)]
        for size in (1, 2, 7, 10):
            got = _versions(collect_pages(store.search_model_versions, size, filter_string=f"name = '{name}'",
                                          order_by=["version_number ASC"]))
            assert got == expected, f"pages of {size} returned {got}"

    @clause("model_registry_store/search-model-versions/bounds-and-errors")
    def test_search_model_versions_bounds_and_errors(self, model_registry_store):
        """max_results below 1 or above 200000, a bad page token, an unknown attribute and an unknown order_by
        key raise INVALID_PARAMETER_VALUE."""
        store = model_registry_store
        cases = {
            "max_results=0": lambda: store.search_model_versions(max_results=0),
            "max_results=200001": lambda: store.search_model_versions(max_results=200_001),
            "a bad page token": lambda: store.search_model_versions(page_token="not-a-token"),
            "an unknown attribute": lambda: store.search_model_versions("color = 'red'"),
            "an unknown order_by key": lambda: store.search_model_versions(order_by=["color ASC"]),
        }
        for what, call in cases.items():
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"searching model versions with {what}"):
                call()

    # MLflow 3.17: SqlAlchemyStore._get_search_model_versions_filter_clauses converts numeric attribute values
    # with int() and raises INVALID_PARAMETER_VALUE ("Invalid value for numeric attribute").
    @clause("model_registry_store/search-model-versions/non-integer-version-number", since="3.17")
    def test_search_model_versions_non_integer_version_number(self, model_registry_store):
        """A version_number compared with a non-integer value raises INVALID_PARAMETER_VALUE."""
        store = model_registry_store
        for value in ("'abc'", "'1.5'"):
            with raises_mlflow_error("INVALID_PARAMETER_VALUE",
                                     doing=f"searching model versions with version_number = {value}"):
                store.search_model_versions(f"version_number = {value}")

    # -- optional families -------------------------------------------------------------------------------------

    # MLflow 3.1: the prompt methods (create_prompt, create_prompt_version, ...) on the registry AbstractStore.
    @clause("model_registry_store/prompts/lifecycle", level="full", feature="model_registry_store.prompts",
            since="3.1")
    def test_prompts_lifecycle(self, model_registry_store):
        """Prompts: create_prompt, create_prompt_version (numbered from 1), get_prompt_version, aliases and
        search_prompts work, and prompts never appear in search_registered_models."""
        from mlflow.exceptions import MlflowException
        from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE

        store = model_registry_store
        name = unique_name("prompt")
        prompt = _not_none(store.create_prompt(name, description="a prompt", tags={"team": "x"}), "create_prompt")
        assert prompt.name == name
        v1 = _not_none(store.create_prompt_version(name, "Hello {{name}}"), "create_prompt_version")
        v2 = store.create_prompt_version(name, "Hi {{name}}!")
        assert (str(v1.version), str(v2.version)) == ("1", "2")
        got = _not_none(store.get_prompt_version(name, "1"), "get_prompt_version")
        assert got.template == "Hello {{name}}"
        store.set_prompt_alias(name, "production", "2")
        assert store.get_prompt_version_by_alias(name, "production").template == "Hi {{name}}!"
        found = [p.name for p in collect_pages(store.search_prompts, 50, filter_string=f"name = '{name}'")]
        assert found == [name], f"search_prompts did not find the prompt: {found}"
        models = [m.name for m in store.search_registered_models(f"name = '{name}'")]
        assert models == [], "a prompt appeared in search_registered_models"
        store.delete_prompt_alias(name, "production")
        with raises_mlflow_error(*ALIAS_NOT_FOUND_CODES, doing="resolving a deleted prompt alias"):
            gone = store.get_prompt_version_by_alias(name, "production")
            if gone is None:  # the AbstractStore's documented "not found" answer
                raise MlflowException("alias not found", INVALID_PARAMETER_VALUE)
            pytest.fail(f"a deleted prompt alias still resolves to version {gone.version}", pytrace=False)

    @clause("model_registry_store/webhooks/lifecycle", level="full", feature="model_registry_store.webhooks",
            since="3.3")
    def test_webhooks_lifecycle(self, model_registry_store, monkeypatch):
        """Webhooks: create_webhook, get_webhook, list_webhooks, update_webhook and delete_webhook; a deleted or
        unknown webhook id raises RESOURCE_DOES_NOT_EXIST.

        The URL is a loopback address (never called), allowed through MLflow's MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS,
        so no name is resolved over the network.
        """
        from mlflow.entities.webhook import WebhookAction, WebhookEntity, WebhookEvent

        monkeypatch.setenv("MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS", "true")
        url = "https://127.0.0.1:9/conformance-hook"
        store = model_registry_store
        event = WebhookEvent(WebhookEntity.MODEL_VERSION, WebhookAction.CREATED)
        name = unique_name("hook")
        hook = _not_none(store.create_webhook(name, url, [event], description="d"),
                         "create_webhook")
        got = store.get_webhook(hook.webhook_id)
        assert (got.name, got.url, got.description) == (name, url, "d")
        listed = [w.webhook_id for w in collect_pages(store.list_webhooks, 100)]
        assert hook.webhook_id in listed
        store.update_webhook(hook.webhook_id, description="changed")
        assert store.get_webhook(hook.webhook_id).description == "changed"
        store.delete_webhook(hook.webhook_id)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted webhook"):
            store.get_webhook(hook.webhook_id)

    # -- concurrency -------------------------------------------------------------------------------------------

    @staticmethod
    def _race(count: int, call) -> list:
        """Run ``call()`` in ``count`` threads released together; each result or exception, in no order."""
        barrier = threading.Barrier(count)
        outcomes = []

        def worker():
            barrier.wait()
            try:
                outcomes.append(call())
            except Exception as exc:  # the outcome is the data
                outcomes.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        return outcomes

    @clause("model_registry_store/concurrency/racing-creators")
    def test_concurrency_racing_creators(self, model_registry_store):
        """Six threads creating the same registered model at once: exactly one succeeds, the others get
        RESOURCE_ALREADY_EXISTS (the MLflow server serves requests in parallel)."""
        name = unique_name("race")
        outcomes = self._race(6, lambda: model_registry_store.create_registered_model(name))
        won = [o for o in outcomes if not isinstance(o, Exception)]
        lost = [error_code_of(o) or f"{type(o).__name__}: {o}" for o in outcomes if isinstance(o, Exception)]
        assert len(won) == 1, f"{len(won)} of 6 racing creators succeeded (others: {lost})"
        assert lost == ["RESOURCE_ALREADY_EXISTS"] * 5, f"the losers must get RESOURCE_ALREADY_EXISTS, got {lost}"

    @clause("model_registry_store/concurrency/racing-versions")
    def test_concurrency_racing_versions(self, model_registry_store):
        """Four threads adding a version to one model at once all succeed, with the distinct numbers 1 to 4."""
        store = model_registry_store
        name = self._new_model(store)
        outcomes = self._race(4, lambda: store.create_model_version(name, "file:///race"))
        errors = [f"{type(o).__name__}: {o}" for o in outcomes if isinstance(o, Exception)]
        assert not errors, f"concurrent create_model_version failed: {errors}"
        numbers = sorted(int(mv.version) for mv in outcomes)
        assert numbers == [1, 2, 3, 4], f"racing versions got the numbers {numbers}"
        stored = sorted(int(v) for _, v in _versions(store.search_model_versions(f"name = '{name}'")))
        assert stored == [1, 2, 3, 4], f"the store holds versions {stored}"

    # -- MLflow's public API -----------------------------------------------------------------------------------

    @clause("model_registry_store/public-api/register-model")
    def test_public_api_register_model(self, model_registry_store, registry_uri, registry_tracking_uri, tmp_path):
        """``mlflow.register_model`` with the registry URI set to the plugin's creates the model and version 1;
        registering again adds version 2 (it relies on RESOURCE_ALREADY_EXISTS for the existing model)."""
        import mlflow
        from mlflow.exceptions import MlflowException

        model_dir = tmp_path / "model"
        model_dir.mkdir()
        (model_dir / "weights.txt").write_text("conformance")
        name = unique_name("registered")
        with mlflow_uris(registry_uri, registry_tracking_uri):
            first = mlflow.register_model(model_dir.as_uri(), name, await_registration_for=0)
            second = mlflow.register_model(model_dir.as_uri(), name, await_registration_for=0, tags={"k": "v"})
        assert (first.name, str(first.version)) == (name, "1")
        assert (second.name, str(second.version)) == (name, "2")
        try:
            stored = model_registry_store.get_model_version(name, "2")
        except MlflowException as exc:
            pytest.fail(f"version 2 that mlflow.register_model created through {registry_uri!r} is not in the "
                        f"store under test ({exc.error_code}): stores built from the same URI must share their "
                        "data (MLflow's client builds its own)", pytrace=False)
        assert _tags(stored) == {"k": "v"}, "the tags given to mlflow.register_model were not stored"

    @clause("model_registry_store/public-api/register-model-from-run")
    def test_public_api_register_model_from_run(self, model_registry_store, registry_uri, registry_tracking_uri,
                                                tmp_path):
        """``mlflow.register_model("runs:/<run_id>/model", name)`` stores the run id and the run's artifact
        location as the source; ``models:/name/1`` downloads the run's model files."""
        import mlflow
        from mlflow import MlflowClient

        model_dir = tmp_path / "model"
        model_dir.mkdir()
        (model_dir / "MLmodel").write_text("artifact_path: model\nflavors: {}\n")
        (model_dir / "weights.txt").write_text("conformance")
        client = MlflowClient(tracking_uri=registry_tracking_uri, registry_uri=registry_uri)
        experiment_id = client.create_experiment(unique_name("registry-runs"),
                                                 artifact_location=(tmp_path / "artifacts").as_uri())
        run_id = client.create_run(experiment_id).info.run_id
        client.log_artifacts(run_id, str(model_dir), "model")
        client.set_terminated(run_id)
        name = unique_name("from-run")
        with mlflow_uris(registry_uri, registry_tracking_uri):
            mv = mlflow.register_model(f"runs:/{run_id}/model", name, await_registration_for=0)
            local = mlflow.artifacts.download_artifacts(f"models:/{name}/1", dst_path=str(tmp_path / "dl"))
        stored = model_registry_store.get_model_version(name, str(mv.version))
        assert stored.run_id == run_id, f"run_id {stored.run_id!r} stored, expected {run_id!r}"
        assert stored.source and stored.source.rstrip("/").endswith("model"), \
            f"the source {stored.source!r} is not the run's model artifact location"
        assert {"MLmodel", "weights.txt"} <= set(os.listdir(local)), \
            f"models:/{name}/1 downloaded {sorted(os.listdir(local))}"

    @clause("model_registry_store/public-api/client-registry-calls")
    def test_public_api_client_registry_calls(self, registry_uri, registry_tracking_uri, tmp_path):
        """``MlflowClient(registry_uri=...)`` drives the store end to end: create model and version, alias,
        stage, search, update, rename, download of ``models:/name@alias``, delete."""
        import mlflow
        from mlflow import MlflowClient

        model_dir = tmp_path / "model"
        model_dir.mkdir()
        (model_dir / "weights.txt").write_text("conformance")
        name, new_name = unique_name("client"), unique_name("client-renamed")
        client = MlflowClient(tracking_uri=registry_tracking_uri, registry_uri=registry_uri)
        client.create_registered_model(name, tags={"team": "x"}, description="via client")
        mv = client.create_model_version(name, model_dir.as_uri(), run_id=None, tags={"k": "v"})
        assert str(mv.version) == "1"
        client.set_registered_model_alias(name, "champion", "1")
        assert str(client.get_model_version_by_alias(name, "champion").version) == "1"
        with warnings.catch_warnings():  # stages are deprecated in the client, still served by every store
            warnings.simplefilter("ignore", FutureWarning)
            client.transition_model_version_stage(name, "1", "staging")
            latest = client.get_latest_versions(name, stages=["Staging"])
        assert client.get_model_version(name, "1").current_stage == "Staging"
        assert [str(v.version) for v in latest] == ["1"]
        assert [m.name for m in client.search_registered_models(f"name = '{name}'")] == [name]
        assert _versions(client.search_model_versions(f"name = '{name}'")) == [(name, "1")]
        client.update_registered_model(name, description="changed")
        assert client.get_registered_model(name).description == "changed"
        assert client.get_model_version_download_uri(name, "1") == model_dir.as_uri()
        with mlflow_uris(registry_uri, registry_tracking_uri):
            local = mlflow.artifacts.download_artifacts(f"models:/{name}@champion", dst_path=str(tmp_path / "dl"))
        assert (tmp_path / "dl").exists() and "weights.txt" in os.listdir(local), \
            f"models:/{name}@champion did not download the version's artifacts"
        client.rename_registered_model(name, new_name)
        assert str(client.get_model_version_by_alias(new_name, "champion").version) == "1"
        client.delete_registered_model(new_name)
        try:
            client.get_registered_model(new_name)
        except mlflow.exceptions.MlflowException as exc:
            assert error_code_of(exc) == "RESOURCE_DOES_NOT_EXIST", exc.error_code
        else:
            pytest.fail("the deleted model is still returned through MlflowClient", pytrace=False)

