"""The report model: causes of failures, root causes, the feature table, blocked, report formats, the badge.

Units on exceptions raised from real source files (a throw-away plugin package under tmp_path) and on synthetic
records; one subprocess run (under pytest-xdist) of a plugin with two bugs shows that causes survive the workers
and that the terminal prints the root causes before the outcome table.
"""

from __future__ import annotations

import errno
import importlib
import json
import re
import sys
import textwrap

import pytest

from mlflow_plugin_conformance import badge, report
from mlflow_plugin_conformance.causes import HARNESS, LIBRARY, PLUGIN, cause_of, frame_kind, normalise_message
from mlflow_plugin_conformance.report import ClauseRecord, ConformanceReport, TargetInfo

# -- causes ------------------------------------------------------------------------------------------------------

PLUGIN_SOURCE = '''
import errno
import json


def download_file(local_path):
    raise IsADirectoryError(errno.EISDIR, "Is a directory", local_path)


def delete(path):
    raise PermissionError(errno.EACCES, "Permission denied", path)


def parse(text):
    return json.loads(text)


def get_run(run_id):
    try:
        return {}[run_id]
    except KeyError:
        raise LookupError(f"Run '{run_id}' not found in /var/lib/store/runs") from None
'''


@pytest.fixture
def demo_plugin(tmp_path, monkeypatch):
    package = tmp_path / "mlflow_demo_plugin"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "repo.py").write_text(textwrap.dedent(PLUGIN_SOURCE))
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("mlflow_demo_plugin.repo", "mlflow_demo_plugin"):
        sys.modules.pop(name, None)
    module = importlib.import_module("mlflow_demo_plugin.repo")
    yield module, [str(package)]
    for name in ("mlflow_demo_plugin.repo", "mlflow_demo_plugin"):
        sys.modules.pop(name, None)


def _raised(func, *args) -> BaseException:
    try:
        func(*args)
    except BaseException as exc:  # noqa: BLE001 - the exception is the test's subject
        return exc
    raise AssertionError("did not raise")


def _line_of(module, text: str) -> int:
    source = open(module.__file__).read().splitlines()
    return next(i for i, line in enumerate(source, 1) if text in line)


def test_the_cause_names_type_function_and_line_in_the_plugin_and_normalises_the_message(demo_plugin):
    module, roots = demo_plugin
    cause = cause_of(_raised(module.download_file, "/tmp/pytest-of-root/pytest-9/x0/dst"), roots)
    line = _line_of(module, "raise IsADirectoryError")
    assert cause["type"] == "IsADirectoryError"
    assert cause["function"] == "download_file"
    assert cause["location"] == f"mlflow_demo_plugin/repo.py:{line}"
    assert cause["where"] == PLUGIN
    assert cause["message"] == "[Errno 21] Is a directory: '<path>'"  # numbers are shown, run-specific paths not
    assert report.cause_headline(cause) == f"IsADirectoryError in `download_file` (mlflow_demo_plugin/repo.py:{line})"


def test_one_bug_one_key_two_bugs_two_keys(demo_plugin):
    module, roots = demo_plugin
    a = cause_of(_raised(module.download_file, "/tmp/a/one"), roots)
    b = cause_of(_raised(module.download_file, "/tmp/b/two/three"), roots)
    c = cause_of(_raised(module.delete, "/tmp/a/one"), roots)
    assert a["key"] == b["key"] != c["key"]
    # run ids and quoted names differ from clause to clause; the bug is the same
    d = cause_of(_raised(module.get_run, "3f2a9c0d1e2b4a5f6c7d8e9f0a1b2c3d"), roots)
    e = cause_of(_raised(module.get_run, "run-ünïcode name"), roots)
    assert d["key"] == e["key"]
    assert d["message"] == "Run '<hex>' not found in <path>"


def test_the_plugin_error_under_a_harness_error_is_the_cause(demo_plugin):
    """A clause that catches the plugin's exception and fails with its own message still points at the plugin."""
    module, roots = demo_plugin

    def clause():
        try:
            module.delete("/srv/x/y")
        except OSError as exc:
            raise AssertionError("delete_artifacts must not fail on a missing path") from exc

    cause = cause_of(_raised(clause), roots)
    assert (cause["type"], cause["function"]) == ("PermissionError", "delete")


def test_an_error_the_library_collected_from_the_plugin_is_the_cause(demo_plugin):
    """Like MLflow's download_artifacts: worker errors are gathered in a dict and one summary error is raised."""
    module, roots = demo_plugin

    def download_all(paths):
        failures = {}
        for path in paths:
            try:
                module.download_file(path)
            except OSError as exc:
                failures[path] = exc
        raise RuntimeError(f"failures while downloading: {failures}")

    cause = cause_of(_raised(download_all, ["/a/b", "/a/c"]), roots)
    assert (cause["type"], cause["function"], cause["where"]) == ("IsADirectoryError", "download_file", PLUGIN)


def test_library_code_is_named_when_the_plugin_frame_is_not_in_the_traceback(demo_plugin):
    module, roots = demo_plugin
    import yaml

    cause = cause_of(_raised(yaml.safe_load, "a: [1, 2"), roots)
    assert cause["where"] == LIBRARY and cause["location"].startswith("yaml/")
    # through the plugin: the plugin's frame wins over the library's (json is the standard library: harness)
    cause = cause_of(_raised(module.parse, "{oops"), roots)
    assert cause["where"] == PLUGIN and cause["function"] == "parse" and cause["type"] == "JSONDecodeError"


def test_frame_kinds(demo_plugin, tmp_path):
    module, roots = demo_plugin
    import json as stdlib_json

    import _pytest
    import mlflow_plugin_conformance

    assert frame_kind(module.__file__, roots) == PLUGIN
    assert frame_kind(stdlib_json.__file__, roots) == HARNESS
    assert frame_kind(_pytest.__file__, roots) == HARNESS
    assert frame_kind(mlflow_plugin_conformance.__file__, roots) == HARNESS
    assert frame_kind("<frozen importlib._bootstrap>", roots) == HARNESS
    assert frame_kind(str(tmp_path / "elsewhere.py"), roots) == LIBRARY
    # without roots: a source tree is the plugin, MLflow is library code, an installed mlflow_* package the plugin
    assert frame_kind(str(tmp_path / "src" / "x.py")) == PLUGIN
    assert frame_kind("/v/lib/python3.11/site-packages/mlflow/store/x.py") == LIBRARY
    assert frame_kind("/v/lib/python3.11/site-packages/mlflow_s3_plugin/x.py") == PLUGIN
    assert frame_kind("/v/lib/python3.11/site-packages/hypothesis/core.py") == HARNESS


def test_an_exception_group_is_reduced_to_its_first_error(demo_plugin):
    module, roots = demo_plugin
    group_type = getattr(__import__("builtins"), "BaseExceptionGroup", None) or \
        pytest.importorskip("exceptiongroup").BaseExceptionGroup  # the backport Hypothesis uses on Python 3.10
    group = group_type("two bugs", [_raised(module.delete, "/a/b"), ValueError("x")])
    assert cause_of(group, roots)["type"] == "PermissionError"


@pytest.mark.parametrize("message, normalised", [
    ("[Errno 21] Is a directory: '/tmp/pytest-of-root/pytest-3/x0/dst'", "[Errno <n>] Is a directory: '<path>'"),
    ("run 3f2a9c0d1e2b4a5f6c7d8e9f0a1b2c3d at file-plugin:///tmp/x/y?z=1", "run <hex> at <uri>"),
    ("trace tr-0123abcdef took 3.5s, id 5e0b2c1a-1111-2222-3333-444455556666",
     "trace tr-<hex> took <n>s, id <id>"),
    ("assert -7 == 4.25e3\n +  where ...", "assert <n> == <n>"),
    ("object at 0x7f3a2b1c", "object at <hex>"),
    ("MLflow 3.17 keeps v2 names", "MLflow <n> keeps v2 names"),
])
def test_normalised_messages(message, normalised):
    assert normalise_message(message) == normalised


def test_a_serialised_report_still_gives_a_cause():
    class Loc:
        def __init__(self, path, lineno):
            self.path, self.lineno = path, lineno

    class Entry:
        def __init__(self, path, lineno):
            self.reprfileloc = Loc(path, lineno)

    class Longrepr:
        reprcrash = type("Crash", (), {"message": "KeyError: 'x-12'"})()
        reprtraceback = type("TB", (), {"reprentries": [Entry("/srv/plugin/mlflow_x/store.py", 7)]})()

        def __str__(self):
            return "    def f():\n>       raise KeyError(name)\nE       KeyError: 'x-12'\n"

    cause = cause_of(Longrepr(), ["/srv/plugin/mlflow_x"])
    assert cause["type"] == "KeyError" and cause["message"] == "'x-12'"
    assert cause["location"] == "mlflow_x/store.py:7" and cause["where"] == PLUGIN


# -- the report model --------------------------------------------------------------------------------------------


def _cause(type_name, location, function, message="boom"):
    return {"type": type_name, "message": message, "function": function, "location": location, "where": PLUGIN,
            "key": f"{type_name} | {location} | {message}"}


def _report(records) -> ConformanceReport:
    rep = ConformanceReport(mlflow_version="3.17.2", selection={"schemes": [], "dists": ["mlflow-foo"]})
    rep.add_target(TargetInfo("tracking_store:foo", "mlflow.tracking_store", "foo", "mlflow-foo", "1.2",
                              "tracking_store"))
    rep.add_target(TargetInfo("artifact_repository:foo", "mlflow.artifact_repository", "foo", "mlflow-foo", "1.2",
                              "artifact_repository"))
    for i, (target, clause_id, outcome, extra) in enumerate(records):
        rep.add_phase(ClauseRecord(clause_id, extra.pop("level", "core"), target, outcome, f"n{i}", **extra))
    return rep


IS_A_DIR = _cause("IsADirectoryError", "mlflow_foo/repo.py:42", "download_file")
NAN = {"type": "AssertionError", "message": "assert nan == <n>", "function": None, "location": None,
       "where": None, "key": "AssertionError |  | assert nan == <n>"}

RECORDS = [
    ("artifact_repository:foo", "artifact_repository/download/file", "failed", {"cause": IS_A_DIR, "reason": "E1"}),
    ("artifact_repository:foo", "artifact_repository/download/dir", "failed", {"cause": IS_A_DIR, "reason": "E2"}),
    ("artifact_repository:foo", "artifact_repository/log/file", "passed", {}),
    ("tracking_store:foo", "tracking_store/metrics/nan", "failed", {"cause": NAN, "reason": "assert nan == 1.0"}),
    ("tracking_store:foo", "tracking_store/runs/create", "passed", {}),
    ("tracking_store:foo", "tracking_store/traces/a", "unsupported",
     {"level": "full", "feature": "tracking_store.traces"}),
    ("tracking_store:foo", "tracking_store/traces/b", "unsupported",
     {"level": "full", "feature": "tracking_store.traces"}),
    ("tracking_store:foo", "tracking_store/logged-models/a", "passed",
     {"level": "full", "feature": "tracking_store.logged_models"}),
    ("tracking_store:foo", "tracking_store/logged-models/b", "blocked",
     {"level": "full", "feature": "tracking_store.logged_models", "blocked_by": "tracking_store/logged-models/a"}),
]


def test_root_causes_group_failed_clauses_largest_first_and_print_before_the_outcome_table():
    data = _report([(t, c, o, dict(e)) for t, c, o, e in RECORDS]).to_dict()
    causes = data["root_causes"]
    assert [len(g["clauses"]) for g in causes] == [2, 1]
    assert causes[0]["headline"] == "IsADirectoryError in `download_file` (mlflow_foo/repo.py:42)"
    assert causes[1]["headline"] == "AssertionError: assert nan == <n>"
    lines = report.render_terminal(data)
    assert lines[0] == "3 failed clauses, 2 root causes:"
    assert lines[1] == ("1. IsADirectoryError in download_file (mlflow_foo/repo.py:42) (2 clauses: "
                        "artifact_repository/download/dir, artifact_repository/download/file)")
    assert lines[2] == "   boom"
    assert lines[3] == "2. AssertionError: assert nan == <n> (1 clause: tracking_store/metrics/nan)"
    table = next(i for i, line in enumerate(lines) if line.startswith("target "))
    assert table > 3 and "blocked" in lines[table]
    assert "BLOCKED tracking_store:foo tracking_store/logged-models/b: by tracking_store/logged-models/a" in lines
    # every failed clause of the JSON carries its cause
    assert {r["clause"]: r["cause"]["type"] for r in data["clauses"] if r["outcome"] == "failed"} == {
        "artifact_repository/download/file": "IsADirectoryError", "artifact_repository/download/dir":
        "IsADirectoryError", "tracking_store/metrics/nan": "AssertionError"}


def test_failed_clauses_without_a_cause_group_by_their_first_reason_line():
    records = [("tracking_store:foo", f"tracking_store/a/{n}", "failed", {"reason": "boom\ntrace"}) for n in "xy"]
    causes = report.root_causes(_report(records).to_dict()["clauses"])
    assert len(causes) == 1 and len(causes[0]["clauses"]) == 2 and causes[0]["headline"] == "boom"


def test_the_feature_table_says_what_works_per_target():
    data = _report([(t, c, o, dict(e)) for t, c, o, e in RECORDS]).to_dict()
    table = {(f["target"], f["feature"]): f for f in data["features"]}
    assert table[("tracking_store:foo", "core")]["summary"] == "broken (1 of 2 clauses failed)"
    assert table[("tracking_store:foo", "tracking_store.traces")]["summary"] == "unsupported (2 clauses)"
    assert table[("tracking_store:foo", "tracking_store.logged_models")]["summary"] == \
        "broken (1 of 2 clauses blocked)"
    assert table[("artifact_repository:foo", "core")]["status"] == "broken"
    # core first within a target
    assert [f["feature"] for f in data["features"] if f["target"] == "tracking_store:foo"][0] == "core"
    lines = report.render_terminal(data)
    assert any(re.match(r"tracking_store:foo\s+traces\s+unsupported \(2 clauses\)$", line) for line in lines)
    md = report.render_markdown(data)
    assert "| tracking_store:foo | traces | unsupported (2 clauses) |" in md
    assert md.index("#### Root causes") < md.index("| target | distribution |") < md.index("#### Features")
    assert "- `tracking_store:foo` `tracking_store/metrics/nan` (root cause 2): assert nan == 1.0" in md
    assert "blocked by `tracking_store/logged-models/a`" in md


@pytest.mark.parametrize("counts, status", [
    ({"passed": 3}, "works"),
    ({"passed": 3, "not-applicable": 2}, "works"),
    ({"passed": 1, "failed": 1}, "broken"),
    ({"passed": 1, "blocked": 1}, "broken"),
    ({"unsupported": 2}, "unsupported"),
    ({"unsupported": 2, "passed": 1}, "partly unsupported"),
    ({"passed": 2, "known-failure": 1}, "known failures"),
    ({"not-applicable": 4}, "not-applicable"),
    ({"not-run": 4}, "not-run"),
])
def test_feature_status(counts, status):
    assert report.feature_status(counts) == status


def test_the_worst_phase_keeps_its_cause():
    rep = _report([])
    rep.add_phase(ClauseRecord("tracking_store/a/b", "core", "tracking_store:foo", "passed", "n1"))
    rep.add_phase(ClauseRecord("tracking_store/a/b", "core", "tracking_store:foo", "failed", "n1", cause=IS_A_DIR))
    assert rep.records["n1"].cause == IS_A_DIR


@pytest.mark.parametrize("name, fmt", [
    ("conformance.json", "json"), ("out/badge.json", "badge"), ("mlflow-conformance-badge.json", "badge"),
    ("Badge.JSON", "badge"), ("r.md", "markdown"), ("r.markdown", "markdown"), ("conformance.html", "html"),
    ("r.htm", "html"),
])
def test_report_format_from_the_file_name(name, fmt):
    assert report.report_format(name) == fmt


@pytest.mark.parametrize("name", ["report.txt", "report", "badge.svg", "json"])
def test_other_file_names_are_refused_with_the_rule(name):
    with pytest.raises(ValueError, match=r"badge\.json \(a shields\.io badge\)"):
        report.report_format(name)


def test_write_renders_every_format(tmp_path):
    rep = _report([(t, c, o, dict(e)) for t, c, o, e in RECORDS])
    data = json.loads(rep.write(tmp_path / "r.json").read_text())
    assert data["schema_version"] == report.SCHEMA_VERSION
    assert data["selection"] == {"schemes": [], "dists": ["mlflow-foo"]}
    assert json.loads(rep.write(tmp_path / "badge.json").read_text()) == {
        "schemaVersion": 1, "label": "MLflow conformance", "message": "3/9 on 3.17", "color": "red"}
    page = rep.write(tmp_path / "r.html").read_text()
    assert page.startswith("<!doctype html>") and "IsADirectoryError in <code>download_file</code>" in page
    assert "<script src" not in page and "<link" not in page and "http://" not in page  # self-contained


def test_rerun_commands_select_the_target_and_the_clause():
    tracking = {"label": "tracking_store:foo", "name": "foo", "dist": "mlflow-foo", "kind": "tracking_store"}
    provider = {"label": "run_context_provider:unused", "name": "unused", "dist": "mlflow-foo",
                "kind": "run_context_provider"}
    record = {"clause": "tracking_store/metrics/nan", "nodeid": "x"}
    assert report.rerun_command(record, tracking) == \
        "pytest -p no:cacheprovider --mlflow-plugin-scheme=foo --mlflow-conformance-clause=tracking_store/metrics/nan"
    assert report.rerun_command({"clause": "run_context_provider/tags/str", "nodeid": "x"}, provider) == \
        "pytest -p no:cacheprovider --mlflow-plugin=mlflow-foo --mlflow-conformance-clause=run_context_provider/tags/str"
    # a base-class clause of the author's own test module runs by node id
    assert report.rerun_command({"clause": "c/a/b", "nodeid": "tests/test_store.py::TestStore::test_b"}, None) == \
        "pytest tests/test_store.py::TestStore::test_b"


# -- the badge ---------------------------------------------------------------------------------------------------


def _data(outcomes, version="3.17.2"):
    return {"mlflow_version": version, "clauses": [{"outcome": o} for o in outcomes]}


@pytest.mark.parametrize("outcomes, message, colour", [
    (["passed"] * 356 + ["unsupported"] * 3, "356/359 on 3.17", "green"),
    (["passed"] * 4 + ["not-applicable"] * 2, "4/4 on 3.17", "brightgreen"),
    (["passed"] * 3 + ["known-failure"], "3/4 on 3.17", "yellow"),
    (["passed"] * 3 + ["failed"], "3/4 on 3.17", "red"),
    (["failed", "not-run", "not-run"], "0/3 on 3.17", "red"),
    (["not-applicable"], "no clause ran on 3.17", "lightgrey"),
])
def test_the_badge_of_one_run(outcomes, message, colour):
    assert badge.report_badge(_data(outcomes)) == {"schemaVersion": 1, "label": "MLflow conformance",
                                                   "message": message, "color": colour}


def test_the_badge_of_a_matrix_names_the_versions_and_takes_the_worst_colour():
    from mlflow_plugin_conformance import matrix

    def rep(version, outcomes):
        return {"mlflow_version": version, "targets": [], "clauses": [
            {"clause": f"k/a/{i}", "level": "core", "target": "k:x", "outcome": o} for i, o in enumerate(outcomes)]}

    good = matrix.merge_reports([rep("2.22.1", ["passed", "not-applicable"]), rep("3.17.2", ["passed", "passed"])])
    assert badge.matrix_badge(good)["message"] == "2/2 on 2.22–3.17"
    assert badge.matrix_badge(good)["color"] == "brightgreen"
    bad = matrix.merge_reports([rep("2.22.1", ["failed", "not-applicable"]), rep("3.17.2", ["passed", "passed"])])
    assert badge.matrix_badge(bad) == {"schemaVersion": 1, "label": "MLflow conformance",
                                       "message": "2/2 on 3.17, fails on 2.22", "color": "red"}


# -- through pytest and pytest-xdist -----------------------------------------------------------------------------

ROOT_CAUSE_PLUGIN = '''
import errno
import os


def repository(artifact_uri, tracking_uri=None, registry_uri=None):
    from mlflow_file_plugin._stores import FilePluginArtifactRepository

    class TwoBugs(FilePluginArtifactRepository):
        def _download_file(self, remote_file_path, local_path):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", local_path)

        def delete_artifacts(self, artifact_path=None):
            raise PermissionError(errno.EACCES, "Permission denied", os.path.join(self.artifact_dir, artifact_path or ""))

    # the example plugin's repository, on the directory this scheme's URI names
    uri = artifact_uri.replace("twobugs://", "file-plugin://", 1)
    return TwoBugs(uri, tracking_uri=tracking_uri, registry_uri=registry_uri)
'''


def test_causes_survive_xdist_and_root_causes_come_before_the_outcome_table(pytester, fake_dists, tmp_path):
    fake_dists.add("mlflow-two-bugs", {"mlflow.artifact_repository": {"twobugs": "mlflow_two_bugs:repository"}},
                   {"mlflow_two_bugs.py": ROOT_CAUSE_PLUGIN})
    out = tmp_path / "r.json"
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-n", "2", "--mlflow-plugin-scheme=twobugs",
        "--mlflow-conformance-clause=artifact_repository/download/*",
        "--mlflow-conformance-clause=artifact_repository/delete/*", "--mlflow-conformance-clause=*/build/*",
        "--mlflow-conformance-clause=artifact_repository/log/*",  # writes are verified through downloads
        f"--mlflow-conformance-report={out}",
        timeout=300)
    data = json.loads(out.read_text())
    failed = [r for r in data["clauses"] if r["outcome"] == "failed"]
    assert failed, result.stdout.str()
    source = (fake_dists.root / "mlflow_two_bugs.py").read_text().splitlines()
    download_line = next(i for i, line in enumerate(source, 1) if "raise IsADirectoryError" in line)
    delete_line = next(i for i, line in enumerate(source, 1) if "raise PermissionError" in line)
    by_type = {}
    for record in failed:
        by_type.setdefault(record["cause"]["type"], set()).add(record["cause"]["location"])
    assert by_type.get("IsADirectoryError") == {f"mlflow_two_bugs.py:{download_line}"}
    assert by_type.get("PermissionError") == {f"mlflow_two_bugs.py:{delete_line}"}
    assert len(data["root_causes"]) == len(by_type)
    text = result.stdout.str()
    text = text[text.index(" MLflow plugin conformance "):]  # the terminal report section
    heading = f"{len(failed)} failed clauses, {len(by_type)} root causes:"
    assert heading in text
    assert text.index(heading) < text.index("\ntarget ") < text.index("\nFAILED ")
    assert f"IsADirectoryError in _download_file (mlflow_two_bugs.py:{download_line})" in text
    assert f"PermissionError in delete_artifacts (mlflow_two_bugs.py:{delete_line})" in text
    # download clauses whose prerequisite (a write, verified by downloading it) failed are blocked, not failed
    blocked = [r for r in data["clauses"] if r["outcome"] == "blocked"]
    for record in blocked:
        assert record["blocked_by"] and f"BLOCKED {record['target']} {record['clause']}: by {record['blocked_by']}" in text


def test_numbers_are_shown_but_the_same_failure_with_other_numbers_is_one_root_cause():
    """A listed size that differs from the logged one read "(False, <n>) ... expected (False, <n>)": both sides the
    same to the reader (found on mlflow-at1). The message keeps its numbers; the grouping key does not."""
    first = cause_of(AssertionError("listed {'a.txt': (False, 317)}; expected {'a.txt': (False, 258)}"))
    second = cause_of(AssertionError("listed {'b.txt': (False, 12)}; expected {'b.txt': (False, 10)}"))
    assert first["message"] == "listed {'a.txt': (False, 317)}; expected {'a.txt': (False, 258)}"
    assert first["key"] == second["key"]
