"""Deliberately broken tracking stores: each has one realistic bug the tracking-store contract must catch.

Each is MLflow's SqlAlchemyStore with one method changed the way a plugin author might get it wrong.
``BROKEN_TRACKING_STORES`` maps a variant name to (class, the clause id that must fail).
"""

from __future__ import annotations

import math

from mlflow.entities import Metric
from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE
from mlflow.store.tracking.abstract_store import AbstractStore
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore
from mlflow.utils.search_utils import SearchUtils


class _MetricFilter(SqlAlchemyStore):
    """Applies ``_fix`` to metrics on both write paths (log_metric and log_batch)."""

    def _fix(self, metrics):
        return metrics

    def log_metric(self, run_id, metric):
        fixed = self._fix([metric])
        if fixed:
            super().log_metric(run_id, fixed[0])

    def log_batch(self, run_id, metrics, params, tags):
        return super().log_batch(run_id, self._fix(metrics), params, tags)


class DropsNaN(_MetricFilter):
    """Filters out NaN metrics 'because the database cannot store them'."""

    def _fix(self, metrics):
        return [m for m in metrics if not (isinstance(m.value, float) and math.isnan(m.value))]


class InfinityBecomesNaN(_MetricFilter):
    """Maps +-inf to NaN on the way in."""

    def _fix(self, metrics):
        return [Metric(m.key, math.nan if isinstance(m.value, float) and math.isinf(m.value) else m.value,
                       m.timestamp, m.step) for m in metrics]


class Int32Steps(_MetricFilter):
    """Stores steps in a 32-bit column: large steps wrap around."""

    def _fix(self, metrics):
        return [Metric(m.key, m.value, m.timestamp, ((m.step + 2**31) % 2**32) - 2**31) for m in metrics]


class PaginationOffByOne(SqlAlchemyStore):
    """search_runs' next-page token starts one item too late: an item is skipped at each page boundary."""

    def search_runs(self, *args, **kwargs):
        page = super().search_runs(*args, **kwargs)
        if page.token:
            offset = SearchUtils.parse_start_offset_from_page_token(page.token)
            page.token = SearchUtils.create_page_token(offset + 1).decode("utf-8")
        return page


class WrongErrorCodeForUnknownExperiment(SqlAlchemyStore):
    """Answers an unknown experiment id with INVALID_PARAMETER_VALUE (HTTP 400) instead of 404."""

    def get_experiment(self, experiment_id):
        try:
            return super().get_experiment(experiment_id)
        except MlflowException as exc:
            if exc.error_code == "RESOURCE_DOES_NOT_EXIST":
                raise MlflowException(exc.message, error_code=INVALID_PARAMETER_VALUE) from None
            raise


class ParamsSilentlyKeepFirst(SqlAlchemyStore):
    """Swallows the error when a param is re-logged with a different value (the old value stays, no error)."""

    def log_param(self, run_id, param):
        try:
            return super().log_param(run_id, param)
        except MlflowException as exc:
            if exc.error_code != "INVALID_PARAMETER_VALUE":
                raise


class LatestMetricByTimestamp(SqlAlchemyStore):
    """Reports the most recently timestamped point as the metric's value, ignoring the step."""

    def get_run(self, run_id):
        run = super().get_run(run_id)
        for key in list(run.data.metrics):
            history = self.get_metric_history(run_id, key)
            run.data._metrics[key] = max(history, key=lambda m: (m.timestamp, m.value)).value
        return run


class ByNameHidesDeleted(SqlAlchemyStore):
    """get_experiment_by_name returns None for a deleted experiment."""

    def get_experiment_by_name(self, experiment_name):
        found = super().get_experiment_by_name(experiment_name)
        return None if found is not None and found.lifecycle_stage == "deleted" else found


class SearchIgnoresViewType(SqlAlchemyStore):
    """search_runs always returns active and deleted runs."""

    def search_runs(self, experiment_ids, filter_string, run_view_type, *args, **kwargs):
        return super().search_runs(experiment_ids, filter_string, 3, *args, **kwargs)


class NonAtomicBatch(SqlAlchemyStore):
    """log_batch writes params before validating the rest: a rejected batch leaves its params behind."""

    def log_batch(self, run_id, metrics, params, tags):
        for param in params:
            self.log_param(run_id, param)
        return super().log_batch(run_id, metrics, [], tags)


class LogInputsNotImplemented(SqlAlchemyStore):
    """Forgot log_inputs: inherits AbstractStore's body, which silently returns None."""

    log_inputs = AbstractStore.log_inputs


class SkipsSuperInit(SqlAlchemyStore):
    """Does not call AbstractStore.__init__ (no async logging queue)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self._async_logging_queue


class LikeIsCaseInsensitive(SqlAlchemyStore):
    """Implements LIKE as ILIKE."""

    def search_runs(self, experiment_ids, filter_string, *args, **kwargs):
        return super().search_runs(experiment_ids, (filter_string or "").replace(" LIKE ", " ILIKE "), *args,
                                   **kwargs)


class DefaultOrderAscending(SqlAlchemyStore):
    """Without order_by, returns the oldest runs first."""

    def search_runs(self, experiment_ids, filter_string, run_view_type, max_results=1000, order_by=None,
                    page_token=None):
        return super().search_runs(experiment_ids, filter_string, run_view_type, max_results,
                                   order_by or ["attributes.start_time ASC"], page_token)


class DeleteMissingTagSilently(SqlAlchemyStore):
    """delete_tag of a tag that does not exist succeeds silently."""

    def delete_tag(self, run_id, key):
        try:
            return super().delete_tag(run_id, key)
        except MlflowException as exc:
            if exc.error_code != "RESOURCE_DOES_NOT_EXIST":
                raise


class RunNameTagNotSynced(SqlAlchemyStore):
    """Treats `mlflow.runName` as reserved and ignores it in set_tag: renaming through the tag does nothing."""

    def set_tag(self, run_id, tag):
        if tag.key == "mlflow.runName":
            return None
        return super().set_tag(run_id, tag)


class DeleteExperimentKeepsRuns(SqlAlchemyStore):
    """delete_experiment marks only the experiment deleted; its runs stay active."""

    def delete_experiment(self, experiment_id):
        active = [r.info.run_id for r in self.search_runs([experiment_id], "", 1, max_results=50000)]
        super().delete_experiment(experiment_id)
        for run_id in active:
            self.restore_run(run_id)


def _status(name):
    from mlflow.entities import RunStatus

    return RunStatus.from_string(name)


BROKEN_TRACKING_STORES = {
    "drops-nan": (DropsNaN, "tracking_store/metrics/nan-and-infinities"),
    "infinity-becomes-nan": (InfinityBecomesNaN, "tracking_store/metrics/nan-and-infinities"),
    "int32-steps": (Int32Steps, "tracking_store/metrics/steps-negative-and-huge"),
    "pagination-off-by-one": (PaginationOffByOne, "tracking_store/search-runs/pagination"),
    "wrong-error-code": (WrongErrorCodeForUnknownExperiment, "tracking_store/experiments/get-unknown"),
    "params-silently-keep-first": (ParamsSilentlyKeepFirst, "tracking_store/params/relog-different-value-rejected"),
    "latest-metric-by-timestamp": (LatestMetricByTimestamp, "tracking_store/metrics/latest-value"),
    "by-name-hides-deleted": (ByNameHidesDeleted, "tracking_store/experiments/get-by-name-deleted"),
    "search-ignores-view-type": (SearchIgnoresViewType, "tracking_store/search-runs/view-types"),
    "non-atomic-batch": (NonAtomicBatch, "tracking_store/batch/invalid-batch-stores-nothing"),
    "log-inputs-not-implemented": (LogInputsNotImplemented, "tracking_store/completeness/core-methods-implemented"),
    "skips-super-init": (SkipsSuperInit, "tracking_store/completeness/init-called"),
    "like-is-case-insensitive": (LikeIsCaseInsensitive, "tracking_store/search-runs/param-comparators"),
    "default-order-ascending": (DefaultOrderAscending, "tracking_store/search-runs/default-order"),
    "delete-missing-tag-silently": (DeleteMissingTagSilently, "tracking_store/tags/delete-missing"),
    "run-name-tag-not-synced": (RunNameTagNotSynced, "tracking_store/runs/set-run-name-tag-renames"),
    "delete-experiment-keeps-runs": (DeleteExperimentKeepsRuns, "tracking_store/experiments/delete-cascades-to-runs"),
}

#: Variants the differential state machine catches too (a second, independent net), checked with the derandomised
#: ``ci`` profile so the outcome is reproducible. The others are caught by their clause; the machine finds them
#: only with luck or a larger profile (its rules are spread over every operation).
CAUGHT_BY_DIFFERENTIAL_MACHINE = ("infinity-becomes-nan", "delete-missing-tag-silently", "run-name-tag-not-synced")
