"""Broken labeling stores for the clauses split out with issue 11 (one realistic bug each), built on the in-memory
labeling store of ``kinds_newer``."""

from __future__ import annotations

from kinds_newer import InMemoryLabelingStore
from _mutant import Mutant

KIND = "labeling_store"
#: The MLflow release whose base classes this module imports.
NEEDS_MLFLOW = "3.17"


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


MUTANTS = [
    Mutant(KIND, "BrokenLabelingCreateReturnsNothing", "labeling_store/label-schemas/create",
           BrokenLabelingCreateReturnsNothing),
    Mutant(KIND, "BrokenLabelingDropsInstruction", "labeling_store/label-schemas/get", BrokenLabelingDropsInstruction),
    Mutant(KIND, "BrokenLabelingOverwriteIgnored", "labeling_store/label-schemas/overwrite",
           BrokenLabelingOverwriteIgnored),
    Mutant(KIND, "BrokenLabelingDeleteIgnored", "labeling_store/label-schemas/delete", BrokenLabelingDeleteIgnored),
]
