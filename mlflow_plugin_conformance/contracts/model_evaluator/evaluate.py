"""``model_evaluator/evaluate/*``: evaluations through ``mlflow.models.evaluate(..., evaluators=[name])``.

The clauses about metrics belong to the feature ``model_evaluator.metrics``: an evaluator that returns none (one
that only logs artifacts) is reported unsupported there, not failed. A clause whose evaluation cannot even run
reports itself blocked by ``model_evaluator/evaluate/result``, which shows why.
"""

from __future__ import annotations

import math
import numbers

from ...outcomes import blocked_by, unsupported
from ..base import clause
from ..shared.local_mlflow import save_tiny_model
from ._helpers import can_evaluate


def evaluated(evaluate_through_mlflow, **overrides):
    """``(result, run_id)`` of the contract's standard evaluation; blocked when it raises (the clause
    ``model_evaluator/evaluate/result`` reports that failure)."""
    try:
        return evaluate_through_mlflow(**overrides)
    except Exception as exc:
        blocked_by("model_evaluator/evaluate/result",
                   f"the evaluation through mlflow.models.evaluate raised {type(exc).__name__}: {exc}")


def metrics_of(result) -> dict:
    """The metrics of ``result``; the clause is unsupported when there are none (an evaluator of artifacts only)."""
    if not result.metrics:
        unsupported("model_evaluator.metrics", "the evaluation returned no metric (the evaluator may log artifacts "
                                               "only)")
    return result.metrics


class EvaluateClauses:
    @clause("model_evaluator/evaluate/result")
    def test_evaluate_result(self, evaluate_through_mlflow):
        """``mlflow.models.evaluate(model, data, evaluators=[name], ...)`` runs the evaluator to the end and returns
        an ``EvaluationResult`` (the evaluator's own result is merged into it: it must have ``metrics`` and
        ``artifacts``)."""
        from mlflow.models.evaluation import EvaluationResult

        result, _ = evaluate_through_mlflow()
        assert isinstance(result, EvaluationResult), f"mlflow.models.evaluate returned {type(result).__name__}"

    @clause("model_evaluator/evaluate/metric-names", feature="model_evaluator.metrics")
    def test_evaluate_metric_names(self, evaluate_through_mlflow):
        """The names of the metrics the evaluation returns are strings (MLflow logs them as metric keys)."""
        result, _ = evaluated(evaluate_through_mlflow)
        not_str = [key for key in metrics_of(result) if not isinstance(key, str)]
        assert not not_str, f"metric names that are not strings: {not_str!r}"

    @clause("model_evaluator/evaluate/metric-values", feature="model_evaluator.metrics")
    def test_evaluate_metric_values(self, evaluate_through_mlflow):
        """The values of the metrics the evaluation returns are real numbers (numpy scalars included; not bools,
        not strings)."""
        import numpy as np

        result, _ = evaluated(evaluate_through_mlflow)
        wrong = {key: f"{value!r} ({type(value).__name__})" for key, value in metrics_of(result).items()
                 if not isinstance(value, numbers.Real) or isinstance(value, (bool, np.bool_))}
        assert not wrong, f"metric values that are not numbers: {wrong}"

    @clause("model_evaluator/evaluate/metrics-logged", feature="model_evaluator.metrics")
    def test_evaluate_metrics_logged(self, evaluate_through_mlflow, evaluation_tracking_uri):
        """Every metric the evaluation returns is logged to the evaluation run with the same value (MLflow does not
        log an evaluator's metrics for it)."""
        from mlflow.tracking import MlflowClient

        result, run_id = evaluated(evaluate_through_mlflow)
        returned = metrics_of(result)
        logged = MlflowClient(evaluation_tracking_uri).get_run(run_id).data.metrics

        def same(a, b):
            try:
                return a == b or (math.isnan(a) and math.isnan(b))
            except TypeError:
                return False

        missing = {k: v for k, v in returned.items() if k not in logged or not same(logged[k], v)}
        assert not missing, f"metrics returned but not logged to run {run_id} (or with other values): {missing}; " \
                            f"logged: {logged}"

    @clause("model_evaluator/evaluate/uses-model", feature="model_evaluator.metrics")
    def test_evaluate_uses_model(self, evaluate_through_mlflow, tmp_path):
        """The metrics depend on the model evaluated: two models with different predictions on the same data give
        different metrics (an evaluator that ignores the model or the targets fails this)."""
        first, _ = evaluated(evaluate_through_mlflow)
        metrics_of(first)
        other_model = save_tiny_model(tmp_path / "constant", 0, 7)
        second, _ = evaluate_through_mlflow(model=other_model)
        common = set(first.metrics) & set(second.metrics)
        assert common, "the two evaluations share no metric name"
        assert any(first.metrics[k] != second.metrics[k] for k in common), (
            f"identical metrics for a model predicting x and one predicting 7: {first.metrics}")

    @clause("model_evaluator/evaluate/config-passed", level="full")
    def test_evaluate_config_passed(self, model_evaluator, evaluation_case):
        """``can_evaluate`` still accepts the model type when ``evaluator_config`` holds keys it does not know
        (users pass one config dict to all evaluators)."""
        answer = can_evaluate(model_evaluator, evaluation_case["model_type"],
                              {"log_model_explainability": False, "pos_label": 1})
        assert answer, f"can_evaluate(model_type={evaluation_case['model_type']!r}, evaluator_config=<unknown keys>) " \
                       f"answered {answer!r}"
