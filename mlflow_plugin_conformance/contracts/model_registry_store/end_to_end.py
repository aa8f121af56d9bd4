"""End to end: MLflow's public API (mlflow.register_model, MlflowClient) builds the store from its URI."""

from __future__ import annotations

import os
import warnings

import pytest

from .._support import error_code_of, unique_name
from ..base import clause
from ..shared.mlflow_uris import mlflow_pointed_at
from ._helpers import tags_of, version_source, versions_of


def _files_logged_to_a_run(client, tmp_path, directories: dict[str, dict[str, str]]) -> tuple[str, dict[str, str]]:
    """Log each of ``directories`` ({artifact path: {file name: text}}) as artifacts of one new run, in an
    experiment whose artifacts are kept under ``tmp_path``; returns the run id and each directory's artifact URI.

    A version whose source lies in a run's artifacts (with that run's id) is what ``mlflow.register_model`` and
    ``log_model`` create, and the only kind of local source MLflow's tracking server accepts (its
    create_model_version handler refuses any other file:// source): the clauses use it so that they run the same
    in process and through a server."""
    experiment_id = client.create_experiment(unique_name("registry-runs"),
                                             artifact_location=(tmp_path / "artifacts").as_uri())
    run = client.create_run(experiment_id)
    sources = {}
    for artifact_path, files in directories.items():
        local = tmp_path / "logged" / artifact_path
        local.mkdir(parents=True)
        for file_name, text in files.items():
            (local / file_name).write_text(text)
        client.log_artifacts(run.info.run_id, str(local), artifact_path)
        sources[artifact_path] = f"{run.info.artifact_uri.rstrip('/')}/{artifact_path}"
    client.set_terminated(run.info.run_id)
    return run.info.run_id, sources


class EndToEndClauses:
    """Clauses of the ``model_registry_store/end-to-end/*`` family."""

    @clause("model_registry_store/end-to-end/register-model")
    def test_end_to_end_register_model(self, model_registry_store, registry_uri, registry_tracking_uri, tmp_path):
        """``mlflow.register_model`` with the registry URI set to the plugin's creates the model and version 1;
        registering again adds version 2 (it relies on RESOURCE_ALREADY_EXISTS for the existing model)."""
        import mlflow
        from mlflow.exceptions import MlflowException

        name = unique_name("registered")
        source = version_source(f"{name}/model")  # register_model only records it; nothing is downloaded
        with mlflow_pointed_at(tracking_uri=registry_tracking_uri, registry_uri=registry_uri):
            first = mlflow.register_model(source, name, await_registration_for=0)
            second = mlflow.register_model(source, name, await_registration_for=0, tags={"k": "v"})
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

        client = MlflowClient(tracking_uri=registry_tracking_uri, registry_uri=registry_uri)
        run_id, _ = _files_logged_to_a_run(client, tmp_path, {"model": {
            "MLmodel": "artifact_path: model\nflavors: {}\n", "weights.txt": "conformance"}})
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

        name, new_name = unique_name("client"), unique_name("client-renamed")
        client = MlflowClient(tracking_uri=registry_tracking_uri, registry_uri=registry_uri)
        run_id, sources = _files_logged_to_a_run(client, tmp_path, {"model": {"weights.txt": "conformance"}})
        client.create_registered_model(name, tags={"team": "x"}, description="via client")
        mv = client.create_model_version(name, sources["model"], run_id=run_id, tags={"k": "v"})
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
        assert client.get_model_version_download_uri(name, "1") == sources["model"]
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

    @clause("model_registry_store/end-to-end/copy-model-version")
    def test_end_to_end_copy_model_version(self, model_registry_store, registry_uri, registry_tracking_uri,
                                           tmp_path):
        """``MlflowClient(registry_uri=...).copy_model_version("models:/<name>@<alias>", <new name>)`` copies the
        aliased version into a new registered model of the store, and ``models:/<new name>/1`` downloads that
        version's files."""
        import mlflow
        from mlflow import MlflowClient
        from mlflow.exceptions import MlflowException

        source, destination = unique_name("copy-src"), unique_name("copy-dst")
        client = MlflowClient(tracking_uri=registry_tracking_uri, registry_uri=registry_uri)
        run_id, sources = _files_logged_to_a_run(client, tmp_path, {
            text.replace(" ", "-"): {"weights.txt": text} for text in ("version one", "version two")})
        client.create_registered_model(source)
        for artifacts in sources.values():
            client.create_model_version(source, artifacts, run_id=run_id)
        client.set_registered_model_alias(source, "champion", "1")
        with mlflow_pointed_at(tracking_uri=registry_tracking_uri, registry_uri=registry_uri):
            copied = client.copy_model_version(f"models:/{source}@champion", destination)
            local = mlflow.artifacts.download_artifacts(f"models:/{destination}/1", dst_path=str(tmp_path / "dl"))
        assert (copied.name, str(copied.version)) == (destination, "1")
        assert (tmp_path / "dl").exists() and open(os.path.join(local, "weights.txt")).read() == "version one", \
            f"models:/{destination}/1 did not download version 1 of {source}"
        try:
            model_registry_store.get_model_version(destination, "1")
        except MlflowException as exc:
            pytest.fail(f"the copy MlflowClient made through {registry_uri!r} is not in the store under test "
                        f"({exc.error_code}): stores built from the same URI must share their data", pytrace=False)

    @clause("model_registry_store/end-to-end/register-and-load-prompt", level="full",
            feature="model_registry_store.prompts", since="3.1")
    def test_end_to_end_register_and_load_prompt(self, model_registry_store, registry_uri, registry_tracking_uri):
        """``MlflowClient(registry_uri=...)`` registers a prompt twice (versions 1 and 2) and sets an alias;
        ``load_prompt("prompts:/<name>/1")`` and ``load_prompt("prompts:/<name>@<alias>")`` return those templates
        from the store."""
        from mlflow import MlflowClient
        from mlflow.exceptions import MlflowException

        name = unique_name("e2e-prompt")
        client = MlflowClient(tracking_uri=registry_tracking_uri, registry_uri=registry_uri)
        with mlflow_pointed_at(tracking_uri=registry_tracking_uri, registry_uri=registry_uri):
            first = client.register_prompt(name, "Hello {{name}}", commit_message="first")
            second = client.register_prompt(name, "Hi {{name}}!", commit_message="second")
            client.set_prompt_alias(name, "production", 2)
            one = client.load_prompt(f"prompts:/{name}/1")
            production = client.load_prompt(f"prompts:/{name}@production")
        assert (int(first.version), int(second.version)) == (1, 2)
        assert (one.template, one.commit_message) == ("Hello {{name}}", "first")
        assert (int(production.version), production.template) == (2, "Hi {{name}}!")
        try:
            stored = model_registry_store.get_prompt_version(name, 2)
        except MlflowException as exc:
            pytest.fail(f"the prompt MlflowClient registered through {registry_uri!r} is not in the store under "
                        f"test ({exc.error_code}): stores built from the same URI must share their data",
                        pytrace=False)
        assert stored is not None and stored.template == "Hi {{name}}!", f"the store under test holds {stored!r}"
