"""Project backend ``file-plugin`` (entry point group ``mlflow.project_backend``).

It runs MLflow projects on this machine through MLflow's own ``LocalBackend``, with the defaults MLflow's
``mlflow run`` would give when a key is missing from ``backend_config`` (a plugin called directly, not through
``mlflow.projects.run``, receives a partial config). The run starts asynchronously: ``run`` returns a
``SubmittedRun`` while the entry point is still executing.
"""

from __future__ import annotations

from mlflow.projects.backend.abstract_backend import AbstractBackend


class FilePluginBackend(AbstractBackend):
    """Runs a project locally, in the current Python environment (``env_manager='local'`` by default)."""

    def run(self, project_uri, entry_point, params, version, backend_config, tracking_uri, experiment_id):
        import mlflow
        from mlflow.projects.backend.local import LocalBackend
        from mlflow.projects.utils import (
            PROJECT_BUILD_IMAGE,
            PROJECT_DOCKER_ARGS,
            PROJECT_DOCKER_AUTH,
            PROJECT_ENV_MANAGER,
            PROJECT_STORAGE_DIR,
            PROJECT_SYNCHRONOUS,
        )

        config = dict(backend_config or {})
        config.setdefault(PROJECT_ENV_MANAGER, "local")
        if config[PROJECT_ENV_MANAGER] is None:
            config[PROJECT_ENV_MANAGER] = "local"
        # "synchronous" makes LocalBackend start the entry point directly (no `mlflow run` child process); the
        # call still returns at once with a handle on the running process, the caller waits with wait().
        config.setdefault(PROJECT_SYNCHRONOUS, True)
        for key in (PROJECT_DOCKER_ARGS, PROJECT_STORAGE_DIR, PROJECT_DOCKER_AUTH):
            config.setdefault(key, None)
        config.setdefault(PROJECT_BUILD_IMAGE, False)
        previous = mlflow.get_tracking_uri()
        mlflow.set_tracking_uri(tracking_uri)  # LocalBackend resolves the tracking URI from MLflow's global
        try:
            return LocalBackend().run(project_uri, entry_point, dict(params or {}), version, config,
                                      tracking_uri, experiment_id)
        finally:
            mlflow.set_tracking_uri(previous)


def project_backend():
    """Builder MLflow calls with no argument (``load_backend('file-plugin')``)."""
    return FilePluginBackend()
