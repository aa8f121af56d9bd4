"""``model_evaluator/import/*``: the evaluator works whichever of its module and ``mlflow`` is imported first."""

from __future__ import annotations

from .._local_mlflow import ImportOrderClauses
from ._helpers import names_building


def entry_points_of(evaluator) -> list:
    """The installed entry points MLflow's registry builds ``evaluator``'s class from (the class itself or a
    factory). A module may offer several evaluators: only the entry points that give this one count."""
    from mlflow.utils.plugins import get_entry_points

    entry_points = {e.name: e for e in get_entry_points("mlflow.model_evaluator")}
    return [entry_points[name] for name in names_building(evaluator, entry_points)]


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
