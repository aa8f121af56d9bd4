"""Outcomes per clause -> the terminal table, the JSON report and the Markdown report (GitHub job summary).

Records arrive one pytest report phase at a time (from this process or from pytest-xdist workers); the worst
phase decides a clause's outcome (a teardown error after a pass is a failure).  Nothing here reads pytest's
config or reports: the plugin hands over plain records.
"""

from __future__ import annotations

import json
import platform
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .capabilities import LEVELS
from .outcomes import BLOCKED, FAILED, KNOWN_FAILURE, NOT_APPLICABLE, NOT_RUN, OUTCOMES, PASSED, UNSUPPORTED

# 2: per clause "cause" (failed clauses) and "blocked_by"; top-level "features", "root_causes", "selection".
SCHEMA_VERSION = 2

# A clause that did not run because a clause it needs failed ("blocked by <clause>"; outcomes.blocked_by()).
BLOCKED_BY = BLOCKED
# The order reports show outcomes in: what needs fixing first, the blocked clauses beside the failures.
REPORT_OUTCOMES: tuple[str, ...] = (PASSED, FAILED, BLOCKED) + tuple(
    o for o in OUTCOMES if o not in (PASSED, FAILED, BLOCKED))

# Which phase outcome wins when several phases of one test speak.
_SEVERITY = {PASSED: 0, NOT_APPLICABLE: 1, UNSUPPORTED: 2, NOT_RUN: 3, BLOCKED_BY: 4, KNOWN_FAILURE: 5, FAILED: 6}

# The row of the feature table that holds the clauses of no optional feature.
CORE_FEATURE = "core"

# A feature's status in the feature table, from its clauses' outcomes (see :func:`feature_status`).
WORKS = "works"
PARTIAL = "partly unsupported"
FEATURE_UNSUPPORTED = "unsupported"
BROKEN = "broken"
WITH_KNOWN_FAILURES = "known failures"
FEATURE_NOT_APPLICABLE = "not-applicable"
FEATURE_NOT_RUN = "not-run"
FEATURE_STATUSES = (WORKS, PARTIAL, FEATURE_UNSUPPORTED, WITH_KNOWN_FAILURES, BROKEN, FEATURE_NOT_APPLICABLE,
                    FEATURE_NOT_RUN)


@dataclass
class ClauseRecord:
    """The outcome of one clause for one target."""

    clause: str
    level: str
    target: str
    outcome: str
    nodeid: str
    feature: str | None = None
    reason: str = ""
    duration: float = 0.0
    cause: dict | None = None  # failed clauses: causes.cause_of() of the failure
    blocked_by: str | None = None  # blocked clauses: the id of the clause that failed first


@dataclass
class TargetInfo:
    """A target as the report shows it: the URI is redacted before it gets here."""

    label: str
    group: str
    name: str
    dist: str
    version: str
    kind: str
    uri: str = ""
    contract: bool = True
    note: str = ""
    route: str = "in-process"  # or "server": checked through a real mlflow server backed by the plugin


@dataclass
class ConformanceReport:
    mlflow_version: str = "unknown"
    targets: dict[str, TargetInfo] = field(default_factory=dict)
    records: dict[str, ClauseRecord] = field(default_factory=dict)
    # How the run chose its targets ({"schemes": [...], "dists": [...]}): the rerun commands repeat it.
    selection: dict[str, list[str]] = field(default_factory=dict)

    def add_target(self, info: TargetInfo) -> None:
        known = self.targets.setdefault(info.label, info)
        if info.note and info.note not in known.note:  # e.g. "built directly", learnt from a clause's record
            known.note = f"{known.note}; {info.note}" if known.note else info.note

    def add_phase(self, record: ClauseRecord) -> None:
        """Merge one phase's record into the clause's outcome (worst wins; durations add up)."""
        previous = self.records.get(record.nodeid)
        if previous is None:
            self.records[record.nodeid] = record
            return
        previous.duration += record.duration
        if _SEVERITY[record.outcome] > _SEVERITY[previous.outcome]:
            previous.outcome = record.outcome
            previous.reason = record.reason
            previous.cause = record.cause
            previous.blocked_by = record.blocked_by

    # -- aggregation -------------------------------------------------------------------------------------------

    def counts(self) -> dict[tuple[str, str], dict[str, int]]:
        """(target, level) -> outcome -> count, in a stable order."""
        table: dict[tuple[str, str], dict[str, int]] = {}
        for record in sorted(self.records.values(), key=lambda r: (r.target, _level_rank(r.level), r.clause)):
            row = table.setdefault((record.target, record.level), dict.fromkeys(REPORT_OUTCOMES, 0))
            row[record.outcome] += 1
        return table

    def failed(self) -> list[ClauseRecord]:
        return [r for r in self.records.values() if r.outcome == FAILED]

    def _rows(self) -> list[list[str]]:
        rows = []
        for (target, level), row in self.counts().items():
            info = self.targets.get(target)
            dist = f"{info.dist} {info.version}" if info else "-"
            rows.append([target, dist, level] + [str(row[o]) for o in REPORT_OUTCOMES])
        for info in self.targets.values():
            if not info.contract:
                rows.append([info.label, f"{info.dist} {info.version}", "-", *["-"] * len(REPORT_OUTCOMES)])
        return rows

    def to_dict(self) -> dict[str, Any]:
        clauses = [asdict(r) for r in sorted(self.records.values(), key=lambda r: (r.target, r.clause))]
        targets = [asdict(t) for t in self.targets.values()]
        return {
            "schema_version": SCHEMA_VERSION,
            "mlflow_version": self.mlflow_version,
            "python_version": platform.python_version(),
            "suite_version": _suite_version(),
            "selection": {"schemes": list(self.selection.get("schemes", ())),
                          "dists": list(self.selection.get("dists", ()))},
            "targets": targets,
            "summary": [
                {"target": target, "level": level, **row} for (target, level), row in self.counts().items()
            ],
            "features": feature_table(clauses, targets),
            "root_causes": root_causes(clauses),
            "clauses": clauses,
        }

    # -- renderings (each from the JSON form, so a report read back from a file renders the same) --------------

    def terminal_lines(self) -> list[str]:
        return render_terminal(self.to_dict())

    def to_markdown(self) -> str:
        return render_markdown(self.to_dict())

    def write(self, path: str | Path) -> Path:
        """Write the report in the format its file name asks for (see :func:`report_format`)."""
        path = Path(path)
        data = self.to_dict()
        fmt = report_format(path)
        if fmt == JSON:
            text = json.dumps(data, indent=2, sort_keys=False)
        elif fmt == MARKDOWN:
            text = render_markdown(data)
        elif fmt == HTML:
            from .report_html import render_report_html

            text = render_report_html(data)
        else:
            from .badge import report_badge

            text = json.dumps(report_badge(data), indent=2)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
        return path


def _suite_version() -> str:
    from . import __version__

    return __version__


def _level_rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


# -- report files: one rule for which format a file name asks for ----------------------------------------------

JSON, MARKDOWN, HTML, BADGE = "json", "markdown", "html", "badge"
BADGE_SUFFIX = "badge.json"


def report_format(path: str | Path) -> str:
    """The format of a report file, from its name.

    A name ending in ``badge.json`` (``badge.json``, ``conformance-badge.json``) is a shields.io endpoint badge;
    any other ``.json`` the full JSON report; ``.md`` / ``.markdown`` Markdown (a GitHub job summary);
    ``.html`` / ``.htm`` the self-contained HTML report.  Anything else is a ValueError that says so.
    """
    name = Path(path).name.lower()
    if name.endswith(BADGE_SUFFIX):
        return BADGE
    suffix = Path(name).suffix
    for fmt, suffixes in ((JSON, (".json",)), (MARKDOWN, (".md", ".markdown")), (HTML, (".html", ".htm"))):
        if suffix in suffixes:
            return fmt
    raise ValueError(f"--mlflow-conformance-report={path}: the file name must end in .json (the full report), "
                     f"badge.json (a shields.io badge), .md (Markdown) or .html (the HTML report)")


# -- the feature table -----------------------------------------------------------------------------------------


def feature_of(record: Mapping[str, Any]) -> str:
    """The feature-table row a clause counts in: its optional feature, or ``core``."""
    return record.get("feature") or CORE_FEATURE


def feature_status(counts: Mapping[str, int]) -> str:
    """A feature's status from its clauses' outcome counts.

    broken: a clause failed (or is blocked by one that did); not-run: the target did not build; not-applicable:
    the installed MLflow predates every clause; known failures: a declared failure and nothing else wrong;
    unsupported: no clause passed and some are unsupported; partly unsupported: some pass, some unsupported;
    works: every clause that applies passed.
    """
    relevant = {o: n for o, n in counts.items() if n and o != NOT_APPLICABLE}
    if counts.get(FAILED) or counts.get(BLOCKED_BY):
        return BROKEN
    if not relevant:
        return FEATURE_NOT_APPLICABLE if counts.get(NOT_APPLICABLE) else FEATURE_NOT_RUN
    if set(relevant) == {NOT_RUN}:
        return FEATURE_NOT_RUN
    if counts.get(KNOWN_FAILURE):
        return WITH_KNOWN_FAILURES
    if counts.get(UNSUPPORTED):
        return PARTIAL if counts.get(PASSED) else FEATURE_UNSUPPORTED
    return WORKS


def feature_summary(status: str, counts: Mapping[str, int]) -> str:
    """``broken (3 of 12 clauses failed, 2 blocked)``, ``works (12 clauses)``, ``unsupported (4 clauses)``."""
    total = sum(n for o, n in counts.items() if o != NOT_APPLICABLE) or sum(counts.values())
    if status == BROKEN:
        if not counts.get(FAILED):
            return f"{status} ({counts.get(BLOCKED_BY, 0)} of {total} clauses blocked)"
        text = f"{counts[FAILED]} of {total} clauses failed"
        if counts.get(BLOCKED_BY):
            text += f", {counts[BLOCKED_BY]} blocked"
        return f"{status} ({text})"
    if status == PARTIAL:
        return f"{status} ({counts.get(UNSUPPORTED, 0)} of {total} clauses unsupported)"
    if status == WITH_KNOWN_FAILURES:
        return f"{status} ({counts.get(KNOWN_FAILURE, 0)} of {total} clauses)"
    return f"{status} ({total} clause{'s' if total != 1 else ''})"


def _declared_features(kind_key: str) -> dict[str, str]:
    """The catalogue's features of a kind as {qualified name: description}."""
    from .kinds import KINDS_BY_KEY

    kind = KINDS_BY_KEY.get(kind_key or "")
    return dict(kind.qualified_features) if kind is not None else {}


def feature_table(clauses: Sequence[Mapping[str, Any]], targets: Sequence[Mapping[str, Any]] = ()) -> list[dict]:
    """Per target and feature: status, outcome counts, description.  Core first, then the catalogue's order."""
    kinds = {t["label"]: t.get("kind", "") for t in targets}
    groups: dict[tuple[str, str], dict[str, int]] = {}
    for record in clauses:
        row = groups.setdefault((record["target"], feature_of(record)), dict.fromkeys(REPORT_OUTCOMES, 0))
        row[record["outcome"]] = row.get(record["outcome"], 0) + 1
    out = []
    for (target, feature), counts in groups.items():
        declared = _declared_features(kinds.get(target, "") or target.split(":")[0])
        order = list(declared)
        rank = -1 if feature == CORE_FEATURE else (order.index(feature) if feature in order else len(order))
        status = feature_status(counts)
        out.append({"target": target, "feature": feature, "status": status,
                    "summary": feature_summary(status, counts),
                    "description": "what MLflow's client needs" if feature == CORE_FEATURE
                    else declared.get(feature, ""),
                    "counts": {o: n for o, n in counts.items() if n}, "_rank": rank})
    out.sort(key=lambda r: (r["target"], r["_rank"], r["feature"]))
    for row in out:
        del row["_rank"]
    return out


def short_feature(feature: str) -> str:
    """``tracking_store.traces`` -> ``traces`` (the target already names the kind)."""
    return feature.split(".", 1)[1] if "." in feature else feature


# -- root causes -----------------------------------------------------------------------------------------------


def root_causes(clauses: Sequence[Mapping[str, Any]]) -> list[dict]:
    """Failed clauses grouped by the ``key`` of their cause, largest group first.

    A failed clause recorded without a cause (a report written by an older suite) is grouped by its first
    reason line.
    """
    groups: dict[str, dict] = {}
    for record in clauses:
        if record["outcome"] != FAILED:
            continue
        cause = record.get("cause") or {"type": "", "message": _first_line(record.get("reason", "")),
                                         "function": None, "location": None, "where": None,
                                         "key": "reason | " + _first_line(record.get("reason", ""))}
        group = groups.setdefault(cause["key"], {**cause, "clauses": []})
        group["clauses"].append({"target": record["target"], "clause": record["clause"]})
    out = sorted(groups.values(), key=lambda g: (-len(g["clauses"]), g["clauses"][0]["target"],
                                                 g["clauses"][0]["clause"]))
    for index, group in enumerate(out, 1):
        group["index"] = index
        group["headline"] = cause_headline(group)
    return out


def cause_headline(cause: Mapping[str, Any]) -> str:
    """``IsADirectoryError in `download_file` (mlflow_foo/repo.py:42)``; the message where there is no frame."""
    name = cause.get("type") or "failure"
    if cause.get("function") and cause.get("location"):
        return f"{name} in `{cause['function']}` ({cause['location']})"
    message = cause.get("message") or ""
    return f"{name}: {message}" if cause.get("type") else message or "failure"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text and text.strip() else ""


def clause_label(target: str, clause_id: str, ambiguous: Iterable[str] = ()) -> str:
    """A clause as a reader names it: its id, which starts with the kind; the target's name only where the report
    has several targets of that kind (``ambiguous``: their kind keys)."""
    kind, _, name = target.partition(":")
    if not clause_id.startswith(kind + "/"):
        return f"{clause_id} ({target})"
    return f"{clause_id} ({name})" if kind in set(ambiguous) and name else clause_id


def ambiguous_kinds(clauses: Iterable[Mapping[str, Any]]) -> set[str]:
    """Kind keys that have more than one target among ``clauses`` (records or ``{target, clause}`` dicts)."""
    labels: dict[str, set[str]] = {}
    for c in clauses:
        labels.setdefault(c["target"].partition(":")[0], set()).add(c["target"])
    return {kind for kind, names in labels.items() if len(names) > 1}


def _clause_list(clauses: Sequence[Mapping[str, str]], ambiguous: set[str], limit: int = 6) -> str:
    names = [clause_label(c["target"], c["clause"], ambiguous) for c in clauses[:limit]]
    more = f", and {len(clauses) - limit} more" if len(clauses) > limit else ""
    return ", ".join(names) + more


def root_cause_lines(data: Mapping[str, Any], code: bool = False) -> list[str]:
    """``30 failed clauses, 5 root causes:`` then one numbered line per cause (empty when nothing failed)."""
    causes = data["root_causes"]
    if not causes:
        return []
    failed = sum(len(c["clauses"]) for c in causes)
    ambiguous = ambiguous_kinds(data["clauses"])
    tick = "`" if code else ""
    lines = [f"{failed} failed clause{'s' if failed != 1 else ''}, {len(causes)} root "
             f"cause{'s' if len(causes) != 1 else ''}:"]
    for group in causes:
        n = len(group["clauses"])
        headline = group["headline"] if code else group["headline"].replace("`", "")
        lines.append(f"{group['index']}. {headline} ({n} clause{'s' if n != 1 else ''}: "
                     f"{tick}{_clause_list(group['clauses'], ambiguous)}{tick})")
        if group.get("function") and group.get("message"):
            lines.append(f"   {group['message']}")
    return lines


# -- renderings ------------------------------------------------------------------------------------------------


def _summary_rows(data: Mapping[str, Any]) -> list[list[str]]:
    dists = {t["label"]: f"{t['dist']} {t['version']}" for t in data["targets"]}
    rows = [[row["target"], dists.get(row["target"], "-"), row["level"],
             *[str(row.get(o, 0)) for o in REPORT_OUTCOMES]] for row in data["summary"]]
    for info in data["targets"]:
        if not info.get("contract", True):
            rows.append([info["label"], dists[info["label"]], "-", *["-"] * len(REPORT_OUTCOMES)])
    return rows


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return [fmt.format(*header).rstrip(), fmt.format(*("-" * w for w in widths))] + \
        [fmt.format(*row).rstrip() for row in rows]


def render_terminal(data: Mapping[str, Any]) -> list[str]:
    """Root causes first (what to fix), then the outcome table, the feature table, the failed clauses."""
    rows = _summary_rows(data)
    if not rows:
        return ["no conformance clauses ran"]
    lines = root_cause_lines(data)
    if lines:
        lines.append("")
    lines += _table(["target", "distribution", "level", *REPORT_OUTCOMES], rows)
    for info in data["targets"]:
        if not info.get("contract", True):
            lines.append(f"{info['label']}: no contract for {info['group']} yet ({info.get('note') or 'not checked'})")
        elif info.get("note"):
            lines.append(f"{info['label']}: {info['note']}")
    if data["features"]:
        lines.append("")
        lines += _table(["target", "feature", "status"],
                        [[f["target"], short_feature(f["feature"]), f["summary"]] for f in data["features"]])
    for record in data["clauses"]:
        if record["outcome"] == FAILED:
            lines.append(f"FAILED {record['target']} {record['clause']}: {_first_line(record.get('reason', ''))}")
        elif record["outcome"] == BLOCKED_BY:
            lines.append(f"BLOCKED {record['target']} {record['clause']}: by {record.get('blocked_by') or '?'}")
    return lines


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(data: Mapping[str, Any]) -> str:
    out = [f"### MLflow plugin conformance (MLflow {data['mlflow_version']})", ""]
    causes = root_cause_lines(data, code=True)
    if causes:
        out += ["#### Root causes", "", causes[0], ""]
        out += [line if not line.startswith("   ") else f"   <br>`{line.strip()}`" for line in causes[1:]]
        out.append("")
    out.append("| target | distribution | level | " + " | ".join(REPORT_OUTCOMES) + " |")
    out.append("|---|---|---|" + "---|" * len(REPORT_OUTCOMES))
    for row in _summary_rows(data):
        out.append("| " + " | ".join(_md(c) for c in row) + " |")
    notes = [f"- `{t['label']}`: {_md(t['note'])}" for t in data["targets"] if t.get("contract", True) and t.get("note")]
    if notes:
        out += ["", *notes]
    if data["features"]:
        out += ["", "#### Features", "", "| target | feature | status |", "|---|---|---|"]
        for f in data["features"]:
            out.append(f"| {_md(f['target'])} | {_md(short_feature(f['feature']))} | {_md(f['summary'])} |")
    failed = [r for r in data["clauses"] if r["outcome"] == FAILED]
    if failed:
        index = {(c["target"], c["clause"]): g["index"] for g in data["root_causes"] for c in g["clauses"]}
        out += ["", "#### Failed clauses", ""]
        for record in failed:
            cause = index.get((record["target"], record["clause"]))
            tag = f" (root cause {cause})" if cause else ""
            out.append(f"- `{record['target']}` `{record['clause']}`{tag}: "
                       f"{_first_line(record.get('reason', '')).replace('|', '/')}")
    blocked = [r for r in data["clauses"] if r["outcome"] == BLOCKED_BY]
    if blocked:
        out += ["", "#### Blocked clauses", ""]
        out += [f"- `{r['target']}` `{r['clause']}`: blocked by `{r.get('blocked_by') or '?'}`" for r in blocked]
    return "\n".join(out) + "\n"


def rerun_command(record: Mapping[str, Any], target: Mapping[str, Any] | None,
                  selection: Mapping[str, Sequence[str]] | None = None) -> str:
    """The command that runs this one clause again: the target's selection plus ``--mlflow-conformance-clause``.

    A bundled-suite target is selected by its scheme (kinds whose entry-point name is a URI scheme) or its
    distribution; a clause of a plugin's own base-class test runs by its node id.
    """
    import shlex

    if target is None or not target.get("dist"):
        return f"pytest {shlex.quote(record['nodeid'])}"
    from .kinds import KINDS_BY_KEY

    kind = KINDS_BY_KEY.get(target.get("kind") or "")
    schemes = list((selection or {}).get("schemes", ()))
    # a kind with a default URI is addressed by URI: its entry-point name is a URI scheme
    if kind is not None and kind.default_uri and (target.get("name") in schemes or not schemes):
        select = f"--mlflow-plugin-scheme={shlex.quote(target['name'])}"
    else:
        select = f"--mlflow-plugin={shlex.quote(target['dist'])}"
    route = target.get("route") or "in-process"
    if route != "in-process":  # the target was checked through the server
        select += f" --mlflow-conformance-via={shlex.quote(route)}"
    return f"pytest -p no:cacheprovider {select} --mlflow-conformance-clause={shlex.quote(record['clause'])}"

