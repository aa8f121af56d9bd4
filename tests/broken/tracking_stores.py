"""Deliberately broken tracking stores: each has one realistic bug the tracking-store contract must catch.

Each is MLflow's SqlAlchemyStore with one method changed the way a plugin author might get it wrong.
``MUTANTS`` at the end declares each for the mutation harness (tests/mutants.py).
"""

from __future__ import annotations

import math
import re
import time
import uuid

from mlflow.entities import ExperimentTag, Metric, Param, Run, RunInputs, RunStatus, RunTag, ViewType
from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE, RESOURCE_DOES_NOT_EXIST
from mlflow.store.entities.paged_list import PagedList
from mlflow.store.tracking import SEARCH_MAX_RESULTS_DEFAULT
from mlflow.store.tracking.abstract_store import AbstractStore
from mlflow.store.tracking.dbmodels.models import SqlTag
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore
from mlflow.utils.search_utils import SearchExperimentsUtils, SearchUtils
from _bugs import ignoring
from _mutant import Mutant

KIND = "tracking_store"
MACHINE = "tracking_store/differential/state-machine"


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


# -- helpers for the one-method mutants below ---------------------------------------------------------------------


class _ExperimentSearch(SqlAlchemyStore):
    """search_experiments with its arguments rewritten by ``_query`` (view type, max results, filter, order by,
    token) and its result by ``_result``."""

    def search_experiments(self, view_type=ViewType.ACTIVE_ONLY, max_results=SEARCH_MAX_RESULTS_DEFAULT,
                           filter_string=None, order_by=None, page_token=None):
        query = self._query(view_type, max_results, filter_string, order_by, page_token)
        return self._result(super().search_experiments(*query), query)

    def _query(self, view_type, max_results, filter_string, order_by, page_token):
        return view_type, max_results, filter_string, order_by, page_token

    def _result(self, page, query):
        return page


class _RunSearch(SqlAlchemyStore):
    """search_runs with its arguments rewritten by ``_query`` and its result by ``_result``."""

    def search_runs(self, experiment_ids, filter_string, run_view_type, max_results=SEARCH_MAX_RESULTS_DEFAULT,
                    order_by=None, page_token=None):
        query = self._query(experiment_ids, filter_string or "", run_view_type, max_results, order_by, page_token)
        return self._result(super().search_runs(*query), query)

    def _query(self, experiment_ids, filter_string, run_view_type, max_results, order_by, page_token):
        return experiment_ids, filter_string, run_view_type, max_results, order_by, page_token

    def _result(self, page, query):
        return page


class _ThroughScheme(SqlAlchemyStore):
    """Reached by MLflow through a scheme of its own (as an entry point registers it): ``SCHEME://<dir>`` keeps
    its runs in ``<dir>/db.sqlite``, so every store built from one URI shares one database; ``plugin_uri`` tells
    the contract's end-to-end clauses the URI."""

    SCHEME = "broken-tracking-through-scheme"

    def __init__(self, store_uri, artifact_uri=None):
        from urllib.parse import urlparse

        self.plugin_uri = store_uri
        directory = urlparse(store_uri).path
        super().__init__("sqlite:///" + directory + "/db.sqlite", artifact_uri or f"file://{directory}/artifacts")


# -- experiments --------------------------------------------------------------------------------------------------


class ExperimentIdAsInt(SqlAlchemyStore):
    """create_experiment returns the database's integer id instead of a string."""

    def create_experiment(self, name, artifact_location=None, tags=None):
        return int(super().create_experiment(name, artifact_location, tags))


class CreateReturnsExisting(SqlAlchemyStore):
    """create_experiment with a taken name returns the existing experiment's id ('get or create')."""

    def create_experiment(self, name, artifact_location=None, tags=None):
        try:
            return super().create_experiment(name, artifact_location, tags)
        except MlflowException as exc:
            if exc.error_code != "RESOURCE_ALREADY_EXISTS":
                raise
            return self.get_experiment_by_name(name).experiment_id


class ArtifactLocationIgnored(SqlAlchemyStore):
    """create_experiment always puts artifacts under the store's default root."""

    def create_experiment(self, name, artifact_location=None, tags=None):
        return super().create_experiment(name, None, tags)


class ExperimentTagsDropped(SqlAlchemyStore):
    """create_experiment forgets the tags it is given."""

    def create_experiment(self, name, artifact_location=None, tags=None):
        return super().create_experiment(name, artifact_location, None)


class EmptyExperimentNameDefaulted(SqlAlchemyStore):
    """An empty experiment name is replaced by a generated one instead of being rejected."""

    def create_experiment(self, name, artifact_location=None, tags=None):
        return super().create_experiment(name or f"experiment-{uuid.uuid4().hex[:8]}", artifact_location, tags)


class LongExperimentNameTruncated(SqlAlchemyStore):
    """Experiment names over 500 characters are cut to 500, and names that are not strings are converted."""

    def create_experiment(self, name, artifact_location=None, tags=None):
        return super().create_experiment(str(name)[:500], artifact_location, tags)


class ExperimentNameLimit200(SqlAlchemyStore):
    """Refuses experiment names over 200 characters (a column sized smaller than MLflow's)."""

    def create_experiment(self, name, artifact_location=None, tags=None):
        if isinstance(name, str) and len(name) > 200:
            raise MlflowException(f"experiment name too long: {len(name)}", INVALID_PARAMETER_VALUE)
        return super().create_experiment(name, artifact_location, tags)


class ByNameRaisesWhenMissing(SqlAlchemyStore):
    """get_experiment_by_name raises RESOURCE_DOES_NOT_EXIST where MLflow returns None."""

    def get_experiment_by_name(self, experiment_name):
        found = super().get_experiment_by_name(experiment_name)
        if found is None:
            raise MlflowException(f"no experiment {experiment_name!r}", RESOURCE_DOES_NOT_EXIST)
        return found


class RenameIsNoop(SqlAlchemyStore):
    """rename_experiment validates its arguments but never writes the new name."""

    def rename_experiment(self, experiment_id, new_name):
        self.get_experiment(experiment_id)


class RenameRevivesDeleted(SqlAlchemyStore):
    """Renaming a deleted experiment succeeds (it is restored, renamed and deleted again)."""

    def rename_experiment(self, experiment_id, new_name):
        if self.get_experiment(experiment_id).lifecycle_stage == "deleted":
            self.restore_experiment(experiment_id)
            super().rename_experiment(experiment_id, new_name)
            return self.delete_experiment(experiment_id)
        return super().rename_experiment(experiment_id, new_name)


class RenameUnknownSilently(SqlAlchemyStore):
    """Renaming an unknown experiment id does nothing and raises nothing."""

    def rename_experiment(self, experiment_id, new_name):
        return ignoring("RESOURCE_DOES_NOT_EXIST", lambda: super(RenameUnknownSilently, self).rename_experiment(
            experiment_id, new_name))


class RenameAcceptsAnyName(SqlAlchemyStore):
    """rename_experiment stores an empty name as the old name, and cuts long names to 500 characters."""

    def rename_experiment(self, experiment_id, new_name):
        return super().rename_experiment(experiment_id, new_name[:500] or self.get_experiment(experiment_id).name)


class RestoreExperimentIsNoop(SqlAlchemyStore):
    """restore_experiment checks the id but does not change the lifecycle stage."""

    def restore_experiment(self, experiment_id):
        self.get_experiment(experiment_id)


class DeleteUnknownExperimentSilently(SqlAlchemyStore):
    """Deleting an unknown experiment id does nothing and raises nothing."""

    def delete_experiment(self, experiment_id):
        return ignoring("RESOURCE_DOES_NOT_EXIST", lambda: super(DeleteUnknownExperimentSilently, self)
                         .delete_experiment(experiment_id))


class RestoreUnknownExperimentSilently(SqlAlchemyStore):
    """Restoring an unknown experiment id does nothing and raises nothing."""

    def restore_experiment(self, experiment_id):
        return ignoring("RESOURCE_DOES_NOT_EXIST", lambda: super(RestoreUnknownExperimentSilently, self)
                         .restore_experiment(experiment_id))


class ExperimentTagKeepsFirst(SqlAlchemyStore):
    """set_experiment_tag inserts only: setting an existing tag again keeps the first value."""

    def set_experiment_tag(self, experiment_id, tag):
        if tag.key not in self.get_experiment(experiment_id).tags:
            super().set_experiment_tag(experiment_id, tag)


class ExperimentTagCutAt5000(SqlAlchemyStore):
    """Keeps experiment tag values to 5000 characters (MLflow's limit before 3.16)."""

    def set_experiment_tag(self, experiment_id, tag):
        super().set_experiment_tag(experiment_id, ExperimentTag(tag.key, tag.value[:5000]))


class ExperimentTagTruncatedAt20000(SqlAlchemyStore):
    """Cuts experiment tag values over 20000 characters instead of rejecting them."""

    def set_experiment_tag(self, experiment_id, tag):
        super().set_experiment_tag(experiment_id, ExperimentTag(tag.key, tag.value[:20000]))


class DeleteMissingExperimentTagSilently(SqlAlchemyStore):
    """delete_experiment_tag of a tag that does not exist succeeds silently."""

    def delete_experiment_tag(self, experiment_id, key):
        return ignoring("RESOURCE_DOES_NOT_EXIST", lambda: super(DeleteMissingExperimentTagSilently, self)
                         .delete_experiment_tag(experiment_id, key))


class ExperimentLikeIsCaseInsensitive(_ExperimentSearch):
    """Implements LIKE as ILIKE in experiment filters."""

    def _query(self, view_type, max_results, filter_string, order_by, page_token):
        return view_type, max_results, (filter_string or "").replace(" LIKE ", " ILIKE "), order_by, page_token


class ExperimentTagFilterIgnored(_ExperimentSearch):
    """Drops the tag conditions of an experiment filter (the other conditions still apply)."""

    def _query(self, view_type, max_results, filter_string, order_by, page_token):
        kept = [c for c in re.split(r"\s+AND\s+", filter_string or "", flags=re.I) if not c.startswith("tags.")]
        return view_type, max_results, " AND ".join(kept), order_by, page_token


class ExperimentTimeFilterIgnored(_ExperimentSearch):
    """Drops creation_time and last_update_time conditions of an experiment filter."""

    def _query(self, view_type, max_results, filter_string, order_by, page_token):
        kept = [c for c in re.split(r"\s+AND\s+", filter_string or "", flags=re.I)
                if not c.startswith(("creation_time", "last_update_time"))]
        return view_type, max_results, " AND ".join(kept), order_by, page_token


class ExperimentOrderByIgnored(_ExperimentSearch):
    """Ignores order_by: experiments always come in the default order."""

    def _query(self, view_type, max_results, filter_string, order_by, page_token):
        return view_type, max_results, filter_string, None, page_token


class ExperimentPaginationOffByOne(_ExperimentSearch):
    """search_experiments' next-page token starts one item too late."""

    def _result(self, page, query):
        if page.token:
            offset = SearchUtils.parse_start_offset_from_page_token(page.token)
            page.token = SearchUtils.create_page_token(offset + 1).decode("utf-8")
        return page


class ExperimentBadTokenRestarts(_ExperimentSearch):
    """A page token it cannot read starts the search over from the first page."""

    def _query(self, view_type, max_results, filter_string, order_by, page_token):
        try:
            SearchUtils.parse_start_offset_from_page_token(page_token)
        except MlflowException:
            page_token = None
        return view_type, max_results, filter_string, order_by, page_token


class ExperimentMaxResultsClamped(_ExperimentSearch):
    """Clamps max_results into [1, 50000] instead of rejecting values outside it."""

    def _query(self, view_type, max_results, filter_string, order_by, page_token):
        return view_type, min(max(max_results, 1), 50000), filter_string, order_by, page_token


class ExperimentViewTypeIgnored(_ExperimentSearch):
    """Always returns active and deleted experiments."""

    def _query(self, view_type, max_results, filter_string, order_by, page_token):
        return ViewType.ALL, max_results, filter_string, order_by, page_token


class ExperimentBadFilterMatchesAll(_ExperimentSearch):
    """A filter it cannot parse is treated as no filter."""

    def _query(self, view_type, max_results, filter_string, order_by, page_token):
        try:
            SearchExperimentsUtils.parse_search_filter(filter_string)
        except MlflowException:
            filter_string = None
        return view_type, max_results, filter_string, order_by, page_token


# -- runs ---------------------------------------------------------------------------------------------------------


class RunUserIgnored(SqlAlchemyStore):
    """create_run records every run as the store's own service user."""

    def create_run(self, experiment_id, user_id, start_time, tags, run_name):
        return super().create_run(experiment_id, "mlflow-service", start_time, tags, run_name)


class RunInUnknownExperimentWrongCode(SqlAlchemyStore):
    """create_run in an unknown experiment raises INVALID_PARAMETER_VALUE instead of RESOURCE_DOES_NOT_EXIST."""

    def create_run(self, experiment_id, user_id, start_time, tags, run_name):
        try:
            return super().create_run(experiment_id, user_id, start_time, tags, run_name)
        except MlflowException as exc:
            if exc.error_code == "RESOURCE_DOES_NOT_EXIST":
                raise MlflowException(exc.message, INVALID_PARAMETER_VALUE) from None
            raise


class RunInDeletedExperimentAllowed(SqlAlchemyStore):
    """create_run in a deleted experiment succeeds (the experiment is restored for it and deleted again)."""

    def create_run(self, experiment_id, user_id, start_time, tags, run_name):
        experiment = self.get_experiment(experiment_id)
        if experiment.lifecycle_stage != "deleted":
            return super().create_run(experiment_id, user_id, start_time, tags, run_name)
        self.restore_experiment(experiment_id)
        try:
            return super().create_run(experiment_id, user_id, start_time, tags, run_name)
        finally:
            self.delete_experiment(experiment_id)


class RunNameTagNotWritten(SqlAlchemyStore):
    """create_run stores the run name but not the mlflow.runName tag."""

    def create_run(self, experiment_id, user_id, start_time, tags, run_name):
        run = super().create_run(experiment_id, user_id, start_time, tags, run_name)
        super().delete_tag(run.info.run_id, "mlflow.runName")
        return self.get_run(run.info.run_id)


class RunNameTagIgnoredAtCreate(SqlAlchemyStore):
    """create_run without run_name generates a name even when the tags carry mlflow.runName."""

    def create_run(self, experiment_id, user_id, start_time, tags, run_name):
        tags = [t for t in tags or [] if t.key != "mlflow.runName"]
        return super().create_run(experiment_id, user_id, start_time, tags, run_name)


class ArtifactUriWithoutArtifactsDir(SqlAlchemyStore):
    """Reports a run's artifact URI as <location>/<run_id>, without the trailing /artifacts."""

    def create_run(self, experiment_id, user_id, start_time, tags, run_name):
        return self._fix(super().create_run(experiment_id, user_id, start_time, tags, run_name))

    def get_run(self, run_id):
        return self._fix(super().get_run(run_id))

    @staticmethod
    def _fix(run):
        run.info._artifact_uri = run.info.artifact_uri.removesuffix("/artifacts")
        return run


class UpdateRunInfoReturnsNone(SqlAlchemyStore):
    """update_run_info updates the run but returns nothing (a hand-written store forgot the return)."""

    def update_run_info(self, run_id, run_status, end_time, run_name):
        super().update_run_info(run_id, run_status, end_time, run_name)


class UpdateRunInfoNameNotTagged(SqlAlchemyStore):
    """update_run_info renames the run but leaves the old mlflow.runName tag."""

    def update_run_info(self, run_id, run_status, end_time, run_name):
        old = self.get_run(run_id).data.tags.get("mlflow.runName")
        info = super().update_run_info(run_id, run_status, end_time, run_name)
        if old is not None:
            with self.ManagedSessionMaker(read_only=False) as session:
                session.query(SqlTag).filter(SqlTag.run_uuid == run_id, SqlTag.key == "mlflow.runName").update(
                    {"value": old})
        return info


class ScheduledBecomesRunning(SqlAlchemyStore):
    """Has no SCHEDULED state: stores it as RUNNING."""

    def update_run_info(self, run_id, run_status, end_time, run_name):
        if run_status == RunStatus.SCHEDULED:
            run_status = RunStatus.RUNNING
        return super().update_run_info(run_id, run_status, end_time, run_name)


class RestoreRunIsNoop(SqlAlchemyStore):
    """restore_run checks the id but does not change the lifecycle stage."""

    def restore_run(self, run_id):
        self.get_run(run_id)


class DeleteUnknownRunSilently(SqlAlchemyStore):
    """Deleting or restoring an unknown run id does nothing and raises nothing."""

    def delete_run(self, run_id):
        return ignoring("RESOURCE_DOES_NOT_EXIST", lambda: super(DeleteUnknownRunSilently, self).delete_run(run_id))

    def restore_run(self, run_id):
        return ignoring("RESOURCE_DOES_NOT_EXIST", lambda: super(DeleteUnknownRunSilently, self).restore_run(
            run_id))


class GetUnknownRunReturnsNone(SqlAlchemyStore):
    """get_run of an unknown id returns None."""

    def get_run(self, run_id):
        return ignoring("RESOURCE_DOES_NOT_EXIST", lambda: super(GetUnknownRunReturnsNone, self).get_run(run_id))


class WritesToDeletedRunAccepted(SqlAlchemyStore):
    """log_param on a deleted run is accepted (the run is restored for the write and deleted again)."""

    def log_param(self, run_id, param):
        if self.get_run(run_id).info.lifecycle_stage != "deleted":
            return super().log_param(run_id, param)
        self.restore_run(run_id)
        try:
            return super().log_param(run_id, param)
        finally:
            self.delete_run(run_id)


class WriteToUnknownRunWrongCode(SqlAlchemyStore):
    """log_param to an unknown run raises INVALID_PARAMETER_VALUE instead of RESOURCE_DOES_NOT_EXIST."""

    def log_param(self, run_id, param):
        try:
            return super().log_param(run_id, param)
        except MlflowException as exc:
            if exc.error_code == "RESOURCE_DOES_NOT_EXIST":
                raise MlflowException(exc.message, INVALID_PARAMETER_VALUE) from None
            raise


class TerminatedRunRenamed(_ThroughScheme):
    """update_run_info without a run name (what set_terminated and end_run send) stores a default name."""

    SCHEME = "broken-tracking-terminated-run-renamed"

    def update_run_info(self, run_id, run_status, end_time, run_name):
        return super().update_run_info(run_id, run_status, end_time, run_name or "unnamed")


# -- metrics ------------------------------------------------------------------------------------------------------


class TimestampInSeconds(_MetricFilter):
    """Stores timestamps in whole seconds."""

    def _fix(self, metrics):
        return [Metric(m.key, m.value, m.timestamp // 1000 * 1000, m.step) for m in metrics]


class OnePointPerStep(_MetricFilter):
    """Keeps one point per (key, step): a second value at a logged step is dropped."""

    def _fix(self, metrics):
        kept = []
        for m in metrics:
            run_steps = {p.step for p in self._history.get(m.key, ())}
            if m.step not in run_steps:
                kept.append(m)
        return kept

    def log_metric(self, run_id, metric):
        self._history = {metric.key: self.get_metric_history(run_id, metric.key)}
        return super().log_metric(run_id, metric)

    def log_batch(self, run_id, metrics, params, tags):
        self._history = {m.key: self.get_metric_history(run_id, m.key) for m in metrics}
        return super().log_batch(run_id, metrics, params, tags)


class HistoryInLoggingOrder(SqlAlchemyStore):
    """get_metric_history returns points by step only (as logged), not by (timestamp, step, value)."""

    def get_metric_history(self, run_id, metric_key, max_results=None, page_token=None):
        history = super().get_metric_history(run_id, metric_key, max_results, page_token)
        return PagedList(sorted(history, key=lambda m: m.step), history.token)


class HistoryPaginationOffByOne(SqlAlchemyStore):
    """get_metric_history's next-page token starts one point too late."""

    def get_metric_history(self, run_id, metric_key, max_results=None, page_token=None):
        history = super().get_metric_history(run_id, metric_key, max_results, page_token)
        if history.token:
            offset = SearchUtils.parse_start_offset_from_page_token(history.token)
            history = PagedList(list(history), SearchUtils.create_page_token(offset + 1).decode("utf-8"))
        return history


class HistoryOfUnknownKeyRaises(SqlAlchemyStore):
    """get_metric_history of a key never logged raises RESOURCE_DOES_NOT_EXIST."""

    def get_metric_history(self, run_id, metric_key, max_results=None, page_token=None):
        history = super().get_metric_history(run_id, metric_key, max_results, page_token)
        if not history and not page_token:
            raise MlflowException(f"no metric {metric_key!r}", RESOURCE_DOES_NOT_EXIST)
        return history


class BoolMetricsAccepted(_MetricFilter):
    """Converts booleans and numeric strings to floats instead of rejecting them."""

    def _fix(self, metrics):
        def number(value):
            return float(value) if isinstance(value, (bool, str)) else value

        return [Metric(m.key, number(m.value), m.timestamp, m.step) for m in metrics]


class StepsFilterIgnored(SqlAlchemyStore):
    """get_metric_history_bulk_interval_from_steps returns the first points, whatever steps were asked for."""

    def get_metric_history_bulk_interval_from_steps(self, run_id, metric_key, steps, max_results):
        return sorted(self.get_metric_history(run_id, metric_key), key=lambda m: m.step)[:max_results]


class IntervalDropsLastStep(SqlAlchemyStore):
    """get_metric_history_bulk_interval leaves out the last step of the range."""

    def get_metric_history_bulk_interval(self, run_ids, metric_key, max_results, start_step, end_step):
        got = super().get_metric_history_bulk_interval(run_ids, metric_key, max_results, start_step, end_step)
        last = {}
        for m in got:
            last[m.run_id] = max(last.get(m.run_id, m.step), m.step)
        return [m for m in got if m.step != last[m.run_id]]


# -- params and tags ------------------------------------------------------------------------------------------------


class ParamsStripped(SqlAlchemyStore):
    """Strips whitespace from param values; an empty value is stored as a single space."""

    def log_param(self, run_id, param):
        return super().log_param(run_id, Param(param.key, param.value.strip() or " "))


class ParamRelogRejected(SqlAlchemyStore):
    """Refuses to log a param that exists, even with the same value."""

    def log_param(self, run_id, param):
        if param.key in self.get_run(run_id).data.params:
            raise MlflowException(f"param {param.key} exists", INVALID_PARAMETER_VALUE)
        return super().log_param(run_id, param)


class LongParamMarkedTruncated(SqlAlchemyStore):
    """Truncates over-long param values to 6000 characters ending in '...' (so the stored value is not a prefix)."""

    def log_param(self, run_id, param):
        value = param.value if len(param.value) <= 6000 else param.value[:5997] + "..."
        return super().log_param(run_id, Param(param.key, value))


class RunTagKeepsFirst(SqlAlchemyStore):
    """set_tag inserts only: setting an existing tag again keeps the first value."""

    def set_tag(self, run_id, tag):
        if tag.key not in self.get_run(run_id).data.tags:
            super().set_tag(run_id, tag)


class RunTagCutAt5000(SqlAlchemyStore):
    """Keeps run tag values to 5000 characters (MLflow's limit before 2.x raised it to 8000)."""

    def set_tag(self, run_id, tag):
        super().set_tag(run_id, RunTag(tag.key, tag.value[:5000]))


class DeleteTagOnDeletedRunAccepted(SqlAlchemyStore):
    """delete_tag on a deleted run is accepted (the run is restored for it and deleted again)."""

    def delete_tag(self, run_id, key):
        if self.get_run(run_id).info.lifecycle_stage != "deleted":
            return super().delete_tag(run_id, key)
        self.restore_run(run_id)
        try:
            return super().delete_tag(run_id, key)
        finally:
            self.delete_run(run_id)


class DeleteTagMissing(SqlAlchemyStore):
    """Has no delete_tag (AbstractStore does not declare it; MlflowClient.delete_tag calls it)."""

    def __getattribute__(self, name):
        if name == "delete_tag":
            raise AttributeError(name)
        return super().__getattribute__(name)


# -- batches --------------------------------------------------------------------------------------------------------


class BatchDropsTags(SqlAlchemyStore):
    """log_batch stores metrics and params but forgets the tags."""

    def log_batch(self, run_id, metrics, params, tags):
        return super().log_batch(run_id, metrics, params, [])


class BatchDeduplicatesParams(SqlAlchemyStore):
    """log_batch keeps the last of several params with one key instead of rejecting the batch."""

    def log_batch(self, run_id, metrics, params, tags):
        return super().log_batch(run_id, metrics, list({p.key: p for p in params}.values()), tags)


class EmptyBatchRejected(SqlAlchemyStore):
    """Refuses an empty log_batch."""

    def log_batch(self, run_id, metrics, params, tags):
        if not (metrics or params or tags):
            raise MlflowException("empty batch", INVALID_PARAMETER_VALUE)
        return super().log_batch(run_id, metrics, params, tags)


class BatchLimit500(SqlAlchemyStore):
    """Refuses batches of more than 500 metrics (a lower limit than MLflow's 1000)."""

    def log_batch(self, run_id, metrics, params, tags):
        if len(metrics) > 500:
            raise MlflowException(f"{len(metrics)} metrics in one batch", INVALID_PARAMETER_VALUE)
        return super().log_batch(run_id, metrics, params, tags)


class BatchSplitIntoChunks(SqlAlchemyStore):
    """Splits every batch into chunks MLflow accepts, so batches over the limits are stored instead of refused."""

    def log_batch(self, run_id, metrics, params, tags):
        for start in range(0, max(len(metrics), len(params), len(tags), 1), 100):
            super().log_batch(run_id, metrics[start:start + 100], params[start:start + 100],
                              tags[start:start + 100])


class BatchDropsEmptyParams(SqlAlchemyStore):
    """log_batch skips params whose value is empty ('nothing to store')."""

    def log_batch(self, run_id, metrics, params, tags):
        return super().log_batch(run_id, metrics, [p for p in params if p.value], tags)


# -- search_runs ----------------------------------------------------------------------------------------------------


class OnlyFirstConditionApplied(_RunSearch):
    """Applies only the first condition of an AND."""

    def _query(self, experiment_ids, filter_string, run_view_type, max_results, order_by, page_token):
        first = re.split(r"\s+and\s+", filter_string, flags=re.I)[0]
        return experiment_ids, first, run_view_type, max_results, order_by, page_token


class StatusFilterCaseInsensitive(_RunSearch):
    """Treats `=` on attributes as ILIKE (so status and run names match in any case) and `!=` as not ILIKE."""

    def _query(self, experiment_ids, filter_string, run_view_type, max_results, order_by, page_token):
        rewritten = re.sub(r"(attributes\.\w+) = ", r"\1 ILIKE ", filter_string)
        rewritten = re.sub(r"(attributes\.run_name) != '([^']*)'", r"\1 != '\2x'", rewritten)
        return experiment_ids, rewritten, run_view_type, max_results, order_by, page_token


class RunBadTokenRestarts(_RunSearch):
    """A page token it cannot read starts the search over from the first page."""

    def _query(self, experiment_ids, filter_string, run_view_type, max_results, order_by, page_token):
        try:
            SearchUtils.parse_start_offset_from_page_token(page_token)
        except MlflowException:
            page_token = None
        return experiment_ids, filter_string, run_view_type, max_results, order_by, page_token


class QuotedValueCutAtQuote(_RunSearch):
    """Turns double-quoted filter values into single-quoted ones by cutting them at their first single quote."""

    def _query(self, experiment_ids, filter_string, run_view_type, max_results, order_by, page_token):
        rewritten = re.sub(r'"([^"]*)"', lambda m: "'" + m.group(1).split("'")[0] + "'", filter_string)
        return experiment_ids, rewritten, run_view_type, max_results, order_by, page_token


class RunMaxResultsClamped(_RunSearch):
    """Clamps max_results to 50000 instead of rejecting larger values."""

    def _query(self, experiment_ids, filter_string, run_view_type, max_results, order_by, page_token):
        return experiment_ids, filter_string, run_view_type, min(max_results, 50000), order_by, page_token


class MetricComparisonNotStrict(_RunSearch):
    """Compares metrics with >= where > was asked, and <= for <."""

    def _query(self, experiment_ids, filter_string, run_view_type, max_results, order_by, page_token):
        rewritten = re.sub(r"(metrics\.\S+) ([<>]) ", r"\1 \2= ", filter_string)
        return experiment_ids, rewritten, run_view_type, max_results, order_by, page_token


class NullComparatorsUnsupported(_RunSearch):
    """Refuses IS NULL and IS NOT NULL."""

    def _query(self, experiment_ids, filter_string, run_view_type, max_results, order_by, page_token):
        if re.search(r"\bIS\s+(NOT\s+)?NULL\b", filter_string, flags=re.I):
            raise MlflowException("IS NULL is not supported", INVALID_PARAMETER_VALUE)
        return experiment_ids, filter_string, run_view_type, max_results, order_by, page_token


class RunOrderByIgnored(_RunSearch):
    """Ignores order_by: runs always come in the default order."""

    def _query(self, experiment_ids, filter_string, run_view_type, max_results, order_by, page_token):
        return experiment_ids, filter_string, run_view_type, max_results, None, page_token


class MissingMetricSortsFirst(_RunSearch):
    """Sorts by a metric in Python, a run without it counting as -inf (so it comes first in ASC)."""

    def _result(self, page, query):
        order_by = query[4] or []
        if len(order_by) != 1 or not order_by[0].startswith("metrics."):
            return page
        key, _, direction = order_by[0][len("metrics."):].partition(" ")

        def value(run):
            found = run.data.metrics.get(key, -math.inf)
            return math.inf if math.isnan(found) else found

        return PagedList(sorted(page, key=value, reverse=direction.upper() == "DESC"), page.token)


class BacktickKeysUnsupported(_RunSearch):
    """Refuses keys quoted with backticks or double quotes."""

    def _query(self, experiment_ids, filter_string, run_view_type, max_results, order_by, page_token):
        if re.search(r'\.(`|")', filter_string):
            raise MlflowException("quoted keys are not supported", INVALID_PARAMETER_VALUE)
        return experiment_ids, filter_string, run_view_type, max_results, order_by, page_token


class NotInAsIn(_RunSearch):
    """Reads NOT IN as IN."""

    def _query(self, experiment_ids, filter_string, run_view_type, max_results, order_by, page_token):
        rewritten = re.sub(r"\bNOT IN\b", "IN", filter_string, flags=re.I)
        return experiment_ids, rewritten, run_view_type, max_results, order_by, page_token


class FirstExperimentOnly(_RunSearch):
    """Searches only the first of several experiment ids."""

    def _query(self, experiment_ids, filter_string, run_view_type, max_results, order_by, page_token):
        return list(experiment_ids)[:1], filter_string, run_view_type, max_results, order_by, page_token


class TagEqualsIgnoresCase(_RunSearch):
    """Compares tag values case-insensitively with `=`."""

    def _query(self, experiment_ids, filter_string, run_view_type, max_results, order_by, page_token):
        rewritten = re.sub(r"(tags\.\S+) = ", r"\1 ILIKE ", filter_string)
        return experiment_ids, rewritten, run_view_type, max_results, order_by, page_token


class DatasetFilterIgnored(_RunSearch):
    """Drops the datasets.* conditions of a filter."""

    def _query(self, experiment_ids, filter_string, run_view_type, max_results, order_by, page_token):
        kept = [c for c in re.split(r"\s+and\s+", filter_string, flags=re.I) if not c.startswith("datasets.")]
        return experiment_ids, " AND ".join(kept), run_view_type, max_results, order_by, page_token


class RunBadFilterMatchesAll(_RunSearch):
    """A run filter it cannot parse is treated as no filter."""

    def _query(self, experiment_ids, filter_string, run_view_type, max_results, order_by, page_token):
        try:
            SearchUtils.parse_search_filter(filter_string)
        except MlflowException:
            filter_string = ""
        return experiment_ids, filter_string, run_view_type, max_results, order_by, page_token


# -- inputs, validation, concurrency ----------------------------------------------------------------------------------


class InputsNotOnRun(SqlAlchemyStore):
    """get_run leaves out the run's dataset inputs."""

    def get_run(self, run_id):
        run = super().get_run(run_id)
        return Run(run.info, run.data, RunInputs(dataset_inputs=[]))


class NamesNormalised(SqlAlchemyStore):
    """'Fixes' invalid param names (strips slashes and dots at the ends, replaces other characters) instead of
    rejecting them."""

    def log_param(self, run_id, param):
        key = re.sub(r"[^\w\-. :/]", "_", param.key).strip("/.")[:250].replace("//", "/") or "param"
        return super().log_param(run_id, Param(key, param.value))


class ColonRejectedInNames(SqlAlchemyStore):
    """Refuses ':' in metric names (a path-based store reserving it)."""

    def log_metric(self, run_id, metric):
        if ":" in metric.key:
            raise MlflowException(f"invalid metric name {metric.key!r}", INVALID_PARAMETER_VALUE)
        return super().log_metric(run_id, metric)


class WriteBehindMetricBuffer(SqlAlchemyStore):
    """Buffers logged metrics in memory and writes them on read; the buffer's read-modify-write is not locked,
    so concurrent writers lose points."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._buffer = []

    def log_metric(self, run_id, metric):
        pending = list(self._buffer)
        time.sleep(0.002)
        self._buffer = [*pending, (run_id, metric)]

    def _flush(self):
        pending, self._buffer = self._buffer, []
        for run_id, metric in pending:
            super().log_metric(run_id, metric)

    def get_metric_history(self, *args, **kwargs):
        self._flush()
        return super().get_metric_history(*args, **kwargs)

    def get_run(self, run_id):
        self._flush()
        return super().get_run(run_id)




#: Each store above, the clause written for its bug, and (a second, independent net) the differential state
#: machine where it finds the bug with the derandomised ``ci`` profile; it finds the others only with luck or a
#: larger profile (its rules are spread over every operation).
MUTANTS = [
    Mutant(KIND, "drops-nan", "tracking_store/metrics/nan-and-infinities", DropsNaN),
    Mutant(KIND, "infinity-becomes-nan", "tracking_store/metrics/nan-and-infinities", InfinityBecomesNaN,
           also_caught_by=(MACHINE,)),
    Mutant(KIND, "int32-steps", "tracking_store/metrics/steps-negative-and-huge", Int32Steps,
           also_caught_by=("tracking_store/properties/metric-history-round-trip",)),
    Mutant(KIND, "pagination-off-by-one", "tracking_store/search-runs/pagination", PaginationOffByOne),
    Mutant(KIND, "wrong-error-code", "tracking_store/experiments/get-unknown", WrongErrorCodeForUnknownExperiment),
    Mutant(KIND, "params-silently-keep-first", "tracking_store/params/relog-different-value-rejected",
           ParamsSilentlyKeepFirst),
    Mutant(KIND, "latest-metric-by-timestamp", "tracking_store/metrics/latest-value", LatestMetricByTimestamp),
    Mutant(KIND, "by-name-hides-deleted", "tracking_store/experiments/get-by-name-deleted", ByNameHidesDeleted),
    Mutant(KIND, "search-ignores-view-type", "tracking_store/search-runs/view-types", SearchIgnoresViewType),
    Mutant(KIND, "non-atomic-batch", "tracking_store/batch/invalid-batch-stores-nothing", NonAtomicBatch),
    Mutant(KIND, "log-inputs-not-implemented", "tracking_store/completeness/core-methods-implemented",
           LogInputsNotImplemented),
    Mutant(KIND, "skips-super-init", "tracking_store/completeness/init-called", SkipsSuperInit),
    Mutant(KIND, "like-is-case-insensitive", "tracking_store/search-runs/param-comparators", LikeIsCaseInsensitive),
    Mutant(KIND, "default-order-ascending", "tracking_store/search-runs/default-order", DefaultOrderAscending),
    Mutant(KIND, "delete-missing-tag-silently", "tracking_store/tags/delete-missing", DeleteMissingTagSilently,
           also_caught_by=(MACHINE,)),
    Mutant(KIND, "run-name-tag-not-synced", "tracking_store/runs/set-run-name-tag-renames", RunNameTagNotSynced,
           also_caught_by=(MACHINE,)),
    Mutant(KIND, "delete-experiment-keeps-runs", "tracking_store/experiments/delete-cascades-to-runs",
           DeleteExperimentKeepsRuns),
    Mutant(KIND, "experiment-id-as-int", "tracking_store/experiments/create-and-get", ExperimentIdAsInt),
    Mutant(KIND, "create-returns-existing", "tracking_store/experiments/duplicate-name", CreateReturnsExisting,
           also_caught_by=("tracking_store/concurrency/racing-experiment-creation",)),
    Mutant(KIND, "artifact-location-ignored", "tracking_store/experiments/create-with-artifact-location",
           ArtifactLocationIgnored),
    Mutant(KIND, "experiment-tags-dropped", "tracking_store/experiments/create-with-tags", ExperimentTagsDropped),
    Mutant(KIND, "empty-experiment-name-defaulted", "tracking_store/experiments/invalid-name",
           EmptyExperimentNameDefaulted),
    Mutant(KIND, "long-experiment-name-truncated", "tracking_store/validation/experiment-name-rejected",
           LongExperimentNameTruncated),
    Mutant(KIND, "experiment-name-limit-200", "tracking_store/validation/experiment-name-max-length",
           ExperimentNameLimit200),
    Mutant(KIND, "by-name-raises-when-missing", "tracking_store/experiments/get-by-name", ByNameRaisesWhenMissing),
    Mutant(KIND, "rename-is-noop", "tracking_store/experiments/rename", RenameIsNoop),
    Mutant(KIND, "rename-revives-deleted", "tracking_store/experiments/rename-deleted", RenameRevivesDeleted),
    Mutant(KIND, "rename-unknown-silently", "tracking_store/experiments/rename-unknown", RenameUnknownSilently),
    Mutant(KIND, "rename-accepts-any-name", "tracking_store/validation/experiment-rename-rejected",
           RenameAcceptsAnyName),
    Mutant(KIND, "restore-experiment-is-noop", "tracking_store/experiments/delete-and-restore",
           RestoreExperimentIsNoop),
    Mutant(KIND, "delete-unknown-experiment-silently", "tracking_store/experiments/delete-unknown",
           DeleteUnknownExperimentSilently),
    Mutant(KIND, "restore-unknown-experiment-silently", "tracking_store/experiments/restore-unknown",
           RestoreUnknownExperimentSilently),
    Mutant(KIND, "experiment-tag-keeps-first", "tracking_store/experiments/tags-set-and-delete",
           ExperimentTagKeepsFirst),
    Mutant(KIND, "experiment-tag-cut-at-5000", "tracking_store/experiments/tag-value-20000", ExperimentTagCutAt5000),
    Mutant(KIND, "experiment-tag-truncated-at-20000", "tracking_store/validation/experiment-tag-value-limit",
           ExperimentTagTruncatedAt20000),
    Mutant(KIND, "delete-missing-experiment-tag-silently", "tracking_store/experiments/tags-delete-missing",
           DeleteMissingExperimentTagSilently),
    Mutant(KIND, "experiment-like-is-case-insensitive", "tracking_store/experiments/search-by-name",
           ExperimentLikeIsCaseInsensitive),
    Mutant(KIND, "experiment-tag-filter-ignored", "tracking_store/experiments/search-by-tag",
           ExperimentTagFilterIgnored),
    Mutant(KIND, "experiment-time-filter-ignored", "tracking_store/experiments/search-by-time",
           ExperimentTimeFilterIgnored),
    Mutant(KIND, "experiment-order-by-ignored", "tracking_store/experiments/search-order-by", ExperimentOrderByIgnored),
    Mutant(KIND, "experiment-pagination-off-by-one", "tracking_store/experiments/search-pagination",
           ExperimentPaginationOffByOne),
    Mutant(KIND, "experiment-bad-token-restarts", "tracking_store/experiments/search-bad-page-token",
           ExperimentBadTokenRestarts),
    Mutant(KIND, "experiment-max-results-clamped", "tracking_store/experiments/search-max-results-bounds",
           ExperimentMaxResultsClamped),
    Mutant(KIND, "experiment-view-type-ignored", "tracking_store/experiments/search-view-types",
           ExperimentViewTypeIgnored),
    Mutant(KIND, "experiment-bad-filter-matches-all", "tracking_store/experiments/search-invalid-filter",
           ExperimentBadFilterMatchesAll),
    Mutant(KIND, "run-user-ignored", "tracking_store/runs/create-and-get", RunUserIgnored),
    Mutant(KIND, "run-in-unknown-experiment-wrong-code", "tracking_store/runs/create-in-unknown-experiment",
           RunInUnknownExperimentWrongCode),
    Mutant(KIND, "run-in-deleted-experiment-allowed", "tracking_store/runs/create-in-deleted-experiment",
           RunInDeletedExperimentAllowed),
    Mutant(KIND, "run-name-tag-not-written", "tracking_store/runs/run-name-sets-tag", RunNameTagNotWritten),
    Mutant(KIND, "run-name-tag-ignored-at-create", "tracking_store/runs/run-name-from-tag", RunNameTagIgnoredAtCreate),
    Mutant(KIND, "artifact-uri-without-artifacts-dir", "tracking_store/runs/artifact-uri",
           ArtifactUriWithoutArtifactsDir),
    Mutant(KIND, "update-run-info-returns-none", "tracking_store/completeness/core-methods-return-values",
           UpdateRunInfoReturnsNone, also_caught_by=("tracking_store/runs/update-run-info",)),
    Mutant(KIND, "update-run-info-name-not-tagged", "tracking_store/runs/update-run-info", UpdateRunInfoNameNotTagged),
    Mutant(KIND, "scheduled-becomes-running", "tracking_store/runs/update-run-info-statuses", ScheduledBecomesRunning),
    Mutant(KIND, "restore-run-is-noop", "tracking_store/runs/delete-and-restore", RestoreRunIsNoop),
    Mutant(KIND, "delete-unknown-run-silently", "tracking_store/runs/delete-unknown", DeleteUnknownRunSilently),
    Mutant(KIND, "get-unknown-run-returns-none", "tracking_store/runs/get-unknown", GetUnknownRunReturnsNone),
    Mutant(KIND, "writes-to-deleted-run-accepted", "tracking_store/runs/writes-to-deleted-run-rejected",
           WritesToDeletedRunAccepted),
    Mutant(KIND, "write-to-unknown-run-wrong-code", "tracking_store/runs/writes-to-unknown-run",
           WriteToUnknownRunWrongCode),
    Mutant(KIND, "timestamp-in-seconds", "tracking_store/metrics/round-trip", TimestampInSeconds),
    Mutant(KIND, "one-point-per-step", "tracking_store/metrics/history-deduplicates", OnePointPerStep),
    Mutant(KIND, "history-in-logging-order", "tracking_store/metrics/history-order", HistoryInLoggingOrder,
           also_caught_by=("tracking_store/properties/metric-history-round-trip",)),
    Mutant(KIND, "history-pagination-off-by-one", "tracking_store/metrics/history-pagination",
           HistoryPaginationOffByOne),
    Mutant(KIND, "history-of-unknown-key-raises", "tracking_store/metrics/history-unknown-key-empty",
           HistoryOfUnknownKeyRaises),
    Mutant(KIND, "bool-metrics-accepted", "tracking_store/metrics/invalid-values-rejected", BoolMetricsAccepted,
           also_caught_by=("tracking_store/properties/invalid-metric-values-rejected",)),
    Mutant(KIND, "steps-filter-ignored", "tracking_store/metrics/bulk-interval-from-steps", StepsFilterIgnored),
    Mutant(KIND, "interval-drops-last-step", "tracking_store/metrics/bulk-interval", IntervalDropsLastStep),
    Mutant(KIND, "params-stripped", "tracking_store/params/round-trip", ParamsStripped),
    Mutant(KIND, "param-relog-rejected", "tracking_store/params/relog-same-value", ParamRelogRejected),
    Mutant(KIND, "long-param-marked-truncated", "tracking_store/params/over-long-value", LongParamMarkedTruncated),
    Mutant(KIND, "run-tag-keeps-first", "tracking_store/tags/set-overwrite-delete", RunTagKeepsFirst),
    Mutant(KIND, "run-tag-cut-at-5000", "tracking_store/tags/long-and-unicode-values", RunTagCutAt5000),
    Mutant(KIND, "delete-tag-on-deleted-run-accepted", "tracking_store/tags/delete-on-deleted-run-rejected",
           DeleteTagOnDeletedRunAccepted),
    Mutant(KIND, "delete-tag-missing", "tracking_store/completeness/delete-tag-present", DeleteTagMissing),
    Mutant(KIND, "batch-drops-tags", "tracking_store/batch/all-entities", BatchDropsTags),
    Mutant(KIND, "batch-deduplicates-params", "tracking_store/batch/duplicate-param-keys-rejected",
           BatchDeduplicatesParams),
    Mutant(KIND, "empty-batch-rejected", "tracking_store/batch/empty-batch", EmptyBatchRejected),
    Mutant(KIND, "batch-limit-500", "tracking_store/batch/limits-accepted", BatchLimit500),
    Mutant(KIND, "batch-split-into-chunks", "tracking_store/batch/over-limits-rejected", BatchSplitIntoChunks),
    Mutant(KIND, "only-first-condition-applied", "tracking_store/search-runs/and", OnlyFirstConditionApplied),
    Mutant(KIND, "status-filter-case-insensitive", "tracking_store/search-runs/attribute-comparators",
           StatusFilterCaseInsensitive),
    Mutant(KIND, "run-bad-token-restarts", "tracking_store/search-runs/bad-page-token", RunBadTokenRestarts),
    Mutant(KIND, "quoted-value-cut-at-quote", "tracking_store/search-runs/filter-literal-not-injection",
           QuotedValueCutAtQuote),
    Mutant(KIND, "run-max-results-clamped", "tracking_store/search-runs/max-results-bounds", RunMaxResultsClamped),
    Mutant(KIND, "metric-comparison-not-strict", "tracking_store/search-runs/metric-comparators",
           MetricComparisonNotStrict),
    Mutant(KIND, "null-comparators-unsupported", "tracking_store/search-runs/null-comparators",
           NullComparatorsUnsupported),
    Mutant(KIND, "run-order-by-ignored", "tracking_store/search-runs/order-by", RunOrderByIgnored),
    Mutant(KIND, "missing-metric-sorts-first", "tracking_store/search-runs/order-by-missing-and-nan-last",
           MissingMetricSortsFirst),
    Mutant(KIND, "backtick-keys-unsupported", "tracking_store/search-runs/quoted-keys", BacktickKeysUnsupported),
    Mutant(KIND, "not-in-as-in", "tracking_store/search-runs/run-id-in", NotInAsIn),
    Mutant(KIND, "first-experiment-only", "tracking_store/search-runs/several-experiments", FirstExperimentOnly),
    Mutant(KIND, "tag-equals-ignores-case", "tracking_store/search-runs/tag-comparators", TagEqualsIgnoresCase),
    Mutant(KIND, "dataset-filter-ignored", "tracking_store/inputs/datasets-searchable", DatasetFilterIgnored),
    Mutant(KIND, "inputs-not-on-run", "tracking_store/inputs/datasets-on-get-run", InputsNotOnRun),
    Mutant(KIND, "names-normalised", "tracking_store/validation/invalid-names-rejected", NamesNormalised,
           also_caught_by=("tracking_store/properties/invalid-keys-rejected",)),
    Mutant(KIND, "colon-rejected-in-names", "tracking_store/validation/valid-name-characters", ColonRejectedInNames),
    Mutant(KIND, "write-behind-metric-buffer", "tracking_store/concurrency/threads-logging-one-run",
           WriteBehindMetricBuffer),
    Mutant(KIND, "run-bad-filter-matches-all", "tracking_store/search-runs/invalid-filter", RunBadFilterMatchesAll,
           also_caught_by=("tracking_store/properties/invalid-filters-rejected",)),
    Mutant(KIND, "batch-drops-empty-params", "tracking_store/properties/params-and-tags-round-trip",
           BatchDropsEmptyParams),
    Mutant(KIND, "terminated-run-renamed", "tracking_store/end-to-end/client-api", TerminatedRunRenamed,
           also_caught_by=("tracking_store/end-to-end/fluent-api",)),
]
