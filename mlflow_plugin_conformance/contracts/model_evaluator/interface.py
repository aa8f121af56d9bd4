"""``model_evaluator/interface/*``: the evaluator's class and the signatures MLflow calls."""

from __future__ import annotations

import inspect

import pytest

from ..base import clause
from ._helpers import model_types


class InterfaceClauses:
    @clause("model_evaluator/interface/base-class")
    def test_interface_base_class(self, model_evaluator):
        """The evaluator is a ``ModelEvaluator`` (MLflow's registry instantiates it with no argument)."""
        from mlflow.models.evaluation.base import ModelEvaluator

        assert isinstance(model_evaluator, ModelEvaluator), f"{type(model_evaluator)} is not a ModelEvaluator"

    @clause("model_evaluator/interface/can-evaluate-classmethod")
    def test_interface_can_evaluate_classmethod(self, model_evaluator):
        """``can_evaluate`` is a classmethod (MLflow declares it so) taking keyword arguments ``model_type`` and
        ``evaluator_config`` plus ``**kwargs`` for arguments later MLflow versions add."""
        static = inspect.getattr_static(type(model_evaluator), "can_evaluate")
        assert isinstance(static, classmethod), f"can_evaluate is a {type(static).__name__}, not a classmethod"
        params = inspect.signature(type(model_evaluator).can_evaluate).parameters
        assert {"model_type", "evaluator_config"} <= set(params), f"can_evaluate{tuple(params)}"
        assert any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()), (
            "can_evaluate has no **kwargs: a future MLflow passing one more keyword breaks every evaluation")

    @clause("model_evaluator/interface/can-evaluate-bool")
    def test_interface_can_evaluate_bool(self, model_evaluator):
        """``can_evaluate`` returns a bool (not None, not a truthy string) for every model type, and True for at
        least one (else MLflow never runs the evaluator)."""
        answers = {}
        for model_type in model_types():
            for config in ({}, {"unknown_option": 1}):
                answers[(model_type, str(config))] = type(model_evaluator).can_evaluate(
                    model_type=model_type, evaluator_config=config)
        not_bool = {k: v for k, v in answers.items() if not isinstance(v, bool)}
        assert not not_bool, f"can_evaluate returned non-bool answers: {not_bool}"
        assert any(answers.values()), "can_evaluate is False for every model type"

    @clause("model_evaluator/interface/evaluate-signature")
    def test_interface_evaluate_signature(self, model_evaluator):
        """``evaluate`` takes MLflow's keyword call (model_type, dataset, run_id, evaluator_config, model,
        extra_metrics, custom_artifacts, predictions) and ``**kwargs``: MLflow 3 also passes ``model_id``."""
        signature = inspect.signature(model_evaluator.evaluate)
        try:
            signature.bind(model_type="regressor", dataset=None, run_id="r", evaluator_config={}, model=None,
                           extra_metrics=None, custom_artifacts=None, predictions=None, model_id=None,
                           some_future_argument=None)
        except TypeError as exc:
            pytest.fail(f"evaluate{signature} cannot take MLflow's call: {exc}")
