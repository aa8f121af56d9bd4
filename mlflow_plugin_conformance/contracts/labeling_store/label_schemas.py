"""``labeling_store/label-schemas/*``: creating, replacing, getting and deleting label schemas."""

from __future__ import annotations

import pytest

from .._support import unique_name
from ..base import clause


class LabelSchemaClauses:
    @clause("labeling_store/label-schemas/lifecycle")
    def test_label_schemas_lifecycle(self, labeling_store):
        """``create_label_schema`` returns the schema; ``get_label_schema`` finds it by name; creating it again
        without ``overwrite`` raises an MlflowException, with ``overwrite=True`` replaces it; after
        ``delete_label_schema`` getting it raises an MlflowException."""
        from mlflow.exceptions import MlflowException
        from mlflow.genai.label_schemas import InputText

        name = unique_name("schema")
        created = labeling_store.create_label_schema(name, type="feedback", title="Is it right?", input=InputText(),
                                                     instruction="first")
        assert created.name == name
        got = labeling_store.get_label_schema(name)
        assert got.name == name and got.instruction == "first"
        with pytest.raises(MlflowException):
            labeling_store.create_label_schema(name, type="feedback", title="again", input=InputText())
        labeling_store.create_label_schema(name, type="feedback", title="Replaced", input=InputText(),
                                           instruction="second", overwrite=True)
        assert labeling_store.get_label_schema(name).instruction == "second"
        labeling_store.delete_label_schema(name)
        with pytest.raises(MlflowException):
            labeling_store.get_label_schema(name)
