"""Aliases: set, move, resolve, delete, reserved names, and what deleting a version does to them."""

from __future__ import annotations

from .._support import raises_mlflow_error
from ..base import clause
from ._helpers import ALIAS_NOT_FOUND_CODES, new_model, new_version, not_none


class AliasClauses:
    """Clauses of the ``model_registry_store/aliases/*`` family."""

    @clause("model_registry_store/aliases/set-and-get")
    def test_aliases_set_and_get(self, model_registry_store):
        """set_registered_model_alias points an alias at a version: get_model_version_by_alias returns that
        version, which lists the alias; the registered model maps the alias to the version."""
        store = model_registry_store
        name = new_model(store)
        new_version(store, name)
        new_version(store, name)
        store.set_registered_model_alias(name, "champion", "1")
        store.set_registered_model_alias(name, "challenger", 2)
        found = not_none(store.get_model_version_by_alias(name, "champion"), "get_model_version_by_alias")
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
        name = new_model(store)
        new_version(store, name)
        new_version(store, name)
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
        name = new_model(store)
        new_version(store, name)
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
        name = new_model(store)
        new_version(store, name)
        for bad in ("latest", "LATEST", "v1", "V12", "", "has space", "a/b", "a" * 256):
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"setting the alias {bad[:40]!r}"):
                store.set_registered_model_alias(name, bad, "1")
        assert not store.get_registered_model(name).aliases

    @clause("model_registry_store/aliases/unknown-version")
    def test_aliases_unknown_version(self, model_registry_store):
        """Pointing an alias at a version that does not exist raises RESOURCE_DOES_NOT_EXIST and sets nothing."""
        store = model_registry_store
        name = new_model(store)
        new_version(store, name)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="setting an alias to an unknown version"):
            store.set_registered_model_alias(name, "champion", "9")
        assert not store.get_registered_model(name).aliases

    @clause("model_registry_store/aliases/deleting-version-removes-aliases")
    def test_aliases_deleting_version_removes_aliases(self, model_registry_store):
        """Deleting a version removes the aliases that point at it (and only those)."""
        store = model_registry_store
        name = new_model(store)
        new_version(store, name)
        new_version(store, name)
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
        name = new_model(store)
        for _ in range(3):
            new_version(store, name)
        store.transition_model_version_stage(name, "2", "Production", False)
        assert str(store.get_model_version_by_alias(name, "latest").version) == "3"
        store.delete_model_version(name, "3")
        assert str(store.get_model_version_by_alias(name, "latest").version) == "2"
