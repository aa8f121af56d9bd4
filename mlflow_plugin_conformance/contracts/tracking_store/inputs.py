"""Inputs: log_inputs with datasets and input tags, visible on get_run and searchable."""

from __future__ import annotations

from ..base import clause
from ._helpers import new_experiment, new_run
from .search import search_ids


def dataset_input(name: str, digest: str, context: str | None = "training"):
    from mlflow.entities import Dataset, DatasetInput, InputTag

    dataset = Dataset(name=name, digest=digest, source_type="local", source='{"uri": "/data/x.csv"}',
                      schema='{"mlflow_colspec": []}', profile='{"num_rows": 3}')
    tags = [InputTag("mlflow.data.context", context)] if context is not None else []
    return DatasetInput(dataset=dataset, tags=tags)


class InputClauses:
    """Clauses of the ``tracking_store/inputs/*`` family."""

    @clause("tracking_store/inputs/datasets-on-get-run")
    def test_inputs_datasets_on_get_run(self, tracking_store):
        """Datasets logged with log_inputs appear on get_run's inputs with their fields and input tags; logging
        the same dataset again does not duplicate it."""
        run_id = new_run(tracking_store).info.run_id
        tracking_store.log_inputs(run_id, [dataset_input("train", "d1"), dataset_input("eval", "d2", "eval")])
        tracking_store.log_inputs(run_id, [dataset_input("train", "d1")])
        inputs = tracking_store.get_run(run_id).inputs
        assert inputs is not None, "get_run must return the run's inputs"
        by_name = {d.dataset.name: d for d in inputs.dataset_inputs}
        assert sorted(by_name) == ["eval", "train"], f"dataset inputs {sorted(by_name)}"
        assert len(inputs.dataset_inputs) == 2, "logging the same dataset twice must not duplicate it"
        train = by_name["train"]
        assert train.dataset.digest == "d1" and train.dataset.source_type == "local"
        assert train.dataset.source == '{"uri": "/data/x.csv"}'
        assert train.dataset.schema == '{"mlflow_colspec": []}' and train.dataset.profile == '{"num_rows": 3}'
        assert {t.key: t.value for t in train.tags} == {"mlflow.data.context": "training"}
        assert {t.key: t.value for t in by_name["eval"].tags} == {"mlflow.data.context": "eval"}

    @clause("tracking_store/inputs/datasets-searchable")
    def test_inputs_datasets_searchable(self, tracking_store):
        """search_runs filters on datasets.name, datasets.digest and datasets.context (=, !=, LIKE, IN)."""
        experiment_id = new_experiment(tracking_store)
        a = new_run(tracking_store, experiment_id).info.run_id
        b = new_run(tracking_store, experiment_id).info.run_id
        new_run(tracking_store, experiment_id)
        tracking_store.log_inputs(a, [dataset_input("train-set", "aaa", "training")])
        tracking_store.log_inputs(b, [dataset_input("test-set", "bbb", "testing")])

        def find(flt):
            return set(search_ids(tracking_store, [experiment_id], flt))

        assert find("datasets.name = 'train-set'") == {a}
        assert find("datasets.name LIKE '%-set'") == {a, b}
        assert find("datasets.digest IN ('bbb')") == {b}
        assert find("datasets.context = 'training'") == {a}
        assert find("datasets.name != 'train-set'") == {b}
