"""How targets are built and run: isolation, URIs from a user's fixture, pytest-xdist, environment."""

from __future__ import annotations

import json

import pytest

COUNTING_STORE = """
import os

def build(store_uri, artifact_uri=None):
    from mlflow_file_plugin import tracking_store
    with open(os.environ["BUILD_LOG"], "a") as log:
        log.write(store_uri + "\\n")
    return tracking_store("file-plugin://" + store_uri.split("://", 1)[1], artifact_uri)
"""

CLAUSES = ("--mlflow-conformance-clause=tracking_store/experiments/get-*",)


def test_isolation_class_builds_once_and_test_builds_per_clause(pytester, fake_dists, monkeypatch, tmp_path):
    fake_dists.add("counting-store", {"mlflow.tracking_store": {"counting": "counting_mod:build"}},
                   {"counting_mod.py": COUNTING_STORE})
    log = tmp_path / "builds.log"
    monkeypatch.setenv("BUILD_LOG", str(log))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--mlflow-plugin-scheme=counting", *CLAUSES)
    assert result.ret == 0, result.stdout.str()
    # The suite's first build of each target runs in the import-order probe (a fresh interpreter, in a directory
    # of its own): the class builds once more, in the test process.
    builds = log.read_text().splitlines()
    assert len(builds) == 2 and "first-build" in builds[0], builds
    log.unlink()
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--mlflow-plugin-scheme=counting", *CLAUSES,
                                           "--mlflow-conformance-isolation=test")
    assert result.ret == 0, result.stdout.str()
    builds = log.read_text().splitlines()
    assert len(builds) == 4 and len(set(builds)) == 4, "each clause gets its own store in its own directory"


def test_uri_from_the_users_conftest_fixture(pytester, fake_dists, monkeypatch, tmp_path):
    fake_dists.add("counting-store", {"mlflow.tracking_store": {"counting": "counting_mod:build"}},
                   {"counting_mod.py": COUNTING_STORE})
    log = tmp_path / "builds.log"
    monkeypatch.setenv("BUILD_LOG", str(log))
    service_dir = tmp_path / "service"
    pytester.makeconftest(f"""
        import pytest

        @pytest.fixture(scope="session")
        def mlflow_plugin_uri():
            # e.g. a database this conftest started; here a directory standing in for it
            return {{"tracking_store": "counting://{service_dir.as_posix()}"}}
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--mlflow-plugin-scheme=counting", *CLAUSES)
    assert result.ret == 0, result.stdout.str()
    # the first build in the import-order probe, then the class's build in the test process
    assert log.read_text().splitlines() == [f"counting://{service_dir.as_posix()}"] * 2


def test_xdist_run_reports_the_same_outcomes(pytester, experiment_clause_counts):
    args = ["-p", "no:cacheprovider", "--mlflow-plugin-scheme=file-plugin",
            "--mlflow-conformance-clause=tracking_store/experiments/*"]
    result = pytester.runpytest_subprocess(*args, "-n", "2", "--mlflow-conformance-report=x.json")
    assert result.ret == 0, result.stdout.str()
    applicable, total = experiment_clause_counts
    result.stdout.re_match_lines([rf"tracking_store:file-plugin\s+mlflow-file-plugin \S+\s+core\s+{applicable}\s+0\s+0"
                                  rf"\s+0\s+{total - applicable}\s+0"])
    data = json.loads((pytester.path / "x.json").read_text())
    outcomes = [c["outcome"] for c in data["clauses"]]
    assert len(outcomes) == total and outcomes.count("passed") == applicable
    assert set(outcomes) <= {"passed", "not-applicable"}


def test_conformance_runs_switch_mlflow_telemetry_off(pytester, monkeypatch):
    monkeypatch.delenv("MLFLOW_DISABLE_TELEMETRY", raising=False)
    monkeypatch.delenv("DO_NOT_TRACK", raising=False)
    pytester.makepyfile(test_env="""
        import os

        def test_env():
            assert os.environ["MLFLOW_DISABLE_TELEMETRY"] == "true"
            assert os.environ["DO_NOT_TRACK"] == "true"
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--mlflow-conformance-level=full", "test_env.py")
    result.assert_outcomes(passed=1)


def test_unrelated_run_does_not_import_mlflow(pytester):
    pytester.makepyfile(test_plain="""
        import sys

        def test_plain():
            assert "mlflow" not in sys.modules
            assert "mlflow_plugin_conformance.discovery" not in sys.modules
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


@pytest.mark.slow
def test_a_run_leaves_nothing_in_the_working_or_temporary_directory(pytester, monkeypatch, tmp_path):
    """Hypothesis' database, MLflow's migrated schema template and servers' work directories stay under pytest's
    own directories (or are removed): the user's working directory and the system temp directory stay clean."""
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(system_tmp))
    monkeypatch.delenv("MLFLOW_CONFORMANCE_CACHE_DIR", raising=False)
    before = set(p.name for p in pytester.path.iterdir())
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--mlflow-plugin=mlflow-file-plugin",
        "--mlflow-conformance-clause=tracking_store/properties/*",
        "--mlflow-conformance-clause=tracking_store/differential/*",
        "--mlflow-conformance-clause=artifact_repository/properties/*",
        "--mlflow-conformance-clause=model_registry_store/end-to-end/*",
        "--mlflow-conformance-clause=model_registry_store/public-api/*",
        "--mlflow-conformance-clause=request_header_provider/end-to-end/*")  # the mlflow server started early
    assert result.ret == 0, result.stdout.str()[-3000:]
    pytester_own = {"stdout", "stderr", "runpytest-0", "runpytest-current"}
    left = set(p.name for p in pytester.path.iterdir()) - before - pytester_own
    assert not left, f"the run left {sorted(left)} in the working directory"
    assert [p.name for p in system_tmp.iterdir()] == [], "the run left files in the system temporary directory"
