"""Three backends in one module, one of them broken: ``broken-second``'s factory needs an argument that MLflow's
``load_backend`` never passes (it calls the entry point's object with none). ``broken-first`` (a class) and
``broken-third`` (a factory) are correct: a check of one entry point must not report its sibling's bug."""

from mlflow_file_plugin.backend import FilePluginBackend


class FirstBackend(FilePluginBackend):
    """Entry point ``broken-first``: correct."""


class SecondBackend(FilePluginBackend):
    """Built by ``make_second`` (entry point ``broken-second``)."""


def make_second(config):
    return SecondBackend()


class ThirdBackend(FilePluginBackend):
    """Built by ``make_third`` (entry point ``broken-third``): correct, beside a broken factory of the same module."""


def make_third():
    return ThirdBackend()
