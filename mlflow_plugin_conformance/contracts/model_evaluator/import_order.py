"""``model_evaluator/import/*``: the evaluator works whichever of its module and ``mlflow`` is imported first."""

from __future__ import annotations

from .._local_mlflow import ImportOrderClauses


def entry_points_of(evaluator) -> list:
    """The installed entry points MLflow's registry builds ``evaluator``'s class from: each is the class itself or
    a factory (MLflow calls the registered object with no argument, so a factory that imports lazily is legal). A
    module may offer several evaluators: only the entry points that give this one count."""
    from mlflow.models.evaluation.evaluator_registry import _model_evaluation_registry as registry
    from mlflow.utils.plugins import get_entry_points

    import mlflow.models  # noqa: F401  (fills the registry)

    cls = type(evaluator)
    found = []
    for entry_point in get_entry_points("mlflow.model_evaluator"):
        registered = registry._registry.get(entry_point.name)
        if registered is cls:
            found.append(entry_point)
        elif registered is not None and not isinstance(registered, type) and callable(registered):
            try:
                if type(registered()) is cls:
                    found.append(entry_point)
            except Exception:
                continue
    return found


class ModelEvaluatorImportOrderClauses(ImportOrderClauses):
    def _import_probe(self, subject):
        cls = type(subject)
        entry_points = entry_points_of(subject)
        module = entry_points[0].value.partition(":")[0].strip() if entry_points else cls.__module__
        return module, (
            "import mlflow.models\n"
            "from mlflow.models.evaluation.evaluator_registry import _model_evaluation_registry as r\n"
            f"for name in {[e.name for e in entry_points]!r}:\n"
            "    built = type(r.get_evaluator(name))\n"
            f"    assert (built.__module__, built.__qualname__) == {(cls.__module__, cls.__qualname__)!r}, name\n"
        )
