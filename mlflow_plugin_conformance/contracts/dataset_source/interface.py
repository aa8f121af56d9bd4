"""``dataset_source/interface/*``: the methods MLflow calls on a source, and how it calls them."""

from __future__ import annotations

import inspect

import pytest

from ..base import clause
from ._helpers import overrides


class InterfaceClauses:
    @clause("dataset_source/interface/methods")
    def test_interface_methods(self, dataset_source):
        """It is a ``DatasetSource`` subclass overriding every method MLflow calls (the base's abstract methods are
        not enforced and return None): _get_source_type, _can_resolve, _resolve, to_dict, from_dict, load."""
        from mlflow.data.dataset_source import DatasetSource

        assert isinstance(dataset_source, type) and issubclass(dataset_source, DatasetSource), (
            f"{dataset_source!r} is not a DatasetSource subclass")
        missing = [name for name in ("_get_source_type", "_can_resolve", "_resolve", "to_dict", "from_dict", "load")
                   if not overrides(dataset_source, name, DatasetSource) or
                   getattr(dataset_source, name) is getattr(DatasetSource, name)]
        assert not missing, f"not overridden (the base returns None): {missing}"

    @clause("dataset_source/interface/class-level")
    def test_interface_class_level(self, dataset_source):
        """MLflow's registry calls ``_get_source_type()``, ``_can_resolve(raw)``, ``_resolve(raw)`` and
        ``from_json`` on the class, never on an instance: they work that way, and ``_resolve`` / ``from_dict`` are
        class methods (they build an instance of the class they are called on)."""
        raw = "conformance://not-a-source/data.csv"
        for name, call in (("_get_source_type", lambda: dataset_source._get_source_type()),
                           ("_can_resolve", lambda: dataset_source._can_resolve(raw))):
            try:
                call()
            except TypeError as exc:
                pytest.fail(f"{name} cannot be called on the class, as MLflow's registry does: {exc}", pytrace=False)
        for name in ("_resolve", "from_dict"):
            static = inspect.getattr_static(dataset_source, name)
            assert isinstance(static, classmethod), f"{name} is a {type(static).__name__}, not a classmethod"
