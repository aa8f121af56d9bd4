"""Several model evaluators in one module, each a legal way to write one.

* ``InstanceMethodEvaluator``: ``can_evaluate`` is an instance method (MLflow calls it on the instance its registry
  built, never on the class);
* ``StaticEvaluator``: ``can_evaluate`` is a staticmethod without ``**kwargs`` that answers None (falsy) for model
  types it does not handle; ``evaluate`` names every keyword MLflow 3 passes, ``model_id`` included, without
  ``**kwargs``;
* ``ThresholdEvaluator``: needs a constructor argument, so its entry point is a factory (see ``__init__``);
* ``ArtifactOnlyEvaluator``: logs an artifact and returns no metric (its metric clauses are unsupported).
"""

from __future__ import annotations

from mlflow.models.evaluation.base import EvaluationResult, ModelEvaluator


def _errors(model, dataset, predictions):
    import numpy as np
    import pandas as pd

    output = model.predict(dataset.features_data) if model is not None else dataset.predictions_data
    if isinstance(output, pd.DataFrame):
        output = output[predictions] if predictions else output.iloc[:, 0]
    y_pred = np.asarray(output, dtype=float).reshape(-1)
    y_true = np.asarray(dataset.labels_data, dtype=float).reshape(-1)
    return y_pred - y_true


def _log(run_id, metrics):
    from mlflow.entities import Metric
    from mlflow.tracking import MlflowClient
    from mlflow.utils.time import get_current_time_millis

    now = get_current_time_millis()
    MlflowClient().log_batch(run_id, metrics=[Metric(k, v, now, 0) for k, v in metrics.items()])


class InstanceMethodEvaluator(ModelEvaluator):
    """Mean absolute error; ``can_evaluate`` reads instance state."""

    def __init__(self):
        self.model_types = ("regressor", "classifier")

    def can_evaluate(self, *, model_type, evaluator_config, **kwargs):
        return model_type in self.model_types

    def evaluate(self, *, model_type, dataset, run_id, evaluator_config, model=None, predictions=None, **kwargs):
        import numpy as np

        metrics = {"legal_mean_absolute_error": float(np.mean(np.abs(_errors(model, dataset, predictions))))}
        _log(run_id, metrics)
        return EvaluationResult(metrics=metrics, artifacts={}, run_id=run_id)


class StaticEvaluator(ModelEvaluator):
    """Mean squared error; a staticmethod ``can_evaluate`` without ``**kwargs``, None when it does not apply."""

    @staticmethod
    def can_evaluate(*, model_type, evaluator_config):
        if model_type == "regressor":
            return True
        return None

    def evaluate(self, *, model_type, dataset, run_id, evaluator_config, model=None, extra_metrics=None,
                 custom_artifacts=None, predictions=None, model_id=None):
        import numpy as np

        metrics = {"legal_mean_squared_error": float(np.mean(_errors(model, dataset, predictions) ** 2))}
        _log(run_id, metrics)
        return EvaluationResult(metrics=metrics, artifacts={}, run_id=run_id)


class ThresholdEvaluator(ModelEvaluator):
    """Share of predictions within ``scale`` of the target; built with an argument, by a factory entry point."""

    def __init__(self, scale):
        self.scale = scale

    @classmethod
    def can_evaluate(cls, *, model_type, evaluator_config, **kwargs):
        return model_type in ("regressor", "classifier")

    def evaluate(self, *, model_type, dataset, run_id, evaluator_config, model=None, predictions=None, **kwargs):
        import numpy as np

        errors = np.abs(_errors(model, dataset, predictions))
        metrics = {"legal_within_scale": float(np.mean(errors <= self.scale)),
                   "legal_max_error": float(np.max(errors))}
        _log(run_id, metrics)
        return EvaluationResult(metrics=metrics, artifacts={}, run_id=run_id)


class ArtifactOnlyEvaluator(ModelEvaluator):
    """Logs the predictions as a JSON artifact and returns no metric."""

    def can_evaluate(self, *, model_type, evaluator_config, **kwargs):
        return model_type in ("regressor", "classifier")

    def evaluate(self, *, model_type, dataset, run_id, evaluator_config, model=None, predictions=None, **kwargs):
        from mlflow.tracking import MlflowClient

        errors = _errors(model, dataset, predictions)
        MlflowClient().log_dict(run_id, {"errors": [float(e) for e in errors]}, "legal/errors.json")
        return EvaluationResult(metrics={}, artifacts={}, run_id=run_id)
