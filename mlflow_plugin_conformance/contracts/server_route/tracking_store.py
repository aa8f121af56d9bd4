"""Tracking-store clauses that exist only through ``mlflow server``: several workers, error mapping, payload
sizes and the web UI's read paths, checked with raw HTTP against the server backed by the plugin."""

from __future__ import annotations

import time

from .._support import unique_name
from ..base import clause
from ._http import MIN_WORKERS, ServerClient, expect_error, require_server
from ._limits import batch_request_limit, limit

_API = "/api/2.0/mlflow"
_AJAX = "/ajax-api/2.0/mlflow"


def _create_experiment(client: ServerClient, name: str, worker=None) -> str:
    return client.post(f"{_API}/experiments/create", {"name": name}, worker=worker).ok(
        f"creating experiment {name!r}")["experiment_id"]


def _create_run(client: ServerClient, experiment_id: str, worker=None, run_name: str = "server-route") -> str:
    answer = client.post(f"{_API}/runs/create", {"experiment_id": experiment_id, "start_time": int(time.time() * 1000),
                                                 "run_name": run_name, "user_id": "conformance"}, worker=worker)
    return answer.ok("creating a run")["run"]["info"]["run_id"]


def _run_data(client: ServerClient, run_id: str, worker=None) -> dict:
    """``{"metrics": {key: value}, "params": {...}, "tags": {...}}`` of a run, read with runs/get."""
    data = client.get(f"{_API}/runs/get", {"run_id": run_id}, worker=worker).ok(f"reading run {run_id}")
    body = data["run"].get("data", {})
    return {part: {e["key"]: e.get("value") for e in body.get(part, [])} for part in ("metrics", "params", "tags")}


class TrackingServerClauses:
    """Clauses of the ``tracking_store/server/*`` family (server route only)."""

    @clause("tracking_store/server/workers-consistent", routes=("server",))
    def test_server_workers_consistent(self, mlflow_conformance_server):
        """What one worker process of the server writes, every other worker reads in the next request: an
        experiment, a run, its metrics, params and tags, a rename and an experiment tag written through one of at
        least 4 workers are seen through each of the others. A plugin that keeps state in process memory (each
        worker its own copy, or a cache nobody invalidates) fails here."""
        client = require_server(mlflow_conformance_server)
        try:
            first, *others = client.pin_workers(MIN_WORKERS)
            name = unique_name("workers")
            experiment_id = _create_experiment(client, name, worker=first)
            for worker in others:
                got = client.get(f"{_API}/experiments/get", {"experiment_id": experiment_id}, worker=worker)
                assert got.ok(f"worker {worker} reading the experiment worker {first} created")[
                    "experiment"]["name"] == name, got.describe()
                by_name = client.get(f"{_API}/experiments/get-by-name", {"experiment_name": name}, worker=worker)
                assert by_name.ok(f"worker {worker} finding the experiment by name")["experiment"][
                    "experiment_id"] == experiment_id, by_name.describe()
            run_id = _create_run(client, experiment_id, worker=others[0])
            now = int(time.time() * 1000)
            client.post(f"{_API}/runs/log-batch", {
                "run_id": run_id, "metrics": [{"key": "m", "value": 1.5, "timestamp": now, "step": 0}],
                "params": [{"key": "p", "value": "v"}], "tags": [{"key": "t", "value": "w"}]},
                worker=others[1]).ok(f"worker {others[1]} logging to the run worker {others[0]} created")
            for worker in [first, *others]:
                data = _run_data(client, run_id, worker=worker)
                assert (data["metrics"].get("m"), data["params"].get("p"), data["tags"].get("t")) == (1.5, "v", "w"), (
                    f"worker {worker} reads the run as {data}, not with the metric, param and tag worker {others[1]} "
                    "logged")
            renamed = f"{name}-renamed"
            client.post(f"{_API}/experiments/update", {"experiment_id": experiment_id, "new_name": renamed},
                        worker=others[2]).ok(f"worker {others[2]} renaming the experiment")
            client.post(f"{_API}/experiments/set-experiment-tag",
                        {"experiment_id": experiment_id, "key": "seen-by", "value": "all"},
                        worker=others[-1]).ok(f"worker {others[-1]} setting an experiment tag")
            for worker in [first, *others]:
                experiment = client.get(f"{_API}/experiments/get", {"experiment_id": experiment_id},
                                        worker=worker).ok(f"worker {worker} reading the experiment")["experiment"]
                tags = {t["key"]: t["value"] for t in experiment.get("tags", [])}
                assert experiment["name"] == renamed and tags.get("seen-by") == "all", (
                    f"worker {worker} still reads the experiment as {experiment.get('name')!r} with tags {tags}: "
                    f"the rename (worker {others[2]}) or the tag (worker {others[-1]}) did not reach it")
        finally:
            client.close()

    @clause("tracking_store/server/error-codes", routes=("server",))
    def test_server_error_codes(self, mlflow_conformance_server):
        """An error the plugin raises reaches the client as MLflow's JSON error with the HTTP status of its code,
        which MLflow's client turns back into the same MlflowException: an unknown experiment or run is 404
        RESOURCE_DOES_NOT_EXIST, a second experiment with a taken name 400 RESOURCE_ALREADY_EXISTS, a param key
        longer than 250 characters 400 INVALID_PARAMETER_VALUE. A plugin exception MLflow cannot serialise, or
        that is not an MlflowException, arrives as HTTP 500 (which MLflow's client retries, then reports as
        INTERNAL_ERROR)."""
        client = require_server(mlflow_conformance_server)
        expect_error(client.get(f"{_API}/experiments/get", {"experiment_id": "987654321"}), 404,
                     "RESOURCE_DOES_NOT_EXIST", "getting an unknown experiment")
        expect_error(client.get(f"{_API}/runs/get", {"run_id": "0" * 32}), 404, "RESOURCE_DOES_NOT_EXIST",
                     "getting an unknown run")
        name = unique_name("errors")
        experiment_id = _create_experiment(client, name)
        expect_error(client.post(f"{_API}/experiments/create", {"name": name}), 400, "RESOURCE_ALREADY_EXISTS",
                     "creating a second experiment with a taken name")
        run_id = _create_run(client, experiment_id)
        expect_error(client.post(f"{_API}/runs/log-parameter", {"run_id": run_id, "key": "k" * 251, "value": "v"}),
                     400, "INVALID_PARAMETER_VALUE", "logging a param with a 251-character key")

    @clause("tracking_store/server/large-payloads", routes=("server",))
    def test_server_large_payloads(self, mlflow_conformance_server):
        """Requests at MLflow's limits pass through the server intact: a log_batch of 1000 metrics with
        250-character keys, one of 100 params with values of the maximum length (6000 characters) and tags of
        the maximum length (8000) just under the server's 1 MB batch request limit, and an experiment tag value
        of the maximum length; each reads back byte for byte, the metric history in full."""
        client = require_server(mlflow_conformance_server)
        experiment_id = _create_experiment(client, unique_name("large"))
        run_id = _create_run(client, experiment_id)
        now = int(time.time() * 1000)
        key_length = limit("MAX_ENTITY_KEY_LENGTH", 250)
        metric_keys = [f"{i:03d}" + "m" * (key_length - 3) for i in range(10)]
        metrics = [{"key": metric_keys[i % 10], "value": float(i), "timestamp": now, "step": i} for i in range(1000)]
        client.post(f"{_API}/runs/log-batch", {"run_id": run_id, "metrics": metrics}).ok(
            "logging a batch of 1000 metrics with 250-character keys")
        param_value = ("é-" + "p" * limit("MAX_PARAM_VAL_LENGTH", 6000))[:limit("MAX_PARAM_VAL_LENGTH", 6000)]
        tag_value = ("ü-" + "t" * limit("MAX_TAG_VAL_LENGTH", 8000))[:limit("MAX_TAG_VAL_LENGTH", 8000)]
        params = [{"key": f"p{i}", "value": param_value} for i in range(limit("MAX_PARAMS_TAGS_PER_BATCH", 100))]
        tags = []
        body = {"run_id": run_id, "params": params, "tags": tags}
        while True:  # as many maximal tags as fit under the server's request size limit
            tags.append({"key": f"t{len(tags)}", "value": tag_value})
            if len(tags) > limit("MAX_PARAMS_TAGS_PER_BATCH", 100) or _json_size(body) > batch_request_limit():
                tags.pop()
                break
        client.post(f"{_API}/runs/log-batch", body).ok(
            f"logging a batch of {len(params)} params of {len(param_value)} characters and {len(tags)} tags of "
            f"{len(tag_value)} characters ({_json_size(body)} bytes of JSON)")
        data = _run_data(client, run_id)
        assert {k: v for k, v in data["params"].items()} == {p["key"]: param_value for p in params}, (
            "the params of maximal length did not read back intact")
        wrong_tags = [t["key"] for t in tags if data["tags"].get(t["key"]) != tag_value]
        assert not wrong_tags, f"tags of maximal length did not read back intact: {wrong_tags[:5]}"
        for key in metric_keys[:2]:
            history = client.get(f"{_API}/metrics/get-history", {"run_id": run_id, "metric_key": key}).ok(
                "reading a metric history")
            assert len(history.get("metrics", [])) == 100, (
                f"history of {key[:10]}...: {len(history.get('metrics', []))} points, 100 logged")
        experiment_tag = "x" * limit("MAX_EXPERIMENT_TAG_VAL_LENGTH", 5000)
        client.post(f"{_API}/experiments/set-experiment-tag",
                    {"experiment_id": experiment_id, "key": "long", "value": experiment_tag}).ok(
            f"setting an experiment tag of {len(experiment_tag)} characters")
        experiment = client.get(f"{_API}/experiments/get", {"experiment_id": experiment_id}).ok(
            "reading the experiment")["experiment"]
        assert {t["key"]: t["value"] for t in experiment.get("tags", [])}.get("long") == experiment_tag, (
            "the experiment tag of maximal length did not read back intact")

    @clause("tracking_store/server/ui-read-paths", routes=("server",))
    def test_server_ui_read_paths(self, mlflow_conformance_server):
        """The web UI's main read paths answer, with the parameters the UI sends: the experiment list
        (ajax-api experiments/search), an experiment, its runs (runs/search, newest first), a run, a metric
        history and the run's artifact listing; each answers HTTP 200 with JSON holding what was written."""
        client = require_server(mlflow_conformance_server)
        name = unique_name("ui")
        experiment_id = _create_experiment(client, name)
        run_id = _create_run(client, experiment_id, run_name="ui-run")
        client.post(f"{_API}/runs/log-metric", {"run_id": run_id, "key": "loss", "value": 0.5,
                                                "timestamp": int(time.time() * 1000), "step": 0}).ok("logging")
        listed = client.get(f"{_AJAX}/experiments/search", {"max_results": 1000}).ok("the UI's experiment list")
        assert experiment_id in [e["experiment_id"] for e in listed.get("experiments", [])] or listed.get(
            "next_page_token"), f"the UI's experiment list (max_results=1000) does not show experiment {name!r}"
        found = client.get(f"{_AJAX}/experiments/search", {
            "max_results": 25, "order_by": ["last_update_time DESC"], "filter": f"name LIKE '{name}%'"}).ok(
            "the UI's experiment search")
        assert [e["experiment_id"] for e in found.get("experiments", [])] == [experiment_id], found
        got = client.get(f"{_AJAX}/experiments/get", {"experiment_id": experiment_id}).ok("the UI's experiment page")
        assert got["experiment"]["name"] == name
        runs = client.post(f"{_AJAX}/runs/search", {
            "experiment_ids": [experiment_id], "filter": "", "run_view_type": "ACTIVE_ONLY", "max_results": 100,
            "order_by": ["attributes.start_time DESC"]}).ok("the UI's run table")
        assert [r["info"]["run_id"] for r in runs.get("runs", [])] == [run_id], runs
        run = client.get(f"{_AJAX}/runs/get", {"run_id": run_id}).ok("the UI's run page")
        assert run["run"]["info"]["run_id"] == run_id
        history = client.get(f"{_AJAX}/metrics/get-history", {"run_uuid": run_id, "metric_key": "loss"}).ok(
            "the UI's metric chart")
        assert [m["value"] for m in history.get("metrics", [])] == [0.5], history
        client.get(f"{_AJAX}/artifacts/list", {"run_uuid": run_id, "path": ""}).ok("the UI's artifact browser")


def _json_size(body) -> int:
    import json

    return len(json.dumps(body).encode())
