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

    # -- logged models ---------------------------------------------------------------------------------------

    @clause("tracking_store/logged-models/create-get-finalize", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_create_get_finalize(self, tracking_store):
        """create_logged_model stores name, tags, params and source run; get_logged_model reads it back PENDING;
        finalize_logged_model sets READY."""
        from mlflow.entities import LoggedModelParameter, LoggedModelStatus, LoggedModelTag

        experiment_id = new_experiment(tracking_store)
        run_id = new_run(tracking_store, experiment_id).info.run_id
        model = tracking_store.create_logged_model(experiment_id, name="my-model", source_run_id=run_id,
                                                   tags=[LoggedModelTag("t", "v")],
                                                   params=[LoggedModelParameter("p", "1")], model_type="agent")
        got = tracking_store.get_logged_model(model.model_id)
        assert got.name == "my-model" and got.experiment_id == experiment_id and got.source_run_id == run_id
        assert got.tags.get("t") == "v" and got.params.get("p") == "1"
        assert str(got.status) == str(LoggedModelStatus.PENDING)
        tracking_store.finalize_logged_model(model.model_id, LoggedModelStatus.READY)
        assert str(tracking_store.get_logged_model(model.model_id).status) == str(LoggedModelStatus.READY)

    @clause("tracking_store/logged-models/tags-and-delete", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_tags_and_delete(self, tracking_store):
        """set_logged_model_tags and delete_logged_model_tag update tags; a deleted logged model is no longer
        returned by get_logged_model (RESOURCE_DOES_NOT_EXIST)."""
        from mlflow.entities import LoggedModelTag

        experiment_id = new_experiment(tracking_store)
        model_id = tracking_store.create_logged_model(experiment_id, name="tagged").model_id
        tracking_store.set_logged_model_tags(model_id, [LoggedModelTag("a", "1"), LoggedModelTag("b", "2")])
        tracking_store.delete_logged_model_tag(model_id, "a")
        assert tracking_store.get_logged_model(model_id).tags == {"b": "2"}
        tracking_store.delete_logged_model(model_id)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted logged model"):
            tracking_store.get_logged_model(model_id)

    @clause("tracking_store/logged-models/search", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_search(self, tracking_store):
        """search_logged_models finds an experiment's models, filters on name, and pages without duplicates."""
        experiment_id = new_experiment(tracking_store)
        ids = {tracking_store.create_logged_model(experiment_id, name=f"m{i}").model_id for i in range(3)}
        found = tracking_store.search_logged_models([experiment_id], filter_string="name = 'm1'")
        assert [m.name for m in found] == ["m1"]
        seen, token = [], None
        while True:
            page = tracking_store.search_logged_models([experiment_id], max_results=2, page_token=token)
            seen.extend(m.model_id for m in page)
            token = page.token
            if not token:
                break
        assert sorted(seen) == sorted(ids)

    @clause("tracking_store/logged-models/get-unknown", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_get_unknown(self, tracking_store):
        """get_logged_model of an unknown id raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown logged model"):
            tracking_store.get_logged_model("m-" + uuid.uuid4().hex)

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
