"""Broken model evaluators, one realistic bug each, built on the example plugin's evaluator."""

from __future__ import annotations

from mlflow.models.evaluation.base import EvaluationResult
from mlflow_file_plugin.evaluator import FilePluginEvaluator


class BrokenEvaluateNoKwargs(FilePluginEvaluator):
    """evaluate without **kwargs: MLflow 3 passes model_id, a TypeError at every evaluation."""

    def evaluate(self, *, model_type, dataset, run_id, evaluator_config, model=None, extra_metrics=None,
                 custom_artifacts=None, predictions=None):
        return super().evaluate(model_type=model_type, dataset=dataset, run_id=run_id,
                                evaluator_config=evaluator_config, model=model, predictions=predictions)


class BrokenMetricsNotLogged(FilePluginEvaluator):
    """Computes the metrics and returns them, but never logs them to the run."""

    def evaluate(self, *, model_type, dataset, run_id, evaluator_config, model=None, **kwargs):
        import numpy as np

        y_pred = np.asarray(model.predict(dataset.features_data), dtype=float).reshape(-1)
        y_true = np.asarray(dataset.labels_data, dtype=float).reshape(-1)
        return EvaluationResult({"file_plugin_mean_absolute_error": float(np.mean(np.abs(y_pred - y_true)))}, {})


class BrokenIgnoresModel(FilePluginEvaluator):
    """Scores the targets against themselves: the model never matters."""

    def evaluate(self, *, model_type, dataset, run_id, evaluator_config, model=None, **kwargs):
        class Echo:
            def predict(self, features):
                return dataset.labels_data

        return super().evaluate(model_type=model_type, dataset=dataset, run_id=run_id,
                                evaluator_config=evaluator_config, model=Echo(), **kwargs)


class BrokenStringMetrics(FilePluginEvaluator):
    """Returns metric values formatted as strings."""

    def evaluate(self, **kwargs):
        result = super().evaluate(**kwargs)
        return EvaluationResult({k: f"{v:.3f}" for k, v in result.metrics.items()}, result.artifacts)


class BrokenRefusesUnknownConfig(FilePluginEvaluator):
    """can_evaluate refuses any evaluator_config key it does not know (users pass one config to all)."""

    @classmethod
    def can_evaluate(cls, *, model_type, evaluator_config, **kwargs):
        return model_type in ("regressor", "classifier") and set(evaluator_config or {}) <= {"metric_prefix"}
