"""The command-line ways in: listing, selection, reports, header, and the errors users get for bad input.

Runs pytest in a subprocess (``runpytest_subprocess``) wherever MLflow must load entry points afresh: MLflow's
registries read entry points once per process, at import time.
"""

from __future__ import annotations

import json

import pytest


def run(pytester, *args):
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_list_shows_installed_entry_points_and_exits_zero(pytester):
    result = run(pytester, "--mlflow-plugin-list")
    assert result.ret == 0
    out = result.stdout.str()
    for group in ("mlflow.tracking_store", "mlflow.artifact_repository", "mlflow.model_registry_store"):
        assert f"{group}" in out
    result.stdout.re_match_lines([r"mlflow\.tracking_store\s+file-plugin\s+mlflow_file_plugin:tracking_store\s+"
                                  r"mlflow-file-plugin\s+\S+\s+ok"])
    # MLflow's own entry points are listed but never flagged as overriding MLflow
    assert "WARNING deployments:databricks" not in out


def test_list_flags_builtin_override_duplicates_and_import_failures(pytester, fake_dists):
    fake_dists.add("shadow-s3", {"mlflow.artifact_repository": {"s3": "shadow_s3:Repo"}},
                   {"shadow_s3.py": "class Repo:\n    pass\n"})
    fake_dists.add("dup-one", {"mlflow.tracking_store": {"dup": "dup_one:Store"}}, {"dup_one.py": "class Store: pass\n"})
    fake_dists.add("dup-two", {"mlflow.tracking_store": {"dup": "dup_two:Store"}}, {"dup_two.py": "class Store: pass\n"})
    fake_dists.add("broken-import", {"mlflow.tracking_store": {"broken": "broken_mod:Store"}},
                   {"broken_mod.py": "import not_a_module_anywhere\n"})
    result = run(pytester, "--mlflow-plugin-list")
    assert result.ret == 0
    out = result.stdout.str()
    assert "overrides MLflow's built-in 's3' in mlflow.artifact_repository" in out
    assert "'dup' in mlflow.tracking_store is also registered by dup-two" in out
    assert "'dup' in mlflow.tracking_store is also registered by dup-one" in out
    result.stdout.re_match_lines([r".*broken\s+broken_mod:Store\s+broken-import\s+1\.0\s+fails: "
                                  r"ModuleNotFoundError.*not_a_module_anywhere.*"])


def test_unknown_scheme_is_a_usage_error_with_suggestion(pytester):
    result = run(pytester, "--mlflow-plugin-scheme=file-plugn")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    err = result.stderr.str()
    assert "no installed entry point in any mlflow.* group is named 'file-plugn'" in err
    assert "Did you mean 'file-plugin'" in err
    assert "INTERNALERROR" not in result.stdout.str() + err


def test_unknown_distribution_is_a_usage_error_listing_installed(pytester):
    result = run(pytester, "--mlflow-plugin=mlflow-file-plugn")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    err = result.stderr.str()
    assert "no installed distribution named 'mlflow-file-plugn'" in err
    assert "Did you mean 'mlflow-file-plugin'" in err


def test_bad_uri_kind_and_report_suffix_are_usage_errors(pytester):
    result = run(pytester, "--mlflow-plugin-scheme=file-plugin", "--mlflow-plugin-uri=trackng_store=x://y")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "'trackng_store' is not a plugin kind" in result.stderr.str()
    result = run(pytester, "--mlflow-plugin-scheme=file-plugin", "--mlflow-conformance-report=out.txt")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "the file name must end in .json (the full report), badge.json" in result.stderr.str()


def test_scheme_run_passes_prints_header_table_and_writes_reports(pytester):
    result = run(pytester, "--mlflow-plugin-scheme=file-plugin", "--mlflow-conformance-clause=tracking_store/experiments/*",
                 "--mlflow-conformance-clause=tracking_store/build/*",
                 "--mlflow-conformance-report=out/report.json", "--mlflow-conformance-report=out/report.md")
    out = result.stdout.str()
    assert result.ret == 0, out
    assert "mlflow-plugin-conformance: MLflow" in out
    assert "target tracking_store:file-plugin (mlflow-file-plugin" in out
    result.stdout.re_match_lines([r"tracking_store:file-plugin\s+mlflow-file-plugin \S+\s+core\s+(\d+)\s+0\s+"])
    data = json.loads((pytester.path / "out" / "report.json").read_text())
    tracking = [c for c in data["clauses"] if c["target"] == "tracking_store:file-plugin"]
    # not-applicable: clauses the installed (older) MLflow predates
    assert "passed" in {c["outcome"] for c in tracking} <= {"passed", "not-applicable"}
    ids = {c["clause"] for c in tracking}
    assert "tracking_store/experiments/duplicate-name" in ids and "tracking_store/build/instance" in ids
    assert not any(c["clause"].startswith("tracking_store/runs/") for c in tracking), "clause filter ignored"
    md = (pytester.path / "out" / "report.md").read_text()
    assert "| tracking_store:file-plugin |" in md and "| target | distribution | level |" in md


def test_ini_keys_select_targets_like_options(pytester):
    pytester.makepyprojecttoml(
        """
        [tool.pytest.ini_options]
        mlflow_plugin_scheme = ["file-plugin"]
        mlflow_conformance_level = "core"
        mlflow_conformance_report = ["ini-report.json"]
        """
    )
    result = run(pytester, "--mlflow-conformance-clause=tracking_store/experiments/get-*")
    assert result.ret == 0, result.stdout.str()
    data = json.loads((pytester.path / "ini-report.json").read_text())
    assert {c["clause"] for c in data["clauses"]} >= {"tracking_store/experiments/get-unknown"}
    assert all(c["level"] == "core" for c in data["clauses"])


def test_credentials_in_uris_are_never_printed(pytester):
    secret = "s3cr3t-Pa55"
    result = run(pytester, "--mlflow-plugin-scheme=file-plugin",
                 f"--mlflow-plugin-uri=tracking_store=file-plugin://alice:{secret}@db.internal/{{tmp}}",
                 "--mlflow-conformance-clause=tracking_store/build/*", "--mlflow-conformance-report=r.json")
    text = result.stdout.str() + result.stderr.str() + (pytester.path / "r.json").read_text()
    assert "alice:***@db.internal" in text
    assert secret not in text


def test_help_shows_the_options_where_the_ini_file_selects_a_plugin(pytester):
    """`pytest --help` configures every plugin without test paths; a project whose ini file selects a plugin (as
    the example plugin's does) crashed there with an AttributeError instead of showing the options."""
    pytester.makepyprojecttoml(
        """
        [tool.pytest.ini_options]
        mlflow_plugin = ["mlflow-file-plugin"]
        mlflow_plugin_scheme = ["no-such-scheme"]
        """
    )
    result = run(pytester, "--help")
    assert result.ret == 0, result.stderr.str()
    result.stdout.fnmatch_lines(["*--mlflow-plugin-scheme*", "*--mlflow-conformance-report*"])
    assert "Traceback (most recent call last)" not in result.stderr.str() + result.stdout.str()


def test_fixtures_listing_works_on_the_suite_and_starts_no_server(pytester):
    """`pytest --fixtures` must list the suite's fixtures. pytest cannot order two definitions of one base-class
    fixture on classes whose node ids have the same length, and ended in INTERNALERROR (pytest-dev/pytest#1651)."""
    pytester.makepyprojecttoml(
        """
        [tool.pytest.ini_options]
        mlflow_plugin = ["mlflow-file-plugin"]
        """
    )
    result = run(pytester, "--fixtures")
    assert result.ret == 0, result.stdout.str()[-3000:]
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()
    result.stdout.fnmatch_lines(["mlflow_target [[]class scope[]]*", "mlflow_conformance_server*"])
    assert "Creating initial MLflow database tables" not in result.stdout.str() + result.stderr.str()
