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


def names_building(evaluator, names) -> list[str]:
    """The ``names`` under which MLflow's evaluator registry builds an evaluator of ``evaluator``'s class: the class
    itself is registered, or a factory returning one (MLflow calls the registered object with no argument at every
    evaluation, so a factory, one that imports lazily or passes constructor arguments, is as good as a class)."""
    from mlflow.models.evaluation.evaluator_registry import _model_evaluation_registry as registry

    import mlflow.models  # noqa: F401  (fills the registry)

    cls, found = type(evaluator), []
    for name in names:
        registered = registry._registry.get(name)
        if registered is cls:
            found.append(name)
        elif registered is not None and not isinstance(registered, type) and callable(registered):
            try:
                if type(registered()) is cls:
                    found.append(name)
            except Exception:
                continue
    return found


def registered_name(evaluator) -> tuple[str, bool]:
    """A name under which MLflow's evaluator registry builds ``evaluator``'s kind of evaluator, as MLflow does at
    every evaluation (a fresh one each time: MLflow's own evaluators bind the tracking client when built). A
    plugin's registered class or factory when there is one; else a fresh name registered here, for the class when
    it builds with no argument (as MLflow's registry requires), or else for this very instance (a plugin's own
    test module that builds its evaluator with arguments). The bool says whether it was registered here (and must
    be removed after)."""
    import inspect

    from mlflow.models.evaluation.evaluator_registry import _model_evaluation_registry as registry

    import mlflow.models  # noqa: F401  (fills the registry)

    plugin_names = [name for name in registry._registry if not registry.is_builtin(name)]
    for name in names_building(evaluator, plugin_names):
        return name, False
    name = unique_name("conformance-evaluator")
    try:
        inspect.signature(type(evaluator)).bind()
        registry.register(name, type(evaluator))
    except (TypeError, ValueError):
        def the_evaluator_under_test():
            return evaluator

        registry.register(name, the_evaluator_under_test)
    return name, True
