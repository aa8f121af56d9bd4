"""The model-evaluator contract (``mlflow.model_evaluator``).

Subclass :class:`ModelEvaluatorContract` and provide a ``model_evaluator`` fixture returning an evaluator instance
(the bundled suite builds it with MLflow's registry: ``_model_evaluation_registry.get_evaluator(name)``). The
evaluation clauses go through ``mlflow.models.evaluate(..., evaluators=[name])`` with a tiny pyfunc model and a
six-row DataFrame (numeric ``x``, 0/1 target ``y``: valid for regressors and classifiers) on a private SQLite
tracking store. An evaluator for other model types overrides the ``evaluation_case`` fixture.
"""

from __future__ import annotations

import inspect
import math
import numbers

import pytest

from ._local_mlflow import ImportOrderClauses, entry_points_of, fresh_tracking_uri, save_tiny_model, tracking_uri_set
from ._support import unique_name
from .base import ContractBase, clause, required_fixture

_EXAMPLE = """    @pytest.fixture
    def model_evaluator(self):
        return MyEvaluator()"""


def model_types() -> list[str]:
    """Every model type ``mlflow.models.evaluate`` accepts in the installed MLflow."""
    from mlflow.models.evaluation.base import _ModelType

    return list(_ModelType.values())


def registered_name(evaluator) -> tuple[str, bool]:
    """The name MLflow's evaluator registry holds ``type(evaluator)`` under, registering it under a fresh name
    when it is not registered (a plugin's own test module); the bool says whether it was registered here."""
    from mlflow.models.evaluation.evaluator_registry import _model_evaluation_registry as registry

    import mlflow.models  # noqa: F401  (fills the registry)

    for name, cls in registry._registry.items():
        if cls is type(evaluator) and not registry.is_builtin(name):
            return name, False
    name = unique_name("conformance-evaluator")
    registry.register(name, type(evaluator))
    return name, True


class ModelEvaluatorContract(ImportOrderClauses, ContractBase):
    """Contract clauses for a model evaluator. Provide the ``model_evaluator`` fixture."""

    kind_key = "model_evaluator"
    target_fixture = "model_evaluator"

    model_evaluator = required_fixture("model_evaluator", "ModelEvaluatorContract", _EXAMPLE)

    # -- fixtures --------------------------------------------------------------------------------------------------

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
        import pandas as pd

        for model_type in ("regressor", "classifier"):
            if type(model_evaluator).can_evaluate(model_type=model_type, evaluator_config={}) is True:
                data = pd.DataFrame({"x": [0, 1, 1, 0, 1, 0], "y": [0, 1, 1, 0, 1, 1]})
                return {"model_type": model_type, "data": data, "targets": "y", "model": evaluation_model_uri}
        pytest.fail("the evaluator accepts neither 'regressor' nor 'classifier': override the `evaluation_case` "
                    "fixture with a model_type, data, targets and model it evaluates", pytrace=False)

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

        with tracking_uri_set(evaluation_tracking_uri):
            yield run
        if registered_here:
            registry._registry.pop(name, None)

    def _import_probe(self, subject):
        cls = type(subject)
        return cls.__module__, entry_points_of("mlflow.model_evaluator", cls.__module__) + (
            "import mlflow.models\n"
            "from mlflow.models.evaluation.evaluator_registry import _model_evaluation_registry as r\n"
            "for e in eps:\n"
            f"    assert type(r.get_evaluator(e.name)).__name__ == {cls.__name__!r}, e.name\n"
        )

    # -- interface -------------------------------------------------------------------------------------------------

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

    # -- evaluation ------------------------------------------------------------------------------------------------

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
