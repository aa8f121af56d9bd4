"""End to end through MLflow's public API (``mlflow.start_run()``, ``MlflowClient``) on the plugin's URI."""

from __future__ import annotations

import contextlib
import os

import pytest

from .._support import unique_name
from ...outcomes import not_run
from ..base import clause


@contextlib.contextmanager
def using_tracking_uri(uri: str):
    """Point MLflow's fluent API at ``uri`` for the block; restore the previous URI (and env var) after."""
    import mlflow
    from mlflow.tracking._tracking_service import utils

    old_uri = getattr(utils, "_tracking_uri", None)
    old_env = os.environ.get("MLFLOW_TRACKING_URI")
    mlflow.set_tracking_uri(uri)
    try:
        yield
    finally:
        while mlflow.active_run() is not None:
            mlflow.end_run()
        mlflow.set_tracking_uri(old_uri)
        if old_env is not None:
            os.environ["MLFLOW_TRACKING_URI"] = old_env


def _require_uri(tracking_uri):
    if not tracking_uri:
        not_run("no tracking URI for the end-to-end clauses (the store exposes no "
                    "plugin_uri/store_uri; override the `tracking_uri` fixture to provide one)")


class EndToEndClauses:
    """Clauses of the ``tracking_store/end-to-end/*`` family."""

    @clause("tracking_store/end-to-end/fluent-api")
    def test_end_to_end_fluent_api(self, tracking_uri, tmp_path):
        """Through MLflow's public API on the plugin's URI: start_run, log_metric, log_param, set_tag,
        log_artifact, end_run; then search_runs and MlflowClient read back exactly what was logged."""
        _require_uri(tracking_uri)
        import mlflow
        from mlflow import MlflowClient

        artifact = tmp_path / "note.txt"
        artifact.write_text("hello from the conformance suite")
        with using_tracking_uri(tracking_uri):
            client = MlflowClient(tracking_uri)
            experiment_id = client.create_experiment(unique_name("e2e"),
                                                     artifact_location=(tmp_path / "artifacts").as_uri())
            with mlflow.start_run(experiment_id=experiment_id, run_name="e2e-run") as run:
                mlflow.log_metric("loss", 0.5, step=0)
                mlflow.log_metric("loss", 0.25, step=1)
                mlflow.log_param("lr", "0.01")
                mlflow.set_tag("stage", "test")
                mlflow.log_artifact(str(artifact))
                run_id = run.info.run_id
            found = mlflow.search_runs(experiment_ids=[experiment_id], filter_string="params.lr = '0.01'",
                                       output_format="list")
            assert [r.info.run_id for r in found] == [run_id], "mlflow.search_runs did not find the run"
            got = client.get_run(run_id)
            assert got.info.status == "FINISHED" and got.info.end_time is not None
            assert got.info.run_name == "e2e-run"
            assert got.data.metrics == {"loss": 0.25}
            assert got.data.params == {"lr": "0.01"}
            assert got.data.tags.get("stage") == "test"
            assert [(m.step, m.value) for m in client.get_metric_history(run_id, "loss")] == [(0, 0.5), (1, 0.25)]
            assert [f.path for f in client.list_artifacts(run_id)] == ["note.txt"]

    @clause("tracking_store/end-to-end/client-api")
    def test_end_to_end_client_api(self, tracking_uri):
        """Through MlflowClient on the plugin's URI: experiments by name, set/delete tags, log_batch, rename,
        delete and restore of runs behave as on MLflow's own stores."""
        _require_uri(tracking_uri)
        from mlflow import MlflowClient
        from mlflow.entities import Metric, Param, RunTag

        with using_tracking_uri(tracking_uri):
            client = MlflowClient(tracking_uri)
            name = unique_name("e2e-client")
            experiment_id = client.create_experiment(name, tags={"team": "conformance"})
            assert client.get_experiment_by_name(name).experiment_id == experiment_id
            run = client.create_run(experiment_id, run_name="client-run")
            run_id = run.info.run_id
            client.log_batch(run_id, metrics=[Metric("m", 1.0, 1, 0)], params=[Param("p", "v")],
                             tags=[RunTag("t", "v")])
            client.set_tag(run_id, "mlflow.runName", "renamed")
            client.delete_tag(run_id, "t")
            client.set_terminated(run_id, "KILLED")
            got = client.get_run(run_id)
            assert got.info.run_name == "renamed" and got.info.status == "KILLED"
            assert "t" not in got.data.tags and got.data.params == {"p": "v"}
            client.delete_run(run_id)
            assert client.get_run(run_id).info.lifecycle_stage == "deleted"
            client.restore_run(run_id)
            assert [r.info.run_id for r in client.search_runs([experiment_id])] == [run_id]
