"""A plugin built only from patterns that are legal for MLflow and that real plugins use: the conformance suite
must pass it on every clause of its kinds (``tests/test_legal_patterns_kinds.py``).

This module is what two entry points name: factory functions that import their implementation lazily (the fix
MLflow recommends for circular imports during ``import mlflow``). Nothing MLflow-specific is imported at the top.
"""


def make_evaluator():
    """Entry point of ``legal-factory`` (``mlflow.model_evaluator``): MLflow's registry calls the registered object
    with no argument, so a factory is as good as a class; this one builds an evaluator that takes arguments."""
    from .evaluators import ThresholdEvaluator

    return ThresholdEvaluator(scale=1.0)


# Import MLflow at the end, once the factory above exists (the pattern of examples/file-plugin): a user who imports
# a submodule first (``import legal_patterns_kinds.sources``) runs this package first, MLflow then loads every entry
# point while the package is complete, and loads the submodules in full. Without it, ``sources``' own top-level
# ``from mlflow.data... import`` would start ``import mlflow`` while ``sources`` is half-defined, and MLflow would
# drop its dataset source with only a warning (the suite's import-order clause catches exactly that).
import mlflow  # noqa: E402,F401
