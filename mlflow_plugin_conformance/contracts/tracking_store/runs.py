"""Runs: create, get, update_run_info, delete/restore, run name and ``mlflow.runName``, artifact URI."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ._helpers import new_experiment, new_run, now_ms

RUN_NAME_TAG = "mlflow.runName"


class RunClauses:
    """Clauses of the ``tracking_store/runs/*`` family."""

    @clause("tracking_store/runs/create-and-get")
    def test_runs_create_and_get(self, tracking_store):
        """create_run returns a RUNNING, active run with the given experiment, user, start time and tags;
        get_run returns the same run."""
        from mlflow.entities import RunTag

        experiment_id = new_experiment(tracking_store)
        start = now_ms() - 5000
        run = new_run(tracking_store, experiment_id, start_time=start, tags=[RunTag("team", "conformance")],
                      run_name="first-run", user_id="alice")
        run_id = run.info.run_id
        assert isinstance(run_id, str) and run_id, f"create_run returned run id {run_id!r}"
        got = tracking_store.get_run(run_id)
        for label, r in (("create_run", run), ("get_run", got)):
            assert r.info.run_id == run_id
            assert r.info.experiment_id == experiment_id, f"{label}: experiment id {r.info.experiment_id!r}"
            assert r.info.status == "RUNNING", f"{label}: a new run is RUNNING, got {r.info.status}"
            assert r.info.lifecycle_stage == "active"
            assert r.info.start_time == start, f"{label}: start_time {r.info.start_time} != {start}"
            assert r.info.user_id == "alice"
            assert r.info.end_time is None, f"{label}: a new run has no end_time"
        assert got.data.tags.get("team") == "conformance"

    @clause("tracking_store/runs/get-unknown")
    def test_runs_get_unknown(self, tracking_store):
        """get_run of an unknown run id raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown run id"):
            tracking_store.get_run("0" * 32)

    @clause("tracking_store/runs/create-in-unknown-experiment")
    def test_runs_create_in_unknown_experiment(self, tracking_store):
        """create_run in an experiment that does not exist raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="creating a run in an unknown experiment"):
            new_run(tracking_store, "987654321")

    @clause("tracking_store/runs/create-in-deleted-experiment")
    def test_runs_create_in_deleted_experiment(self, tracking_store):
        """create_run in a deleted experiment raises INVALID_PARAMETER_VALUE."""
        experiment_id = new_experiment(tracking_store)
        tracking_store.delete_experiment(experiment_id)
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="creating a run in a deleted experiment"):
            new_run(tracking_store, experiment_id)

    @clause("tracking_store/runs/run-name-sets-tag")
    def test_runs_run_name_sets_tag(self, tracking_store):
        """The run_name given to create_run is the run's name and its `mlflow.runName` tag; without a name the
        store generates one and tags it."""
        named = new_run(tracking_store, run_name="my-run")
        got = tracking_store.get_run(named.info.run_id)
        assert got.info.run_name == "my-run"
        assert got.data.tags.get(RUN_NAME_TAG) == "my-run", "create_run must set the mlflow.runName tag"
        anonymous = tracking_store.get_run(new_run(tracking_store).info.run_id)
        assert anonymous.info.run_name, "a run created without a name gets a generated one"
        assert anonymous.data.tags.get(RUN_NAME_TAG) == anonymous.info.run_name

    @clause("tracking_store/runs/run-name-from-tag")
    def test_runs_run_name_from_tag(self, tracking_store):
        """A run created with only an `mlflow.runName` tag takes its name from the tag."""
        from mlflow.entities import RunTag

        run = new_run(tracking_store, tags=[RunTag(RUN_NAME_TAG, "from-tag")])
        assert tracking_store.get_run(run.info.run_id).info.run_name == "from-tag"

    @clause("tracking_store/runs/set-run-name-tag-renames")
    def test_runs_set_run_name_tag_renames(self, tracking_store):
        """set_tag(`mlflow.runName`) renames the run (RunInfo.run_name follows the tag)."""
        from mlflow.entities import RunTag

        run_id = new_run(tracking_store, run_name="before").info.run_id
        tracking_store.set_tag(run_id, RunTag(RUN_NAME_TAG, "after"))
        got = tracking_store.get_run(run_id)
        assert got.info.run_name == "after", "setting mlflow.runName must update run_name"
        assert got.data.tags.get(RUN_NAME_TAG) == "after"

    @clause("tracking_store/runs/update-run-info")
    def test_runs_update_run_info(self, tracking_store):
        """update_run_info sets status, end time and name, returns the updated RunInfo, and the new name is
        mirrored in the `mlflow.runName` tag."""
        from mlflow.entities import RunStatus

        run_id = new_run(tracking_store, run_name="old-name").info.run_id
        end = now_ms()
        info = tracking_store.update_run_info(run_id, RunStatus.FINISHED, end, "new-name")
        assert info is not None, "update_run_info must return the updated RunInfo"
        assert info.status == "FINISHED" and info.end_time == end and info.run_name == "new-name"
        got = tracking_store.get_run(run_id)
        assert got.info.status == "FINISHED"
        assert got.info.end_time == end
        assert got.info.run_name == "new-name"
        assert got.data.tags.get(RUN_NAME_TAG) == "new-name", "update_run_info must keep mlflow.runName in sync"

    @clause("tracking_store/runs/update-run-info-statuses")
    def test_runs_update_run_info_statuses(self, tracking_store):
        """Every RunStatus (RUNNING, SCHEDULED, FINISHED, FAILED, KILLED) is stored and read back."""
        from mlflow.entities import RunStatus

        run_id = new_run(tracking_store, run_name="statuses").info.run_id
        for status in ("SCHEDULED", "RUNNING", "FAILED", "KILLED", "FINISHED"):
            tracking_store.update_run_info(run_id, RunStatus.from_string(status), now_ms(), "statuses")
            assert tracking_store.get_run(run_id).info.status == status

    @clause("tracking_store/runs/delete-and-restore")
    def test_runs_delete_and_restore(self, tracking_store):
        """delete_run soft-deletes (lifecycle 'deleted', still gettable); restore_run makes it active again."""
        run_id = new_run(tracking_store).info.run_id
        tracking_store.delete_run(run_id)
        assert tracking_store.get_run(run_id).info.lifecycle_stage == "deleted"
        tracking_store.restore_run(run_id)
        assert tracking_store.get_run(run_id).info.lifecycle_stage == "active"

    @clause("tracking_store/runs/delete-unknown")
    def test_runs_delete_unknown(self, tracking_store):
        """Deleting or restoring an unknown run id raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="deleting an unknown run"):
            tracking_store.delete_run("0" * 32)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="restoring an unknown run"):
            tracking_store.restore_run("0" * 32)

    @clause("tracking_store/runs/artifact-uri")
    def test_runs_artifact_uri(self, tracking_store):
        """A run's artifact URI is `<experiment artifact_location>/<run_id>/artifacts`."""
        # A short location: MLflow's own schema keeps a run's artifact URI in 200 characters (runs.artifact_uri is
        # VARCHAR(200), enforced by PostgreSQL and MySQL), and pytest's temporary paths can be longer than that.
        directory = tempfile.mkdtemp(prefix="a-")
        try:
            location = Path(directory).as_uri()
            experiment_id = new_experiment(tracking_store, artifact_location=location)
            run = new_run(tracking_store, experiment_id)
            expected = f"{location}/{run.info.run_id}/artifacts"
            assert run.info.artifact_uri == expected
            assert tracking_store.get_run(run.info.run_id).info.artifact_uri == expected
        finally:
            shutil.rmtree(directory, ignore_errors=True)

    @clause("tracking_store/runs/writes-to-deleted-run-rejected")
    def test_runs_writes_to_deleted_run_rejected(self, tracking_store):
        """log_metric, log_param, set_tag and log_batch on a deleted run raise INVALID_PARAMETER_VALUE and store
        nothing."""
        from mlflow.entities import Metric, Param, RunTag

        run_id = new_run(tracking_store).info.run_id
        tracking_store.delete_run(run_id)
        writes = {
            "log_metric": lambda: tracking_store.log_metric(run_id, Metric("m", 1.0, now_ms(), 0)),
            "log_param": lambda: tracking_store.log_param(run_id, Param("p", "v")),
            "set_tag": lambda: tracking_store.set_tag(run_id, RunTag("t", "v")),
            "log_batch": lambda: tracking_store.log_batch(run_id, [Metric("b", 1.0, now_ms(), 0)], [], []),
        }
        for name, write in writes.items():
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"calling {name} on a deleted run"):
                write()
        data = tracking_store.get_run(run_id).data
        assert not data.metrics and not data.params and "t" not in data.tags

    @clause("tracking_store/runs/writes-to-unknown-run")
    def test_runs_writes_to_unknown_run(self, tracking_store):
        """Writing to an unknown run id raises RESOURCE_DOES_NOT_EXIST."""
        from mlflow.entities import Metric, Param

        missing = "0" * 32
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="log_metric on an unknown run"):
            tracking_store.log_metric(missing, Metric("m", 1.0, now_ms(), 0))
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="log_param on an unknown run"):
            tracking_store.log_param(missing, Param("p", "v"))

    @clause("tracking_store/runs/unique-ids")
    def test_runs_unique_ids(self, tracking_store):
        """Run ids are unique and match MLflow's run-id syntax."""
        import re

        experiment_id = new_experiment(tracking_store)
        ids = [new_run(tracking_store, experiment_id, run_name=unique_name("r")).info.run_id for _ in range(5)]
        assert len(set(ids)) == 5
        for run_id in ids:
            assert re.match(r"^[a-zA-Z0-9][\w\-]{0,255}$", run_id), f"run id {run_id!r} is not a valid MLflow run id"
