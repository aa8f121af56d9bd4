"""``dataset_constructor/naming/*``: the name MLflow publishes the constructor under."""

from __future__ import annotations

import pytest

from ..base import clause
from ._helpers import registered_constructor_name


class NamingClauses:
    @clause("dataset_constructor/naming/registered")
    def test_naming_registered(self, dataset_constructor):
        """MLflow's registry holds the constructor under a name starting ``from_`` or ``load_``, and it is
        reachable as ``mlflow.data.<name>`` (MLflow drops an invalid constructor with only a warning)."""
        import mlflow.data
        from mlflow.data.dataset_registry import DatasetRegistry

        name = registered_constructor_name(dataset_constructor)
        if name is None:
            reason = "no validation error: is the entry point installed?"
            try:
                DatasetRegistry._validate_constructor(dataset_constructor, dataset_constructor.__name__)
            except Exception as exc:
                reason = f"MLflow's validation says: {exc}"
            pytest.fail(f"{dataset_constructor.__name__} is not registered ({reason})", pytrace=False)
        assert name.startswith(("from_", "load_"))
        assert getattr(mlflow.data, name, None) is dataset_constructor, f"mlflow.data.{name} is not the constructor"
