"""MLflow's own defects against the contract: one catalogue, used two ways.

The suite's own tests run MLflow's reference implementations through the contracts and declare these as strict
known failures (so a fix in MLflow is noticed). And when a plugin that *subclasses* one of these implementations
fails such a clause, the report says the defect may be inherited, and from which MLflow class: the author then
knows whether to fix their code, override MLflow's, or declare a known failure. Each entry is a finding written
up in ``docs/findings.md``.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from .capabilities import version_at_least

_TRACKING_SQL = "mlflow.store.tracking.sqlalchemy_store:SqlAlchemyStore"
_TRACKING_FILE = "mlflow.store.tracking.file_store:FileStore"


@dataclass(frozen=True)
class MlflowFinding:
    """``implementation`` (``"module:Class"``) violates clause ``clause`` (an id or glob) on MLflow releases
    from ``since`` (inclusive; None: any) up to ``before`` (exclusive; None: still present), on ``backend``
    (a database URI scheme such as ``"postgresql"``; None: any)."""

    clause: str
    implementation: str
    why: str
    since: str | None = None
    before: str | None = None
    backend: str | None = None

    def applies(self, mlflow_version: str, backend: str | None = None) -> bool:
        if self.since and not version_at_least(mlflow_version, self.since):
            return False
        if self.before and version_at_least(mlflow_version, self.before):
            return False
        return self.backend is None or self.backend == backend


_HISTORY_UNORDERED = ("MLflow < 3.2: SqlAlchemyStore.get_metric_history has no ORDER BY, so PostgreSQL returns "
                      "the history in storage order, not ordered by (timestamp, step, value)")
_FILE_STORE_PARAM_500 = ("FileStore's log_batch answers INTERNAL_ERROR (HTTP 500) for a changed param value, not "
                         "INVALID_PARAMETER_VALUE")
_FILE_STORE_LONG_TAG = "FileStore's set_tag accepts a tag name longer than 250 characters"
_FILE_STORE_BAD_FILTER = "FileStore accepts comparators MLflow's SQL store rejects (params.p > 'x')"

FINDINGS: tuple[MlflowFinding, ...] = (
    MlflowFinding("tracking_store/metrics/history-order", _TRACKING_SQL, _HISTORY_UNORDERED, before="3.2",
                  backend="postgresql"),
    MlflowFinding("tracking_store/properties/metric-history-round-trip", _TRACKING_SQL, _HISTORY_UNORDERED,
                  before="3.2", backend="postgresql"),
    MlflowFinding("tracking_store/experiments/rename-deleted", _TRACKING_FILE,
                  "FileStore raises a bare Exception (no error code) when renaming a deleted experiment, not "
                  "INVALID_STATE"),
    MlflowFinding("tracking_store/runs/create-in-deleted-experiment", _TRACKING_FILE,
                  "FileStore answers INVALID_STATE for a run in a deleted experiment; SqlAlchemyStore "
                  "INVALID_PARAMETER_VALUE"),
    MlflowFinding("tracking_store/metrics/history-order", _TRACKING_FILE,
                  "FileStore returns metric history in logging order, not ordered by (timestamp, step, value)"),
    MlflowFinding("tracking_store/metrics/history-deduplicates", _TRACKING_FILE,
                  "FileStore appends identical metric points again instead of storing them once"),
    MlflowFinding("tracking_store/properties/metric-history-round-trip", _TRACKING_FILE,
                  "FileStore keeps duplicate points and logging order in the metric history"),
    MlflowFinding("tracking_store/params/relog-different-value-rejected", _TRACKING_FILE, _FILE_STORE_PARAM_500),
    MlflowFinding("tracking_store/batch/invalid-batch-stores-nothing", _TRACKING_FILE, _FILE_STORE_PARAM_500),
    MlflowFinding("tracking_store/search-runs/invalid-filter", _TRACKING_FILE, _FILE_STORE_BAD_FILTER),
    MlflowFinding("tracking_store/properties/invalid-filters-rejected", _TRACKING_FILE, _FILE_STORE_BAD_FILTER),
    MlflowFinding("tracking_store/validation/invalid-names-rejected", _TRACKING_FILE, _FILE_STORE_LONG_TAG),
    MlflowFinding("tracking_store/properties/invalid-keys-rejected", _TRACKING_FILE, _FILE_STORE_LONG_TAG),
    MlflowFinding("tracking_store/properties/params-and-tags-round-trip", _TRACKING_FILE,
                  "FileStore stores each param/tag as a file named after its key: a valid 250-character unicode "
                  "key exceeds the 255-byte file-name limit (OSError: File name too long)"),
    MlflowFinding("tracking_store/concurrency/racing-experiment-creation", _TRACKING_FILE,
                  "FileStore has no uniqueness check across threads: several racing creators of one name all "
                  "succeed"),
    MlflowFinding("tracking_store/differential/state-machine", _TRACKING_FILE,
                  "FileStore's metric history (order, duplicates) and error codes differ from the reference; "
                  "renaming an experiment to its own name is RESOURCE_ALREADY_EXISTS on FileStore and accepted by "
                  "SqlAlchemyStore"),
    MlflowFinding("tracking_store/traces/link-to-run", _TRACKING_FILE,
                  "FileStore raises MlflowException(INVALID_PARAMETER_VALUE-like) instead of NOT_IMPLEMENTED for "
                  "an unsupported feature, so it cannot be reported unsupported"),
    MlflowFinding("tracking_store/evaluation-datasets/*", _TRACKING_FILE,
                  "FileStore refuses evaluation datasets with an MlflowException that is not NOT_IMPLEMENTED, so "
                  "the feature cannot be reported unsupported"),
    MlflowFinding("tracking_store/validation/experiment-tag-value-limit", _TRACKING_FILE,
                  "MLflow < 3.13: FileStore.set_experiment_tag checks the tag name only, not the value's length",
                  before="3.13"),
)


def _qualified(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def known_failures(implementation: type | str, mlflow_version: str, backend: str | None = None) -> dict[str, str]:
    """``{clause glob: reason}`` of ``implementation`` on this MLflow and backend: the known failures the suite's
    own tests declare for MLflow's reference implementations."""
    name = implementation if isinstance(implementation, str) else _qualified(implementation)
    return {f.clause: f.why for f in FINDINGS if f.implementation == name and f.applies(mlflow_version, backend)}


def backend_of(instance) -> str | None:
    """The database URI scheme of a SQL store (``postgresql`` for ``postgresql+psycopg2://...``), else None."""
    uri = getattr(instance, "db_uri", None)
    return uri.split(":", 1)[0].split("+", 1)[0] if isinstance(uri, str) and ":" in uri else None


def inherited_finding(instance, clause_id: str, mlflow_version: str) -> tuple[type, MlflowFinding] | None:
    """When ``instance`` subclasses an MLflow implementation that itself fails ``clause_id`` on this MLflow, the
    MLflow class and the finding; None otherwise (also for MLflow's own class: nothing is inherited)."""
    backend = backend_of(instance)
    for cls in type(instance).__mro__[1:]:
        name = _qualified(cls)
        for finding in FINDINGS:
            if (finding.implementation == name and fnmatch.fnmatchcase(clause_id, finding.clause)
                    and finding.applies(mlflow_version, backend)):
                return cls, finding
    return None


def inheritance_note(instance, clause_id: str, mlflow_version: str) -> str:
    """The sentence a failure gets when the defect may be inherited from MLflow, or ``""``."""
    found = inherited_finding(instance, clause_id, mlflow_version)
    if found is None:
        return ""
    cls, finding = found
    return (f"{type(instance).__name__} subclasses MLflow's {cls.__name__} ({cls.__module__}), which fails this "
            f"clause itself on MLflow {mlflow_version}: {finding.why}. Unless you override that behaviour, the "
            "failure is inherited: fix it in your subclass, or declare it in mlflow_conformance_known_failures "
            "(see docs/findings.md).")
