"""``dataset_source/type/*``: the source type MLflow records with a logged dataset and parses it back by."""

from __future__ import annotations

from ..base import clause
from ._helpers import type_of


class TypeClauses:
    @clause("dataset_source/type/string")
    def test_type_string(self, dataset_source):
        """``_get_source_type()`` is a non-empty string."""
        source_type = dataset_source._get_source_type()
        assert isinstance(source_type, str) and source_type, f"_get_source_type() returned {source_type!r}"

    @clause("dataset_source/type/unique")
    def test_type_unique(self, dataset_source):
        """No other registered source has the same type: ``get_dataset_source_from_json`` picks one class per
        type (the last registered), so a shared type silently parses logged datasets with the other class. MLflow
        derives a source type from every artifact-repository scheme, the plugin's own included."""
        from mlflow.data.dataset_source_registry import get_registered_sources

        source_type = dataset_source._get_source_type()
        others = [cls for cls in get_registered_sources() if cls is not dataset_source
                  and not issubclass(cls, dataset_source) and not issubclass(dataset_source, cls)
                  and type_of(cls) == source_type]
        assert not others, f"source type {source_type!r} is also the type of {[c.__name__ for c in others]}"
