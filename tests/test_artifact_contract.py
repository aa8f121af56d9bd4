"""How the artifact contract reports, beyond pass/fail: a forgotten fixture, an unsupported optional family,
the base class's silent no-op delete, and the moto S3 service restoring the environment it changed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

BROKEN_DIR = Path(__file__).parent / "broken"
if str(BROKEN_DIR) not in sys.path:
    sys.path.insert(0, str(BROKEN_DIR))
# Imported once, here, for the in-process pytester runs (which drop the modules a run imported): the contract
# imports Hypothesis, whose strategies must be the same objects in every run.
import artifact_repos  # noqa: E402,F401

import mlflow_plugin_conformance.contracts.artifact_repository  # noqa: E402,F401

HEADER = f"""
import sys
import pytest
sys.path.insert(0, {str(BROKEN_DIR)!r})
import artifact_repos
from mlflow_plugin_conformance.contracts.artifact_repository import ArtifactRepositoryContract
"""


DELETE_CLAUSES = ("test_delete_file or test_delete_directory or test_delete_missing_path or test_delete_literal_names"
                  " or test_delete_sibling_prefix_kept or test_safety_traversal_delete or test_safety_symlinks_delete")


def test_forgotten_fixture_fails_loudly(pytester):
    """A subclass without `artifact_repository` fails with instructions instead of passing or erroring vaguely."""
    pytester.makepyfile(test_forgot=HEADER + """
class TestForgot(ArtifactRepositoryContract):
    pass
""")
    result = pytester.runpytest("-p", "no:cacheprovider", "-rs", "-k", "test_build_instance or test_log_empty_file")
    # The build clause reports the missing fixture once; every other clause is not-run because of it.
    result.assert_outcomes(failed=1, skipped=1)
    result.stdout.fnmatch_lines(["*does not provide the `artifact_repository` fixture*",
                                 "SKIPPED*the target did not build*"])


@pytest.mark.parametrize("refusal", [
    'NotImplementedError("this store is append-only")',
    'MlflowException("this store is append-only", error_code=NOT_IMPLEMENTED)',
], ids=["NotImplementedError", "NOT_IMPLEMENTED"])
def test_delete_not_implemented_is_unsupported(pytester, refusal):
    """A repository whose delete_artifacts raises NotImplementedError, or MLflow's NOT_IMPLEMENTED (HTTP 501),
    gets `unsupported` for the delete family, path-safety deletes included, not failures; the differential
    machine stops deleting and passes (it failed on NOT_IMPLEMENTED, found on mlflow-oss-artifact)."""
    pytester.makepyfile(test_nodelete=HEADER + f"""
from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import NOT_IMPLEMENTED


class NoDelete(artifact_repos.SafeLocalRepository):
    def delete_artifacts(self, artifact_path=None):
        raise {refusal}


class TestNoDelete(ArtifactRepositoryContract):
    @pytest.fixture
    def artifact_repository(self, tmp_path):
        return NoDelete((tmp_path / "root").as_uri())
""")
    result = pytester.runpytest("-p", "no:cacheprovider", "-rs", "-k",
                                f"{DELETE_CLAUSES} or test_differential_state_machine")
    outcomes = result.parseoutcomes()
    assert outcomes.get("skipped") == 7 and outcomes.get("passed") == 1 and not outcomes.get("failed"), outcomes
    # pytest's -rs summary names each clause's own line, with the outcome before the reason
    skipped = [line for line in result.stdout.lines if line.startswith("SKIPPED [1] ")
               and "unsupported: the plugin raised" in line and "(this store is append-only)" in line]
    assert len(skipped) == 7 and not any("outcomes.py" in line for line in skipped), result.stdout.str()


def test_base_class_noop_delete_is_reported(pytester):
    """Inheriting ArtifactRepository's silent no-op delete fails every delete clause with an explanation."""
    pytester.makepyfile(test_noop=HEADER + """
class TestNoop(ArtifactRepositoryContract):
    @pytest.fixture
    def artifact_repository(self, tmp_path):
        return artifact_repos.BrokenDeleteNoop((tmp_path / "root").as_uri())
""")
    result = pytester.runpytest("-p", "no:cacheprovider", "-k", "test_delete_")
    result.assert_outcomes(failed=5)
    result.stdout.fnmatch_lines(["*delete_artifacts is ArtifactRepository's silent no-op*"])


def test_moto_s3_server_and_environment_are_restored():
    """The moto service listens on 127.0.0.1 with a fresh bucket; its environment is removed afterwards."""
    from mlflow_plugin_conformance.services import moto_s3_environment, moto_s3_server

    saved = os.environ.get("MLFLOW_S3_ENDPOINT_URL")
    with moto_s3_server() as first, moto_s3_server() as second:
        assert first.endpoint_url.startswith("http://127.0.0.1:")
        assert first.bucket != second.bucket
        with moto_s3_environment(first):
            assert os.environ["MLFLOW_S3_ENDPOINT_URL"] == first.endpoint_url
            first.client().put_object(Bucket=first.bucket, Key="k", Body=b"v")
        assert os.environ.get("MLFLOW_S3_ENDPOINT_URL") == saved
        assert first.client().get_object(Bucket=first.bucket, Key="k")["Body"].read() == b"v"


def test_a_broken_listing_blocks_the_clauses_that_read_writes_through_it(pytester, tmp_path):
    """A repository whose listing returns the whole subtree fails list/direct-children; clauses that check a
    write through listings are reported blocked by it (one bug, one headline); the basic write-and-download
    clause, which reads no listing, passes."""
    import json

    pytester.makepyfile(test_blocked=HEADER + """
class TestRecursiveListing(ArtifactRepositoryContract):
    @pytest.fixture
    def artifact_repository(self, tmp_path):
        return artifact_repos.BrokenListsRecursively((tmp_path / "root").as_uri())
""")
    report = tmp_path / "report.json"
    result = pytester.runpytest("-p", "no:cacheprovider", f"--mlflow-conformance-report={report}", "-k",
                                "test_list_direct_children or test_log_directory_tree or test_log_unicode_and_spaced"
                                " or test_log_file_with_artifact_path or test_log_tree_at_root")
    outcomes = {c["clause"].split("/", 1)[1]: (c["outcome"], c["blocked_by"])
                for c in json.loads(report.read_text())["clauses"]}
    listing = "artifact_repository/list/direct-children"
    assert outcomes == {
        "list/direct-children": ("failed", None),
        "log/file-with-artifact-path": ("passed", None),
        "log/directory-tree": ("blocked", listing),
        "log/unicode-and-spaced-names": ("blocked", listing),
        "log/tree-at-root": ("blocked", listing),
    }, outcomes
    result.assert_outcomes(failed=1, passed=1, skipped=3)


def test_trace_methods_not_implemented_are_unsupported(pytester):
    """A repository that answers the trace methods with NotImplementedError gets `unsupported` for the trace-data
    and trace-attachments clauses (the attachment path-safety clause included), not failures."""
    import json

    pytester.makepyfile(test_notraces=HEADER + """
class NoTraces(artifact_repos.SafeLocalRepository):
    def upload_trace_data(self, trace_data):
        raise NotImplementedError("no traces here")

    def download_trace_data(self):
        raise NotImplementedError("no traces here")

    def upload_attachment(self, attachment_id, content_bytes):
        raise NotImplementedError("no attachments here")


class TestNoTraces(ArtifactRepositoryContract):
    @pytest.fixture
    def artifact_repository(self, tmp_path):
        return NoTraces((tmp_path / "root").as_uri())
""")
    report = pytester.path / "report.json"
    pytester.runpytest("-p", "no:cacheprovider", f"--mlflow-conformance-report={report}", "-k",
                       "test_traces_ or test_safety_attachment_id_traversal")
    outcomes = {c["clause"]: (c["outcome"], c["feature"]) for c in json.loads(report.read_text())["clauses"]}
    assert len(outcomes) == 6, outcomes
    assert all(outcome == "unsupported" for outcome, _ in outcomes.values()), outcomes
    assert {feature for _, feature in outcomes.values()} == {"artifact_repository.trace-data",
                                                             "artifact_repository.trace-attachments"}


def test_an_optional_feature_refused_in_words_only_is_told_how_to_declare_it_unsupported(pytester):
    """MlflowException('Not implemented yet') (no NOT_IMPLEMENTED code) fails the feature's clauses, and the
    failure says what would make it unsupported (found on mlflow-oss-artifact)."""
    pytester.makepyfile(test_words=HEADER + """
from mlflow.exceptions import MlflowException


class InWordsOnly(artifact_repos.SafeLocalRepository):
    def delete_artifacts(self, artifact_path=None):
        raise MlflowException("Not implemented yet")


class TestInWordsOnly(ArtifactRepositoryContract):
    @pytest.fixture
    def artifact_repository(self, tmp_path):
        return InWordsOnly((tmp_path / "root").as_uri())
""")
    result = pytester.runpytest("-p", "no:cacheprovider", "-k", "test_delete_file")
    assert result.parseoutcomes().get("failed") == 1
    result.stdout.fnmatch_lines(["*Not implemented yet*to declare artifact_repository.delete unsupported, raise "
                                 "NotImplementedError or MlflowException(error_code=NOT_IMPLEMENTED)*"])
