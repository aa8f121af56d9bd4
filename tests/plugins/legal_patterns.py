"""A plugin that uses every legal wiring pattern real plugins use; every clause must pass on it.

- factory functions that import MLflow lazily (the fix MLflow recommends for circular imports);
- several entry points in one module (two artifact schemes, a tracking and a registry store);
- an artifact repository whose constructor takes ``(artifact_uri, **kwargs)``, and one that takes
  ``(artifact_uri, tracking_uri=None, registry_uri=None)``;
- a registry builder handed out by a module-level ``__getattr__`` (a new function object on every load);
- stores subclassing MLflow's SQL stores behind a URI scheme of their own (``legal-sql://`` maps to SQLite).

The store behaviour itself is the example plugin's (tests of behaviour live elsewhere); what is pinned here is that
these patterns never cost a correct plugin a clause.
"""


def _as_file_plugin(uri: str) -> str:
    """``legal-x:///abs/dir`` and ``legal-x:/abs/dir`` (MLflow drops an empty authority when it joins paths)."""
    return "file-plugin:" + uri.split(":", 1)[1]


def tracking_store(store_uri, artifact_uri=None):
    from mlflow_file_plugin._stores import FilePluginTrackingStore

    store = FilePluginTrackingStore(_as_file_plugin(store_uri), artifact_uri)
    store.plugin_uri = store_uri
    return store


def repository_with_kwargs(artifact_uri, **kwargs):
    from mlflow_file_plugin._stores import FilePluginArtifactRepository

    repo = FilePluginArtifactRepository(_as_file_plugin(artifact_uri), **kwargs)
    repo.artifact_uri = artifact_uri
    return repo


def repository_with_keywords(artifact_uri, tracking_uri=None, registry_uri=None):
    from mlflow_file_plugin._stores import FilePluginArtifactRepository

    repo = FilePluginArtifactRepository(_as_file_plugin(artifact_uri), tracking_uri=tracking_uri,
                                        registry_uri=registry_uri)
    repo.artifact_uri = artifact_uri
    return repo


def __getattr__(name):
    if name != "registry_store":
        raise AttributeError(name)

    def registry_store(store_uri, tracking_uri=None):
        from mlflow_file_plugin._stores import FilePluginModelRegistryStore

        store = FilePluginModelRegistryStore(_as_file_plugin(store_uri), tracking_uri)
        store.plugin_uri = store_uri
        return store

    registry_store.__qualname__ = "registry_store"
    return registry_store
