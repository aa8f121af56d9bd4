"""Two project backends in one module, each with its own entry point. Both run projects locally through the
example plugin's backend (MLflow's ``LocalBackend`` with the defaults ``mlflow run`` gives)."""

from mlflow_file_plugin.backend import FilePluginBackend


class FirstBackend(FilePluginBackend):
    """Entry point ``legal-first``."""


class SecondBackend(FilePluginBackend):
    """Entry point ``legal-second`` (and what the ``legal-factory`` factory builds)."""
