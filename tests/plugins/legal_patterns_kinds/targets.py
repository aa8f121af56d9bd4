"""Two deployment targets in one module: the entry points ``legal-alpha`` and ``legal-beta`` name the objects
``alpha`` and ``beta``, each carrying ``run_local``, ``target_help`` and exactly one ``BaseDeploymentClient``
subclass, which is all MLflow's plugin manager asks of what an entry point names.

* ``AlphaClient`` is written against the older interface without endpoints: no ``endpoint`` parameter anywhere
  (MLflow's command line checks the signature before passing one);
* ``BetaClient`` offers endpoints and behaves as a client of a remote service: a missing deployment or endpoint
  raises requests' ``HTTPError`` (404), a conflict ``HTTPError`` (409), as MLflow's base class documents.
Deployments live in memory; the models are loaded with ``mlflow.pyfunc`` when first used.
"""

from __future__ import annotations

import types

from mlflow.deployments import BaseDeploymentClient, PredictionsResponse
from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import RESOURCE_ALREADY_EXISTS, RESOURCE_DOES_NOT_EXIST


def _load(cache, model_uri):
    import mlflow.pyfunc

    if model_uri not in cache:
        cache[model_uri] = mlflow.pyfunc.load_model(model_uri)
    return cache[model_uri]


def _predictions(model, inputs):
    return PredictionsResponse({"predictions": [float(v) for v in model.predict(inputs)]})


class AlphaClient(BaseDeploymentClient):
    """Deployments in a dict; MlflowException on a missing or duplicate name."""

    def __init__(self, target_uri):
        super().__init__(target_uri)
        self._deployments, self._models = {}, {}

    def _missing(self, name):
        return MlflowException(f"no deployment {name!r}", error_code=RESOURCE_DOES_NOT_EXIST)

    def create_deployment(self, name, model_uri, flavor=None, config=None):
        if name in self._deployments:
            raise MlflowException(f"deployment {name!r} exists", error_code=RESOURCE_ALREADY_EXISTS)
        _load(self._models, model_uri)
        self._deployments[name] = {"name": name, "model_uri": model_uri, "flavor": flavor or "python_function"}
        return dict(self._deployments[name])

    def update_deployment(self, name, model_uri=None, flavor=None, config=None):
        if name not in self._deployments:
            raise self._missing(name)
        if model_uri is not None:
            _load(self._models, model_uri)
            self._deployments[name]["model_uri"] = model_uri
        return dict(self._deployments[name])

    def delete_deployment(self, name, config=None):
        self._deployments.pop(name, None)

    def list_deployments(self):
        return [dict(d) for d in self._deployments.values()]

    def get_deployment(self, name):
        if name not in self._deployments:
            raise self._missing(name)
        return dict(self._deployments[name])

    def predict(self, deployment_name=None, inputs=None):
        return _predictions(_load(self._models, self.get_deployment(deployment_name)["model_uri"]), inputs)


def _http_error(status, message):
    import requests

    response = requests.Response()
    response.status_code = status
    return requests.HTTPError(f"{status}: {message}", response=response)


class BetaClient(BaseDeploymentClient):
    """Deployments grouped by endpoint (None: no endpoint); requests' HTTPError as a remote service raises."""

    def __init__(self, target_uri):
        super().__init__(target_uri)
        self._endpoints = {None: {"name": None, "config": {}, "deployments": {}}}
        self._models = {}

    def _group(self, endpoint):
        if endpoint not in self._endpoints:
            raise _http_error(404, f"no endpoint {endpoint!r}")
        return self._endpoints[endpoint]["deployments"]

    def create_deployment(self, name, model_uri, flavor=None, config=None, endpoint=None):
        group = self._group(endpoint)
        if name in group:
            raise _http_error(409, f"deployment {name!r} exists")
        _load(self._models, model_uri)
        group[name] = {"name": name, "model_uri": model_uri, "endpoint": endpoint}
        return dict(group[name])

    def update_deployment(self, name, model_uri=None, flavor=None, config=None, endpoint=None):
        record = self.get_deployment(name, endpoint)
        if model_uri is not None:
            _load(self._models, model_uri)
            self._group(endpoint)[name]["model_uri"] = model_uri
        return record

    def delete_deployment(self, name, config=None, endpoint=None):
        self._endpoints.get(endpoint, {"deployments": {}})["deployments"].pop(name, None)

    def list_deployments(self, endpoint=None):
        return [dict(d) for d in self._group(endpoint).values()]

    def get_deployment(self, name, endpoint=None):
        group = self._group(endpoint)
        if name not in group:
            raise _http_error(404, f"no deployment {name!r}")
        return dict(group[name])

    def predict(self, deployment_name=None, inputs=None, endpoint=None):
        return _predictions(_load(self._models, self.get_deployment(deployment_name, endpoint)["model_uri"]), inputs)

    def create_endpoint(self, name, config=None):
        if name in self._endpoints:
            raise _http_error(409, f"endpoint {name!r} exists")
        self._endpoints[name] = {"name": name, "config": dict(config or {}), "deployments": {}}
        return {"name": name, "config": dict(config or {})}

    def update_endpoint(self, endpoint, config=None):
        if endpoint not in self._endpoints:
            raise _http_error(404, f"no endpoint {endpoint!r}")
        self._endpoints[endpoint]["config"].update(config or {})

    def delete_endpoint(self, endpoint):
        if endpoint is not None:
            self._endpoints.pop(endpoint, None)

    def list_endpoints(self):
        return [{"name": e["name"], "config": dict(e["config"])} for k, e in self._endpoints.items() if k is not None]

    def get_endpoint(self, endpoint):
        if endpoint is None or endpoint not in self._endpoints:
            raise _http_error(404, f"no endpoint {endpoint!r}")
        return {"name": endpoint, "config": dict(self._endpoints[endpoint]["config"])}


def _run_local(client_cls):
    def run_local(name, model_uri, flavor=None, config=None):
        client_cls("local").create_deployment(name, model_uri, flavor, config)

    return run_local


def _target_help(text):
    def target_help():
        return text

    return target_help


alpha = types.SimpleNamespace(run_local=_run_local(AlphaClient), AlphaClient=AlphaClient,
                              target_help=_target_help("legal-alpha: deployments in memory, no endpoints."))
beta = types.SimpleNamespace(run_local=_run_local(BetaClient), BetaClient=BetaClient,
                             target_help=_target_help("legal-beta: deployments in memory, grouped by endpoint."))
