"""Optional families (level full): logged models, traces, assessments, evaluation datasets.

A store that does not offer a family raises NotImplementedError (or MLflow's NOT_IMPLEMENTED) and the clause is
reported unsupported. Only what the installed MLflow defines is checked (``since``).
"""

from __future__ import annotations

import uuid

from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ._helpers import new_experiment, new_run, now_ms

LOGGED_MODELS = "tracking_store.logged_models"
TRACES = "tracking_store.traces"
ASSESSMENTS = "tracking_store.assessments"
EVALUATION_DATASETS = "tracking_store.evaluation_datasets"


def search_traces_in(store, experiment_id, **kwargs):
    """store.search_traces over one experiment, named as the installed MLflow's AbstractStore names it:
    ``locations`` from MLflow 3.5, ``experiment_ids`` before."""
    import inspect

    from mlflow.store.tracking.abstract_store import AbstractStore

    parameters = inspect.signature(AbstractStore.search_traces).parameters
    where = "locations" if "locations" in parameters else "experiment_ids"
    return store.search_traces(**{where: [experiment_id]}, **kwargs)


def new_trace(store, experiment_id, tags=None):
    from mlflow.entities import TraceInfo, TraceLocation, TraceState

    trace_id = "tr-" + uuid.uuid4().hex
    info = TraceInfo(trace_id=trace_id, trace_location=TraceLocation.from_experiment_id(experiment_id),
                     request_time=now_ms(), state=TraceState.OK, execution_duration=12,
                     request_preview='{"q": 1}', response_preview='{"a": 2}', tags=dict(tags or {}),
                     trace_metadata={"conformance": "yes"})
    returned = store.start_trace(info)
    assert returned is not None, "start_trace must return the stored TraceInfo"
    return returned.trace_id


class OptionalFamilyClauses:
    """Clauses of the optional families."""

    # -- evaluation datasets ---------------------------------------------------------------------------------

    @clause("tracking_store/evaluation-datasets/create-get-tags-delete", level="full", feature=EVALUATION_DATASETS,
            since="3.4")
    def test_evaluation_datasets_create_get_tags_delete(self, tracking_store):
        """create_dataset stores name, tags and experiments; get_dataset reads it; set_dataset_tags merges tags;
        delete_dataset removes it (then RESOURCE_DOES_NOT_EXIST)."""
        experiment_id = new_experiment(tracking_store)
        name = unique_name("evalds")
        dataset = tracking_store.create_dataset(name, tags={"a": "1"}, experiment_ids=[experiment_id])
        got = tracking_store.get_dataset(dataset.dataset_id)
        assert got.name == name and got.tags.get("a") == "1"
        tracking_store.set_dataset_tags(dataset.dataset_id, {"b": "2"})
        tags = tracking_store.get_dataset(dataset.dataset_id).tags
        assert tags.get("a") == "1" and tags.get("b") == "2", f"set_dataset_tags must merge: {tags}"
        assert experiment_id in tracking_store.get_dataset_experiment_ids(dataset.dataset_id)
        tracking_store.delete_dataset(dataset.dataset_id)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted evaluation dataset"):
            tracking_store.get_dataset(dataset.dataset_id)

    @clause("tracking_store/evaluation-datasets/records-and-search", level="full", feature=EVALUATION_DATASETS,
            since="3.4")
    def test_evaluation_datasets_records_and_search(self, tracking_store):
        """upsert_dataset_records inserts records (re-upserting the same inputs updates instead of duplicating);
        search_datasets finds the dataset in its experiment."""
        experiment_id = new_experiment(tracking_store)
        name = unique_name("evalds")
        dataset = tracking_store.create_dataset(name, experiment_ids=[experiment_id])
        records = [{"inputs": {"q": "1+1"}, "expectations": {"a": "2"}},
                   {"inputs": {"q": "2+2"}, "expectations": {"a": "4"}}]
        first = tracking_store.upsert_dataset_records(dataset.dataset_id, records)
        assert first.get("inserted") == 2, f"upsert result {first}"
        again = tracking_store.upsert_dataset_records(
            dataset.dataset_id, [{"inputs": {"q": "1+1"}, "expectations": {"a": "two"}}])
        assert again.get("inserted") == 0 and again.get("updated") == 1, f"re-upsert result {again}"
        found = tracking_store.search_datasets(experiment_ids=[experiment_id])
        assert [d.dataset_id for d in found] == [dataset.dataset_id]
