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
_ARTIFACT_LOCAL = "mlflow.store.artifact.local_artifact_repo:LocalArtifactRepository"
_ARTIFACT_S3 = "mlflow.store.artifact.s3_artifact_repo:S3ArtifactRepository"


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
_MODEL_VERSIONS_TAG = ("AbstractStore.set_model_versions_tags (inherited) rewrites the mlflow.modelVersions tag to "
                       "the given (name, version) alone when that version is already recorded, dropping every other "
                       "version the tag held")
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
    MlflowFinding("tracking_store/logged-models/model-versions-tag-repeated", _TRACKING_SQL, _MODEL_VERSIONS_TAG,
                  since="3.0"),
    MlflowFinding("tracking_store/logged-models/model-versions-tag-repeated", _TRACKING_FILE, _MODEL_VERSIONS_TAG,
                  since="3.0"),
    MlflowFinding("tracking_store/evaluation-datasets/records-of-unknown-dataset", _TRACKING_SQL,
                  "SqlAlchemyStore.upsert_dataset_records does not check that the dataset exists: the database's "
                  "foreign key rejects the records and the caller gets BAD_REQUEST (HTTP 400) from the "
                  "IntegrityError, not RESOURCE_DOES_NOT_EXIST (404)", since="3.4"),
    MlflowFinding("tracking_store/traces/unlink-from-run", _TRACKING_FILE,
                  "FileStore refuses to (un)link traces and runs with an MlflowException that is not "
                  "NOT_IMPLEMENTED"),
    MlflowFinding("tracking_store/traces/link-prompts", _TRACKING_FILE,
                  "FileStore refuses to link prompts to traces with an MlflowException that is not NOT_IMPLEMENTED"),
    MlflowFinding("tracking_store/traces/metrics-*", _TRACKING_FILE,
                  "FileStore refuses query_trace_metrics with an MlflowException that is not NOT_IMPLEMENTED"),
    MlflowFinding("tracking_store/traces/delete-nothing-to-delete", _TRACKING_FILE,
                  "FileStore.delete_traces in an experiment without traces raises a bare Exception ('Invalid parent "
                  "directory .../traces') instead of returning 0"),
    MlflowFinding("tracking_store/differential/traces", _TRACKING_FILE,
                  "FileStore.delete_traces in an experiment without traces raises a bare Exception (see "
                  "traces/delete-nothing-to-delete), which nearly every generated sequence reaches early (each "
                  "example starts in a new experiment)"),
    MlflowFinding("tracking_store/traces/filter-end-time", _TRACKING_FILE,
                  "FileStore's in-memory trace filter crashes with AttributeError ('TraceInfo' has no "
                  "'end_time_ms') on the trace.end_time_ms filter its SearchTraceUtils accepts"),
    MlflowFinding("tracking_store/assessments/filter-*", _TRACKING_FILE,
                  "FileStore rejects feedback filters with INVALID_PARAMETER_VALUE ('Assessment filtering requires "
                  "database support'), not NOT_IMPLEMENTED, so the feature cannot be reported unsupported"),
    MlflowFinding("tracking_store/validation/experiment-tag-value-limit", _TRACKING_FILE,
                  "MLflow < 3.13: FileStore.set_experiment_tag checks the tag name only, not the value's length",
                  before="3.13"),
    MlflowFinding("artifact_repository/log/percent-escapes-in-names", _ARTIFACT_LOCAL,
                  "LocalArtifactRepository URL-decodes names on download (validate_path_is_safe): 'a%20b.txt' is "
                  "stored but downloading it looks for 'a b.txt'"),
    MlflowFinding("artifact_repository/delete/literal-names", _ARTIFACT_LOCAL,
                  "LocalArtifactRepository.delete_artifacts URL-decodes the path: deleting 'a%20b.txt' deletes "
                  "'a b.txt'"),
    MlflowFinding("artifact_repository/safety/traversal-delete", _ARTIFACT_LOCAL,
                  "LocalArtifactRepository.delete_artifacts validates nothing and URL-decodes the joined path: "
                  "'../x', '%2e%2e/x' and absolute paths delete outside the artifact root"),
    MlflowFinding("artifact_repository/safety/traversal-list", _ARTIFACT_LOCAL,
                  "MLflow < 3.7: LocalArtifactRepository.list_artifacts joins the path unchecked (no "
                  "validate_path_within_directory), so '../outside' or an absolute path lists files outside the "
                  "root", before="3.7"),
    MlflowFinding("artifact_repository/safety/dotdot-write", _ARTIFACT_S3,
                  "S3ArtifactRepository stores '../outside' literally as the key '<root>/../outside/...', then lists "
                  "it back as the entry '..' (posixpath.relpath), a path outside the root that MLflow's download "
                  "refuses"),
    MlflowFinding("artifact_repository/safety/tree-dotdot-write", _ARTIFACT_S3,
                  "S3ArtifactRepository.log_artifacts stores '../outside' literally as keys '<root>/../outside/...', "
                  "then lists them back under the entry '..' (posixpath.relpath), a path outside the root"),
    MlflowFinding("artifact_repository/safety/absolute-write", _ARTIFACT_S3,
                  "S3ArtifactRepository posixpath.join()s an absolute artifact_path, which replaces the root prefix: "
                  "the object is written outside the repository root"),
    MlflowFinding("artifact_repository/delete/sibling-prefix-kept", _ARTIFACT_S3,
                  "MLflow < 3.16: S3ArtifactRepository.delete_artifacts deletes every key under the bare prefix (no "
                  "_is_object_key_within_path check), so deleting 'dir' also deletes the sibling 'dir-2/...'",
                  before="3.16"),
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
