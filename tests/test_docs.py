"""The documentation site: it builds (``mkdocs build --strict``), its clause catalogue is what the code says, and
every code example in ``docs/`` runs.

Each fenced code block in ``docs/*.md`` is preceded by a marker comment that says how it is checked:

``<!-- test: pytester args="..." -->``
    a test module (base-class example), run by pytest in a fresh directory; every test passes.
``<!-- test: conftest args="..." [expect="GLOB=outcome[|outcome] ..."] -->``
    a ``conftest.py``; pytest runs with ``args`` against the installed example plugin and exits 0 (or as expected).
``<!-- test: pyproject args="..." expect="GLOB=outcome[|outcome] ..." -->``
    a ``pyproject.toml``; pytest runs in its directory; each clause matching GLOB ends with one of the outcomes.
``<!-- test: shell [cwd=empty] [subst="from=to ..."] [narrow="GLOB"] -->``
    shell commands, run one by one (placeholders substituted; a run that selects targets gets
    ``--mlflow-conformance-clause=GLOB`` so it stays fast); each exits 0.
``<!-- test: python-report args="..." -->``
    Python run in a directory where pytest ``args`` just wrote ``conformance.json``.
``<!-- test: workflow -->``
    a GitHub workflow (or its ``jobs:``), validated against the vendored GitHub schema; a call of this project's
    reusable workflow or action passes only inputs that exist.
``<!-- test: badge passed=N unsupported=N mlflow=V -->``
    the JSON the badge module writes for that many outcomes.
``<!-- test: readme-lines -->`` / ``<!-- test: terminal -->``
    the README lines point at files ``matrix merge --site`` publishes; the terminal excerpt is the shape
    ``report.render_terminal`` prints.
``<!-- test: install -->``
    a ``pip install`` of this project: the requirement names this distribution and extras that exist.
``<!-- test: release-commands -->``
    the build and check commands tests/test_release.py runs.
``<!-- test: cli -->``
    ``mlflow-conformance-matrix`` commands, parsed by the real argument parser (``run`` and ``install`` install
    MLflow releases into fresh environments, minutes each; tests/test_matrix_runner.py runs them for real).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from mlflow_plugin_conformance import badge, catalogue_doc, matrix, report

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
WORKFLOW = ROOT / ".github" / "workflows" / "conformance.yml"
ACTION = ROOT / ".github" / "actions" / "conformance" / "action.yml"

FENCE = re.compile(r"^(```+|~~~+)\s*([\w+-]*)")
MARKER = re.compile(r"^<!--\s*test:\s*([\w-]+)(.*?)-->\s*$")


@dataclass
class Example:
    path: Path
    line: int
    lang: str
    code: str
    kind: str | None
    options: dict[str, str]

    @property
    def id(self) -> str:
        return f"{self.path.name}:{self.line}"


def examples() -> list[Example]:
    found = []
    for path in sorted(DOCS.glob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        i = 0
        while i < len(lines):
            fence = FENCE.match(lines[i])
            if not fence:
                i += 1
                continue
            start, lang = i, fence.group(2)
            end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith(fence.group(1)))
            marker = MARKER.match(lines[start - 1]) if start else None
            options = {}
            if marker:
                for word in shlex.split(marker.group(2)):
                    key, _, value = word.partition("=")
                    options[key] = value
            found.append(Example(path, start + 1, lang, "\n".join(lines[start + 1:end]) + "\n",
                                 marker.group(1) if marker else None, options))
            i = end + 1
    return found


EXAMPLES = examples()


# -- the site ----------------------------------------------------------------------------------------------------


def test_the_docs_site_builds_strictly(tmp_path):
    pytest.importorskip("mkdocs", reason="the docs extra is not installed (pip install -e '.[docs]')")
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                            cwd=ROOT, capture_output=True, text=True)
    print(f"mkdocs build --strict: {time.monotonic() - started:.1f} s")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "site" / "clauses" / "index.html").is_file()
    # every page is in the navigation (a page left out is unreachable)
    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["nav"]
    listed = set(re.findall(r"[\w-]+\.md", json.dumps(nav)))
    assert listed == {p.name for p in DOCS.glob("*.md")}


def test_the_clause_catalogue_is_what_the_code_declares():
    assert (DOCS / "clauses.md").read_text(encoding="utf-8") == catalogue_doc.render(), \
        "docs/clauses.md is out of date: python -m mlflow_plugin_conformance.catalogue_doc --output docs/clauses.md"


def test_the_findings_page_is_what_the_findings_catalogue_holds():
    """docs/findings.md is where an inherited-defect note sends the author: it must list every finding."""
    from mlflow_plugin_conformance.findings import FINDINGS

    text = (DOCS / "findings.md").read_text(encoding="utf-8")
    assert text == catalogue_doc.render_findings(), \
        "docs/findings.md is out of date: python -m mlflow_plugin_conformance.catalogue_doc --findings --output " \
        "docs/findings.md"
    for finding in FINDINGS:
        assert f"| `{finding.clause}` |" in text and finding.why.split()[0] in text


def test_the_catalogue_lists_every_clause_with_its_rule():
    from mlflow_plugin_conformance.kinds import KINDS

    text = catalogue_doc.render()
    for kind in KINDS:
        for clause in catalogue_doc.declared_clauses(catalogue_doc.contract_class(kind)):
            row = next(line for line in text.splitlines() if line.startswith(f"| `{clause.id}` |"))
            assert f"| {clause.level} |" in row
            assert clause.doc.split()[0] in row  # the rule, from the docstring's first paragraph


def test_the_catalogue_check_fails_on_a_stale_file(tmp_path):
    stale = tmp_path / "clauses.md"
    stale.write_text(catalogue_doc.render().replace("| core |", "| full |", 1))
    assert catalogue_doc.main(["--check", str(stale)]) == 1
    assert catalogue_doc.main(["--output", str(stale)]) == 0 and catalogue_doc.main(["--check", str(stale)]) == 0


def _option_rows(text: str) -> dict[str, str]:
    start = text.index("| option | ini key | meaning |")
    rows = {}
    for line in text[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        rows[cells[0] or cells[1]] = cells[1]
    return rows


def test_the_options_page_lists_the_options_and_ini_keys_the_readme_lists():
    assert _option_rows((DOCS / "options.md").read_text()) == _option_rows((ROOT / "README.md").read_text())


def test_every_code_example_says_how_it_is_checked():
    unmarked = [e.id for e in EXAMPLES if e.kind is None]
    assert not unmarked, f"code blocks without a <!-- test: ... --> marker: {unmarked}"
    assert len(EXAMPLES) >= 15


# -- running the examples ----------------------------------------------------------------------------------------

EXAMPLE_PLUGIN = ROOT / "examples" / "file-plugin"


def _pytest(pytester, args, cwd=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true"}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          cwd=cwd or pytester.path, capture_output=True, text=True, env=env, timeout=600)


def _outcomes_match(report_path: Path, expect: str) -> None:
    data = json.loads(report_path.read_text())
    for item in expect.split():
        glob, _, allowed = item.partition("=")
        import fnmatch

        matched = [r for r in data["clauses"] if fnmatch.fnmatchcase(r["clause"], glob)]
        assert matched, f"no clause ran for {glob}"
        wrong = {r["clause"]: r["outcome"] for r in matched if r["outcome"] not in allowed.split("|")}
        assert not wrong, f"{glob}: expected {allowed}, got {wrong}"


def _check_run(result, ex: Example, report_path: Path | None) -> None:
    output = result.stdout[-4000:] + result.stderr[-2000:]
    if "expect" in ex.options:
        assert report_path is not None and report_path.is_file(), output
        _outcomes_match(report_path, ex.options["expect"])
    else:
        assert result.returncode == 0, output


def _substituted(text: str, ex: Example) -> str:
    for pair in ex.options.get("subst", "").split():
        old, _, new = pair.partition("=")
        text = text.replace(old, new)
    return text


def run_example(ex: Example, pytester, tmp_path) -> None:
    kind = ex.kind
    args = shlex.split(ex.options.get("args", ""))
    out = tmp_path / "docs-example-report.json"
    if kind == "pytester":
        (pytester.path / "test_docs_example.py").write_text(ex.code)
        result = _pytest(pytester, ["-q", *args, "test_docs_example.py"])
        assert result.returncode == 0 and re.search(r"\d+ passed", result.stdout), result.stdout[-4000:]
    elif kind == "conftest":
        (pytester.path / "conftest.py").write_text(ex.code)
        result = _pytest(pytester, [*args, f"--mlflow-conformance-report={out}"])
        _check_run(result, ex, out)
    elif kind == "pyproject":
        pytest.importorskip("tomllib").loads(ex.code)
        (pytester.path / "pyproject.toml").write_text(ex.code)
        result = _pytest(pytester, [*args, f"--mlflow-conformance-report={out}"])
        _check_run(result, ex, out)
    elif kind == "shell":
        run_shell(ex, pytester.path)
    elif kind == "python-report":
        result = _pytest(pytester, [*args, "--mlflow-conformance-report=conformance.json"])
        assert result.returncode == 0, result.stdout[-3000:]
        script = pytester.path / "example.py"
        script.write_text(ex.code)
        ran = subprocess.run([sys.executable, str(script)], cwd=pytester.path, capture_output=True, text=True)
        assert ran.returncode == 0 and ran.stdout.strip(), ran.stdout + ran.stderr
    elif kind == "workflow":
        check_workflow(ex, tmp_path)
    elif kind == "badge":
        outcomes = ["passed"] * int(ex.options["passed"]) + ["unsupported"] * int(ex.options.get("unsupported", 0))
        data = {"mlflow_version": ex.options["mlflow"], "clauses": [{"outcome": o} for o in outcomes]}
        assert json.loads(ex.code) == badge.report_badge(data)
    elif kind == "readme-lines":
        check_readme_lines(ex, tmp_path)
    elif kind == "terminal":
        check_terminal_excerpt(ex)
    elif kind == "install":
        check_install(ex)
    elif kind == "release-commands":  # run for real by tests/test_release.py, with the same arguments
        from test_release import BUILD_ARGS, TWINE_ARGS

        commands = [shlex.split(line) for line in _commands(ex.code)]
        assert commands[0][:4] == ["python", *BUILD_ARGS] and commands[1][:5] == ["python", *TWINE_ARGS], commands
    elif kind == "cli":
        parser = matrix.build_parser()
        for line in _commands(ex.code):
            words = shlex.split(line)
            assert words[0] == "mlflow-conformance-matrix", line
            parser.parse_args(words[1:])
    else:
        pytest.fail(f"{ex.id}: unknown example kind {kind!r}")


def _commands(code: str) -> list[str]:
    """Shell lines of a block, continuation lines joined, comments and '$ ' prompts removed."""
    joined = code.replace("\\\n", " ")
    out = []
    for line in joined.splitlines():
        line = line.strip().removeprefix("$ ")
        if line and not line.startswith("#"):
            out.append(line)
    return out


def run_shell(ex: Example, cwd: Path) -> None:
    narrow = ex.options.get("narrow")
    bin_dir = os.path.dirname(sys.executable)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ["PATH"], "MLFLOW_DISABLE_TELEMETRY": "true",
           "DO_NOT_TRACK": "true"}
    for line in _commands(_substituted(ex.code, ex)):
        words = shlex.split(line, comments=True)
        assignments = {}
        while words and re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
            name, _, value = words.pop(0).partition("=")
            assignments[name] = value
        if words[0] == "pytest":
            words = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *words[1:]]
            selects = any(w.startswith(("--mlflow-plugin-scheme", "--mlflow-plugin=")) for w in words)
            if narrow and selects and not any(w.startswith("--mlflow-conformance-clause") for w in words):
                words.append(f"--mlflow-conformance-clause={narrow}")
        result = subprocess.run(words, cwd=cwd, capture_output=True, text=True, env={**env, **assignments},
                                timeout=600)
        assert result.returncode == 0, f"{line}\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"


def check_workflow(ex: Example, tmp_path: Path) -> None:
    data = yaml.safe_load(ex.code)
    if "on" not in data and True not in data:
        data = {"name": "docs example", "on": "push", **data}
    path = tmp_path / "workflow.yml"
    path.write_text(yaml.safe_dump(data))
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                             str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    declared_workflow = _load(WORKFLOW)["on"]["workflow_call"]["inputs"]
    declared_action = _load(ACTION)["inputs"]
    for job in data["jobs"].values():
        calls = [(job.get("uses", ""), job.get("with", {}))]
        calls += [(s.get("uses", ""), s.get("with", {})) for s in job.get("steps", [])]
        for uses, given in calls:
            if "mlflow-plugin-conformance/.github/workflows/conformance.yml" in uses:
                assert set(given) <= set(declared_workflow), set(given) - set(declared_workflow)
            elif "mlflow-plugin-conformance/.github/actions/conformance" in uses:
                assert set(given) <= set(declared_action), set(given) - set(declared_action)


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text())
    if True in data:
        data["on"] = data.pop(True)
    return data


def check_readme_lines(ex: Example, tmp_path: Path) -> None:
    lines = [line for line in ex.code.splitlines() if line.strip()]
    assert len(lines) == 3, "three README lines"
    urls = re.findall(r"https://OWNER\.github\.io/REPO/([\w./-]*)", ex.code)
    assert urls, ex.code
    # every published path the lines use is a file `matrix merge --site` writes
    reports_dir = tmp_path / "reports"
    for version in ("2.22.5", "3.17.2"):
        (reports_dir / version).mkdir(parents=True)
        (reports_dir / version / matrix.REPORT_JSON).write_text(json.dumps(
            {"mlflow_version": version, "targets": [], "clauses": [
                {"clause": "k/a/b", "level": "core", "target": "k:x", "outcome": "passed"}]}))
    assert matrix.main(["merge", str(reports_dir), "--out", str(tmp_path / "site"), "--site"]) == 0
    for url in urls:
        assert (tmp_path / "site" / (url or "index.html")).is_file(), url
    assert "img.shields.io/endpoint?url=https://OWNER.github.io/REPO/badge.json" in lines[0]


def check_terminal_excerpt(ex: Example) -> None:
    """The excerpt has the shape render_terminal prints: a count line, numbered causes, indented messages."""
    lines = ex.code.rstrip("\n").splitlines()
    assert re.fullmatch(r"\d+ failed clauses, \d+ root causes:", lines[0])
    cause = re.compile(r"^\d+\. \w+(: .+| in \w+ \([\w/.]+:\d+\)) \(\d+ clauses?: [\w/.,\- ]+\)$")
    for line in lines[1:]:
        assert cause.match(line) or line.startswith("   "), line
    data = {"root_causes": [{"index": 1, "headline": "IsADirectoryError in `f` (m/x.py:1)", "function": "f",
                             "message": "m", "clauses": [{"target": "k:x", "clause": "k/a/b"}]}],
            "clauses": [{"target": "k:x", "clause": "k/a/b"}]}
    printed = report.root_cause_lines(data)
    assert re.fullmatch(r"\d+ failed clauses?, \d+ root causes?:", printed[0]) and cause.match(printed[1])


def check_install(ex: Example) -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for line in _commands(ex.code):
        words = shlex.split(line)
        assert words[:2] == ["pip", "install"], line
        if words[-1].startswith("git+https://"):  # before the first release: this repository
            assert re.fullmatch(r"git\+https://github\.com/[\w-]+/mlflow-plugin-conformance(@[\w.-]+)?", words[-1])
            continue
        requirement = Requirement(words[-1])
        assert requirement.name == project["name"]
        assert requirement.extras <= set(project["optional-dependencies"])


@pytest.mark.parametrize("ex", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_the_docs_example_runs(ex, pytester, tmp_path):
    if ex.kind is None:
        pytest.fail(f"{ex.id} has no <!-- test: ... --> marker")
    run_example(ex, pytester, tmp_path)
