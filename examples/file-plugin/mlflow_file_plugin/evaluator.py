"""Model evaluator ``file-plugin`` (entry point group ``mlflow.model_evaluator``).

For regressors and classifiers with numeric targets it computes the mean absolute error and the share of exact
matches between predictions and targets, logs both to the evaluation run and returns them.
"""

from __future__ import annotations

from mlflow.models.evaluation.base import EvaluationResult, ModelEvaluator

SUPPORTED_MODEL_TYPES = ("regressor", "classifier")


class FilePluginEvaluator(ModelEvaluator):
    """Mean absolute error and exact-match rate of a model's predictions against the dataset's targets."""

    @classmethod
    def can_evaluate(cls, *, model_type, evaluator_config, **kwargs) -> bool:
        return model_type in SUPPORTED_MODEL_TYPES

    def evaluate(self, *, model_type, dataset, run_id, evaluator_config, model=None, extra_metrics=None,
                 custom_artifacts=None, predictions=None, **kwargs):
        import numpy as np
        import pandas as pd
        from mlflow.entities import Metric
        from mlflow.exceptions import MlflowException
        from mlflow.tracking import MlflowClient
        from mlflow.utils.time import get_current_time_millis

        if dataset.labels_data is None:
            raise MlflowException.invalid_parameter_value("the file-plugin evaluator needs targets")
        if model is not None:
            output = model.predict(dataset.features_data)
        elif dataset.predictions_data is not None:
            output = dataset.predictions_data
        else:
            raise MlflowException.invalid_parameter_value("give a model or a dataset with predictions")
        if isinstance(output, pd.DataFrame):
            output = output[predictions] if predictions else output.iloc[:, 0]
        y_pred = np.asarray(output, dtype=float).reshape(-1)
        y_true = np.asarray(dataset.labels_data, dtype=float).reshape(-1)
        if y_pred.shape != y_true.shape:
            raise MlflowException.invalid_parameter_value(
                f"{y_pred.shape[0]} predictions for {y_true.shape[0]} targets")
        prefix = (evaluator_config or {}).get("metric_prefix", "")
        metrics = {
            f"{prefix}file_plugin_mean_absolute_error": float(np.mean(np.abs(y_pred - y_true))),
            f"{prefix}file_plugin_exact_match_rate": float(np.mean(y_pred == y_true)),
        }
        now = get_current_time_millis()
        MlflowClient().log_batch(run_id, metrics=[Metric(k, v, now, 0) for k, v in metrics.items()])
        return EvaluationResult(metrics=metrics, artifacts={}, run_id=run_id)
