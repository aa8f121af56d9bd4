"""The tracking-store contract (``mlflow.tracking_store``).

Subclass :class:`TrackingStoreContract` and provide a ``tracking_store`` fixture returning the store under test.
Each clause names the behaviour of ``mlflow.store.tracking.abstract_store.AbstractStore`` (and of MLflow's
reference ``SqlAlchemyStore``) that MLflow's client relies on.
"""

from __future__ import annotations

from ._support import raises_mlflow_error, unique_name
from .base import ContractBase, clause, required_fixture

_EXAMPLE = """    @pytest.fixture
    def tracking_store(self, tmp_path):
        return MyStore(f"my-scheme://{tmp_path}")"""


class TrackingStoreContract(ContractBase):
    """Contract clauses for a tracking store. Provide the ``tracking_store`` fixture."""

    kind_key = "tracking_store"
    target_fixture = "tracking_store"

    tracking_store = required_fixture("tracking_store", "TrackingStoreContract", _EXAMPLE)

    # -- experiments -------------------------------------------------------------------------------------------

    @clause("tracking_store/experiments/create-and-get")
    def test_experiments_create_and_get(self, tracking_store):
        """create_experiment returns a string id; get_experiment returns it active, with its name and a
        non-empty artifact location."""
        name = unique_name("exp")
        experiment_id = tracking_store.create_experiment(name)
        assert isinstance(experiment_id, str) and experiment_id, f"create_experiment returned {experiment_id!r}"
        experiment = tracking_store.get_experiment(experiment_id)
        assert experiment is not None, "get_experiment returned None for an id create_experiment just returned"
        assert experiment.experiment_id == experiment_id
        assert experiment.name == name
        assert experiment.lifecycle_stage == "active"
        assert experiment.artifact_location, "an experiment needs an artifact location for its runs' artifacts"

    @clause("tracking_store/experiments/create-with-tags")
    def test_experiments_create_with_tags(self, tracking_store):
        """Tags passed to create_experiment are stored with the experiment."""
        from mlflow.entities import ExperimentTag

        name = unique_name("exp")
        experiment_id = tracking_store.create_experiment(
            name, tags=[ExperimentTag("team", "conformance"), ExperimentTag("unicode", "ü ✓ 数据")]
        )
        tags = tracking_store.get_experiment(experiment_id).tags
        assert tags.get("team") == "conformance"
        assert tags.get("unicode") == "ü ✓ 数据"

    @clause("tracking_store/experiments/create-with-artifact-location")
    def test_experiments_create_with_artifact_location(self, tracking_store, tmp_path):
        """An explicit artifact_location is kept as given."""
        location = (tmp_path / "explicit-artifacts").as_uri()
        experiment_id = tracking_store.create_experiment(unique_name("exp"), artifact_location=location)
        assert tracking_store.get_experiment(experiment_id).artifact_location == location

    @clause("tracking_store/experiments/duplicate-name")
    def test_experiments_duplicate_name(self, tracking_store):
        """Creating a second experiment with an existing name raises RESOURCE_ALREADY_EXISTS."""
        name = unique_name("exp")
        tracking_store.create_experiment(name)
        with raises_mlflow_error("RESOURCE_ALREADY_EXISTS", doing="creating an experiment whose name exists"):
            tracking_store.create_experiment(name)

    @clause("tracking_store/experiments/invalid-name")
    def test_experiments_invalid_name(self, tracking_store):
        """An empty experiment name raises INVALID_PARAMETER_VALUE."""
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="creating an experiment named ''"):
            tracking_store.create_experiment("")

    @clause("tracking_store/experiments/get-unknown")
    def test_experiments_get_unknown(self, tracking_store):
        """get_experiment of an id that does not exist raises RESOURCE_DOES_NOT_EXIST (HTTP 404)."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown experiment id"):
            tracking_store.get_experiment("987654321")

    @clause("tracking_store/experiments/get-by-name")
    def test_experiments_get_by_name(self, tracking_store):
        """get_experiment_by_name finds an experiment by its exact name and returns None when none has it."""
        name = unique_name("exp")
        experiment_id = tracking_store.create_experiment(name)
        found = tracking_store.get_experiment_by_name(name)
        assert found is not None, "get_experiment_by_name returned None for an existing experiment"
        assert found.experiment_id == experiment_id
        assert tracking_store.get_experiment_by_name(unique_name("missing")) is None

    @clause("tracking_store/experiments/get-by-name-deleted")
    def test_experiments_get_by_name_deleted(self, tracking_store):
        """get_experiment_by_name also returns a deleted experiment (MLflow's client uses it to refuse reuse)."""
        name = unique_name("exp")
        experiment_id = tracking_store.create_experiment(name)
        tracking_store.delete_experiment(experiment_id)
        found = tracking_store.get_experiment_by_name(name)
        assert found is not None, "a deleted experiment must still be found by name"
        assert found.lifecycle_stage == "deleted"

    @clause("tracking_store/experiments/rename")
    def test_experiments_rename(self, tracking_store):
        """rename_experiment changes the name: the new name finds it, the old one no longer does."""
        old, new = unique_name("exp"), unique_name("renamed")
        experiment_id = tracking_store.create_experiment(old)
        tracking_store.rename_experiment(experiment_id, new)
        assert tracking_store.get_experiment(experiment_id).name == new
        assert tracking_store.get_experiment_by_name(old) is None
        found = tracking_store.get_experiment_by_name(new)
        assert found is not None and found.experiment_id == experiment_id

    @clause("tracking_store/experiments/rename-deleted")
    def test_experiments_rename_deleted(self, tracking_store):
        """Renaming a deleted experiment raises INVALID_STATE and keeps the old name."""
        name = unique_name("exp")
        experiment_id = tracking_store.create_experiment(name)
        tracking_store.delete_experiment(experiment_id)
        with raises_mlflow_error("INVALID_STATE", doing="renaming a deleted experiment"):
            tracking_store.rename_experiment(experiment_id, unique_name("renamed"))
        assert tracking_store.get_experiment(experiment_id).name == name

    @clause("tracking_store/experiments/delete-and-restore")
    def test_experiments_delete_and_restore(self, tracking_store):
        """delete_experiment soft-deletes (lifecycle 'deleted', still gettable); restore makes it active again."""
        experiment_id = tracking_store.create_experiment(unique_name("exp"))
        tracking_store.delete_experiment(experiment_id)
        assert tracking_store.get_experiment(experiment_id).lifecycle_stage == "deleted"
        tracking_store.restore_experiment(experiment_id)
        assert tracking_store.get_experiment(experiment_id).lifecycle_stage == "active"

    @clause("tracking_store/experiments/delete-unknown")
    def test_experiments_delete_unknown(self, tracking_store):
        """Deleting an unknown experiment id raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="deleting an unknown experiment id"):
            tracking_store.delete_experiment("987654321")

