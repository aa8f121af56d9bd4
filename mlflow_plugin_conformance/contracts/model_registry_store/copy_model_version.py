"""copy_model_version: a version copied into another registered model (``MlflowClient.copy_model_version``).

MLflow's client offers it on every registry, and MLflow's registry base class implements it with the core methods:
create the destination model unless it exists, then create_model_version with the source ``models:/<name>/<version>``
(which the store resolves to the source version's artifacts) and the source's run id, tags and description. So it
is core: a store that implements the core methods correctly supports it without a line of its own. When the copy
fails because the store refuses ``models:/`` sources, the clauses report ``blocked`` by
model-versions/models-uri-source.
"""

from __future__ import annotations

from ...outcomes import blocked_by
from .._support import unique_name
from ..base import clause
from ._helpers import mv_tag, new_model, new_version, not_none, tags_of, versions_of

MODELS_URI_SOURCE = "model_registry_store/model-versions/models-uri-source"


def copy_or_blocked(store, source, destination: str):
    """``store.copy_model_version(source, destination)``; blocked by models-uri-source when it fails because the
    store refuses a ``models:/`` source."""
    from mlflow.exceptions import MlflowException

    try:
        return not_none(store.copy_model_version(source, destination), "copy_model_version")
    except MlflowException as exc:
        if exc.error_code == "NOT_IMPLEMENTED":
            raise
        probe = new_model(store, "models-uri-probe")
        try:
            store.create_model_version(probe, f"models:/{source.name}/{source.version}")
        except Exception as probe_exc:  # the store's own refusal is the cause to report
            blocked_by(MODELS_URI_SOURCE, f"copy_model_version creates the copy with the source "
                                          f"'models:/{source.name}/{source.version}', which the store refuses "
                                          f"({type(probe_exc).__name__}: {probe_exc})")
        raise


class CopyModelVersionClauses:
    """Clauses of the ``model_registry_store/copy-model-version/*`` family."""

    @clause("model_registry_store/copy-model-version/new-destination")
    def test_copy_model_version_new_destination(self, model_registry_store):
        """Copying a version into a name that does not exist creates that registered model, with the copy as its
        version 1."""
        store = model_registry_store
        source_name = new_model(store, "copy-src")
        new_version(store, source_name)
        source = new_version(store, source_name)
        destination = unique_name("copy-dst")
        copied = copy_or_blocked(store, store.get_model_version(source_name, source.version), destination)
        assert (copied.name, str(copied.version)) == (destination, "1"), \
            f"the copy is version {copied.version} of {copied.name!r}"
        assert store.get_registered_model(destination).name == destination
        assert versions_of(store.search_model_versions(f"name = '{destination}'")) == [(destination, "1")]

    @clause("model_registry_store/copy-model-version/existing-destination")
    def test_copy_model_version_existing_destination(self, model_registry_store):
        """Copying a version into an existing registered model adds the copy as its next version; the source
        model keeps its versions."""
        store = model_registry_store
        source_name, destination = new_model(store, "copy-src"), new_model(store, "copy-dst", description="kept")
        source = new_version(store, source_name)
        new_version(store, destination)
        copied = copy_or_blocked(store, store.get_model_version(source_name, source.version), destination)
        assert (copied.name, str(copied.version)) == (destination, "2"), \
            f"the copy is version {copied.version} of {copied.name!r}"
        assert store.get_registered_model(destination).description == "kept"
        assert versions_of(store.search_model_versions(f"name = '{source_name}'")) == [(source_name, "1")]

    @clause("model_registry_store/copy-model-version/carries-metadata")
    def test_copy_model_version_carries_metadata(self, model_registry_store):
        """The copy's source is ``models:/<source name>/<source version>``; it has the source version's run id,
        tags and description."""
        store = model_registry_store
        source_name = new_model(store, "copy-src")
        source = new_version(store, source_name, run_id="0123456789abcdef0123456789abcdef",
                             tags=[mv_tag("k", "v"), mv_tag("ü", "✓")], description="the source")
        destination = unique_name("copy-dst")
        copy_or_blocked(store, store.get_model_version(source_name, source.version), destination)
        got = store.get_model_version(destination, "1")
        assert got.source == f"models:/{source_name}/1", f"the copy's source is {got.source!r}"
        assert got.run_id == "0123456789abcdef0123456789abcdef", f"the copy's run id is {got.run_id!r}"
        assert tags_of(got) == {"k": "v", "ü": "✓"}, f"the copy's tags are {tags_of(got)}"
        assert got.description == "the source"
