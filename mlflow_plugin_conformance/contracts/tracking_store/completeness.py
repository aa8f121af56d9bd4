"""Completeness: MLflow's tracking base class does not enforce its abstract methods, so the suite does."""

from __future__ import annotations

import pytest

from ..base import clause

#: Methods MLflow's client needs from every tracking store: the abstract ones MLflow declares (enforcement off)
#: plus those the base class leaves as silent ``None``.
CORE_METHODS = (
    "search_experiments", "create_experiment", "get_experiment", "get_experiment_by_name", "delete_experiment",
    "restore_experiment", "rename_experiment", "set_experiment_tag", "delete_experiment_tag", "get_run",
    "update_run_info", "create_run", "delete_run", "restore_run", "get_metric_history", "_search_runs",
    "log_batch", "log_inputs",
)

#: Core methods MLflow's client calls only from a given release: (method, first MLflow version).
#: delete_experiment_tag: AbstractStore and SqlAlchemyStore define it from MLflow 3.2 (absent in 3.1.0).
CORE_METHODS_SINCE = (("delete_experiment_tag", "3.2"),)


def core_methods(mlflow_version):
    """CORE_METHODS that the installed MLflow's client uses."""
    from ...capabilities import version_at_least

    too_new = {name for name, since in CORE_METHODS_SINCE if not version_at_least(mlflow_version, since)}
    return tuple(name for name in CORE_METHODS if name not in too_new)


def _inherited_unimplemented(store, name):
    """True when ``name`` resolves to AbstractStore's own body (an unenforced abstract method or a silent-None
    stub), whether inherited or assigned from the base (``log_inputs = AbstractStore.log_inputs``)."""
    from mlflow.store.tracking.abstract_store import AbstractStore

    base = AbstractStore.__dict__.get(name)
    return base is not None and getattr(type(store), name, None) is base


class CompletenessClauses:
    """Clauses of the ``tracking_store/completeness/*`` family."""

    @clause("tracking_store/completeness/core-methods-implemented", routes=("in-process",))
    def test_completeness_core_methods_implemented(self, tracking_store):
        """Every method MLflow's client needs is implemented by the store, not inherited from AbstractStore,
        whose 'abstract' methods are not enforced and silently return None."""
        import mlflow

        missing = [name for name in core_methods(mlflow.__version__)
                   if not callable(getattr(tracking_store, name, None)) or _inherited_unimplemented(tracking_store,
                                                                                                    name)]
        if missing:
            pytest.fail(
                f"{type(tracking_store).__name__} does not implement {', '.join(missing)}: it inherits "
                f"AbstractStore's bodies, which return None silently (MLflow's ABCMeta is not enforced), so "
                f"MLflow's client would misbehave instead of failing.", pytrace=False)

    @clause("tracking_store/completeness/core-methods-return-values", routes=("in-process",))
    def test_completeness_core_methods_return_values(self, tracking_store):
        """The read and create methods return values, never None: create_experiment, get_experiment,
        get_experiment_by_name, create_run, get_run, update_run_info, search_experiments, search_runs,
        get_metric_history."""
        from mlflow.entities import RunStatus, ViewType

        from .._support import unique_name
        from ._helpers import now_ms

        name = unique_name("complete")
        results = {}
        experiment_id = results["create_experiment"] = tracking_store.create_experiment(name)
        results["get_experiment"] = tracking_store.get_experiment(experiment_id)
        results["get_experiment_by_name"] = tracking_store.get_experiment_by_name(name)
        run = results["create_run"] = tracking_store.create_run(experiment_id, "u", now_ms(), [], "r")
        if run is not None:
            results["get_run"] = tracking_store.get_run(run.info.run_id)
            results["update_run_info"] = tracking_store.update_run_info(run.info.run_id, RunStatus.FINISHED,
                                                                        now_ms(), "r")
            results["get_metric_history"] = tracking_store.get_metric_history(run.info.run_id, "m")
        results["search_experiments"] = tracking_store.search_experiments(filter_string=f"name = '{name}'")
        results["search_runs"] = tracking_store.search_runs([experiment_id], "", ViewType.ALL)
        returned_none = [method for method, value in results.items() if value is None]
        assert not returned_none, f"{', '.join(returned_none)} returned None"

    @clause("tracking_store/completeness/init-called", routes=("in-process",))
    def test_completeness_init_called(self, tracking_store):
        """The store called AbstractStore.__init__ (it creates the async logging queue log_batch_async uses)."""
        assert hasattr(tracking_store, "_async_logging_queue"), (
            f"{type(tracking_store).__name__}.__init__ did not call super().__init__(): MLflow's async logging "
            f"(mlflow.log_metric(..., synchronous=False)) will fail with AttributeError")

    @clause("tracking_store/completeness/delete-tag-present", routes=("in-process",))
    def test_completeness_delete_tag_present(self, tracking_store):
        """delete_tag exists: MLflow's client calls it (MlflowClient.delete_tag) though AbstractStore does not
        define it."""
        assert callable(getattr(tracking_store, "delete_tag", None)), (
            f"{type(tracking_store).__name__} has no delete_tag: MlflowClient.delete_tag raises AttributeError")

    @clause("tracking_store/completeness/log-logged-model-params-present", level="full",
            feature="tracking_store.logged_models", since="3.0", routes=("in-process",))
    def test_completeness_log_logged_model_params_present(self, tracking_store):
        """log_logged_model_params exists when the store supports logged models: MLflow's client calls it
        (creating a logged model with params) though AbstractStore does not define it."""
        if _inherited_unimplemented(tracking_store, "create_logged_model"):
            raise NotImplementedError("the store does not implement logged models")
        assert callable(getattr(tracking_store, "log_logged_model_params", None)), (
            f"{type(tracking_store).__name__} implements logged models but has no log_logged_model_params")
