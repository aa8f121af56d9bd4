"""``model_evaluator/import/*``: the evaluator works whichever of its module and ``mlflow`` is imported first."""

from __future__ import annotations

from .._local_mlflow import ImportOrderClauses, entry_points_of


class ModelEvaluatorImportOrderClauses(ImportOrderClauses):
    def _import_probe(self, subject):
        cls = type(subject)
        return cls.__module__, entry_points_of("mlflow.model_evaluator", cls.__module__) + (
            "import mlflow.models\n"
            "from mlflow.models.evaluation.evaluator_registry import _model_evaluation_registry as r\n"
            "for e in eps:\n"
            f"    assert type(r.get_evaluator(e.name)).__name__ == {cls.__name__!r}, e.name\n"
        )
