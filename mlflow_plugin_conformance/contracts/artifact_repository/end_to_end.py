"""End to end through MLflow's public API: a run whose experiment's artifact location is the plugin's URI (built
by MLflow's registry from that URI, so the scheme must be registered: an entry point). Each write path of the
fluent API (``mlflow.log_artifact``, ``mlflow.log_artifacts``) is its own clause."""

from __future__ import annotations

from pathlib import Path

from .._support import unique_name
from ..base import clause
from ..shared.mlflow_uris import mlflow_pointed_at
from ._helpers import files_of, mk, read_local_tree, write_file
from ._prerequisites import VIA_ROOT_LISTING, unless_blocked


def _tracking_uri(tmp_path: Path) -> str:
    """A fresh SQLite tracking store (a copy of MLflow's migrated schema) in ``tmp_path``."""
    from ...reference import fresh_sqlite_uri

    return fresh_sqlite_uri(tmp_path, "tracking")


def _run_in(location, tracking_uri: str, log):
    """Start a run in a new experiment whose artifact location is ``location``'s URI and call ``log()`` inside
    it; return ``(client, run_id)``."""
    import mlflow
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri)
    experiment_id = client.create_experiment(unique_name("exp"), artifact_location=location.artifact_uri)
    with mlflow.start_run(experiment_id=experiment_id) as run:
        log()
    return client, run.info.run_id


class EndToEndClauses:
    """Clauses of the ``artifact_repository/end-to-end/*`` family."""

    @clause("artifact_repository/end-to-end/file-artifact")
    def test_end_to_end_file_artifact(self, artifact_repository_factory, tmp_path):
        """mlflow.log_artifact in a run whose artifact location is the plugin's URI stores the file in the
        plugin's repository (``<run_id>/artifacts/<path>``); MlflowClient.list_artifacts lists it and
        mlflow.artifacts.download_artifacts returns it byte for byte."""
        import mlflow

        location = artifact_repository_factory(unique_name("api"))
        data = bytes(range(256)) + b"\r\n"
        source = write_file(tmp_path / "model.bin", data)
        tracking_uri = _tracking_uri(tmp_path)
        with mlflow_pointed_at(tracking_uri=tracking_uri):
            client, run_id = _run_in(location, tracking_uri, lambda: mlflow.log_artifact(str(source), "outputs"))
            with unless_blocked(location, tmp_path, VIA_ROOT_LISTING):
                listed = sorted((i.path, i.is_dir, i.file_size) for i in client.list_artifacts(run_id, "outputs"))
                assert listed == [("outputs/model.bin", False, len(data))], f"MlflowClient.list_artifacts: {listed}"
                assert [i.path for i in client.list_artifacts(run_id)] == ["outputs"]
                local = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="outputs/model.bin",
                                                            dst_path=str(mk(tmp_path / "dl")))
                assert Path(local).read_bytes() == data
                _assert_landed(files_of(location), f"{run_id}/artifacts/outputs/model.bin", len(data))

    @clause("artifact_repository/end-to-end/tree-artifacts")
    def test_end_to_end_tree_artifacts(self, artifact_repository_factory, tmp_path):
        """mlflow.log_artifacts of a nested tree in a run whose artifact location is the plugin's URI stores the
        tree in the plugin's repository; mlflow.artifacts.download_artifacts of the directory returns it byte
        for byte."""
        import mlflow

        location = artifact_repository_factory(unique_name("api"))
        write_file(tmp_path / "tree" / "top.txt", b"top")
        write_file(tmp_path / "tree" / "nested" / "n.txt", b"nested")
        tracking_uri = _tracking_uri(tmp_path)
        with mlflow_pointed_at(tracking_uri=tracking_uri):
            _, run_id = _run_in(location, tracking_uri, lambda: mlflow.log_artifacts(str(tmp_path / "tree"), "tree"))
            with unless_blocked(location, tmp_path, VIA_ROOT_LISTING):
                local = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="tree",
                                                            dst_path=str(mk(tmp_path / "dl")))
                got = read_local_tree(local)[0]
                assert got == {"top.txt": b"top", "nested/n.txt": b"nested"}, f"downloaded {sorted(got)}"
                _assert_landed(files_of(location), f"{run_id}/artifacts/tree/nested/n.txt", len(b"nested"))


def _assert_landed(stored: dict[str, int], path: str, size: int) -> None:
    """The plugin's repository lists ``path`` (the run's artifact) with its size in bytes."""
    assert path in stored, f"the run's artifact did not land in the plugin's repository: it holds {sorted(stored)}"
    assert stored[path] == size, (f"the run's artifact {path!r} is in the plugin's repository, listed with file_size "
                                  f"{stored[path]!r}, not its size in bytes ({size})")
