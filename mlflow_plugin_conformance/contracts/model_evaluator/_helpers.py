"""What only the model-evaluator contract uses: MLflow's model types and the name an evaluator is registered under."""

from __future__ import annotations

from .._support import unique_name


def model_types() -> list[str]:
    """Every model type ``mlflow.models.evaluate`` accepts in the installed MLflow."""
    from mlflow.models.evaluation.base import _ModelType

    return list(_ModelType.values())


def registered_name(evaluator) -> tuple[str, bool]:
    """The name MLflow's evaluator registry holds ``type(evaluator)`` under, registering it under a fresh name
    when it is not registered (a plugin's own test module); the bool says whether it was registered here."""
    from mlflow.models.evaluation.evaluator_registry import _model_evaluation_registry as registry

    import mlflow.models  # noqa: F401  (fills the registry)

    for name, cls in registry._registry.items():
        if cls is type(evaluator) and not registry.is_builtin(name):
            return name, False
    name = unique_name("conformance-evaluator")
    registry.register(name, type(evaluator))
    return name, True
