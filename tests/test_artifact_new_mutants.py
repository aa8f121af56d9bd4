"""Mutation score of the artifact clauses added with one behaviour per clause, trace data and attachments,
get_local_path and list_artifacts() with no argument: each broken repository in ``tests/broken/artifact_new.py``
(one realistic bug) must fail the clause named here, while the correct control passes that same clause in the
same run (the control of ``artifact_repos``: SafeLocalRepository; MLflow's S3ArtifactRepository on moto for S3
variants; SchemeRepository for variants MLflow's registry builds from a URI).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BROKEN_DIR = Path(__file__).parent / "broken"
if str(BROKEN_DIR) not in sys.path:
    sys.path.insert(0, str(BROKEN_DIR))
# Imported once, here, for the in-process pytester runs (which drop the modules a run imported).
import artifact_new  # noqa: E402
import mlflow.store.tracking.sqlalchemy_store  # noqa: E402,F401  (end-to-end clauses: SQLAlchemy once)
from hypothesis import Phase, settings  # noqa: E402

from mlflow_plugin_conformance.contracts.artifact_repository import ArtifactRepositoryContract  # noqa: E402

settings.register_profile("artifact-new-mutants", parent=settings.get_profile("mlflow-conformance-quick"),
                          phases=[Phase.explicit, Phase.reuse, Phase.generate], derandomize=True)

# variant class -> clause id it must fail
MUTANTS = {
    "BrokenListNoneAsString": "artifact_repository/list/root-none",
    "BrokenListRequiresPath": "artifact_repository/list/root-no-argument",
    "BrokenMissingRootRaises": "artifact_repository/list/empty-root",
    "BrokenListTraversal": "artifact_repository/safety/traversal-list",
    "BrokenTreeUnderSourceName": "artifact_repository/log/tree-at-root",
    "BrokenTreeSkipsExisting": "artifact_repository/log/tree-overwrite",
    "BrokenLocalPathIsUri": "artifact_repository/download/local-path-existing",
    "BrokenLocalPathOfMissing": "artifact_repository/download/local-path-missing",
    "BrokenLocalPathUnchecked": "artifact_repository/safety/traversal-local-path",
    "BrokenDeleteDirectoryWithRmdir": "artifact_repository/delete/directory",
    "BrokenTreeDotDot": "artifact_repository/safety/tree-dotdot-write",
    "BrokenSymlinkWrite": "artifact_repository/safety/symlinks-in-uploaded-tree",
    "BrokenAttachmentPathJoin": "artifact_repository/safety/attachment-id-traversal",
    "BrokenTraceDataInSubfolder": "artifact_repository/traces/trace-data-round-trip",
    "BrokenTraceDataMissingIsEmpty": "artifact_repository/traces/trace-data-missing",
    "BrokenTraceDataCustomLocation": "artifact_repository/traces/trace-data-to-file",
    "BrokenAttachmentTextMode": "artifact_repository/traces/attachment-round-trip",
    "BrokenAttachmentCustomLocation": "artifact_repository/traces/attachment-to-file",
    "BrokenSyncStreamTruncates": "artifact_repository/mixins/stream-upload",
    "BrokenS3MultipartPlaceholder": "artifact_repository/mixins/multipart-abort",
    "BrokenS3PresignedDownloadRange": "artifact_repository/mixins/presigned-download",
    "BrokenSchemeFlattensTree": "artifact_repository/end-to-end/tree-artifacts",
    "BrokenNoDownloadFile": "artifact_repository/interface/abstract-methods",
    "BrokenLogArtifactSignature": "artifact_repository/interface/signatures",
}

HEADER = """
import sys
import uuid
import pytest
sys.path.insert(0, {broken_dir!r})
import artifact_new
import artifact_repos
from mlflow_plugin_conformance.contracts.artifact_repository import ArtifactRepositoryContract
"""

LOCAL = HEADER + """

class TestBroken(ArtifactRepositoryContract):
    @pytest.fixture
    def artifact_repository(self, tmp_path):
        return artifact_new.{variant}((tmp_path / "root").as_uri())


class TestControl(ArtifactRepositoryContract):
    @pytest.fixture
    def artifact_repository(self, tmp_path):
        return artifact_repos.SafeLocalRepository((tmp_path / "root").as_uri())
"""

S3 = HEADER + """
from mlflow.store.artifact.s3_artifact_repo import S3ArtifactRepository
from mlflow_plugin_conformance.services import moto_s3


class TestBroken(ArtifactRepositoryContract):
    @pytest.fixture
    def artifact_repository(self, moto_s3):
        return artifact_new.{variant}(moto_s3.uri(uuid.uuid4().hex))


class TestControl(ArtifactRepositoryContract):
    @pytest.fixture
    def artifact_repository(self, moto_s3):
        return S3ArtifactRepository(moto_s3.uri(uuid.uuid4().hex))
"""

SCHEME = HEADER + """
from mlflow.store.artifact.artifact_repository_registry import _artifact_repository_registry

SCHEMES = {{"broken-" + uuid.uuid4().hex[:8]: artifact_new.{variant},
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
        return artifact_new.{variant}(scheme_of("broken") + "://" + (tmp_path / "root").as_posix())


class TestControl(ArtifactRepositoryContract):
    @pytest.fixture
    def artifact_repository(self, tmp_path):
        return artifact_repos.SchemeRepository(scheme_of("control") + "://" + (tmp_path / "root").as_posix())
"""


def method_of(clause_id: str) -> str:
    """The contract's test method checking ``clause_id``."""
    for name in dir(ArtifactRepositoryContract):
        marks = getattr(getattr(ArtifactRepositoryContract, name), "pytestmark", [])
        if name.startswith("test_") and any(m.name == "mlflow_clause" and m.args[0] == clause_id for m in marks):
            return name
    raise LookupError(clause_id)


def test_every_mutant_class_is_in_the_table():
    defined = {name for name in vars(artifact_new) if name.startswith("Broken")}
    assert defined == set(MUTANTS)


@pytest.mark.parametrize("variant", sorted(MUTANTS))
def test_mutant_is_caught(pytester, variant):
    """The broken repository fails its clause; the correct control passes the same clause."""
    import mlflow

    from mlflow_plugin_conformance.capabilities import version_at_least

    clause_id = MUTANTS[variant]
    method = getattr(ArtifactRepositoryContract, method_of(clause_id))
    since = next((m.kwargs.get("since") for m in method.pytestmark if m.name == "mlflow_clause"), None)
    if since and not version_at_least(mlflow.__version__, since):
        pytest.skip(f"{clause_id} needs MLflow >= {since}, installed {mlflow.__version__}")
    template = S3 if variant.startswith("BrokenS3") else SCHEME if variant.startswith("BrokenScheme") else LOCAL
    pytester.makepyfile(test_mutant=template.format(broken_dir=str(BROKEN_DIR), variant=variant))
    previous = settings._current_profile
    try:
        result = pytester.runpytest("-p", "no:cacheprovider", "-k", method_of(clause_id),
                                    "--hypothesis-profile=artifact-new-mutants")
    finally:
        settings.load_profile(previous)
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed") == 1 and outcomes.get("passed") == 1, (
        f"{variant} should fail {clause_id} and the control pass it; got {outcomes}\n" + result.stdout.str()[-3000:])
    result.stdout.fnmatch_lines([f"*TestBroken::{method_of(clause_id)}*"])
    assert f"TestControl::{method_of(clause_id)} FAILED" not in result.stdout.str()
