"""Broken model evaluators for the clauses added with issue 11 (one realistic bug each), built on the example
plugin's evaluator. ``tests/test_kinds_new_mutants.py`` runs them."""

from __future__ import annotations

import enum

from mlflow.models.evaluation.base import EvaluationResult
from mlflow_file_plugin.evaluator import FilePluginEvaluator


class BrokenCanEvaluatePositional(FilePluginEvaluator):
    """can_evaluate written with positional parameters under other names: MLflow's keyword call is a TypeError."""

    def can_evaluate(self, kind, config):
        return kind in ("regressor", "classifier")


class BrokenCanEvaluateRaises(FilePluginEvaluator):
    """can_evaluate looks the model type up in a table: KeyError for types it does not know (and for None), which
    MLflow does not catch when it asks every registered evaluator."""

    _SUPPORTED = {"regressor": True, "classifier": True, "text": False}

    @classmethod
    def can_evaluate(cls, *, model_type, evaluator_config, **kwargs):
        return cls._SUPPORTED[model_type]


class BrokenCanEvaluateNothing(FilePluginEvaluator):
    """can_evaluate compares with a misspelt model type: it never applies, MLflow never runs it."""

    @classmethod
    def can_evaluate(cls, *, model_type, evaluator_config, **kwargs):
        return model_type == "regresor"


class BrokenEvaluateOldSignature(FilePluginEvaluator):
    """evaluate written against an old draft: no ``predictions`` parameter and no ``**kwargs``."""

    def evaluate(self, *, model_type, dataset, run_id, evaluator_config, model=None, extra_metrics=None,
                 custom_artifacts=None):
        return super().evaluate(model_type=model_type, dataset=dataset, run_id=run_id,
                                evaluator_config=evaluator_config, model=model)


class _Metric(enum.Enum):
    MAE = "mean_absolute_error"


class BrokenEnumMetricNames(FilePluginEvaluator):
    """Returns its metrics keyed by an Enum member instead of the metric's name."""

    def evaluate(self, **kwargs):
        result = super().evaluate(**kwargs)
        return EvaluationResult({_Metric.MAE: next(iter(result.metrics.values()))}, result.artifacts)
