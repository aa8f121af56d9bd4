"""Mutation score of the artifact contract: each broken repository in ``tests/broken/artifact_repos.py`` (one
realistic bug) must fail the clause named here, while the correct control (``SafeLocalRepository``) passes that
same clause in the same run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from mlflow_plugin_conformance.contracts.artifact_repository import ArtifactRepositoryContract

BROKEN_DIR = Path(__file__).parent / "broken"
if str(BROKEN_DIR) not in sys.path:
    sys.path.insert(0, str(BROKEN_DIR))
# Imported here, once, so that in-process pytester runs (which restore sys.modules after each run) all find the
# same module instead of re-importing it (and MLflow's store modules with it) per run.
import artifact_repos  # noqa: E402
import hypothesis.stateful  # noqa: E402,F401  (same reason: imported lazily by the contract)
import mlflow.store.artifact.local_artifact_repo  # noqa: E402,F401
import mlflow.store.tracking.sqlalchemy_store  # noqa: E402,F401  (end-to-end clauses: SQLAlchemy once)

import mlflow_plugin_conformance.strategies  # noqa: E402,F401
from hypothesis import Phase, settings  # noqa: E402

# A mutant only has to be caught, not minimised: the quick profile's examples, derandomised (the same examples
# every run, so the score is reproducible), without the shrink phase.
settings.register_profile("artifact-mutants", parent=settings.get_profile("mlflow-conformance-quick"),
                          phases=[Phase.explicit, Phase.reuse, Phase.generate], derandomize=True)

# variant class -> clause id it must fail
MUTANTS = {
    "BrokenTextModeCopy": "artifact_repository/log/binary-byte-for-byte",
    "BrokenTruncatesLargeFiles": "artifact_repository/log/large-file",
    "BrokenSkipsEmptyFiles": "artifact_repository/log/empty-file",
    "BrokenNoOverwrite": "artifact_repository/log/overwrite",
    "BrokenFlattensTree": "artifact_repository/log/directory-tree",
    "BrokenAsciiNames": "artifact_repository/log/unicode-and-spaced-names",
    "BrokenDefaultsArtifactPath": "artifact_repository/log/file-at-root",
    "BrokenFlattensArtifactPath": "artifact_repository/log/file-with-artifact-path",
    "BrokenTrailingSlashListsNothing": "artifact_repository/list/trailing-slash",
    "BrokenEmptyStringRoot": "artifact_repository/list/root-empty-string",
    "BrokenDownloadNotRecursive": "artifact_repository/download/directory-recursive",
    "BrokenDownloadDropsEmptyDirs": "artifact_repository/download/empty-directories-kept",
    "BrokenDefaultDestinationEmpty": "artifact_repository/download/default-destination",
    "BrokenReplacesDstFile": "artifact_repository/download/dst-path-is-a-file",
    "BrokenMissingArtifactEmptyFile": "artifact_repository/download/missing-artifact",
    "BrokenDeleteMissingRaisesOSError": "artifact_repository/delete/missing-path",
    "BrokenMlflowLocalDecodedNames": "artifact_repository/log/percent-escapes-in-names",
    "BrokenSpacesInTreeDirs": "artifact_repository/properties/tree-round-trip",
    "BrokenListsRecursively": "artifact_repository/list/direct-children",
    "BrokenRelativeToListedDir": "artifact_repository/list/direct-children",
    "BrokenDirectorySizeZero": "artifact_repository/list/entry-types-and-sizes",
    "BrokenListFileReturnsItself": "artifact_repository/list/file-path-is-empty",
    "BrokenMissingPathRaises": "artifact_repository/list/missing-path-is-empty",
    "BrokenListPrefixLeak": "artifact_repository/list/no-sibling-prefix-leak",
    "BrokenCreatesMissingDst": "artifact_repository/download/missing-dst-path",
    "BrokenReturnsDstRoot": "artifact_repository/download/file-into-dst",
    "BrokenDeleteNoop": "artifact_repository/delete/file",
    "BrokenDeleteByStringPrefix": "artifact_repository/delete/sibling-prefix-kept",
    "BrokenDeleteLeavesNested": "artifact_repository/differential/state-machine",
    "BrokenDotDotWrite": "artifact_repository/safety/dotdot-write",
    "BrokenAbsoluteWrite": "artifact_repository/safety/absolute-write",
    "BrokenDecodesAfterValidation": "artifact_repository/safety/encoded-traversal-write",
    "BrokenReadTraversal": "artifact_repository/safety/traversal-download",
    "BrokenMlflowLocalDelete": "artifact_repository/safety/traversal-delete",
    "BrokenDecodingDelete": "artifact_repository/delete/literal-names",
    "BrokenKeepsSymlinks": "artifact_repository/safety/symlinks-delete",
    "BrokenStreamDropsLastChunk": "artifact_repository/mixins/async-stream-upload",
    "BrokenSharedUploadBuffer": "artifact_repository/concurrency/threaded-uploads",
    "BrokenS3MultipartDropsLastPart": "artifact_repository/mixins/multipart-upload",
    "BrokenS3PresignedUploadOutsideRoot": "artifact_repository/mixins/presigned-upload",
    "BrokenS3PresignedDownloadWrongSize": "artifact_repository/mixins/presigned-file-size",
    "BrokenPre32Constructor": "artifact_repository/end-to-end/file-artifact",
}


def method_of(clause_id: str) -> str:
    """The contract's test method checking ``clause_id``."""
    for name in dir(ArtifactRepositoryContract):
        marks = getattr(getattr(ArtifactRepositoryContract, name), "pytestmark", [])
        if name.startswith("test_") and any(m.name == "mlflow_clause" and m.args[0] == clause_id for m in marks):
            return name
    raise LookupError(clause_id)


def not_applicable_reason(variant: str, clause_id: str) -> str | None:
    """Why the variant's bug cannot be checked on the installed MLflow (None: it can)."""
    import inspect

    import mlflow
    from mlflow.store.artifact.artifact_repo import ArtifactRepository

    from mlflow_plugin_conformance.capabilities import version_at_least

    method = getattr(ArtifactRepositoryContract, method_of(clause_id))
    since = next((m.kwargs.get("since") for m in method.pytestmark if m.name == "mlflow_clause"), None)
    if since and not version_at_least(mlflow.__version__, since):
        return f"{clause_id} needs MLflow >= {since}, installed {mlflow.__version__}"
    if variant == "BrokenPre32Constructor" and "tracking_uri" not in inspect.signature(
            ArtifactRepository.__init__).parameters:
        return "MLflow < 3.2 builds repositories from the URI alone: the old constructor is the right one here"
    if variant == "BrokenReadTraversal" and not hasattr(
            mlflow.store.artifact.local_artifact_repo.LocalArtifactRepository, "get_local_path"):
        return ("MLflow < 3.14: LocalArtifactRepository.download_artifacts validates and joins the path itself, "
                "it never calls the get_local_path the variant breaks")
    return None


MODULE = """
import sys
import pytest
sys.path.insert(0, {broken_dir!r})
import artifact_repos
from mlflow_plugin_conformance.contracts.artifact_repository import ArtifactRepositoryContract


class TestBroken(ArtifactRepositoryContract):
    @pytest.fixture
    def artifact_repository(self, tmp_path):
        return artifact_repos.{variant}((tmp_path / "root").as_uri())


class TestControl(ArtifactRepositoryContract):
    @pytest.fixture
    def artifact_repository(self, tmp_path):
        return artifact_repos.SafeLocalRepository((tmp_path / "root").as_uri())
"""

# S3 variants run on moto, against MLflow's S3ArtifactRepository as the control.
S3_MODULE = """
import sys
import uuid
import pytest
sys.path.insert(0, {broken_dir!r})
import artifact_repos
from mlflow.store.artifact.s3_artifact_repo import S3ArtifactRepository
from mlflow_plugin_conformance.contracts.artifact_repository import ArtifactRepositoryContract
from mlflow_plugin_conformance.services import moto_s3


class TestBroken(ArtifactRepositoryContract):
    @pytest.fixture
    def artifact_repository(self, moto_s3):
        return artifact_repos.{variant}(moto_s3.uri(uuid.uuid4().hex))


class TestControl(ArtifactRepositoryContract):
    @pytest.fixture
    def artifact_repository(self, moto_s3):
        return S3ArtifactRepository(moto_s3.uri(uuid.uuid4().hex))
"""


# Variants MLflow itself must build from a URI: each class is registered under its own scheme for the run.
API_MODULE = """
import sys
import uuid
import pytest
sys.path.insert(0, {broken_dir!r})
import artifact_repos
from mlflow.store.artifact.artifact_repository_registry import _artifact_repository_registry
from mlflow_plugin_conformance.contracts.artifact_repository import ArtifactRepositoryContract

SCHEMES = {{"broken-" + uuid.uuid4().hex[:8]: artifact_repos.{variant},
            "control-" + uuid.uuid4().hex[:8]: artifact_repos.SchemeRepository}}


@pytest.fixture(autouse=True, scope="module")
def registered():
    for scheme, cls in SCHEMES.items():
        _artifact_repository_registry.register(scheme, cls)
    yield
    for scheme in SCHEMES:
        _artifact_repository_registry._registry.pop(scheme, None)


def scheme_of(prefix):
    return next(s for s in SCHEMES if s.startswith(prefix))


class TestBroken(ArtifactRepositoryContract):
    @pytest.fixture
    def artifact_repository(self, tmp_path):
        return artifact_repos.{variant}(scheme_of("broken") + "://" + (tmp_path / "root").as_posix())


class TestControl(ArtifactRepositoryContract):
    @pytest.fixture
    def artifact_repository(self, tmp_path):
        return artifact_repos.SchemeRepository(scheme_of("control") + "://" + (tmp_path / "root").as_posix())
"""


def test_every_mutant_class_is_in_the_table():
    defined = {name for name in vars(artifact_repos) if name.startswith("Broken")}
    assert defined == set(MUTANTS)


@pytest.mark.parametrize("variant", sorted(MUTANTS))
def test_mutant_is_caught(pytester, variant):
    """The broken repository fails its clause; the correct control passes the same clause."""
    clause_id = MUTANTS[variant]
    reason = not_applicable_reason(variant, clause_id)
    if reason:
        pytest.skip(reason)
    template = (S3_MODULE if variant.startswith("BrokenS3") else API_MODULE if variant == "BrokenPre32Constructor"
                else MODULE)
    pytester.makepyfile(test_mutant=template.format(broken_dir=str(BROKEN_DIR), variant=variant))
    previous = settings._current_profile
    try:
        result = pytester.runpytest("-p", "no:cacheprovider", "-k", method_of(clause_id),
                                    "--hypothesis-profile=artifact-mutants")
    finally:
        settings.load_profile(previous)
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed") == 1 and outcomes.get("passed") == 1, (
        f"{variant} should fail {clause_id} and the control pass it; got {outcomes}\n" + result.stdout.str()[-3000:])
    result.stdout.fnmatch_lines([f"*TestBroken::{method_of(clause_id)}*"])
    assert f"TestControl::{method_of(clause_id)} FAILED" not in result.stdout.str()
