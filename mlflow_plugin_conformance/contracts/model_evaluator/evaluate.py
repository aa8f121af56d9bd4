"""``model_evaluator/evaluate/*``: evaluations through ``mlflow.models.evaluate(..., evaluators=[name])``."""

from __future__ import annotations

import math
import numbers

from ..base import clause
from ..shared.local_mlflow import save_tiny_model


class EvaluateClauses:
    @clause("model_evaluator/evaluate/result")
    def test_evaluate_result(self, evaluate_through_mlflow):
        """Through ``mlflow.models.evaluate(..., evaluators=[name])`` the evaluator returns an EvaluationResult
        with at least one metric; metric names are strings and values real numbers (numpy scalars included)."""
        import numpy as np
        from mlflow.models.evaluation import EvaluationResult

        result, _ = evaluate_through_mlflow()
        assert isinstance(result, EvaluationResult)
        assert result.metrics, "the evaluation returned no metric"
        for key, value in result.metrics.items():
            assert isinstance(key, str), f"metric name {key!r} is not a string"
            assert isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)), (
                f"metric {key} = {value!r} ({type(value).__name__}) is not a number")

    @clause("model_evaluator/evaluate/metrics-logged")
    def test_evaluate_metrics_logged(self, evaluate_through_mlflow, evaluation_tracking_uri):
        """Every metric the evaluation returns is logged to the evaluation run with the same value."""
        from mlflow.tracking import MlflowClient

        result, run_id = evaluate_through_mlflow()
        logged = MlflowClient(evaluation_tracking_uri).get_run(run_id).data.metrics
        missing = {k: v for k, v in result.metrics.items()
                   if k not in logged or not (logged[k] == v or (math.isnan(v) and math.isnan(logged[k])))}
        assert not missing, f"metrics returned but not logged to run {run_id} (or with other values): {missing}; " \
                            f"logged: {logged}"

    @clause("model_evaluator/evaluate/uses-model")
    def test_evaluate_uses_model(self, evaluate_through_mlflow, evaluation_case, tmp_path):
        """The metrics depend on the model evaluated: two models with different predictions on the same data give
        different metrics (an evaluator that ignores the model or the targets fails this)."""
        first, _ = evaluate_through_mlflow()
        other_model = save_tiny_model(tmp_path / "constant", 0, 7)
        second, _ = evaluate_through_mlflow(model=other_model)
        common = set(first.metrics) & set(second.metrics)
        assert common, "the two evaluations share no metric name"
        assert any(first.metrics[k] != second.metrics[k] for k in common), (
            f"identical metrics for a model predicting x and one predicting 7: {first.metrics}")

    @clause("model_evaluator/evaluate/config-passed", level="full")
    def test_evaluate_config_passed(self, model_evaluator, evaluation_case):
        """``can_evaluate`` tolerates an evaluator_config with keys it does not know (users pass one config dict
        to all evaluators)."""
        answer = type(model_evaluator).can_evaluate(model_type=evaluation_case["model_type"],
                                                    evaluator_config={"log_model_explainability": False,
                                                                      "pos_label": 1})
        assert answer is True
