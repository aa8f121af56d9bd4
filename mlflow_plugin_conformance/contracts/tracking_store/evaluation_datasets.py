"""Evaluation datasets (level full, feature ``tracking_store.evaluation_datasets``).

``mlflow.genai.datasets.create_dataset`` / ``get_dataset`` / ``search_datasets`` and ``EvaluationDataset``'s
``merge_records`` go through the store: a dataset has a name, tags and experiment links, and records keyed by their
inputs (upserting a record with the same inputs updates it). ``EvaluationDataset.records`` reads them through the
store's ``_load_dataset_records`` (part of AbstractStore's interface). Each clause checks one behaviour as MLflow's
``SqlAlchemyStore`` implements it.
"""

from __future__ import annotations

import json
import uuid

from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ._genai import EVALUATION_DATASETS
from ._helpers import new_experiment

RECORDS = [{"inputs": {"q": "1+1"}, "expectations": {"a": "2"}},
           {"inputs": {"q": "2+2"}, "expectations": {"a": "4"}}]


def _dataset(store, experiment_ids=None, tags=None, name=None):
    return store.create_dataset(name or unique_name("evalds"), tags=tags, experiment_ids=experiment_ids)


def _records(store, dataset_id):
    records, _ = store._load_dataset_records(dataset_id, max_results=None)
    return records


def _all_datasets(store, page_size=100, **kwargs):
    found, token = [], None
    for _ in range(100):
        page = store.search_datasets(max_results=page_size, page_token=token, **kwargs)
        assert len(page) <= page_size, f"a page held {len(page)} datasets, more than max_results={page_size}"
        found.extend(page)
        token = page.token
        if not token:
            return found
    raise AssertionError("search_datasets page tokens never ended")


class EvaluationDatasetClauses:
    """Clauses of the ``tracking_store/evaluation-datasets/*`` family."""

    @clause("tracking_store/evaluation-datasets/create-get", level="full", feature=EVALUATION_DATASETS, since="3.4")
    def test_evaluation_datasets_create_get(self, tracking_store):
        """create_dataset stores a named dataset; get_dataset reads back its id and name."""
        name = unique_name("evalds")
        dataset = tracking_store.create_dataset(name)
        got = tracking_store.get_dataset(dataset.dataset_id)
        assert (got.dataset_id, got.name) == (dataset.dataset_id, name), f"dataset read back {(got.dataset_id, got.name)}"

    @clause("tracking_store/evaluation-datasets/create-tags", level="full", feature=EVALUATION_DATASETS, since="3.4")
    def test_evaluation_datasets_create_tags(self, tracking_store):
        """The tags given to create_dataset are read back by get_dataset."""
        dataset = _dataset(tracking_store, tags={"a": "1", "ü": "ß"})
        tags = tracking_store.get_dataset(dataset.dataset_id).tags
        assert {k: tags.get(k) for k in ("a", "ü")} == {"a": "1", "ü": "ß"}, f"dataset tags read back {tags}"

    @clause("tracking_store/evaluation-datasets/get-unknown", level="full", feature=EVALUATION_DATASETS, since="3.4")
    def test_evaluation_datasets_get_unknown(self, tracking_store):
        """get_dataset of an unknown id raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown evaluation dataset"):
            tracking_store.get_dataset("d-" + uuid.uuid4().hex)

    @clause("tracking_store/evaluation-datasets/delete", level="full", feature=EVALUATION_DATASETS,
            since="3.4")
    def test_evaluation_datasets_delete(self, tracking_store):
        """delete_dataset removes the dataset: get_dataset then raises RESOURCE_DOES_NOT_EXIST."""
        dataset = _dataset(tracking_store)
        tracking_store.delete_dataset(dataset.dataset_id)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted evaluation dataset"):
            tracking_store.get_dataset(dataset.dataset_id)

    @clause("tracking_store/evaluation-datasets/set-tags-merges", level="full", feature=EVALUATION_DATASETS,
            since="3.4")
    def test_evaluation_datasets_set_tags_merges(self, tracking_store):
        """set_dataset_tags merges: new keys are added, given keys overwritten, other keys kept."""
        dataset = _dataset(tracking_store, tags={"a": "1", "b": "2"})
        tracking_store.set_dataset_tags(dataset.dataset_id, {"b": "3", "c": "4"})
        tags = tracking_store.get_dataset(dataset.dataset_id).tags
        assert {k: tags.get(k) for k in "abc"} == {"a": "1", "b": "3", "c": "4"}, f"tags after merge: {tags}"

    @clause("tracking_store/evaluation-datasets/delete-tag", level="full", feature=EVALUATION_DATASETS, since="3.4")
    def test_evaluation_datasets_delete_tag(self, tracking_store):
        """delete_dataset_tag removes one tag and keeps the others."""
        dataset = _dataset(tracking_store, tags={"a": "1", "b": "2"})
        tracking_store.delete_dataset_tag(dataset.dataset_id, "a")
        tags = tracking_store.get_dataset(dataset.dataset_id).tags
        assert "a" not in tags and tags.get("b") == "2", f"tags after deleting 'a': {tags}"

    @clause("tracking_store/evaluation-datasets/set-tags-unknown", level="full", feature=EVALUATION_DATASETS,
            since="3.4")
    def test_evaluation_datasets_set_tags_unknown(self, tracking_store):
        """set_dataset_tags on an unknown dataset raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="tagging an unknown evaluation dataset"):
            tracking_store.set_dataset_tags("d-" + uuid.uuid4().hex, {"a": "1"})

    # -- experiments -------------------------------------------------------------------------------------------

    @clause("tracking_store/evaluation-datasets/experiment-ids", level="full", feature=EVALUATION_DATASETS,
            since="3.4")
    def test_evaluation_datasets_experiment_ids(self, tracking_store):
        """get_dataset_experiment_ids returns the experiments given to create_dataset."""
        a, b = new_experiment(tracking_store), new_experiment(tracking_store)
        dataset = _dataset(tracking_store, experiment_ids=[a, b])
        assert sorted(tracking_store.get_dataset_experiment_ids(dataset.dataset_id)) == sorted([a, b])

    @clause("tracking_store/evaluation-datasets/add-to-experiments", level="full", feature=EVALUATION_DATASETS,
            since="3.4")
    def test_evaluation_datasets_add_to_experiments(self, tracking_store):
        """add_dataset_to_experiments links the dataset to more experiments, keeping its existing links."""
        a, b = new_experiment(tracking_store), new_experiment(tracking_store)
        dataset = _dataset(tracking_store, experiment_ids=[a])
        tracking_store.add_dataset_to_experiments(dataset.dataset_id, [b])
        assert sorted(tracking_store.get_dataset_experiment_ids(dataset.dataset_id)) == sorted([a, b])

    @clause("tracking_store/evaluation-datasets/remove-from-experiments", level="full", feature=EVALUATION_DATASETS,
            since="3.4")
    def test_evaluation_datasets_remove_from_experiments(self, tracking_store):
        """remove_dataset_from_experiments unlinks the dataset from the experiments given, keeping the others."""
        a, b = new_experiment(tracking_store), new_experiment(tracking_store)
        dataset = _dataset(tracking_store, experiment_ids=[a, b])
        tracking_store.remove_dataset_from_experiments(dataset.dataset_id, [a])
        assert tracking_store.get_dataset_experiment_ids(dataset.dataset_id) == [b]

    @clause("tracking_store/evaluation-datasets/add-to-unknown-dataset", level="full", feature=EVALUATION_DATASETS,
            since="3.4")
    def test_evaluation_datasets_add_to_unknown_dataset(self, tracking_store):
        """add_dataset_to_experiments for an unknown dataset raises RESOURCE_DOES_NOT_EXIST."""
        experiment_id = new_experiment(tracking_store)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="linking an unknown dataset to an experiment"):
            tracking_store.add_dataset_to_experiments("d-" + uuid.uuid4().hex, [experiment_id])

    # -- records -----------------------------------------------------------------------------------------------

    @clause("tracking_store/evaluation-datasets/records-insert", level="full", feature=EVALUATION_DATASETS,
            since="3.4")
    def test_evaluation_datasets_records_insert(self, tracking_store):
        """upsert_dataset_records inserts new records and reports ``{"inserted": n, "updated": 0}``."""
        dataset = _dataset(tracking_store)
        result = tracking_store.upsert_dataset_records(dataset.dataset_id, RECORDS)
        assert (result.get("inserted"), result.get("updated")) == (2, 0), f"upsert result {result}"

    @clause("tracking_store/evaluation-datasets/records-round-trip", level="full", feature=EVALUATION_DATASETS,
            since="3.4")
    def test_evaluation_datasets_records_round_trip(self, tracking_store):
        """The records upserted are read back (``_load_dataset_records``, what ``EvaluationDataset.records``
        calls) with their inputs and expectations."""
        dataset = _dataset(tracking_store)
        tracking_store.upsert_dataset_records(dataset.dataset_id, RECORDS)
        got = sorted(json.dumps([r.inputs, r.expectations], sort_keys=True)
                     for r in _records(tracking_store, dataset.dataset_id))
        expected = sorted(json.dumps([r["inputs"], r["expectations"]], sort_keys=True) for r in RECORDS)
        assert got == expected, f"records read back {got}"

    @clause("tracking_store/evaluation-datasets/records-upsert-updates", level="full", feature=EVALUATION_DATASETS,
            since="3.4")
    def test_evaluation_datasets_records_upsert_updates(self, tracking_store):
        """Upserting a record whose inputs are already in the dataset updates that record (reported as
        updated) instead of adding a duplicate."""
        dataset = _dataset(tracking_store)
        tracking_store.upsert_dataset_records(dataset.dataset_id, RECORDS)
        again = tracking_store.upsert_dataset_records(
            dataset.dataset_id, [{"inputs": {"q": "1+1"}, "expectations": {"a": "two"}}])
        records = _records(tracking_store, dataset.dataset_id)
        by_q = {r.inputs["q"]: r.expectations for r in records}
        assert (again.get("inserted"), again.get("updated")) == (0, 1), f"re-upsert result {again}"
        assert len(records) == 2 and by_q["1+1"] == {"a": "two"}, f"records after re-upsert: {by_q}"

    @clause("tracking_store/evaluation-datasets/records-delete", level="full", feature=EVALUATION_DATASETS,
            since="3.10")
    def test_evaluation_datasets_records_delete(self, tracking_store):
        """delete_dataset_records removes the records by id, returns how many it removed, and keeps the
        others."""
        dataset = _dataset(tracking_store)
        tracking_store.upsert_dataset_records(dataset.dataset_id, RECORDS)
        records = _records(tracking_store, dataset.dataset_id)
        victim = next(r for r in records if r.inputs["q"] == "1+1")
        assert tracking_store.delete_dataset_records(dataset.dataset_id, [victim.dataset_record_id]) == 1
        assert [r.inputs["q"] for r in _records(tracking_store, dataset.dataset_id)] == ["2+2"]

    @clause("tracking_store/evaluation-datasets/records-of-unknown-dataset", level="full",
            feature=EVALUATION_DATASETS, since="3.4")
    def test_evaluation_datasets_records_of_unknown_dataset(self, tracking_store):
        """upsert_dataset_records into an unknown dataset raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="upserting records into an unknown dataset"):
            tracking_store.upsert_dataset_records("d-" + uuid.uuid4().hex, RECORDS)

    # -- search ------------------------------------------------------------------------------------------------

    @clause("tracking_store/evaluation-datasets/search-by-experiment", level="full", feature=EVALUATION_DATASETS,
            since="3.4")
    def test_evaluation_datasets_search_by_experiment(self, tracking_store):
        """search_datasets(experiment_ids=...) returns the datasets linked to those experiments."""
        experiment_id = new_experiment(tracking_store)
        dataset = _dataset(tracking_store, experiment_ids=[experiment_id])
        _dataset(tracking_store, experiment_ids=[new_experiment(tracking_store)])
        found = _all_datasets(tracking_store, experiment_ids=[experiment_id])
        assert [d.dataset_id for d in found] == [dataset.dataset_id]

    @clause("tracking_store/evaluation-datasets/search-by-name", level="full", feature=EVALUATION_DATASETS,
            since="3.4")
    def test_evaluation_datasets_search_by_name(self, tracking_store):
        """The filter ``name = '<name>'`` returns the dataset with that name."""
        name = unique_name("evalds")
        dataset = _dataset(tracking_store, name=name)
        _dataset(tracking_store)
        found = _all_datasets(tracking_store, filter_string=f"name = '{name}'")
        assert [d.dataset_id for d in found] == [dataset.dataset_id]

    @clause("tracking_store/evaluation-datasets/search-by-tag", level="full", feature=EVALUATION_DATASETS,
            since="3.4")
    def test_evaluation_datasets_search_by_tag(self, tracking_store):
        """The filter ``tags.<key> = '<value>'`` returns the datasets with that tag value."""
        marker = unique_name("t")
        dataset = _dataset(tracking_store, tags={"marker": marker})
        _dataset(tracking_store, tags={"marker": "other"})
        found = _all_datasets(tracking_store, filter_string=f"tags.marker = '{marker}'")
        assert [d.dataset_id for d in found] == [dataset.dataset_id]

    @clause("tracking_store/evaluation-datasets/search-pagination", level="full", feature=EVALUATION_DATASETS,
            since="3.4")
    def test_evaluation_datasets_search_pagination(self, tracking_store):
        """search_datasets pages with page tokens: every dataset once, no page larger than max_results."""
        experiment_id = new_experiment(tracking_store)
        ids = {_dataset(tracking_store, experiment_ids=[experiment_id]).dataset_id for _ in range(5)}
        seen = [d.dataset_id for d in _all_datasets(tracking_store, page_size=2, experiment_ids=[experiment_id])]
        assert sorted(seen) == sorted(ids), f"pages held {seen}"

    @clause("tracking_store/evaluation-datasets/search-order-by-name", level="full", feature=EVALUATION_DATASETS,
            since="3.4")
    def test_evaluation_datasets_search_order_by_name(self, tracking_store):
        """order_by=["name ASC"] orders datasets by name."""
        experiment_id = new_experiment(tracking_store)
        prefix = unique_name("ds")
        for suffix in ("b", "c", "a"):
            _dataset(tracking_store, experiment_ids=[experiment_id], name=f"{prefix}-{suffix}")
        found = _all_datasets(tracking_store, experiment_ids=[experiment_id], order_by=["name ASC"])
        assert [d.name for d in found] == [f"{prefix}-{s}" for s in "abc"], f"order: {[d.name for d in found]}"

    @clause("tracking_store/evaluation-datasets/search-invalid-filter", level="full", feature=EVALUATION_DATASETS,
            since="3.4")
    def test_evaluation_datasets_search_invalid_filter(self, tracking_store):
        """A filter on an unknown attribute is rejected with INVALID_PARAMETER_VALUE."""
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="searching datasets with an invalid filter"):
            tracking_store.search_datasets(filter_string="no_such_attribute = 'x'")
