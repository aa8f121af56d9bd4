"""Broken labeling stores for the clauses split out with issue 11 (one realistic bug each), built on the in-memory
labeling store of ``kinds_newer``. ``tests/test_kinds_new_mutants.py`` runs them."""

from __future__ import annotations

from kinds_newer import InMemoryLabelingStore


class BrokenLabelingCreateReturnsNothing(InMemoryLabelingStore):
    """create_label_schema stores the schema but returns None."""

    def create_label_schema(self, name, **kwargs):
        super().create_label_schema(name, **kwargs)


class BrokenLabelingDropsInstruction(InMemoryLabelingStore):
    """create_label_schema forgets the instruction."""

    def create_label_schema(self, name, **kwargs):
        kwargs["instruction"] = None
        return super().create_label_schema(name, **kwargs)


class BrokenLabelingOverwriteIgnored(InMemoryLabelingStore):
    """create_label_schema(..., overwrite=True) of an existing name returns the old schema unchanged."""

    def create_label_schema(self, name, **kwargs):
        if kwargs.get("overwrite") and name in self._schemas:
            return self._schemas[name]
        return super().create_label_schema(name, **kwargs)


class BrokenLabelingDeleteIgnored(InMemoryLabelingStore):
    """delete_label_schema does nothing."""

    def delete_label_schema(self, name):
        return None
