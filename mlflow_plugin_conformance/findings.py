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
_REGISTRY_SQL = "mlflow.store.model_registry.sqlalchemy_store:SqlAlchemyStore"
_ARTIFACT_LOCAL = "mlflow.store.artifact.local_artifact_repo:LocalArtifactRepository"
_ARTIFACT_S3 = "mlflow.store.artifact.s3_artifact_repo:S3ArtifactRepository"
# MLflow's server path, as the server route reaches it (routes.REST_CLIENTS): these clients, MLflow's handlers and
# its error mapping together. Every plugin behind `mlflow server` meets these; the reason says whose code it is.
_TRACKING_REST = "mlflow.store.tracking.rest_store:RestStore"
_REGISTRY_REST = "mlflow.store.model_registry.rest_store:RestStore"
_ARTIFACT_PROXY = "mlflow.store.artifact.mlflow_artifacts_repo:MlflowArtifactsRepository"


@dataclass(frozen=True)
class MlflowFinding:
    """``implementation`` (``"module:Class"``) violates clause ``clause`` (an id or glob) on MLflow releases
    from ``since`` (inclusive; None: any) up to ``before`` (exclusive; None: still present), on ``backend``
    (a database URI scheme such as ``"postgresql"``; None: any). ``generated``: the clause meets the defect only
    in some of the examples Hypothesis generates, so no strict known failure can be declared for it; the clause is
    not-applicable for that implementation instead (the example clauses check the same path)."""

    clause: str
    implementation: str
    why: str
    since: str | None = None
    before: str | None = None
    backend: str | None = None
    generated: bool = False

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
_INVALID_STATE_LOST = (
    "MLflow's server maps INVALID_STATE to HTTP 500, which its REST client treats as a transient failure: it retries "
    "(by default seven times with backoff, minutes) and then raises INTERNAL_ERROR ('too many 500 error responses') "
    "without the store's code or message, so no client of a tracking server can see INVALID_STATE")
_ZERO_SIZE_LOST = (
    "MLflow's server leaves a 0-byte file's file_size out of its JSON listing (zero is the protobuf default) and "
    "MLflow's mlflow-artifacts client turns the missing size into None, so an empty file is listed with size None")
_PATHS_NOT_ENCODED = (
    "MLflow's mlflow-artifacts client puts artifact paths into request URLs without percent-encoding them, so a "
    "name holding '%XX' reaches the server decoded: 'a%20b.txt' is stored, read or deleted as 'a b.txt'")

FINDINGS: tuple[MlflowFinding, ...] = (
    MlflowFinding("model_registry_store/registered-models/tag-value-limit", _REGISTRY_SQL,
                  "registered_model_tags.value is VARCHAR(5000) in MLflow's schema (model_version_tags.value is TEXT) "
                  "while validation allows 100000 characters: on PostgreSQL a 5001..100000-character registered-model "
                  "tag value fails with a DataError (StringDataRightTruncation) instead of being stored; SQLite does "
                  "not enforce the length", backend="postgresql"),
    MlflowFinding("model_registry_store/aliases/deleting-version-removes-aliases", _REGISTRY_SQL,
                  "MLflow < 3.17: SqlAlchemyStore.delete_model_version compares the Integer alias version with the "
                  "version as given, so deleting version '1' (a string, as the client passes it) keeps its aliases",
                  before="3.17"),
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
    # -- MLflow's server path (the server route) ---------------------------------------------------------------
    MlflowFinding("tracking_store/experiments/rename-deleted", _TRACKING_REST, _INVALID_STATE_LOST),
    MlflowFinding("tracking_store/differential/state-machine", _TRACKING_REST,
                  "the machine compares error codes with MLflow's in-process reference, and every INVALID_STATE the "
                  "reference raises (renaming a deleted experiment...) arrives as INTERNAL_ERROR: "
                  + _INVALID_STATE_LOST, generated=True),
    MlflowFinding("tracking_store/concurrency/racing-experiment-creation", _TRACKING_REST,
                  "MLflow's RestStore sends search_experiments() without max_results when none is given (its "
                  "default is None) and MLflow's server passes the protobuf default 0 to the store, which rejects it "
                  "with INVALID_PARAMETER_VALUE (MlflowClient always passes max_results; the clause uses the store's "
                  "default)"),
    MlflowFinding("tracking_store/validation/experiment-name-rejected", _TRACKING_REST,
                  "MLflow's RestStore cannot put an experiment name that is not a string (123) into its protobuf "
                  "request: it raises TypeError in the client, not INVALID_PARAMETER_VALUE"),
    MlflowFinding("tracking_store/batch/invalid-batch-stores-nothing", _TRACKING_REST,
                  "MLflow's RestStore cannot put a metric value that is not a number into its protobuf request: it "
                  "raises TypeError in the client, not INVALID_PARAMETER_VALUE"),
    MlflowFinding("tracking_store/logged-models/model-versions-tag-repeated", _TRACKING_REST,
                  "MLflow's RestStore does not send set_model_versions_tags to the server: it inherits "
                  "AbstractStore's client-side version, which " + _MODEL_VERSIONS_TAG[len("AbstractStore."
                  "set_model_versions_tags (inherited) "):], since="3.0"),
    MlflowFinding("tracking_store/gateway/model-definition-in-use", _TRACKING_REST, _INVALID_STATE_LOST,
                  since="3.8"),
    MlflowFinding("tracking_store/gateway/endpoint-bindings", _TRACKING_REST,
                  "MLflow's RestStore.create_endpoint_binding sends resource_type.value, so the resource type as a "
                  "string (what AbstractStore declares and the SQL store takes) fails in the client with "
                  "AttributeError", since="3.8"),
    MlflowFinding("tracking_store/gateway/secret-by-name-and-list", _TRACKING_REST,
                  "MLflow's RestStore.get_secret_info(secret_name=...) sends only the name, and MLflow's server "
                  "requires secret_id (INVALID_PARAMETER_VALUE 'Missing value for required parameter "
                  "'secret_id''): a secret cannot be looked up by name through the server", since="3.8"),
    MlflowFinding("model_registry_store/webhooks/secret-kept", _REGISTRY_REST,
                  "MLflow's REST API never returns a webhook's secret (the server keeps it and signs its deliveries "
                  "itself), so get_webhook through the server has no secret", since="3.3"),
    MlflowFinding("model_registry_store/differential/*", _REGISTRY_REST,
                  "a generated sequence that creates a model version without a run_id meets this: MLflow's REST API "
                  "returns run_id '' (protobuf's default for an unset string) where the store gives None",
                  generated=True),
    MlflowFinding("artifact_repository/log/empty-file", _ARTIFACT_PROXY, _ZERO_SIZE_LOST),
    MlflowFinding("artifact_repository/log/directory-tree", _ARTIFACT_PROXY, _ZERO_SIZE_LOST),
    MlflowFinding("artifact_repository/log/tree-at-root", _ARTIFACT_PROXY, _ZERO_SIZE_LOST),
    MlflowFinding("artifact_repository/properties/tree-round-trip", _ARTIFACT_PROXY,
                  "a generated tree may hold an empty file: " + _ZERO_SIZE_LOST, generated=True),
    MlflowFinding("artifact_repository/differential/*", _ARTIFACT_PROXY,
                  "a generated sequence may log an empty file: " + _ZERO_SIZE_LOST, generated=True),
    MlflowFinding("artifact_repository/log/percent-escapes-in-names", _ARTIFACT_PROXY, _PATHS_NOT_ENCODED),
    MlflowFinding("artifact_repository/delete/literal-names", _ARTIFACT_PROXY, _PATHS_NOT_ENCODED),
    MlflowFinding("artifact_repository/safety/traversal-delete", _ARTIFACT_PROXY,
                  "MLflow's mlflow-artifacts client checks no path it deletes (its uploads reject '..') and the HTTP "
                  "client resolves '..' in the URL before sending: the server's own path check then sees a harmless "
                  "path, so delete_artifacts('../x') deletes x next to the repository's root (another run's "
                  "artifacts under the same destination)"),
)


def _qualified(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def known_failures(implementation: type | str, mlflow_version: str, backend: str | None = None) -> dict[str, str]:
    """``{clause glob: reason}`` of ``implementation`` on this MLflow and backend: the known failures the suite's
    own tests declare for MLflow's reference implementations."""
    name = implementation if isinstance(implementation, str) else _qualified(implementation)
    return {f.clause: f.why for f in FINDINGS
            if f.implementation == name and not f.generated and f.applies(mlflow_version, backend)}


def uncheckable(implementation: type | str, clause_id: str, mlflow_version: str) -> str | None:
    """Why ``clause_id`` cannot be judged on ``implementation`` (a finding it meets only in some generated
    examples), or None."""
    name = implementation if isinstance(implementation, str) else _qualified(implementation)
    for f in FINDINGS:
        if f.generated and f.implementation == name and fnmatch.fnmatchcase(clause_id, f.clause) \
                and f.applies(mlflow_version):
            return f.why
    return None


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
