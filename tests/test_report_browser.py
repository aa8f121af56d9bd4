"""The HTML reports in a real browser: headless Chromium (Debian's ``chromium``; ``.ci/run`` installs it) renders
the file, and the tests check what it rendered: a screenshot's pixels (the verdict banner's colour) and the DOM
after the page's script applied the filters given in the URL fragment (``--dump-dom``).

Skipped only where no Chromium is installed.
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mlflow_plugin_conformance import matrix
from mlflow_plugin_conformance.report import ClauseRecord, ConformanceReport, TargetInfo

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--virtual-time-budget=5000"]


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"  # a fresh profile per start
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=120)


def dump_dom(tmp_path: Path, page: Path, fragment: str = "") -> str:
    result = chromium(tmp_path, "--dump-dom", page.as_uri() + fragment)
    assert result.returncode == 0 and "<html" in result.stdout, result.stderr[-2000:]
    return result.stdout


class Rows(HTMLParser):
    """The clause rows of a dumped DOM: their data-* attributes and whether the script hid them."""

    def __init__(self):
        super().__init__()
        self.rows: list[dict] = []
        self.shown_text = ""
        self._in_shown = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "clause" in (attrs.get("class") or "").split():
            self.rows.append(attrs)
        self._in_shown = attrs.get("id") == "shown"

    def handle_data(self, data):
        if self._in_shown:
            self.shown_text += data

    def handle_endtag(self, tag):
        self._in_shown = False


def parse(dom: str) -> Rows:
    rows = Rows()
    rows.feed(dom)
    return rows


def visible(rows: Rows) -> list[dict]:
    return [r for r in rows.rows if "hidden" not in r]


def make_report() -> ConformanceReport:
    rep = ConformanceReport(mlflow_version="3.17.2", selection={"schemes": ["foo"], "dists": []})
    rep.add_target(TargetInfo("tracking_store:foo", "mlflow.tracking_store", "foo", "mlflow-foo", "1.2",
                              "tracking_store", uri="foo://{tmp}/tracking"))
    rep.add_target(TargetInfo("artifact_repository:foo", "mlflow.artifact_repository", "foo", "mlflow-foo", "1.2",
                              "artifact_repository"))
    cause = {"type": "IsADirectoryError", "message": "[Errno <n>] Is a directory: '<path>'",
             "function": "download_file", "location": "mlflow_foo/repo.py:42", "where": "plugin",
             "key": "IsADirectoryError | mlflow_foo/repo.py:42"}
    n = 0

    def add(target, clause, outcome, level="core", **extra):
        nonlocal n
        n += 1
        rep.add_phase(ClauseRecord(clause, level, target, outcome, f"node{n}", duration=0.1, **extra))

    for name in ("file", "directory", "missing"):
        add("artifact_repository:foo", f"artifact_repository/download/{name}", "failed", cause=cause,
            reason="IsADirectoryError: [Errno 21] Is a directory: '/tmp/x'\nTraceback (most recent call last): ...")
    for name in ("file", "tree", "empty"):
        add("artifact_repository:foo", f"artifact_repository/log/{name}", "passed")
    for name in ("create", "rename", "delete"):
        add("tracking_store:foo", f"tracking_store/experiments/{name}", "passed")
    add("tracking_store:foo", "tracking_store/traces/search", "unsupported", level="full",
        feature="tracking_store.traces", reason="declared unsupported (tracking_store.traces)")
    add("tracking_store:foo", "tracking_store/logged-models/search", "blocked", level="full",
        feature="tracking_store.logged_models", blocked_by="tracking_store/logged-models/create")
    add("tracking_store:foo", "tracking_store/logged-models/create", "failed", level="full",
        feature="tracking_store.logged_models", reason="AssertionError: the model was not finalized",
        cause={"type": "AssertionError", "message": "the model was not finalized", "function": None,
               "location": None, "where": None, "key": "AssertionError |  | finalized"})
    return rep


@pytest.fixture(scope="module")
def report_page(tmp_path_factory) -> Path:
    page = tmp_path_factory.mktemp("html") / "conformance.html"
    make_report().write(page)
    return page


def test_the_screenshot_shows_the_red_verdict_first(report_page, tmp_path):
    from PIL import Image

    shot = tmp_path / "report.png"
    result = chromium(tmp_path, "--window-size=1280,900", f"--screenshot={shot}", report_page.as_uri())
    assert result.returncode == 0 and shot.is_file(), result.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 900)
    # The verdict banner (failure background #ffebe9) spans the page width near the top: a reader sees it first.
    banner_rows = [y for y in range(0, 300) if image.getpixel((640, y)) == (0xff, 0xeb, 0xe9)]
    assert len(banner_rows) > 20, "no red verdict banner in the first 300 pixels"
    # and the page is not blank below it
    assert len(image.crop((0, 300, 1280, 900)).getcolors(maxcolors=1 << 20) or ()) > 20


def test_with_no_filter_every_clause_shows(report_page, tmp_path):
    rows = parse(dump_dom(tmp_path, report_page))
    assert len(rows.rows) == 12 and len(visible(rows)) == 12
    assert rows.shown_text == "showing 12 of 12 clauses"


def test_the_outcome_and_family_filters_in_the_address_hide_the_other_clauses(report_page, tmp_path):
    rows = parse(dump_dom(tmp_path, report_page, "#outcome=failed&family=download"))
    shown = visible(rows)
    assert {r["id"] for r in shown} == {f"c-artifact_repository-foo-artifact_repository-download-{n}"
                                        for n in ("file", "directory", "missing")}
    assert rows.shown_text == "showing 3 of 12 clauses"
    # level and target together
    rows = parse(dump_dom(tmp_path, report_page, "#level=full&target=tracking_store%3Afoo"))
    assert sorted(r["data-outcomes"] for r in visible(rows)) == ["blocked", "failed", "unsupported"]
    # a blocked clause is its own outcome
    rows = parse(dump_dom(tmp_path, report_page, "#outcome=blocked"))
    assert [r["id"] for r in visible(rows)] == ["c-tracking_store-foo-tracking_store-logged-models-search"]


def test_the_filter_controls_show_the_state_of_the_address(report_page, tmp_path):
    dom = dump_dom(tmp_path, report_page, "#outcome=failed&q=finalized")
    # the script set the controls from the fragment: the selected option and the search text are in the DOM
    assert re.search(r'<tr class="clause"[^>]*data-outcomes="failed"[^>]*>', dom)
    assert parse(dom).shown_text == "showing 1 of 12 clauses"
    assert "rerun:" in dom and "--mlflow-plugin-scheme=foo --mlflow-conformance-clause=" in dom


def test_the_matrix_grid_marks_changes_and_filters_to_them(tmp_path):
    data = make_report().to_dict()
    older = copy.deepcopy(data)
    older["mlflow_version"] = "2.22.5"
    for record in older["clauses"]:
        if record["clause"].startswith("artifact_repository/download/"):
            record["outcome"], record["cause"] = "passed", None
    merged = matrix.merge_reports([data, older])
    page = tmp_path / "matrix.html"
    from mlflow_plugin_conformance.report_html import render_matrix_html

    page.write_text(render_matrix_html(merged))
    dom = dump_dom(tmp_path, page, "#changed=1")
    shown = visible(parse(dom))
    assert sorted(r["data-target"] + " " + r["data-outcomes"] for r in shown) == \
        ["artifact_repository:foo failed passed"] * 3
    # every changed row has a cell marked as changed, in the newer column
    assert dom.count('class="cell o-failed changed"') == 3
    shot = tmp_path / "matrix.png"
    assert chromium(tmp_path, "--window-size=1280,900", f"--screenshot={shot}", page.as_uri()).returncode == 0
    assert shot.stat().st_size > 10_000
