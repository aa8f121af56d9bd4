"""A correct plugin using legal patterns real plugins use, which must pass every clause of its kinds:

* several entry points in one module: two project backends in ``backends.py`` (``legal-first``, ``legal-second``);
* a factory-function entry point that imports its implementation lazily, when MLflow calls it
  (``legal-factory`` = :func:`make_backend`): the fix MLflow recommends for circular imports;
* an optional-environment request header provider (``headers.py``): always in context, it returns ``{}`` while
  its environment variable is unset;
* a provider class the package re-exports, named by its entry point through the package
  (``legal_patterns_plugin:ReexportedHeader``).
"""

from legal_patterns_plugin.reexported import ReexportedHeader  # noqa: F401  (the re-export an entry point names)


def make_backend():
    """Factory entry point of ``mlflow.project_backend``: MLflow calls it with no argument."""
    from legal_patterns_plugin.backends import SecondBackend

    return SecondBackend()
