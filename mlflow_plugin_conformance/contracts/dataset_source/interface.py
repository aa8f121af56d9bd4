"""``dataset_source/interface/*``: the methods MLflow calls on a source, and how it calls them."""

from __future__ import annotations

import inspect

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
        """MLflow calls ``_get_source_type()``, ``_can_resolve(raw)``, ``_resolve(raw)`` and ``from_dict(d)`` (through
        ``from_json``) on the class, never on an instance: each takes that call on the class (a classmethod or a
        staticmethod does; an instance method does not)."""
        calls = {"_get_source_type": (), "_can_resolve": ("raw",), "_resolve": ("raw",), "from_dict": ({},)}
        wrong = {}
        for name, args in calls.items():
            try:
                signature = inspect.signature(getattr(dataset_source, name))
            except (TypeError, ValueError):
                continue  # a builtin without a signature: nothing to check
            try:
                signature.bind(*args)
            except TypeError as exc:
                wrong[name] = f"{name}{signature}: {exc}"
        assert not wrong, "cannot be called on the class, as MLflow's registry calls them:\n" + "\n".join(
            wrong.values())
