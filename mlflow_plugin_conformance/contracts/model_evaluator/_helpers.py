"""What only the model-evaluator contract uses: MLflow's model types, asking an evaluator as MLflow asks it, and
the name MLflow's registry runs the evaluator under."""

from __future__ import annotations

from .._support import unique_name


def model_types() -> list[str]:
    """Every model type ``mlflow.models.evaluate`` accepts in the installed MLflow."""
    from mlflow.models.evaluation.base import _ModelType

    return list(_ModelType.values())


def can_evaluate(evaluator, model_type, evaluator_config):
    """``evaluator.can_evaluate(...)`` exactly as MLflow calls it: on the instance its registry built, with the
    keywords ``model_type`` and ``evaluator_config`` (``mlflow.models.evaluation.base`` reads the answer's truth
    value)."""
    return evaluator.can_evaluate(model_type=model_type, evaluator_config=evaluator_config)


def registered_name(evaluator) -> tuple[str, bool]:
    """A name under which MLflow's evaluator registry gives ``evaluator``: the name of its class when a plugin
    registers that class, else a fresh name registered here that gives this very instance (a factory entry point,
    a plugin's own test module, an evaluator built with arguments). The bool says whether it was registered
    here (and must be removed after)."""
    from mlflow.models.evaluation.evaluator_registry import _model_evaluation_registry as registry

    import mlflow.models  # noqa: F401  (fills the registry)

    for name, registered in registry._registry.items():
        if registered is type(evaluator) and not registry.is_builtin(name):
            return name, False
    name = unique_name("conformance-evaluator")

    def the_evaluator_under_test():
        return evaluator

    registry.register(name, the_evaluator_under_test)
    return name, True
