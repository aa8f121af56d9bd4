"""matrix.py: merging reports of several MLflow versions, the run verdict, and the install rules.

Everything here runs on synthetic reports (and one made by report.py itself): no MLflow, no subprocess.
"""

from __future__ import annotations

import json

import pytest

from mlflow_plugin_conformance import matrix
from mlflow_plugin_conformance.report import ClauseRecord, ConformanceReport, TargetInfo

TARGET = "tracking_store:my-scheme"


def make_report(version: str, outcomes: dict[str, str], *, python: str = "3.11.7", target: str = TARGET,
                reasons: dict[str, str] | None = None, extra_targets: list[dict] = ()) -> dict:
    """A report shaped like ConformanceReport.to_dict(), with one target."""
    reasons = reasons or {}
    return {
        "schema_version": 2,
        "mlflow_version": version,
        "python_version": python,
        "targets": [{"label": target, "group": "mlflow.tracking_store", "name": "my-scheme", "dist": "my-plugin",
                     "version": "1.0", "kind": "tracking_store", "uri": "", "contract": True, "note": ""},
                    *extra_targets],
        "summary": [],
        "clauses": [
            {"clause": clause, "level": "full" if clause.endswith("-full") else "core", "target": target,
             "outcome": outcome, "nodeid": f"x::{clause}", "feature": None, "reason": reasons.get(clause, ""),
             "duration": 0.01}
            for clause, outcome in outcomes.items()
        ],
    }


def test_columns_are_ordered_by_mlflow_version_numerically_not_as_text():
    reports = [make_report(v, {"tracking_store/a/b": "passed"}) for v in ("3.10.0", "2.22.5", "3.9.1", "3.0.1")]
    merged = matrix.merge_reports(reports)
    assert [c["key"] for c in merged["columns"]] == ["2.22.5", "3.0.1", "3.9.1", "3.10.0"]


def test_each_cell_is_the_outcome_of_that_version_and_missing_clauses_are_absent():
    old = make_report("2.22.5", {"tracking_store/runs/create": "passed", "tracking_store/traces/x-full": "not-applicable"})
    new = make_report("3.17.2", {"tracking_store/runs/create": "failed", "tracking_store/traces/x-full": "passed",
                                 "tracking_store/logged_models/y-full": "unsupported"},
                      reasons={"tracking_store/runs/create": "AssertionError: lost a metric\nmore"})
    merged = matrix.merge_reports([new, old])
    cells = {row["clause"]: row["outcomes"] for row in merged["clauses"]}
    assert cells["tracking_store/runs/create"] == {"2.22.5": "passed", "3.17.2": "failed"}
    assert cells["tracking_store/traces/x-full"] == {"2.22.5": "not-applicable", "3.17.2": "passed"}
    assert cells["tracking_store/logged_models/y-full"] == {"2.22.5": matrix.ABSENT, "3.17.2": "unsupported"}
    row = next(r for r in merged["clauses"] if r["clause"] == "tracking_store/runs/create")
    assert row["reasons"] == {"3.17.2": "AssertionError: lost a metric"}
    # core rows first, then full, each sorted by id
    assert [r["clause"] for r in merged["clauses"]] == [
        "tracking_store/runs/create", "tracking_store/logged_models/y-full", "tracking_store/traces/x-full"]
    assert merged["totals"]["2.22.5"]["passed"] == 1 and merged["totals"]["2.22.5"][matrix.ABSENT] == 1
    assert merged["totals"]["3.17.2"]["failed"] == 1 and merged["totals"]["3.17.2"]["unsupported"] == 1
    assert matrix.matrix_failures(merged) == [
        ("3.17.2", TARGET, "tracking_store/runs/create", "AssertionError: lost a metric")]


def test_two_reports_of_one_mlflow_version_get_columns_named_by_python():
    merged = matrix.merge_reports([make_report("3.0.1", {"k/a/b": "passed"}, python="3.10.1"),
                                   make_report("3.0.1", {"k/a/b": "failed"}, python="3.13.0")])
    keys = [c["key"] for c in merged["columns"]]
    assert keys == ["3.0.1 (py3.10.1)", "3.0.1 (py3.13.0)"]
    assert merged["clauses"][0]["outcomes"] == dict(zip(keys, ["passed", "failed"]))


def test_targets_without_a_contract_are_kept_and_rows_are_grouped_by_target():
    registry = {"label": "model_registry_store:my-scheme", "group": "mlflow.model_registry_store", "name": "my-scheme",
                "dist": "my-plugin", "version": "1.0", "kind": "model_registry_store", "contract": False}
    merged = matrix.merge_reports([make_report("3.0.1", {"k/a/b": "passed"}, extra_targets=[registry])])
    assert [t["label"] for t in merged["targets"]] == ["model_registry_store:my-scheme", TARGET]
    text = matrix.render_markdown(merged)
    assert "#### `model_registry_store:my-scheme` (my-plugin 1.0)\n\nNo contract for this kind yet" in text


def test_markdown_has_one_column_per_version_and_lists_failures_with_their_reason():
    merged = matrix.merge_reports([
        make_report("2.22.5", {"tracking_store/runs/create": "passed", "tracking_store/traces/x-full": "not-applicable"},
                    reasons={"tracking_store/traces/x-full": "not-applicable: needs MLflow >= 3.0, installed 2.22.5"}),
        make_report("3.0.1", {"tracking_store/runs/create": "failed", "tracking_store/traces/x-full": "known-failure"},
                    reasons={"tracking_store/runs/create": "assert 'a|b' == 'a'"}),
    ])
    text = matrix.render_markdown(merged)
    lines = text.splitlines()
    assert "| clause | level | 2.22.5 | 3.0.1 |" in lines
    assert "| `tracking_store/runs/create` | core | pass | **FAIL** |" in lines
    assert "| `tracking_store/traces/x-full` | full | n/a | known-failure |" in lines
    assert "| passed | 1 | 0 |" in lines and "| failed | 0 | 1 |" in lines
    # the reason of a failure is shown, with the table-breaking pipe escaped
    assert "- MLflow 3.0.1, `tracking_store:my-scheme` `tracking_store/runs/create`: assert 'a\\|b' == 'a'" in lines
    assert "not-applicable: needs MLflow >= 3.0, installed 2.22.5" in text
    assert "**1 failed cell(s)**" in lines
    # both rows change between the versions, so both are in the differences table, with their target
    assert "#### Outcomes that differ between MLflow versions (2)" in lines
    assert "| `tracking_store:my-scheme` | `tracking_store/runs/create` | pass | **FAIL** |" in lines


def test_rows_with_one_outcome_on_every_version_are_not_differences():
    merged = matrix.merge_reports([make_report("2.22.5", {"k/a/same": "passed", "k/a/new": "not-applicable"}),
                                   make_report("3.0.1", {"k/a/same": "passed", "k/a/new": "passed"})])
    assert [r["clause"] for r in matrix.differing_rows(merged)] == ["k/a/new"]
    single = matrix.render_markdown(matrix.merge_reports([make_report("3.0.1", {"k/a/b": "passed"})]))
    assert "differ between" not in single  # one column: nothing to compare


def test_markdown_says_so_when_nothing_failed():
    text = matrix.render_markdown(matrix.merge_reports([make_report("3.0.1", {"k/a/b": "known-failure"})]))
    assert "**No clause failed on any version.**" in text and "Failed clauses" not in text


def test_a_report_written_by_report_py_merges():
    """The merge reads exactly what the pytest plugin writes (no drift between report.py and matrix.py)."""
    written = []
    for version, outcome in (("2.22.5", "not-applicable"), ("3.17.2", "passed")):
        rep = ConformanceReport(mlflow_version=version)
        rep.add_target(TargetInfo(label=TARGET, group="mlflow.tracking_store", name="my-scheme", dist="my-plugin",
                                  version="1.0", kind="tracking_store"))
        rep.add_phase(ClauseRecord(clause="tracking_store/traces/start", level="full", target=TARGET,
                                   outcome=outcome, nodeid="t::x", reason=""))
        written.append(json.loads(json.dumps(rep.to_dict())))
    merged = matrix.merge_reports(written)
    assert merged["clauses"][0]["outcomes"] == {"2.22.5": "not-applicable", "3.17.2": "passed"}


@pytest.mark.parametrize("bad, message", [
    ([1, 2], "not a conformance report"),
    ({"mlflow_version": "3.0.1", "targets": []}, "missing clauses"),
    ({"mlflow_version": "3.0.1", "targets": [], "clauses": [{"clause": "k/a/b", "level": "core"}]}, "lacks target, outcome"),
    ({"mlflow_version": "3.0.1", "targets": [],
      "clauses": [{"clause": "k/a/b", "level": "core", "target": "t", "outcome": "green"}]}, "unknown outcome 'green'"),
])
def test_what_is_not_a_report_is_refused_with_the_reason(bad, message):
    with pytest.raises(matrix.ReportError, match=message):
        matrix.merge_reports([bad])


def test_merging_nothing_is_an_error():
    with pytest.raises(matrix.ReportError, match="at least one"):
        matrix.merge_reports([])


# -- the verdict of one run (what fails a CI job) ------------------------------------------------------------


def test_failed_clauses_fail_the_run_and_are_named():
    report = make_report("3.0.1", {"k/a/ok": "passed", "k/a/broken": "failed"}, reasons={"k/a/broken": "boom\ntrace"})
    code, lines = matrix.verdict(report, pytest_exit_code=1)
    assert code == 1
    assert lines[1] == f"  FAILED {TARGET} k/a/broken: boom"


def test_known_failures_unsupported_and_not_applicable_do_not_fail_the_run():
    report = make_report("2.22.5", {"k/a/a": "passed", "k/a/b": "known-failure", "k/a/c": "unsupported",
                                    "k/a/d": "not-applicable"})
    code, lines = matrix.verdict(report, pytest_exit_code=0)
    assert code == 0
    assert lines == ["conformance on MLflow 2.22.5: 1 passed, 1 unsupported, 1 known-failure, 1 not-applicable"]


def test_a_run_that_checked_nothing_fails():
    code, lines = matrix.verdict(make_report("3.0.1", {}), pytest_exit_code=5)
    assert code == 5 and "no conformance clause ran" in lines[0]
    code, lines = matrix.verdict(None, pytest_exit_code=4)
    assert code == 4 and "no conformance report" in lines[0]
    assert matrix.verdict(None, pytest_exit_code=0)[0] == 2


def test_pytest_failing_outside_clauses_keeps_its_exit_code():
    code, lines = matrix.verdict(make_report("3.0.1", {"k/a/a": "passed"}), pytest_exit_code=3)
    assert code == 3 and "pytest exited 3" in lines[0]


# -- what gets installed ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("given, requirement", [
    ("3.0.1", "mlflow==3.0.1.*"),
    ("2.22", "mlflow==2.22.*"),
    ("latest", "mlflow"),
    ("<3", "mlflow<3"),
    ("~=2.22", "mlflow~=2.22"),
])
def test_mlflow_requirement(given, requirement):
    assert matrix.mlflow_requirement(given) == requirement


def test_mlflow_requirement_refuses_a_name_that_is_not_a_version():
    with pytest.raises(ValueError, match="give X.Y"):
        matrix.mlflow_requirement("three")


@pytest.mark.parametrize("version, pins", [
    ("2.22.5", ["sqlalchemy<2.1"]), ("3.0", ["sqlalchemy<2.1"]), ("3.8.1", ["sqlalchemy<2.1"]),
    ("3.9.0", []), ("3.17.2", []), ("latest", []), ("<3", []),
])
def test_old_mlflow_releases_get_the_pins_that_keep_them_importable(version, pins):
    assert matrix.compat_pins(version) == pins


def test_install_args_resolve_mlflow_suite_and_plugin_together_and_split_specs_like_a_shell():
    args = matrix.install_args("2.22", ["-e /src/conformance"], ["-e './my plugin[s3]'", "extra==1"])
    assert args == ["mlflow==2.22.*", "sqlalchemy<2.1", "-e", "/src/conformance", "-e", "./my plugin[s3]", "extra==1"]


def test_suite_command_is_what_the_suite_subcommand_parses():
    cmd = matrix.suite_command("py", ["a", "b"], ["dist-x"], "/out", "quick", "-x -k 'not slow'")
    assert cmd[:4] == ["py", "-m", "mlflow_plugin_conformance.matrix", "suite"]
    ns = matrix.build_parser().parse_args(cmd[3:])
    assert (ns.scheme, ns.dist, ns.out, ns.profile, ns.pytest_args) == (["a", "b"], ["dist-x"], "/out", "quick",
                                                                         "-x -k 'not slow'")
    args = matrix.suite_pytest_args(ns.scheme, ns.dist, ns.out, ns.profile, ns.pytest_args)
    assert args[-3:] == ["-x", "-k", "not slow"]
    assert "--mlflow-conformance-report=/out/conformance.json" in args
    assert "--mlflow-conformance-profile=quick" in args


# -- the merge command -----------------------------------------------------------------------------------------


def _write(path, report):
    path.mkdir(parents=True, exist_ok=True)
    (path / matrix.REPORT_JSON).write_text(json.dumps(report))


def test_merge_command_finds_reports_in_directories_and_writes_json_and_markdown(tmp_path, monkeypatch, capsys):
    _write(tmp_path / "reports" / "mlflow-3.0", make_report("3.0.1", {"k/a/b": "passed"}))
    _write(tmp_path / "reports" / "mlflow-2.22", make_report("2.22.5", {"k/a/b": "failed"}))
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert matrix.main(["merge", str(tmp_path / "reports"), "--out", str(tmp_path / "out"), "--summary"]) == 0
    merged = json.loads((tmp_path / "out" / "matrix.json").read_text())
    assert [c["key"] for c in merged["columns"]] == ["2.22.5", "3.0.1"]
    assert (tmp_path / "out" / "matrix.md").read_text() == summary.read_text()
    assert "| `k/a/b` | core | **FAIL** | pass |" in summary.read_text()
    assert matrix.main(["merge", str(tmp_path / "reports"), "--out", str(tmp_path / "out"), "--check"]) == 1


def test_merge_command_reports_a_bad_file_without_a_traceback(tmp_path, capsys):
    (tmp_path / "r.json").write_text("{not json")
    assert matrix.main(["merge", str(tmp_path / "r.json"), "--out", str(tmp_path / "out")]) == 2
    assert "not JSON" in capsys.readouterr().err
    assert matrix.main(["merge", str(tmp_path / "empty-dir-that-is-missing"), "--out", str(tmp_path)]) == 2
