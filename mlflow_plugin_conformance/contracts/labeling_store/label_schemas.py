"""``labeling_store/label-schemas/*``: creating, replacing, getting and deleting label schemas, one behaviour per
clause; when creating fails, the clauses on a created schema report themselves blocked by
``labeling_store/label-schemas/create``."""

from __future__ import annotations

import pytest

from ...outcomes import blocked_by
from .._support import unique_name
from ..base import clause


def create_schema(labeling_store, name, **overrides):
    from mlflow.genai.label_schemas import InputText

    arguments = dict(type="feedback", title="Is it right?", input=InputText(), instruction="first")
    arguments.update(overrides)
    return labeling_store.create_label_schema(name, **arguments)


class LabelSchemaClauses:
    @pytest.fixture
    def label_schema(self, labeling_store):
        """A label schema created under a unique name with instruction 'first', deleted at teardown."""
        name = unique_name("schema")
        try:
            create_schema(labeling_store, name)
        except Exception as exc:
            blocked_by("labeling_store/label-schemas/create",
                       f"create_label_schema raised {type(exc).__name__}: {exc}")
        yield name
        try:
            labeling_store.delete_label_schema(name)
        except Exception:
            pass

    @clause("labeling_store/label-schemas/create")
    def test_label_schemas_create(self, labeling_store):
        """``create_label_schema`` returns the schema it created, with its name."""
        name = unique_name("schema")
        try:
            created = create_schema(labeling_store, name)
            assert getattr(created, "name", None) == name, f"create_label_schema returned {created!r}"
        finally:
            labeling_store.delete_label_schema(name)

    @clause("labeling_store/label-schemas/get")
    def test_label_schemas_get(self, labeling_store, label_schema):
        """``get_label_schema`` finds a created schema by its name, with its instruction."""
        got = labeling_store.get_label_schema(label_schema)
        assert got.name == label_schema and got.instruction == "first", f"get_label_schema returned {got!r}"

    @clause("labeling_store/label-schemas/duplicate")
    def test_label_schemas_duplicate(self, labeling_store, label_schema):
        """Creating a schema whose name exists, without ``overwrite``, raises an MlflowException."""
        from mlflow.exceptions import MlflowException

        with pytest.raises(MlflowException):
            create_schema(labeling_store, label_schema, title="again", instruction="again")

    @clause("labeling_store/label-schemas/overwrite")
    def test_label_schemas_overwrite(self, labeling_store, label_schema):
        """Creating it again with ``overwrite=True`` replaces it: ``get_label_schema`` returns the new one."""
        create_schema(labeling_store, label_schema, title="Replaced", instruction="second", overwrite=True)
        got = labeling_store.get_label_schema(label_schema)
        assert got.instruction == "second", f"after overwrite=True the instruction is {got.instruction!r}"

    @clause("labeling_store/label-schemas/delete")
    def test_label_schemas_delete(self, labeling_store, label_schema):
        """After ``delete_label_schema``, getting the schema raises an MlflowException."""
        from mlflow.exceptions import MlflowException

        labeling_store.delete_label_schema(label_schema)
        with pytest.raises(MlflowException):
            labeling_store.get_label_schema(label_schema)
