"""``model_evaluator/interface/*``: the evaluator's class and the calls MLflow makes to it."""

from __future__ import annotations

import inspect

import pytest

from ...outcomes import blocked_by
from ..base import clause
from ._helpers import can_evaluate, model_types

#: The keywords every MLflow release this suite supports passes to ``evaluate`` (``mlflow.models.evaluation.base``).
EVALUATE_KEYWORDS = dict(model_type="regressor", dataset=None, run_id="r", evaluator_config={}, model=None,
                         extra_metrics=None, custom_artifacts=None, predictions=None)


class InterfaceClauses:
    @clause("model_evaluator/interface/base-class")
    def test_interface_base_class(self, model_evaluator):
        """The evaluator is a ``ModelEvaluator`` (MLflow's registry instantiates it with no argument)."""
        from mlflow.models.evaluation.base import ModelEvaluator

        assert isinstance(model_evaluator, ModelEvaluator), f"{type(model_evaluator)} is not a ModelEvaluator"

    @clause("model_evaluator/interface/can-evaluate-signature")
    def test_interface_can_evaluate_signature(self, model_evaluator):
        """``can_evaluate`` takes MLflow's call on the evaluator instance its registry built:
        ``evaluator.can_evaluate(model_type=..., evaluator_config=...)``. A classmethod (as MLflow's base declares
        it), a staticmethod and an instance method all do."""
        signature = inspect.signature(model_evaluator.can_evaluate)
        try:
            signature.bind(model_type="regressor", evaluator_config={})
        except TypeError as exc:
            pytest.fail(f"can_evaluate{signature} cannot take MLflow's call "
                        f"evaluator.can_evaluate(model_type=..., evaluator_config=...): {exc}", pytrace=False)

    @clause("model_evaluator/interface/can-evaluate-answers")
    def test_interface_can_evaluate_answers(self, model_evaluator):
        """``can_evaluate`` answers, without raising, for every model type MLflow knows and for ``None`` (what
        ``mlflow.models.evaluate`` passes without a model type), with an empty config and one with keys it does
        not know: when a user names no evaluator, MLflow asks every registered evaluator and does not catch, so
        one that raises breaks every evaluation in the environment."""
        raised = {}
        for model_type in [*model_types(), None]:
            for config in ({}, {"unknown_option": 1}):
                try:
                    can_evaluate(model_evaluator, model_type, config)
                except Exception as exc:
                    raised[f"model_type={model_type!r}, evaluator_config={config}"] = f"{type(exc).__name__}: {exc}"
        assert not raised, "can_evaluate raised (MLflow would not catch it):\n" + "\n".join(
            f"  {call}: {error}" for call, error in raised.items())

    @clause("model_evaluator/interface/can-evaluate-some-type")
    def test_interface_can_evaluate_some_type(self, model_evaluator):
        """``can_evaluate`` is true for at least one of MLflow's model types (else MLflow never runs the
        evaluator)."""
        answers, raised = {}, []
        for model_type in model_types():
            try:
                answers[model_type] = can_evaluate(model_evaluator, model_type, {})
            except Exception:
                raised.append(model_type)
        if not answers:
            blocked_by("model_evaluator/interface/can-evaluate-answers", "can_evaluate raised for every model type")
        assert any(answers.values()), f"can_evaluate accepts none of MLflow's model types: {answers}"

    @clause("model_evaluator/interface/evaluate-signature")
    def test_interface_evaluate_signature(self, model_evaluator):
        """``evaluate`` takes MLflow's keyword call: ``model_type``, ``dataset``, ``run_id``, ``evaluator_config``,
        ``model``, ``extra_metrics``, ``custom_artifacts``, ``predictions``."""
        signature = inspect.signature(model_evaluator.evaluate)
        try:
            signature.bind(**EVALUATE_KEYWORDS)
        except TypeError as exc:
            pytest.fail(f"evaluate{signature} cannot take MLflow's call: {exc}", pytrace=False)

    @clause("model_evaluator/interface/evaluate-model-id", since="3.0")
    def test_interface_evaluate_model_id(self, model_evaluator):
        """``evaluate`` also takes ``model_id=``, which MLflow 3 passes (a ``model_id`` parameter or ``**kwargs``)."""
        signature = inspect.signature(model_evaluator.evaluate)
        try:
            signature.bind(**EVALUATE_KEYWORDS)
        except TypeError:
            blocked_by("model_evaluator/interface/evaluate-signature", "evaluate cannot take MLflow's other keywords")
        try:
            signature.bind(**EVALUATE_KEYWORDS, model_id=None)
        except TypeError as exc:
            pytest.fail(f"evaluate{signature} cannot take MLflow 3's model_id=: {exc}", pytrace=False)
