"""The conformance suite across MLflow versions: one run per version, merged into a clause x version matrix.

Three commands, the same in CI and on a laptop (``python -m mlflow_plugin_conformance.matrix`` or the console
script ``mlflow-conformance-matrix``):

``suite``
    Run the bundled suite in *this* environment against a plugin (``--scheme`` / ``--dist``), write
    ``conformance.json``, ``conformance.md``, ``conformance.html`` and ``badge.json`` into ``--out``, print the verdict and exit non-zero when a clause
    failed (known failures, unsupported and not-applicable clauses do not fail).  The reusable GitHub workflow
    and the composite action run exactly this command; so does ``run`` inside each virtual environment.
``install``
    ``pip install`` MLflow at a version (``3.0.1``, ``3.0`` = newest 3.0.x, ``latest``, or a specifier such as
    ``<3``), this suite and the plugin, in one resolution, into this environment.
``merge``
    Merge JSON reports (one per MLflow version) into one compatibility matrix: ``matrix.json``, ``matrix.md``,
    ``matrix.html`` (the clause x version grid) and ``badge.json`` (a shields.io endpoint).
``run``
    The local equivalent of the CI matrix: one virtual environment per MLflow version under ``--work-dir``,
    ``install`` then ``suite`` in each, then ``merge``.

Everything above the command-line section is pure (no pytest, no MLflow, no subprocess) and is what the
project's own tests exercise on synthetic reports.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from .capabilities import LEVELS
from .outcomes import FAILED, KNOWN_FAILURE, NOT_APPLICABLE, NOT_RUN, PASSED, UNSUPPORTED
from .capabilities import installed_mlflow_version, version_tuple
from .report import BLOCKED_BY, REPORT_OUTCOMES

# 2: rows carry "causes" (column -> cause of the failure) and "blocked_by" (column -> clause id).
MATRIX_SCHEMA_VERSION = 2
REPORT_JSON = "conformance.json"
REPORT_MD = "conformance.md"
REPORT_HTML = "conformance.html"
BADGE_JSON = "badge.json"
REPORT_FILES = (REPORT_JSON, REPORT_MD, REPORT_HTML, BADGE_JSON)
ABSENT = "absent"  # the clause did not run on that version at all (no such clause yet, target missing, deselected)

# How a cell reads in Markdown. Failures stand out; everything that is not a failure stays quiet.
CELL_TEXT = {
    PASSED: "pass",
    FAILED: "**FAIL**",
    BLOCKED_BY: "blocked",
    UNSUPPORTED: "unsupported",
    KNOWN_FAILURE: "known-failure",
    NOT_APPLICABLE: "n/a",
    NOT_RUN: "not-run",
    ABSENT: "-",
}

# Outcomes that make a run (or a CI job) fail.  Known failures, unsupported and not-applicable never do.
FAILING_OUTCOMES = frozenset({FAILED})


class ReportError(ValueError):
    """A file that is not a conformance report written by this suite."""


# -- reading reports -------------------------------------------------------------------------------------------


def check_report(data: object, source: str = "report") -> dict:
    """Validate the shape of one JSON report (as written by ``report.py``) and return it."""
    if not isinstance(data, dict):
        raise ReportError(f"{source}: not a conformance report (top level is {type(data).__name__}, not an object)")
    missing = [key for key in ("mlflow_version", "targets", "clauses") if key not in data]
    if missing:
        raise ReportError(f"{source}: not a conformance report (missing {', '.join(missing)})")
    for index, record in enumerate(data["clauses"]):
        lacking = [key for key in ("clause", "level", "target", "outcome") if key not in record]
        if lacking:
            raise ReportError(f"{source}: clause record {index} lacks {', '.join(lacking)}")
        if record["outcome"] not in REPORT_OUTCOMES:
            raise ReportError(f"{source}: clause {record['clause']} has unknown outcome {record['outcome']!r}")
    return data


def load_report(path: str | Path) -> dict:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ReportError(f"{path}: not JSON ({exc})") from None
    return check_report(data, str(path))


def failed_clauses(report: Mapping) -> list[dict]:
    """The clause records of one report whose outcome fails a run, sorted by target and clause."""
    return sorted((r for r in report["clauses"] if r["outcome"] in FAILING_OUTCOMES),
                  key=lambda r: (r["target"], r["clause"]))


def verdict(report: Mapping | None, pytest_exit_code: int) -> tuple[int, list[str]]:
    """The exit code of a ``suite`` run and the lines that explain it.

    Failed clauses fail the run (1).  A run in which no clause ran, or no report was written, is an error too:
    a green job that checked nothing would be worse than a red one.  When no clause failed but pytest still
    exited non-zero (a usage error, a collection error, a failing test that is not a clause), that exit code is
    kept.
    """
    if report is None:
        return (pytest_exit_code or 2), [f"no conformance report was written (pytest exited {pytest_exit_code}): "
                                         "see the pytest output above"]
    failed = failed_clauses(report)
    if failed:
        lines = [f"{len(failed)} clause(s) failed on MLflow {report['mlflow_version']}:"]
        lines += [f"  FAILED {r['target']} {r['clause']}: {_first_line(r.get('reason', ''))}" for r in failed]
        return 1, lines
    if not report["clauses"]:
        return (pytest_exit_code or 5), ["no conformance clause ran: did the plugin install, and do --scheme / "
                                         "--dist name its entry points? (pytest --mlflow-plugin-list shows them)"]
    counts = {o: 0 for o in REPORT_OUTCOMES}
    for record in report["clauses"]:
        counts[record["outcome"]] += 1
    summary = ", ".join(f"{n} {o}" for o, n in counts.items() if n)
    if pytest_exit_code != 0:
        return pytest_exit_code, [f"no clause failed ({summary}), but pytest exited {pytest_exit_code}: "
                                  "see the pytest output above"]
    return 0, [f"conformance on MLflow {report['mlflow_version']}: {summary}"]


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text and text.strip() else ""


# -- merging ---------------------------------------------------------------------------------------------------


def column_keys(reports: Sequence[Mapping]) -> list[str]:
    """One column label per report: the MLflow version, made unique with the Python version (then an index)."""
    keys = []
    for report in reports:
        key = report["mlflow_version"]
        if sum(r["mlflow_version"] == key for r in reports) > 1:
            key = f"{key} (py{report.get('python_version', '?')})"
        base, n = key, 2
        while key in keys:
            key, n = f"{base} #{n}", n + 1
        keys.append(key)
    return keys


def merge_reports(reports: Sequence[Mapping]) -> dict:
    """Merge JSON reports from several MLflow versions into one matrix: one row per (target, clause).

    Columns are ordered by MLflow version (oldest first).  A clause missing from a report gets the cell
    ``absent``; a clause that a newer report added shows as ``absent`` or ``not-applicable`` on older ones,
    depending on whether the older run knew the clause.
    """
    reports = [check_report(r) for r in reports]
    if not reports:
        raise ReportError("nothing to merge: give at least one report")
    keys = column_keys(reports)
    order = sorted(range(len(reports)), key=lambda i: (version_tuple(reports[i]["mlflow_version"]), keys[i]))
    reports = [reports[i] for i in order]
    keys = [keys[i] for i in order]

    columns = [{"key": key, "mlflow_version": r["mlflow_version"], "python_version": r.get("python_version", "")}
               for key, r in zip(keys, reports)]
    targets: dict[str, dict] = {}
    rows: dict[tuple[str, str], dict] = {}
    for key, report in zip(keys, reports):
        for info in report["targets"]:
            entry = targets.setdefault(info["label"], {
                "label": info["label"], "group": info.get("group", ""), "name": info.get("name", ""),
                "kind": info.get("kind", ""), "dist": info.get("dist", ""), "contract": {}, "versions": {}})
            entry["versions"][key] = info.get("version", "")
            entry["contract"][key] = bool(info.get("contract", True))
        for record in report["clauses"]:
            row = rows.setdefault((record["target"], record["clause"]), {
                "target": record["target"], "clause": record["clause"], "level": record["level"],
                "feature": record.get("feature"), "outcomes": {}, "reasons": {}, "causes": {}, "blocked_by": {}})
            # The newest version's level and feature win (columns are visited oldest first).
            row["level"], row["feature"] = record["level"], record.get("feature")
            row["outcomes"][key] = record["outcome"]
            if record.get("reason"):
                row["reasons"][key] = _first_line(record["reason"])
            if record.get("cause"):
                row["causes"][key] = record["cause"]
            if record.get("blocked_by"):
                row["blocked_by"][key] = record["blocked_by"]
            if record["target"] not in targets:
                targets[record["target"]] = {"label": record["target"], "group": "", "name": "", "kind": "",
                                             "dist": "", "contract": {key: True}, "versions": {}}
    for row in rows.values():
        for key in keys:
            row["outcomes"].setdefault(key, ABSENT)
    ordered = sorted(rows.values(), key=lambda r: (r["target"], _level_rank(r["level"]), r["clause"]))
    totals = {key: {o: 0 for o in (*REPORT_OUTCOMES, ABSENT)} for key in keys}
    for row in ordered:
        for key, outcome in row["outcomes"].items():
            totals[key][outcome] += 1
    return {
        "schema_version": MATRIX_SCHEMA_VERSION,
        "columns": columns,
        "targets": [targets[label] for label in sorted(targets)],
        "clauses": ordered,
        "totals": totals,
    }


def _level_rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def matrix_failures(matrix: Mapping) -> list[tuple[str, str, str, str]]:
    """(column, target, clause, reason) for every failed cell."""
    out = []
    for row in matrix["clauses"]:
        for key, outcome in row["outcomes"].items():
            if outcome in FAILING_OUTCOMES:
                out.append((key, row["target"], row["clause"], row["reasons"].get(key, "")))
    return sorted(out, key=lambda f: ([c["key"] for c in matrix["columns"]].index(f[0]), f[1], f[2]))


def differing_rows(matrix: Mapping) -> list[dict]:
    """Rows whose outcome is not the same in every column: what changes from one MLflow version to another."""
    return [row for row in matrix["clauses"] if len(set(row["outcomes"].values())) > 1]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(matrix: Mapping, title: str = "MLflow plugin conformance matrix") -> str:
    """The matrix as GitHub-flavoured Markdown: totals per version, one table per target, then the failures."""
    keys = [c["key"] for c in matrix["columns"]]
    out = [f"### {title}", ""]
    out.append("| outcome | " + " | ".join(f"MLflow {_cell(k)}" for k in keys) + " |")
    out.append("|---|" + "---|" * len(keys))
    for outcome in (*REPORT_OUTCOMES, ABSENT):
        counts = [matrix["totals"][k].get(outcome, 0) for k in keys]
        if any(counts):
            out.append(f"| {outcome} | " + " | ".join(str(n) for n in counts) + " |")
    failures = matrix_failures(matrix)
    out += ["", f"**{len(failures)} failed cell(s)**" if failures else "**No clause failed on any version.**"]
    changed = differing_rows(matrix)
    if len(keys) > 1:
        out += ["", f"#### Outcomes that differ between MLflow versions ({len(changed)})"]
        if changed:
            out += ["", "| target | clause | " + " | ".join(_cell(k) for k in keys) + " |",
                    "|---|---|" + "---|" * len(keys)]
            for row in changed:
                cells = [CELL_TEXT.get(row["outcomes"][k], row["outcomes"][k]) for k in keys]
                out.append(f"| `{row['target']}` | `{row['clause']}` | " + " | ".join(cells) + " |")
        else:
            out += ["", "Every clause has the same outcome on every version."]

    by_target: dict[str, list[dict]] = {}
    for row in matrix["clauses"]:
        by_target.setdefault(row["target"], []).append(row)
    for target in matrix["targets"]:
        rows = by_target.get(target["label"], [])
        dists = sorted({v for v in target["versions"].values() if v})
        dist = f"{target['dist']} {', '.join(dists)}".strip()
        out += ["", f"#### `{target['label']}`" + (f" ({_cell(dist)})" if dist else "")]
        if not rows:
            out += ["", "No contract for this kind yet: nothing checked."]
            continue
        out += ["", "| clause | level | " + " | ".join(_cell(k) for k in keys) + " |",
                "|---|---|" + "---|" * len(keys)]
        for row in rows:
            cells = [CELL_TEXT.get(row["outcomes"][k], row["outcomes"][k]) for k in keys]
            out.append(f"| `{row['clause']}` | {row['level']} | " + " | ".join(cells) + " |")
    if failures:
        out += ["", "#### Failed clauses", ""]
        for key, target, clause_id, reason in failures:
            out.append(f"- MLflow {_cell(key)}, `{target}` `{clause_id}`: {_cell(reason)}")
    notes = sorted({(k, row["reasons"][k]) for row in matrix["clauses"] for k in keys
                    if row["outcomes"][k] == NOT_APPLICABLE and k in row["reasons"]})
    if notes:
        out += ["", "<details><summary>not-applicable reasons</summary>", ""]
        out += [f"- MLflow {_cell(k)}: {_cell(r)}" for k, r in notes]
        out += ["", "</details>"]
    out.append("")
    out.append("Cells: pass, **FAIL**, blocked (a clause it needs failed), unsupported (optional feature not "
               "offered), known-failure (declared), n/a (MLflow predates the clause), not-run (the target did not "
               "build), - (did not run there).")
    return "\n".join(out) + "\n"


def write_matrix(matrix: Mapping, out_dir: str | Path, stem: str = "matrix") -> dict[str, Path]:
    """``matrix.json``, ``matrix.md``, ``matrix.html`` and ``badge.json`` in ``out_dir``: {format: path}."""
    from .badge import matrix_badge
    from .report_html import render_matrix_html

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    texts = {
        "json": (out_dir / f"{stem}.json", json.dumps(matrix, indent=2) + "\n"),
        "markdown": (out_dir / f"{stem}.md", render_markdown(matrix)),
        "html": (out_dir / f"{stem}.html", render_matrix_html(matrix)),
        "badge": (out_dir / BADGE_JSON, json.dumps(matrix_badge(matrix), indent=2) + "\n"),
    }
    for path, text in texts.values():
        path.write_text(text, encoding="utf-8")
    return {fmt: path for fmt, (path, _) in texts.items()}


SITE_LATEST = "latest"


def write_site(matrix: Mapping, report_files: Mapping[str, Path], out_dir: str | Path) -> dict[str, Path]:
    """A directory to publish as it is (GitHub Pages): the matrix as ``index.html`` (its version columns link to
    each version's report), ``badge.json``, ``matrix.json``/``.md``/``.html``, one ``mlflow-<version>/`` folder per
    report (``conformance.html``, ``.json``, ``.md``, ``badge.json``) and ``latest/``, the newest version's.

    ``report_files`` maps a column key of ``matrix`` to the ``conformance.json`` it was read from; the HTML report
    next to it is copied, or rendered from the JSON when the run did not write one.
    """
    import shutil

    from .badge import report_badge
    from .report_html import render_matrix_html, render_report_html

    out_dir = Path(out_dir)
    written = write_matrix(matrix, out_dir)
    keys = [c["key"] for c in matrix["columns"]]
    folders = {key: f"mlflow-{_label(key)}" for key in keys}
    for key in keys:
        source = Path(report_files[key])
        data = load_report(source)
        for folder in (folders[key], *([SITE_LATEST] if key == keys[-1] else [])):
            target = out_dir / folder
            target.mkdir(parents=True, exist_ok=True)
            for name in REPORT_FILES:
                if (source.parent / name).is_file():
                    shutil.copyfile(source.parent / name, target / name)
            if not (target / REPORT_HTML).is_file():
                (target / REPORT_HTML).write_text(render_report_html(data), encoding="utf-8")
            if not (target / BADGE_JSON).is_file():
                (target / BADGE_JSON).write_text(json.dumps(report_badge(data), indent=2) + "\n", encoding="utf-8")
    index = out_dir / "index.html"
    index.write_text(render_matrix_html(matrix, report_links={k: f"{folders[k]}/{REPORT_HTML}" for k in keys}),
                     encoding="utf-8")
    return {**written, "index": index}


# -- commands: what runs the suite -----------------------------------------------------------------------------


def mlflow_requirement(version: str) -> str:
    """``3.0.1`` -> ``mlflow==3.0.1.*`` (that release), ``3.0`` -> ``mlflow==3.0.*`` (newest 3.0.x),
    ``latest`` -> ``mlflow`` (newest that installs), ``<3`` / ``~=2.22`` -> ``mlflow<3`` / ``mlflow~=2.22``."""
    version = version.strip()
    if version in ("", "latest"):
        return "mlflow"
    if version[0] in "<>=!~":
        return f"mlflow{version}"
    if not re.fullmatch(r"\d+(\.\d+)*", version):
        raise ValueError(f"MLflow version {version!r}: give X.Y, X.Y.Z, 'latest' or a specifier such as '<3'")
    return f"mlflow=={version}.*"


def suite_pytest_args(schemes: Iterable[str] = (), dists: Iterable[str] = (), out_dir: str | Path = ".",
                      profile: str | None = "ci", extra: str | Sequence[str] = (), via: str = "in-process") -> list[str]:
    """The pytest arguments of one conformance run (after ``python -m pytest``); ``via`` is the route to the store
    kinds (``--mlflow-conformance-via``: in-process, server or both)."""
    out_dir = Path(out_dir)
    args = ["-p", "no:cacheprovider", "-rfE"]
    args += [f"--mlflow-plugin-scheme={s}" for s in schemes]
    args += [f"--mlflow-plugin={d}" for d in dists]
    args += [f"--mlflow-conformance-report={out_dir / name}" for name in REPORT_FILES]
    if profile:
        args.append(f"--mlflow-conformance-profile={profile}")
    if via != "in-process":
        args.append(f"--mlflow-conformance-via={via}")
    args += shlex.split(extra) if isinstance(extra, str) else list(extra)
    return args


def suite_command(python: str, schemes: Sequence[str], dists: Sequence[str], out_dir: str | Path,
                  profile: str | None = "ci", pytest_args: str = "", via: str = "in-process") -> list[str]:
    """``python -m mlflow_plugin_conformance.matrix suite ...``: what CI and ``run`` execute per version."""
    cmd = [python, "-m", "mlflow_plugin_conformance.matrix", "suite"]
    cmd += [f"--scheme={s}" for s in schemes] + [f"--dist={d}" for d in dists]
    cmd += [f"--out={out_dir}", f"--profile={profile or 'none'}", f"--via={via}"]
    if pytest_args:
        cmd.append(f"--pytest-args={pytest_args}")
    return cmd


# Dependencies that released a breaking change after an MLflow release that does not exclude it: installing that
# MLflow today resolves the broken combination.  (first MLflow release that copes, requirement for older ones)
COMPAT_PINS = (
    # SQLAlchemy 2.1 removed FallbackAsyncAdaptedQueuePool, which mlflow.store.db.utils imported at module level
    # before 3.9 (ImportError on every SQL store); MLflow only asks for sqlalchemy<3.
    ((3, 9), "sqlalchemy<2.1"),
)


def compat_pins(mlflow: str) -> list[str]:
    """Requirements that make an older MLflow release installable as it worked when it came out.

    Only for a version given as ``X.Y[.Z]`` (``latest`` and specifiers get none: their release is not known).
    """
    if not re.fullmatch(r"\d+(\.\d+)*", mlflow.strip()):
        return []
    have = version_tuple(mlflow.strip())
    return [requirement for fixed_in, requirement in COMPAT_PINS if have < fixed_in]


def install_args(mlflow: str, conformance: Sequence[str], plugins: Sequence[str]) -> list[str]:
    """The ``pip install`` arguments: MLflow at the version, this suite and the plugin, resolved together.

    Each spec is split like a shell word list, so ``-e ./my-plugin`` or ``my-plugin[s3]==1.2`` both work.
    """
    args = [mlflow_requirement(mlflow), *compat_pins(mlflow)]
    for spec in (*conformance, *plugins):
        args += shlex.split(spec)
    return args


def default_conformance_spec() -> str:
    """This suite as pip should install it elsewhere: the source checkout (editable) if we run from one."""
    root = Path(__file__).resolve().parent.parent
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and 'name = "mlflow-plugin-conformance"' in pyproject.read_text(encoding="utf-8"):
        return f"-e {shlex.quote(str(root))}"
    from . import __version__

    return f"mlflow-plugin-conformance=={__version__}"


def cmd_suite(ns: argparse.Namespace) -> int:
    if not (ns.scheme or ns.dist):
        print("suite: give --scheme NAME and/or --dist DISTRIBUTION (pytest --mlflow-plugin-list shows them)",
              file=sys.stderr)
        return 2
    out_dir = Path(ns.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in REPORT_FILES:
        (out_dir / name).unlink(missing_ok=True)  # a stale report must never pass for this run's
    profile = None if ns.profile == "none" else ns.profile
    args = suite_pytest_args(ns.scheme, ns.dist, out_dir, profile, ns.pytest_args, ns.via)
    print(f"MLflow {installed_mlflow_version()}: python -m pytest {shlex.join(args)}", flush=True)
    env = {**os.environ, "MLFLOW_DISABLE_TELEMETRY": os.environ.get("MLFLOW_DISABLE_TELEMETRY", "true"),
           "DO_NOT_TRACK": os.environ.get("DO_NOT_TRACK", "true")}
    rc = subprocess.call([sys.executable, "-m", "pytest", *args], env=env)
    report_path = out_dir / REPORT_JSON
    report = load_report(report_path) if report_path.is_file() else None
    code, lines = verdict(report, rc)
    for line in lines:
        print(line)
    return code


def cmd_install(ns: argparse.Namespace) -> int:
    cmd = [sys.executable, "-m", "pip", "install", *(["-q"] if ns.quiet else []),
           *install_args(ns.mlflow, ns.conformance or [default_conformance_spec()], ns.plugin)]
    print("+ " + shlex.join(cmd), flush=True)
    return subprocess.call(cmd)


def cmd_merge(ns: argparse.Namespace) -> int:
    paths: list[Path] = []
    for path in ns.reports:
        path = Path(path)
        if not path.exists():
            print(f"merge: {path} does not exist", file=sys.stderr)
            return 2
        found = sorted(path.rglob(REPORT_JSON)) if path.is_dir() else [path]
        if not found:
            print(f"merge: no {REPORT_JSON} under {path}", file=sys.stderr)
            return 2
        paths += found
    reports = [load_report(p) for p in paths]
    matrix = merge_reports(reports)
    if ns.site:
        written = write_site(matrix, dict(zip(column_keys(reports), paths)), ns.out)
    else:
        written = write_matrix(matrix, ns.out)
    print(written["markdown"].read_text(encoding="utf-8"))
    print("matrix written to " + ", ".join(str(p) for p in written.values()))
    if ns.summary and os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as fh:
            fh.write(render_markdown(matrix))
    return 1 if (ns.check and matrix_failures(matrix)) else 0


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _label(version: str) -> str:
    return re.sub(r"[^\w.-]+", "_", version) or "latest"


def prepare_venv(work_dir: Path, python: str, mlflow: str, conformance: list[str], plugins: list[str],
                 reinstall: bool = False) -> Path:
    """A virtual environment with MLflow ``mlflow``, this suite and the plugin; reused while its specs match."""
    venv = work_dir / f"mlflow-{_label(mlflow)}"
    stamp = venv / "conformance-install.json"
    wanted = {"python": python, "install": install_args(mlflow, conformance, plugins)}
    if not reinstall and stamp.is_file() and json.loads(stamp.read_text()) == wanted:
        print(f"[{mlflow}] reusing {venv}", flush=True)
        return venv
    if not _venv_python(venv).exists():
        subprocess.check_call([python, "-m", "venv", str(venv)])
    cmd = [str(_venv_python(venv)), "-m", "pip", "install", "-q", *wanted["install"]]
    print(f"[{mlflow}] + {shlex.join(cmd)}", flush=True)
    subprocess.check_call(cmd)
    stamp.write_text(json.dumps(wanted))
    return venv


def cmd_run(ns: argparse.Namespace) -> int:
    if not (ns.scheme or ns.dist):
        print("run: give --scheme NAME and/or --dist DISTRIBUTION", file=sys.stderr)
        return 2
    work_dir, out = Path(ns.work_dir).resolve(), Path(ns.out).resolve()
    conformance = ns.conformance or [default_conformance_spec()]
    codes, timings = {}, {}
    for version in ns.mlflow:
        started = time.monotonic()
        try:
            venv = prepare_venv(work_dir, ns.python, version, conformance, ns.plugin, ns.reinstall)
        except subprocess.CalledProcessError as exc:
            print(f"[{version}] could not install: {exc}", file=sys.stderr)
            codes[version] = "install failed"
            continue
        installed = time.monotonic()
        cmd = suite_command(str(_venv_python(venv)), ns.scheme, ns.dist, out / f"mlflow-{_label(version)}",
                            ns.profile, ns.pytest_args, ns.via)
        print(f"[{version}] + {shlex.join(cmd)}", flush=True)
        codes[version] = subprocess.call(cmd, cwd=ns.cwd)
        timings[version] = (installed - started, time.monotonic() - installed)
    found = sorted(out.glob(f"mlflow-*/{REPORT_JSON}"))
    wanted_dirs = {out / f"mlflow-{_label(v)}" for v in ns.mlflow}
    reports = [load_report(p) for p in found if p.parent in wanted_dirs]
    print()
    for version, code in codes.items():
        install_s, suite_s = timings.get(version, (0.0, 0.0))
        print(f"MLflow {version}: exit {code} (install {install_s:.0f}s, suite {suite_s:.0f}s)")
    if not reports:
        print("run: no report was written", file=sys.stderr)
        return 2
    matrix = merge_reports(reports)
    written = write_matrix(matrix, out)
    print(render_markdown(matrix))
    print("matrix written to " + ", ".join(str(p) for p in written.values()))
    return 0 if all(c == 0 for c in codes.values()) else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mlflow-conformance-matrix", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def selection(p):
        p.add_argument("--scheme", action="append", default=[], metavar="NAME",
                       help="entry-point name to check, as --mlflow-plugin-scheme (repeatable)")
        p.add_argument("--dist", action="append", default=[], metavar="DIST",
                       help="distribution whose entry points to check, as --mlflow-plugin (repeatable)")
        p.add_argument("--profile", default="ci", choices=("quick", "ci", "thorough", "none"),
                       help="Hypothesis profile (default ci: derandomised)")
        p.add_argument("--pytest-args", default="", metavar="ARGS", help="extra pytest arguments, one string")
        p.add_argument("--via", default="in-process", choices=("in-process", "server", "both"),
                       help="route to the store kinds, as --mlflow-conformance-via (server: through a real "
                            "`mlflow server` backed by the plugin; both: each target twice)")

    p = sub.add_parser("suite", help="run the suite here, write conformance.json/.md/.html and badge.json, fail on "
                                     "failed clauses")
    selection(p)
    p.add_argument("--out", default="conformance-report", help="directory for the reports and the badge")
    p.set_defaults(func=cmd_suite)

    p = sub.add_parser("install", help="pip install MLflow at a version, this suite and the plugin")
    p.add_argument("--mlflow", default="latest", help="X.Y.Z, X.Y (newest X.Y.z), latest, or a specifier")
    p.add_argument("--plugin", action="append", default=[], metavar="SPEC", help="pip spec of the plugin")
    p.add_argument("--conformance", action="append", default=[], metavar="SPEC",
                   help="pip spec of this suite (default: this checkout, or this release)")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_install)

    p = sub.add_parser("merge", help="merge JSON reports into a clause x MLflow-version matrix")
    p.add_argument("reports", nargs="+", help="conformance.json files, or directories searched for them")
    p.add_argument("--out", default="conformance-matrix", help="directory for matrix.json/.md/.html and badge.json")
    p.add_argument("--summary", action="store_true", help="append the Markdown to $GITHUB_STEP_SUMMARY")
    p.add_argument("--check", action="store_true", help="exit 1 when any cell failed")
    p.add_argument("--site", action="store_true",
                   help="make --out a site to publish: index.html (the matrix), badge.json, each version's reports "
                        "under mlflow-<version>/ and the newest under latest/")
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("run", help="one virtual environment per MLflow version: install, suite, merge")
    selection(p)
    p.add_argument("--mlflow", nargs="+", required=True, metavar="VERSION",
                   help="MLflow versions: X.Y.Z, X.Y (newest X.Y.z), latest")
    p.add_argument("--plugin", action="append", default=[], metavar="SPEC", help="pip spec of the plugin")
    p.add_argument("--conformance", action="append", default=[], metavar="SPEC",
                   help="pip spec of this suite (default: this checkout, editable)")
    p.add_argument("--python", default=sys.executable, help="interpreter the environments are made from")
    p.add_argument("--work-dir", default=".conformance-venvs", help="where the virtual environments live")
    p.add_argument("--out", default="conformance-matrix", help="reports per version and the merged matrix")
    p.add_argument("--cwd", default=None, help="directory the suite runs in (the plugin's pyproject declarations)")
    p.add_argument("--reinstall", action="store_true", help="reinstall even when an environment's specs match")
    p.set_defaults(func=cmd_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    ns = build_parser().parse_args(argv)
    try:
        return ns.func(ns)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
