"""Experiments: create, get, get_by_name, search, rename, delete/restore, experiment tags."""

from __future__ import annotations

from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ..shared.pagination import all_pages
from ._helpers import new_experiment, new_run, now_ms


class ExperimentClauses:
    """Clauses of the ``tracking_store/experiments/*`` family."""


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


    @clause("tracking_store/experiments/delete-cascades-to-runs")
    def test_experiments_delete_cascades_to_runs(self, tracking_store):
        """Deleting an experiment soft-deletes its runs; restoring it makes them active again."""
        experiment_id = new_experiment(tracking_store)
        run_id = new_run(tracking_store, experiment_id).info.run_id
        tracking_store.delete_experiment(experiment_id)
        assert tracking_store.get_run(run_id).info.lifecycle_stage == "deleted", \
            "a run of a deleted experiment must be deleted too"
        tracking_store.restore_experiment(experiment_id)
        assert tracking_store.get_run(run_id).info.lifecycle_stage == "active", \
            "restoring an experiment must restore the runs its deletion deleted"

    @clause("tracking_store/experiments/restore-unknown")
    def test_experiments_restore_unknown(self, tracking_store):
        """Restoring an unknown experiment id raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="restoring an unknown experiment id"):
            tracking_store.restore_experiment("987654321")

    @clause("tracking_store/experiments/rename-unknown")
    def test_experiments_rename_unknown(self, tracking_store):
        """Renaming an unknown experiment id raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="renaming an unknown experiment id"):
            tracking_store.rename_experiment("987654321", unique_name("renamed"))

    @clause("tracking_store/experiments/tags-set-and-delete")
    def test_experiments_tags_set_and_delete(self, tracking_store):
        """set_experiment_tag adds and overwrites a tag (values up to 5000 characters); delete_experiment_tag
        (from MLflow 3.2) removes it."""
        import mlflow
        from mlflow.entities import ExperimentTag

        from ...capabilities import version_at_least

        experiment_id = new_experiment(tracking_store)
        tracking_store.set_experiment_tag(experiment_id, ExperimentTag("k", "v1"))
        assert tracking_store.get_experiment(experiment_id).tags.get("k") == "v1"
        tracking_store.set_experiment_tag(experiment_id, ExperimentTag("k", "v2"))
        assert tracking_store.get_experiment(experiment_id).tags.get("k") == "v2", "a tag set twice keeps the last value"
        long_value = "x" * 5000
        tracking_store.set_experiment_tag(experiment_id, ExperimentTag("long", long_value))
        assert tracking_store.get_experiment(experiment_id).tags.get("long") == long_value
        # delete_experiment_tag is part of the store interface from MLflow 3.2 (AbstractStore, SqlAlchemyStore).
        if version_at_least(mlflow.__version__, "3.2"):
            tracking_store.delete_experiment_tag(experiment_id, "k")
            assert "k" not in tracking_store.get_experiment(experiment_id).tags

    # MLflow 3.16 raised mlflow.utils.validation.MAX_EXPERIMENT_TAG_VAL_LENGTH from 5000 to 20000.
    @clause("tracking_store/experiments/tag-value-20000", since="3.16")
    def test_experiments_tag_value_20000(self, tracking_store):
        """An experiment tag value of 20000 characters is stored whole."""
        from mlflow.entities import ExperimentTag

        experiment_id = new_experiment(tracking_store)
        long_value = "x" * 19_999 + "é"
        tracking_store.set_experiment_tag(experiment_id, ExperimentTag("long", long_value))
        assert tracking_store.get_experiment(experiment_id).tags.get("long") == long_value

    # MLflow 3.2: AbstractStore / SqlAlchemyStore.delete_experiment_tag (absent in 3.1.0).
    @clause("tracking_store/experiments/tags-delete-missing", since="3.2")
    def test_experiments_tags_delete_missing(self, tracking_store):
        """Deleting an experiment tag that does not exist raises RESOURCE_DOES_NOT_EXIST."""
        experiment_id = new_experiment(tracking_store)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="deleting a missing experiment tag"):
            tracking_store.delete_experiment_tag(experiment_id, "never-set")

    # -- search_experiments ----------------------------------------------------------------------------------

    def _search_ids(self, store, filter_string, view_type=None, order_by=None, max_results=1000):
        from mlflow.entities import ViewType

        found, _ = all_pages(
            lambda max_results, page_token: store.search_experiments(
                view_type=view_type or ViewType.ACTIVE_ONLY, max_results=max_results, filter_string=filter_string,
                order_by=order_by, page_token=page_token),
            max_results)
        return [e.experiment_id for e in found]

    @clause("tracking_store/experiments/search-by-name")
    def test_experiments_search_by_name(self, tracking_store):
        """search_experiments filters on `name` with =, !=, LIKE (case-sensitive) and ILIKE (case-insensitive)."""
        stem = unique_name("Srch")
        a = tracking_store.create_experiment(stem + "-Alpha")
        b = tracking_store.create_experiment(stem + "-beta")
        assert self._search_ids(tracking_store, f"name = '{stem}-Alpha'") == [a]
        assert set(self._search_ids(tracking_store, f"name LIKE '{stem}-%'")) == {a, b}
        assert self._search_ids(tracking_store, f"name LIKE '{stem}-alpha'") == [], "LIKE is case-sensitive"
        assert self._search_ids(tracking_store, f"name ILIKE '{stem.lower()}-alpha'") == [a], \
            "ILIKE is case-insensitive"
        assert set(self._search_ids(tracking_store, f"name LIKE '{stem}-%' AND name != '{stem}-beta'")) == {a}

    @clause("tracking_store/experiments/search-by-tag")
    def test_experiments_search_by_tag(self, tracking_store):
        """search_experiments filters on `tags.<key>` with = and LIKE."""
        from mlflow.entities import ExperimentTag

        marker = unique_name("mark")
        a = new_experiment(tracking_store, tags=[ExperimentTag("marker", marker), ExperimentTag("kind", "red")])
        b = new_experiment(tracking_store, tags=[ExperimentTag("marker", marker), ExperimentTag("kind", "blue")])
        assert set(self._search_ids(tracking_store, f"tags.marker = '{marker}'")) == {a, b}
        assert self._search_ids(tracking_store, f"tags.marker = '{marker}' AND tags.kind = 'red'") == [a]
        assert self._search_ids(tracking_store, f"tags.marker = '{marker}' AND tags.kind LIKE 'bl%'") == [b]

    @clause("tracking_store/experiments/search-by-time")
    def test_experiments_search_by_time(self, tracking_store):
        """search_experiments filters on creation_time and last_update_time with numeric comparators."""
        stem = unique_name("time")
        before = now_ms() - 1
        a = tracking_store.create_experiment(stem + "-a")
        created = tracking_store.get_experiment(a).creation_time
        assert created is not None and created >= before - 1000, "creation_time must be set (ms since epoch)"
        assert self._search_ids(tracking_store, f"name LIKE '{stem}%' AND creation_time >= {created}") == [a]
        assert self._search_ids(tracking_store, f"name LIKE '{stem}%' AND creation_time < {created}") == []
        assert self._search_ids(tracking_store,
                                f"name LIKE '{stem}%' AND last_update_time >= {created}") == [a]

    @clause("tracking_store/experiments/search-order-by")
    def test_experiments_search_order_by(self, tracking_store):
        """order_by on name ASC/DESC orders results; the default order is creation_time DESC."""
        stem = unique_name("ord")
        ids = []
        for suffix in ("b", "a", "c"):
            ids.append(tracking_store.create_experiment(f"{stem}-{suffix}"))
        by_name = dict(zip("bac", ids))
        asc = self._search_ids(tracking_store, f"name LIKE '{stem}-%'", order_by=["name ASC"])
        assert asc == [by_name["a"], by_name["b"], by_name["c"]]
        desc = self._search_ids(tracking_store, f"name LIKE '{stem}-%'", order_by=["name DESC"])
        assert desc == [by_name["c"], by_name["b"], by_name["a"]]
        default = self._search_ids(tracking_store, f"name LIKE '{stem}-%'")
        times = [tracking_store.get_experiment(i).creation_time for i in default]
        assert times == sorted(times, reverse=True), "the default order is creation_time DESC"

    @clause("tracking_store/experiments/search-pagination")
    def test_experiments_search_pagination(self, tracking_store):
        """Paging search_experiments with max_results visits each match exactly once (no duplicate, none
        skipped), pages hold at most max_results, and the last page's token is None."""
        stem = unique_name("page")
        created = {tracking_store.create_experiment(f"{stem}-{i}") for i in range(7)}
        for size in (1, 3, 7, 10):
            seen = self._search_ids(tracking_store, f"name LIKE '{stem}-%'", max_results=size)
            assert len(seen) == len(set(seen)), f"an experiment came twice across pages of {size}"
            assert set(seen) == created, f"pages of {size} skipped {created - set(seen)}"

    @clause("tracking_store/experiments/search-bad-page-token")
    def test_experiments_search_bad_page_token(self, tracking_store):
        """A page token that the store did not issue raises INVALID_PARAMETER_VALUE."""
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="searching experiments with a garbage page token"):
            tracking_store.search_experiments(page_token="not-a-real-token")

    @clause("tracking_store/experiments/search-max-results-bounds")
    def test_experiments_search_max_results_bounds(self, tracking_store):
        """max_results must be a positive integer no larger than 50000: 0 and 50001 raise
        INVALID_PARAMETER_VALUE."""
        for bad in (0, 50001):
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"searching experiments with max_results={bad}"):
                tracking_store.search_experiments(max_results=bad)

    @clause("tracking_store/experiments/search-view-types")
    def test_experiments_search_view_types(self, tracking_store):
        """view_type ACTIVE_ONLY hides deleted experiments, DELETED_ONLY shows only them, ALL shows both."""
        from mlflow.entities import ViewType

        stem = unique_name("view")
        active = tracking_store.create_experiment(stem + "-active")
        deleted = tracking_store.create_experiment(stem + "-deleted")
        tracking_store.delete_experiment(deleted)
        flt = f"name LIKE '{stem}-%'"
        assert self._search_ids(tracking_store, flt, ViewType.ACTIVE_ONLY) == [active]
        assert self._search_ids(tracking_store, flt, ViewType.DELETED_ONLY) == [deleted]
        assert set(self._search_ids(tracking_store, flt, ViewType.ALL)) == {active, deleted}

    @clause("tracking_store/experiments/search-invalid-filter")
    def test_experiments_search_invalid_filter(self, tracking_store):
        """A malformed experiment filter raises INVALID_PARAMETER_VALUE."""
        for bad in ("name = ", "nonsense.key = 'x'", "name ~ 'x'"):
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"searching experiments with filter {bad!r}"):
                tracking_store.search_experiments(filter_string=bad)
