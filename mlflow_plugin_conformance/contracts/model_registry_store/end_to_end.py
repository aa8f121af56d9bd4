"""End to end: MLflow's public API (mlflow.register_model, MlflowClient) builds the store from its URI."""

from __future__ import annotations

import os
import warnings

import pytest

from .._support import error_code_of, unique_name
from ..base import clause
from ..shared.mlflow_uris import mlflow_pointed_at
from ._helpers import tags_of, versions_of


class EndToEndClauses:
    """Clauses of the ``model_registry_store/end-to-end/*`` family."""

    @clause("model_registry_store/end-to-end/register-model")
    def test_end_to_end_register_model(self, model_registry_store, registry_uri, registry_tracking_uri, tmp_path):
        """``mlflow.register_model`` with the registry URI set to the plugin's creates the model and version 1;
        registering again adds version 2 (it relies on RESOURCE_ALREADY_EXISTS for the existing model)."""
        import mlflow
        from mlflow.exceptions import MlflowException

        model_dir = tmp_path / "model"
        model_dir.mkdir()
        (model_dir / "weights.txt").write_text("conformance")
        name = unique_name("registered")
        with mlflow_pointed_at(tracking_uri=registry_tracking_uri, registry_uri=registry_uri):
            first = mlflow.register_model(model_dir.as_uri(), name, await_registration_for=0)
            second = mlflow.register_model(model_dir.as_uri(), name, await_registration_for=0, tags={"k": "v"})
        assert (first.name, str(first.version)) == (name, "1")
        assert (second.name, str(second.version)) == (name, "2")
        try:
            stored = model_registry_store.get_model_version(name, "2")
        except MlflowException as exc:
            pytest.fail(f"version 2 that mlflow.register_model created through {registry_uri!r} is not in the "
                        f"store under test ({exc.error_code}): stores built from the same URI must share their "
                        "data (MLflow's client builds its own)", pytrace=False)
        assert tags_of(stored) == {"k": "v"}, "the tags given to mlflow.register_model were not stored"

    @clause("model_registry_store/end-to-end/register-model-from-run")
    def test_end_to_end_register_model_from_run(self, model_registry_store, registry_uri, registry_tracking_uri,
                                                tmp_path):
        """``mlflow.register_model("runs:/<run_id>/model", name)`` stores the run id and the run's artifact
        location as the source; ``models:/name/1`` downloads the run's model files."""
        import mlflow
        from mlflow import MlflowClient

        model_dir = tmp_path / "model"
        model_dir.mkdir()
        (model_dir / "MLmodel").write_text("artifact_path: model\nflavors: {}\n")
        (model_dir / "weights.txt").write_text("conformance")
        client = MlflowClient(tracking_uri=registry_tracking_uri, registry_uri=registry_uri)
        experiment_id = client.create_experiment(unique_name("registry-runs"),
                                                 artifact_location=(tmp_path / "artifacts").as_uri())
        run_id = client.create_run(experiment_id).info.run_id
        client.log_artifacts(run_id, str(model_dir), "model")
        client.set_terminated(run_id)
        name = unique_name("from-run")
        with mlflow_pointed_at(tracking_uri=registry_tracking_uri, registry_uri=registry_uri):
            mv = mlflow.register_model(f"runs:/{run_id}/model", name, await_registration_for=0)
            local = mlflow.artifacts.download_artifacts(f"models:/{name}/1", dst_path=str(tmp_path / "dl"))
        stored = model_registry_store.get_model_version(name, str(mv.version))
        assert stored.run_id == run_id, f"run_id {stored.run_id!r} stored, expected {run_id!r}"
        assert stored.source and stored.source.rstrip("/").endswith("model"), \
            f"the source {stored.source!r} is not the run's model artifact location"
        assert {"MLmodel", "weights.txt"} <= set(os.listdir(local)), \
            f"models:/{name}/1 downloaded {sorted(os.listdir(local))}"

    @clause("model_registry_store/end-to-end/client-registry-calls")
    def test_end_to_end_client_registry_calls(self, registry_uri, registry_tracking_uri, tmp_path):
        """``MlflowClient(registry_uri=...)`` drives the store end to end: create model and version, alias,
        stage, search, update, rename, download of ``models:/name@alias``, delete."""
        import mlflow
        from mlflow import MlflowClient

        model_dir = tmp_path / "model"
        model_dir.mkdir()
        (model_dir / "weights.txt").write_text("conformance")
        name, new_name = unique_name("client"), unique_name("client-renamed")
        client = MlflowClient(tracking_uri=registry_tracking_uri, registry_uri=registry_uri)
        client.create_registered_model(name, tags={"team": "x"}, description="via client")
        mv = client.create_model_version(name, model_dir.as_uri(), run_id=None, tags={"k": "v"})
        assert str(mv.version) == "1"
        client.set_registered_model_alias(name, "champion", "1")
        assert str(client.get_model_version_by_alias(name, "champion").version) == "1"
        with warnings.catch_warnings():  # stages are deprecated in the client, still served by every store
            warnings.simplefilter("ignore", FutureWarning)
            client.transition_model_version_stage(name, "1", "staging")
            latest = client.get_latest_versions(name, stages=["Staging"])
        assert client.get_model_version(name, "1").current_stage == "Staging"
        assert [str(v.version) for v in latest] == ["1"]
        assert [m.name for m in client.search_registered_models(f"name = '{name}'")] == [name]
        assert versions_of(client.search_model_versions(f"name = '{name}'")) == [(name, "1")]
        client.update_registered_model(name, description="changed")
        assert client.get_registered_model(name).description == "changed"
        assert client.get_model_version_download_uri(name, "1") == model_dir.as_uri()
        with mlflow_pointed_at(tracking_uri=registry_tracking_uri, registry_uri=registry_uri):
            local = mlflow.artifacts.download_artifacts(f"models:/{name}@champion", dst_path=str(tmp_path / "dl"))
        assert (tmp_path / "dl").exists() and "weights.txt" in os.listdir(local), \
            f"models:/{name}@champion did not download the version's artifacts"
        client.rename_registered_model(name, new_name)
        assert str(client.get_model_version_by_alias(new_name, "champion").version) == "1"
        client.delete_registered_model(new_name)
        try:
            client.get_registered_model(new_name)
        except mlflow.exceptions.MlflowException as exc:
            assert error_code_of(exc) == "RESOURCE_DOES_NOT_EXIST", exc.error_code
        else:
            pytest.fail("the deleted model is still returned through MlflowClient", pytrace=False)
