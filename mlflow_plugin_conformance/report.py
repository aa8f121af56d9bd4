"""Outcomes per clause -> the terminal table, the JSON report and the Markdown report (GitHub job summary).

Records arrive one pytest report phase at a time (from this process or from pytest-xdist workers); the worst
phase decides a clause's outcome (a teardown error after a pass is a failure).  Nothing here reads pytest's
config or reports: the plugin hands over plain records.
"""

from __future__ import annotations

import json
import platform
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .capabilities import LEVELS
from .outcomes import BLOCKED, FAILED, KNOWN_FAILURE, NOT_APPLICABLE, NOT_RUN, OUTCOMES, PASSED, UNSUPPORTED

SCHEMA_VERSION = 1

# Which phase outcome wins when several phases of one test speak.
_SEVERITY = {PASSED: 0, NOT_APPLICABLE: 1, UNSUPPORTED: 2, NOT_RUN: 3, BLOCKED: 4, KNOWN_FAILURE: 5, FAILED: 6}


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
    blocked_by: str | None = None


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

    # -- aggregation -------------------------------------------------------------------------------------------

    def counts(self) -> dict[tuple[str, str], dict[str, int]]:
        """(target, level) -> outcome -> count, in a stable order."""
        table: dict[tuple[str, str], dict[str, int]] = {}
        for record in sorted(self.records.values(), key=lambda r: (r.target, LEVELS.index(r.level), r.clause)):
            row = table.setdefault((record.target, record.level), dict.fromkeys(OUTCOMES, 0))
            row[record.outcome] += 1
        return table

    def failed(self) -> list[ClauseRecord]:
        return [r for r in self.records.values() if r.outcome == FAILED]

    def _rows(self) -> list[list[str]]:
        rows = []
        for (target, level), row in self.counts().items():
            info = self.targets.get(target)
            dist = f"{info.dist} {info.version}" if info else "-"
            rows.append([target, dist, level] + [str(row[o]) for o in OUTCOMES])
        for info in self.targets.values():
            if not info.contract:
                rows.append([info.label, f"{info.dist} {info.version}", "-", *["-"] * len(OUTCOMES)])
        return rows

    # -- renderings --------------------------------------------------------------------------------------------

    def terminal_lines(self) -> list[str]:
        header = ["target", "distribution", "level", *OUTCOMES]
        rows = self._rows()
        if not rows:
            return ["no conformance clauses ran"]
        widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
        fmt = "  ".join(f"{{:<{w}}}" for w in widths)
        lines = [fmt.format(*header), fmt.format(*("-" * w for w in widths))]
        lines += [fmt.format(*row) for row in rows]
        for info in self.targets.values():
            if not info.contract:
                lines.append(f"{info.label}: no contract for {info.group} yet ({info.note or 'not checked'})")
        for record in sorted(self.failed(), key=lambda r: (r.target, r.clause)):
            lines.append(f"FAILED {record.target} {record.clause}: {record.reason.splitlines()[0] if record.reason else ''}")
        return lines

    def to_dict(self) -> dict:
        return {
            "schema_version": SCHEMA_VERSION,
            "mlflow_version": self.mlflow_version,
            "python_version": platform.python_version(),
            "targets": [asdict(t) for t in self.targets.values()],
            "summary": [
                {"target": target, "level": level, **row} for (target, level), row in self.counts().items()
            ],
            "clauses": [asdict(r) for r in sorted(self.records.values(), key=lambda r: (r.target, r.clause))],
        }

    def to_markdown(self) -> str:
        out = [f"### MLflow plugin conformance (MLflow {self.mlflow_version})", ""]
        out.append("| target | distribution | level | " + " | ".join(OUTCOMES) + " |")
        out.append("|---|---|---|" + "---|" * len(OUTCOMES))
        for row in self._rows():
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
        failed = sorted(self.failed(), key=lambda r: (r.target, r.clause))
        if failed:
            out += ["", "#### Failed clauses", ""]
            for record in failed:
                first = record.reason.splitlines()[0] if record.reason else ""
                out.append(f"- `{record.target}` `{record.clause}`: {first.replace('|', '/')}")
        return "\n".join(out) + "\n"

    def write(self, path: str | Path) -> Path:
        """Write JSON for ``.json``, Markdown for ``.md``; anything else is a ValueError."""
        path = Path(path)
        if path.suffix == ".json":
            text = json.dumps(self.to_dict(), indent=2, sort_keys=False)
        elif path.suffix in (".md", ".markdown"):
            text = self.to_markdown()
        else:
            raise ValueError(f"--mlflow-conformance-report={path}: use a .json or .md file name")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path


def load_json_reports(paths: Iterable[str | Path]) -> list[dict]:
    """Read JSON reports written by :meth:`ConformanceReport.write` (for merging across MLflow versions)."""
    return [json.loads(Path(p).read_text(encoding="utf-8")) for p in paths]
