"""Broken deployment clients for the clauses added with issue 11 (one realistic bug each), built on the example
plugin's client. ``tests/test_kinds_new_mutants.py`` runs them."""

from __future__ import annotations

from mlflow_file_plugin.deployments import FilePluginDeploymentClient


class BrokenPredictRenamed(FilePluginDeploymentClient):
    """predict's parameters renamed (``name``, ``df``): positional calls work, MLflow's keywords are a TypeError."""

    def predict(self, name=None, df=None, endpoint=None):
        return super().predict(name, df, endpoint)



# -- lifecycle ----------------------------------------------------------------------------------------------------


class BrokenCreateReturnsNothing(FilePluginDeploymentClient):
    """create_deployment deploys but returns None (the base class asks for a dict with the name)."""

    def create_deployment(self, name, model_uri, flavor=None, config=None, endpoint=None):
        super().create_deployment(name, model_uri, flavor, config, endpoint)


class BrokenGetRenamesName(FilePluginDeploymentClient):
    """get_deployment returns the record with its name under 'deployment_name', not 'name'."""

    def get_deployment(self, name, endpoint=None):
        record = super().get_deployment(name, endpoint)
        record["deployment_name"] = record.pop("name")
        return record


class BrokenListStale(FilePluginDeploymentClient):
    """list_deployments answers from a listing taken when the client was built: new deployments are missing."""

    def __init__(self, target_uri):
        super().__init__(target_uri)
        self._listing = super().list_deployments()

    def list_deployments(self, endpoint=None):
        return list(self._listing) if endpoint is None else super().list_deployments(endpoint)


class BrokenDuplicateOverwritesThenRaises(FilePluginDeploymentClient):
    """A duplicate create writes the new record first and only then reports the conflict: the first deployment now
    serves the other model."""

    def create_deployment(self, name, model_uri, flavor=None, config=None, endpoint=None):
        path = self._record_path(name, endpoint)
        existed = path.exists()
        if existed:
            path.unlink()
        created = super().create_deployment(name, model_uri, flavor, config, endpoint)
        if existed:
            from mlflow.exceptions import MlflowException
            from mlflow.protos.databricks_pb2 import RESOURCE_ALREADY_EXISTS

            raise MlflowException(f"deployment {name!r} already exists", error_code=RESOURCE_ALREADY_EXISTS)
        return created


class BrokenGetCachedAfterDelete(FilePluginDeploymentClient):
    """get_deployment answers from an in-memory cache that delete_deployment does not clear."""

    def get_deployment(self, name, endpoint=None):
        cache = self.__dict__.setdefault("_records", {})
        if (name, endpoint) not in cache:
            cache[(name, endpoint)] = super().get_deployment(name, endpoint)
        return dict(cache[(name, endpoint)])


class BrokenListIndexKeepsDeleted(FilePluginDeploymentClient):
    """list_deployments answers from an index that create_deployment fills and delete_deployment forgets."""

    def create_deployment(self, name, model_uri, flavor=None, config=None, endpoint=None):
        created = super().create_deployment(name, model_uri, flavor, config, endpoint)
        self.__dict__.setdefault("_index", {}).setdefault(endpoint, {})[name] = created
        return created

    def list_deployments(self, endpoint=None):
        return list(self.__dict__.get("_index", {}).get(endpoint, {}).values())


class BrokenUpdateUpserts(FilePluginDeploymentClient):
    """update_deployment of an unknown name creates it."""

    def update_deployment(self, name, model_uri=None, flavor=None, config=None, endpoint=None):
        if not self._record_path(name, endpoint).exists():
            return self.create_deployment(name, model_uri, flavor, config, endpoint)
        return super().update_deployment(name, model_uri, flavor, config, endpoint)


class BrokenPredictUnknownEmpty(FilePluginDeploymentClient):
    """predict with an unknown deployment answers no prediction instead of raising."""

    def predict(self, deployment_name=None, inputs=None, endpoint=None):
        if not self._record_path(deployment_name, endpoint).exists():
            return {"predictions": []}
        return super().predict(deployment_name, inputs, endpoint)


def module_without_run_local(client_cls):
    """A target module that forgot run_local (MLflow's plugin manager refuses it)."""
    from kinds_deployments import module_with

    module = module_with(client_cls)
    del module.run_local
    return module


# -- endpoints ----------------------------------------------------------------------------------------------------


class BrokenEndpointCreateReturnsNothing(FilePluginDeploymentClient):
    """create_endpoint creates the endpoint but returns None."""

    def create_endpoint(self, name, config=None):
        super().create_endpoint(name, config)


class BrokenEndpointGetConfigOnly(FilePluginDeploymentClient):
    """get_endpoint returns the endpoint's config, not a dict with its name."""

    def get_endpoint(self, endpoint):
        return super().get_endpoint(endpoint)["config"]


class BrokenEndpointListNames(FilePluginDeploymentClient):
    """list_endpoints returns names, not dicts with a 'name'."""

    def list_endpoints(self):
        return [e["name"] for e in super().list_endpoints()]


class BrokenEndpointUpdateKeyError(FilePluginDeploymentClient):
    """update_endpoint reads a 'settings' key the record does not have: KeyError on every update."""

    def update_endpoint(self, endpoint, config=None):
        record = self.get_endpoint(endpoint)
        record["settings"].update(config or {})


class BrokenEndpointGetCached(FilePluginDeploymentClient):
    """get_endpoint answers from an in-memory cache that delete_endpoint does not clear."""

    def get_endpoint(self, endpoint):
        cache = self.__dict__.setdefault("_endpoints", {})
        if endpoint not in cache:
            cache[endpoint] = super().get_endpoint(endpoint)
        return dict(cache[endpoint])


class BrokenEndpointListIndexKeepsDeleted(FilePluginDeploymentClient):
    """list_endpoints answers from an index that create_endpoint fills and delete_endpoint forgets."""

    def create_endpoint(self, name, config=None):
        created = super().create_endpoint(name, config)
        self.__dict__.setdefault("_index", {})[name] = created
        return created

    def list_endpoints(self):
        return list(self.__dict__.get("_index", {}).values())


class BrokenEndpointDeleteNotIdempotent(FilePluginDeploymentClient):
    """delete_endpoint raises for an endpoint that is already gone."""

    def delete_endpoint(self, endpoint):
        self.get_endpoint(endpoint)
        super().delete_endpoint(endpoint)


class BrokenEndpointListsTopLevel(FilePluginDeploymentClient):
    """list_deployments(endpoint=...) lists the deployments outside any endpoint."""

    def list_deployments(self, endpoint=None):
        return super().list_deployments(None)


class BrokenEndpointPredictIgnoresEndpoint(FilePluginDeploymentClient):
    """predict looks the deployment up outside any endpoint, whatever endpoint it is given."""

    def predict(self, deployment_name=None, inputs=None, endpoint=None):
        return super().predict(deployment_name, inputs, None)
