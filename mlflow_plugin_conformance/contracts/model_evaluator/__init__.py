"""The model-evaluator contract (``mlflow.model_evaluator``).

Subclass :class:`ModelEvaluatorContract` and provide a ``model_evaluator`` fixture returning an evaluator instance
(the bundled suite builds it with MLflow's registry: ``_model_evaluation_registry.get_evaluator(name)``). The
evaluation clauses go through ``mlflow.models.evaluate(..., evaluators=[name])`` with a tiny pyfunc model and a
six-row DataFrame (numeric ``x``, 0/1 target ``y``: valid for regressors and classifiers) on a private SQLite
tracking store. An evaluator for other model types overrides the ``evaluation_case`` fixture.
"""

from __future__ import annotations

import pytest

from ...outcomes import blocked_by, not_run
from ..base import ContractBase, required_fixture
from ..shared.import_order import ImportOrderClauses
from ..shared.local_mlflow import fresh_tracking_uri, save_tiny_model
from ..shared.mlflow_uris import mlflow_pointed_at
from ._helpers import can_evaluate, model_types, registered_name
from .evaluate import EvaluateClauses
from .interface import InterfaceClauses

__all__ = ["ModelEvaluatorContract"]

_EXAMPLE = """    @pytest.fixture
    def model_evaluator(self):
        return MyEvaluator()"""


class ModelEvaluatorContract(InterfaceClauses, EvaluateClauses, ImportOrderClauses, ContractBase):
    """Contract clauses for a model evaluator. Provide the ``model_evaluator`` fixture."""

    kind_key = "model_evaluator"
    target_fixture = "model_evaluator"

    model_evaluator = required_fixture("model_evaluator", "ModelEvaluatorContract", _EXAMPLE)

    @pytest.fixture(scope="class")
    @classmethod
    def evaluation_tracking_uri(cls, tmp_path_factory) -> str:
        return fresh_tracking_uri(tmp_path_factory.mktemp("evaluation-tracking"))

    @pytest.fixture(scope="class")
    @classmethod
    def evaluation_model_uri(cls, tmp_path_factory) -> str:
        """A pyfunc model predicting ``x`` itself (the targets equal ``x`` on all rows but the last)."""
        return save_tiny_model(tmp_path_factory.mktemp("evaluation-model") / "identity", 1, 0)

    @pytest.fixture
    def evaluation_case(self, model_evaluator, evaluation_model_uri):
        """``dict(model_type=, data=, targets=, model=)`` for ``mlflow.models.evaluate``. Default: the first of
        'regressor', 'classifier' the evaluator accepts. Override for evaluators of other model types."""
        import inspect

        import pandas as pd

        try:
            inspect.signature(model_evaluator.can_evaluate).bind(model_type="regressor", evaluator_config={})
        except TypeError:
            blocked_by("model_evaluator/interface/can-evaluate-signature", "can_evaluate cannot take MLflow's call")
        accepted = []
        for model_type in [*model_types(), None]:
            try:
                if can_evaluate(model_evaluator, model_type, {}):
                    accepted.append(model_type)
            except Exception as exc:
                if model_type in ("regressor", "classifier"):
                    blocked_by("model_evaluator/interface/can-evaluate-answers",
                               f"can_evaluate(model_type={model_type!r}) raised {type(exc).__name__}: {exc}")
        for model_type in ("regressor", "classifier"):
            if model_type in accepted:
                data = pd.DataFrame({"x": [0, 1, 1, 0, 1, 0], "y": [0, 1, 1, 0, 1, 1]})
                return {"model_type": model_type, "data": data, "targets": "y", "model": evaluation_model_uri}
        if not accepted:
            blocked_by("model_evaluator/interface/can-evaluate-some-type", "can_evaluate accepts no model type")
        not_run(f"the evaluator evaluates {accepted}, neither 'regressor' nor 'classifier' (the contract's default "
                "case): override the `evaluation_case` fixture with a model_type, data, targets and model it "
                "evaluates")

    @pytest.fixture
    def evaluate_through_mlflow(self, model_evaluator, evaluation_case, evaluation_tracking_uri):
        """Runs ``mlflow.models.evaluate(..., evaluators=[name])`` in a fresh run; returns (result, run_id)."""
        import mlflow
        from mlflow.models.evaluation.evaluator_registry import _model_evaluation_registry as registry

        name, registered_here = registered_name(model_evaluator)

        def run(**overrides):
            case = dict(evaluation_case, **overrides)
            with mlflow.start_run() as active:
                result = mlflow.models.evaluate(case.pop("model"), case.pop("data"), evaluators=[name], **case)
            return result, active.info.run_id

        with mlflow_pointed_at(tracking_uri=evaluation_tracking_uri):
            yield run
        if registered_here:
            registry._registry.pop(name, None)
