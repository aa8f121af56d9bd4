"""Label schemas (level full, feature ``tracking_store.label_schemas``): the questions the review app asks
labellers, stored per experiment. Each clause checks one behaviour as MLflow's ``SqlAlchemyStore`` implements it.
"""

from __future__ import annotations

import uuid

from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ._genai import LABEL_SCHEMAS
from ._helpers import new_experiment


def _schema(store, experiment_id, name=None, **kwargs):
    from mlflow.genai.label_schemas import InputCategorical

    kwargs.setdefault("input", InputCategorical(options=["good", "bad"]))
    kwargs.setdefault("instruction", "Is the answer good?")
    return store.create_label_schema(experiment_id, name=name or unique_name("q"), type="feedback", **kwargs)


class LabelSchemaClauses:
    """Clauses of the ``tracking_store/label-schemas/*`` family."""

    @clause("tracking_store/label-schemas/create-get", level="full", feature=LABEL_SCHEMAS, since="3.14")
    def test_label_schemas_create_get(self, tracking_store):
        """create_label_schema stores a schema; get_label_schema returns its name, type, input options and
        instruction."""
        experiment_id = new_experiment(tracking_store)
        created = _schema(tracking_store, experiment_id, name="quality")
        got = tracking_store.get_label_schema(created.schema_id)
        view = (got.name, str(getattr(got.type, "value", got.type)), list(got.input.options), got.instruction,
                got.experiment_id)
        assert view == ("quality", "feedback", ["good", "bad"], "Is the answer good?", experiment_id), (
            f"label schema read back {view}")

    @clause("tracking_store/label-schemas/get-by-name", level="full", feature=LABEL_SCHEMAS, since="3.14")
    def test_label_schemas_get_by_name(self, tracking_store):
        """get_label_schema_by_name finds a schema by its experiment and name."""
        experiment_id = new_experiment(tracking_store)
        created = _schema(tracking_store, experiment_id, name="quality")
        assert tracking_store.get_label_schema_by_name(experiment_id, "quality").schema_id == created.schema_id

    @clause("tracking_store/label-schemas/duplicate-name", level="full", feature=LABEL_SCHEMAS, since="3.14")
    def test_label_schemas_duplicate_name(self, tracking_store):
        """A second schema with the same name in one experiment is rejected with RESOURCE_ALREADY_EXISTS."""
        experiment_id = new_experiment(tracking_store)
        _schema(tracking_store, experiment_id, name="quality")
        with raises_mlflow_error("RESOURCE_ALREADY_EXISTS", doing="creating a label schema with a taken name"):
            _schema(tracking_store, experiment_id, name="quality")

    @clause("tracking_store/label-schemas/list", level="full", feature=LABEL_SCHEMAS, since="3.14")
    def test_label_schemas_list(self, tracking_store):
        """list_label_schemas lists the experiment's schemas (MLflow may add default ones) and none of another
        experiment."""
        experiment_id, other = new_experiment(tracking_store), new_experiment(tracking_store)
        ids = {_schema(tracking_store, experiment_id).schema_id for _ in range(2)}
        foreign = _schema(tracking_store, other).schema_id
        listed, token = [], None
        for _ in range(50):
            page = tracking_store.list_label_schemas(experiment_id, page_token=token)
            listed.extend(s.schema_id for s in page)
            token = page.token
            if not token:
                break
        assert ids <= set(listed) and foreign not in listed, f"list_label_schemas listed {listed}"

    @clause("tracking_store/label-schemas/update", level="full", feature=LABEL_SCHEMAS, since="3.14")
    def test_label_schemas_update(self, tracking_store):
        """update_label_schema changes the instruction and comment setting it is given and keeps the name."""
        created = _schema(tracking_store, new_experiment(tracking_store), name="quality")
        tracking_store.update_label_schema(created.schema_id, instruction="Rate it", enable_comment=True)
        got = tracking_store.get_label_schema(created.schema_id)
        assert (got.name, got.instruction, got.enable_comment) == ("quality", "Rate it", True), (
            f"after update: {(got.name, got.instruction, got.enable_comment)}")

    @clause("tracking_store/label-schemas/delete", level="full", feature=LABEL_SCHEMAS, since="3.14")
    def test_label_schemas_delete(self, tracking_store):
        """delete_label_schema removes the schema: get_label_schema then raises RESOURCE_DOES_NOT_EXIST."""
        created = _schema(tracking_store, new_experiment(tracking_store))
        tracking_store.delete_label_schema(created.schema_id)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted label schema"):
            tracking_store.get_label_schema(created.schema_id)

    @clause("tracking_store/label-schemas/get-unknown", level="full", feature=LABEL_SCHEMAS, since="3.14")
    def test_label_schemas_get_unknown(self, tracking_store):
        """get_label_schema of an unknown id raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown label schema"):
            tracking_store.get_label_schema("ls-" + uuid.uuid4().hex)
