"""Model-registry clauses that exist only through ``mlflow server``: several workers, error mapping, payload
sizes and the web UI's read paths, checked with raw HTTP against the server backed by the plugin."""

from __future__ import annotations

from .._support import unique_name
from ..base import clause
from ._http import MIN_WORKERS, ServerClient, expect_error, require_server
from ._limits import limit

_API = "/api/2.0/mlflow"
_AJAX = "/ajax-api/2.0/mlflow"
#: A model version source MLflow's server accepts without a run (a remote URI: local paths need a run).
SOURCE = "s3://conformance-models/model"


def _create_model(client: ServerClient, name: str, worker=None, **fields) -> dict:
    return client.post(f"{_API}/registered-models/create", {"name": name, **fields}, worker=worker).ok(
        f"creating registered model {name!r}")["registered_model"]


def _create_version(client: ServerClient, name: str, worker=None) -> str:
    answer = client.post(f"{_API}/model-versions/create", {"name": name, "source": SOURCE}, worker=worker)
    return answer.ok(f"creating a version of {name!r}")["model_version"]["version"]


def _get_model(client: ServerClient, name: str, worker=None) -> dict:
    return client.get(f"{_API}/registered-models/get", {"name": name}, worker=worker).ok(
        f"reading registered model {name!r}")["registered_model"]


class ModelRegistryServerClauses:
    """Clauses of the ``model_registry_store/server/*`` family (server route only)."""

    @clause("model_registry_store/server/workers-consistent", routes=("server",))
    def test_server_workers_consistent(self, mlflow_conformance_server):
        """What one worker process of the server writes, every other worker reads in the next request: a
        registered model, a version, a tag, an alias and a description written through one of at least 4
        workers are seen through each of the others. A plugin that keeps state in process memory fails here."""
        client = require_server(mlflow_conformance_server)
        try:
            first, *others = client.pin_workers(MIN_WORKERS)
            name = unique_name("workers")
            _create_model(client, name, worker=first)
            for worker in others:
                assert _get_model(client, name, worker=worker)["name"] == name
            version = _create_version(client, name, worker=others[0])
            client.post(f"{_API}/registered-models/set-tag", {"name": name, "key": "k", "value": "v"},
                        worker=others[1]).ok(f"worker {others[1]} tagging the model")
            client.post(f"{_API}/registered-models/alias", {"name": name, "alias": "champion", "version": version},
                        worker=others[2]).ok(f"worker {others[2]} setting an alias")
            client.request("PATCH", f"{_API}/registered-models/update", body={"name": name, "description": "d"},
                           worker=others[-1]).ok(f"worker {others[-1]} updating the description")
            for worker in [first, *others]:
                model = _get_model(client, name, worker=worker)
                tags = {t["key"]: t["value"] for t in model.get("tags", [])}
                aliases = {a["alias"]: a["version"] for a in model.get("aliases", [])}
                assert (tags.get("k"), aliases.get("champion"), model.get("description")) == ("v", version, "d"), (
                    f"worker {worker} reads the model with tags {tags}, aliases {aliases}, description "
                    f"{model.get('description')!r}: the writes of the other workers did not reach it")
                got = client.get(f"{_API}/model-versions/get", {"name": name, "version": version}, worker=worker)
                assert got.ok(f"worker {worker} reading version {version}")["model_version"]["version"] == version
        finally:
            client.close()

    @clause("model_registry_store/server/error-codes", routes=("server",))
    def test_server_error_codes(self, mlflow_conformance_server):
        """An error the plugin raises reaches the client as MLflow's JSON error with the HTTP status of its code:
        an unknown registered model or version is 404 RESOURCE_DOES_NOT_EXIST, a second model with a taken name
        400 RESOURCE_ALREADY_EXISTS. A plugin exception MLflow cannot serialise, or that is not an
        MlflowException, arrives as HTTP 500 (retried by MLflow's client, then reported as INTERNAL_ERROR)."""
        client = require_server(mlflow_conformance_server)
        missing = unique_name("missing")
        expect_error(client.get(f"{_API}/registered-models/get", {"name": missing}), 404, "RESOURCE_DOES_NOT_EXIST",
                     "getting an unknown registered model")
        name = unique_name("errors")
        _create_model(client, name)
        expect_error(client.post(f"{_API}/registered-models/create", {"name": name}), 400,
                     "RESOURCE_ALREADY_EXISTS", "creating a second registered model with a taken name")
        expect_error(client.get(f"{_API}/model-versions/get", {"name": name, "version": "99"}), 404,
                     "RESOURCE_DOES_NOT_EXIST", "getting an unknown model version")

    @clause("model_registry_store/server/large-payloads", routes=("server",))
    def test_server_large_payloads(self, mlflow_conformance_server):
        """Values at MLflow's limits pass through the server intact: a registered-model tag value of 5000
        characters and a model-version tag value of the maximum length (100,000 characters), 50 tags on one
        model, and a description of 5000 characters (the length of MLflow's description column), each read back
        byte for byte."""
        client = require_server(mlflow_conformance_server)
        name = unique_name("large")
        description = ("ß-" + "d" * 5000)[:5000]
        _create_model(client, name, description=description)
        model_tag = "m" * 5000
        for i in range(50):
            client.post(f"{_API}/registered-models/set-tag", {"name": name, "key": f"k{i}", "value": model_tag}).ok(
                f"setting tag {i} of 5000 characters")
        version = _create_version(client, name)
        version_tag = "v" * limit("MAX_MODEL_REGISTRY_TAG_VALUE_LENGTH", 5000)
        client.post(f"{_API}/model-versions/set-tag", {"name": name, "version": version, "key": "long",
                                                      "value": version_tag}).ok(
            f"setting a model version tag of {len(version_tag)} characters")
        model = _get_model(client, name)
        tags = {t["key"]: t["value"] for t in model.get("tags", [])}
        assert model.get("description") == description, "the long description did not read back intact"
        assert sorted(k for k, v in tags.items() if v == model_tag) == sorted(f"k{i}" for i in range(50)), (
            f"{sum(1 for v in tags.values() if v == model_tag)} of 50 long tags read back intact")
        got = client.get(f"{_API}/model-versions/get", {"name": name, "version": version}).ok("reading the version")
        version_tags = {t["key"]: t["value"] for t in got["model_version"].get("tags", [])}
        assert version_tags.get("long") == version_tag, "the model version tag of maximal length was not intact"

    @clause("model_registry_store/server/ui-read-paths", routes=("server",))
    def test_server_ui_read_paths(self, mlflow_conformance_server):
        """The web UI's registry pages answer, with the parameters the UI sends: the model list (ajax-api
        registered-models/search, searched by name with ILIKE, ordered by name), a model, its versions
        (model-versions/search by name) and a version; each answers HTTP 200 with JSON holding what was
        written."""
        client = require_server(mlflow_conformance_server)
        name = unique_name("ui")
        _create_model(client, name)
        version = _create_version(client, name)
        listed = client.get(f"{_AJAX}/registered-models/search", {"max_results": 1000}).ok("the UI's model list")
        assert name in [m["name"] for m in listed.get("registered_models", [])] or listed.get("next_page_token"), (
            f"the UI's model list (max_results=1000) does not show {name!r}")
        found = client.get(f"{_AJAX}/registered-models/search", {
            "max_results": 25, "order_by": ["name ASC"], "filter": f"name ILIKE '%{name}%'"}).ok(
            "the UI's model search")
        assert [m["name"] for m in found.get("registered_models", [])] == [name], found
        assert client.get(f"{_AJAX}/registered-models/get", {"name": name}).ok("the UI's model page")[
            "registered_model"]["name"] == name
        versions = client.get(f"{_AJAX}/model-versions/search", {"filter": f"name='{name}'"}).ok(
            "the UI's version table")
        assert [v["version"] for v in versions.get("model_versions", [])] == [version], versions
        got = client.get(f"{_AJAX}/model-versions/get", {"name": name, "version": version}).ok(
            "the UI's version page")
        assert got["model_version"]["name"] == name
