"""End to end through MLflow's public API: a run whose artifact location is the plugin's URI."""

from __future__ import annotations

from pathlib import Path

from .._support import unique_name
from ..base import clause
from ..shared.mlflow_uris import mlflow_pointed_at
from ._helpers import files_of, mk, read_local_tree, write_file


class EndToEndClauses:
    """Clauses of the ``artifact_repository/end-to-end/*`` family."""

    @clause("artifact_repository/end-to-end/run-artifacts")
    def test_end_to_end_run_artifacts(self, artifact_repository_factory, tmp_path):
        """A run whose experiment's artifact location uses the plugin's URI works through MLflow's public API:
        mlflow.log_artifact / log_artifacts store into the plugin's repository, MlflowClient.list_artifacts
        lists them and mlflow.artifacts.download_artifacts returns them byte for byte."""
        import mlflow
        from mlflow import MlflowClient

        sub = unique_name("api")
        location = artifact_repository_factory(sub)
        tracking_uri = f"sqlite:///{(tmp_path / 'tracking.db').as_posix()}"
        with mlflow_pointed_at(tracking_uri=tracking_uri):
            client = MlflowClient(tracking_uri)
            experiment_id = client.create_experiment(unique_name("exp"), artifact_location=location.artifact_uri)
            data = bytes(range(256)) + b"\r\n"
            write_file(tmp_path / "tree" / "nested" / "n.txt", b"nested")
            with mlflow.start_run(experiment_id=experiment_id) as run:
                mlflow.log_artifact(str(write_file(tmp_path / "model.bin", data)), "outputs")
                mlflow.log_artifacts(str(tmp_path / "tree"), "tree")
            run_id = run.info.run_id
            listed = sorted((i.path, i.is_dir, i.file_size) for i in client.list_artifacts(run_id, "outputs"))
            assert listed == [("outputs/model.bin", False, len(data))]
            assert sorted(i.path for i in client.list_artifacts(run_id)) == ["outputs", "tree"]
            dst = mk(tmp_path / "dl")
            local = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="outputs/model.bin",
                                                        dst_path=str(dst))
            assert Path(local).read_bytes() == data
            local_tree = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="tree",
                                                             dst_path=str(mk(tmp_path / "dl2")))
            assert read_local_tree(local_tree)[0] == {"nested/n.txt": b"nested"}
            stored = files_of(location)
            assert stored.get(f"{run_id}/artifacts/outputs/model.bin") == len(data), (
                f"the run's artifact did not land in the plugin's repository: it holds {sorted(stored)}")
