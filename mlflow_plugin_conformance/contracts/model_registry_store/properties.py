"""Hypothesis properties of the model-registry store: round trips of arbitrary valid names, tags, descriptions,
sources and aliases; invalid names and reserved aliases rejected with nothing stored."""

from __future__ import annotations

import contextlib
import uuid

from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ._helpers import hypothesis_settings, tags_of, version_source


class PropertyClauses:
    """Clauses of the ``model_registry_store/properties/*`` family."""

    @clause("model_registry_store/properties/registered-model-round-trip")
    def test_properties_registered_model_round_trip(self, model_registry_store):
        """Any valid name (unicode, spaces, punctuation other than '/' and ':'), tags and description stored with
        create_registered_model come back unchanged from get_registered_model and from a search by name."""
        from hypothesis import example, given

        from mlflow.entities.model_registry import RegisteredModelTag

        from ...strategies import registered_model_names, registry_descriptions, registry_tags

        store = model_registry_store

        @given(name=registered_model_names(), tags=registry_tags(), description=registry_descriptions())
        @example(name=" padded name\t", tags={"a/b c:d": ""}, description="")
        @example(name="模型 ü.v1 (copy) %_'", tags={"k": "ü ✓ \n"}, description="multi\nline")
        @hypothesis_settings(self)
        def round_trip(name, tags, description):
            full = f"{name}-{uuid.uuid4().hex[:8]}"
            store.create_registered_model(full, tags=[RegisteredModelTag(k, v) for k, v in tags.items()],
                                          description=description)
            model = store.get_registered_model(full)
            assert model is not None, "get_registered_model returned None"
            assert model.name == full
            assert tags_of(model) == tags
            assert (model.description or None) == (description or None), \
                f"description {description!r} came back as {model.description!r}"
            if "'" not in full and "\\" not in full:
                found = [m.name for m in store.search_registered_models(f"name = '{full}'")]
                assert found == [full], f"search by name found {found}"

        round_trip()

    @clause("model_registry_store/properties/model-version-round-trip")
    def test_properties_model_version_round_trip(self, model_registry_store):
        """Any valid version tags, description, source and run id stored with create_model_version come back
        unchanged from get_model_version; the download URI is the source."""
        from hypothesis import given
        from hypothesis import strategies as st

        from mlflow.entities.model_registry import ModelVersionTag

        from ...strategies import registry_descriptions, registry_tag_values, registry_tags

        store = model_registry_store
        name = unique_name("mv-round-trip")
        store.create_registered_model(name)

        @given(tags=registry_tags(), description=registry_descriptions(),
               path=registry_tag_values(max_size=60), run_id=st.one_of(st.none(), st.from_regex(r"[a-f0-9]{32}",
                                                                                            fullmatch=True)))
        @hypothesis_settings(self)
        def round_trip(tags, description, path, run_id):
            source = version_source(f"round-trip/{path}")
            mv = store.create_model_version(name, source, run_id=run_id,
                                            tags=[ModelVersionTag(k, v) for k, v in tags.items()],
                                            description=description)
            assert mv is not None, "create_model_version returned None"
            got = store.get_model_version(name, mv.version)
            assert tags_of(got) == tags
            assert (got.description or None) == (description or None)
            assert got.source == source
            assert (got.run_id or None) == run_id
            assert store.get_model_version_download_uri(name, mv.version) == source

        round_trip()

    # MLflow 3.11 (mlflow.utils.validation._validate_model_name) rejects blank names and '/' or ':'.
    @clause("model_registry_store/properties/invalid-names-rejected", since="3.11")
    def test_properties_invalid_names_rejected(self, model_registry_store):
        """Every blank name, and every name containing '/' or ':', is rejected with INVALID_PARAMETER_VALUE by
        create_registered_model and by rename, and nothing is stored."""
        from hypothesis import given

        from ...strategies import invalid_registered_model_names

        store = model_registry_store
        existing = unique_name("rename-source")
        store.create_registered_model(existing)

        @given(bad=invalid_registered_model_names())
        @hypothesis_settings(self)
        def rejected(bad):
            prefix = unique_name("invalid")
            name = bad if bad.strip() == "" else prefix + bad
            # A wrongly accepted name is undone before the failure propagates: Hypothesis replays the example and
            # must meet the same store, or it reports a "Flaky" replay instead of this defect.
            try:
                with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"creating a model named {name!r}"):
                    store.create_registered_model(name)
            except AssertionError:
                with contextlib.suppress(Exception):
                    store.delete_registered_model(name)
                raise
            try:
                with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"renaming a model to {name!r}"):
                    store.rename_registered_model(existing, name)
            except AssertionError:
                with contextlib.suppress(Exception):
                    store.rename_registered_model(name, existing)
                raise
            assert not list(store.search_registered_models(f"name LIKE '{prefix}%'")), "a rejected name was stored"
            assert store.get_registered_model(existing).name == existing

        rejected()

    @clause("model_registry_store/properties/aliases-round-trip")
    def test_properties_aliases_round_trip(self, model_registry_store):
        """Any valid alias resolves to the version it was set to; every reserved alias ('latest' in any case,
        'v<digits>') is rejected with INVALID_PARAMETER_VALUE."""
        from hypothesis import given

        from ...strategies import model_aliases, reserved_model_aliases

        store = model_registry_store
        name = unique_name("alias-prop")
        store.create_registered_model(name)
        for _ in range(2):
            store.create_model_version(name, version_source("alias-prop"))

        @given(alias=model_aliases(), reserved=reserved_model_aliases())
        @hypothesis_settings(self)
        def aliases(alias, reserved):
            store.set_registered_model_alias(name, alias, "2")
            got = store.get_model_version_by_alias(name, alias)
            assert got is not None and str(got.version) == "2", f"alias {alias!r} resolved to {got}"
            store.delete_registered_model_alias(name, alias)
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"setting the reserved alias {reserved!r}"):
                store.set_registered_model_alias(name, reserved, "1")
            assert reserved not in store.get_registered_model(name).aliases

        aliases()
