"""The README badge: a shields.io endpoint file (``{"schemaVersion": 1, "label", "message", "color"}``).

``report_badge(data)`` reads one run ("MLflow conformance | 356/359 on 3.17"); ``matrix_badge(matrix)`` several
MLflow versions ("MLflow conformance | 356/359 on 2.22–3.17"). The numbers are the clauses that passed out of those
that apply to the installed MLflow (not-applicable clauses are not counted). The colour says the worst outcome:

=============  ==========================================================================
red            a clause failed, is blocked by a failed clause, or did not run (a target did not build)
yellow         no failure, but declared known failures
green          everything passed but optional features the plugin does not offer (unsupported)
brightgreen    every clause that applies passed
lightgrey      no clause ran
=============  ==========================================================================

shields.io renders it from a public URL: ``https://img.shields.io/endpoint?url=<url of the file>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .capabilities import version_tuple
from .outcomes import FAILED, KNOWN_FAILURE, NOT_APPLICABLE, NOT_RUN, PASSED, UNSUPPORTED
from .report import BLOCKED_BY

LABEL = "MLflow conformance"
RED, YELLOW, GREEN, BRIGHTGREEN, GREY = "red", "yellow", "green", "brightgreen", "lightgrey"


def short_version(version: str) -> str:
    """``3.17.2`` -> ``3.17`` (the badge is narrow); anything that is not a release number is kept."""
    numbers = version_tuple(version)
    return ".".join(str(n) for n in numbers[:2]) if len(numbers) >= 2 else version


def colour(outcomes: Iterable[str]) -> str:
    present = set(outcomes)
    if not present - {NOT_APPLICABLE}:
        return GREY
    if present & {FAILED, BLOCKED_BY, NOT_RUN}:
        return RED
    if KNOWN_FAILURE in present:
        return YELLOW
    if UNSUPPORTED in present:
        return GREEN
    return BRIGHTGREEN


def _score(outcomes: list[str]) -> str:
    applicable = [o for o in outcomes if o != NOT_APPLICABLE]
    return f"{sum(o == PASSED for o in applicable)}/{len(applicable)}"


def endpoint(message: str, color: str, label: str = LABEL) -> dict[str, Any]:
    return {"schemaVersion": 1, "label": label, "message": message, "color": color}


def report_badge(data: Mapping[str, Any], label: str = LABEL) -> dict[str, Any]:
    """The badge of one run (``ConformanceReport.to_dict()``)."""
    outcomes = [r["outcome"] for r in data["clauses"]]
    if not [o for o in outcomes if o != NOT_APPLICABLE]:
        return endpoint(f"no clause ran on {short_version(data['mlflow_version'])}", GREY, label)
    return endpoint(f"{_score(outcomes)} on {short_version(data['mlflow_version'])}", colour(outcomes), label)


def matrix_badge(matrix: Mapping[str, Any], label: str = LABEL) -> dict[str, Any]:
    """The badge of several MLflow versions: the newest version's score, the colour of the worst version, and
    the versions that fail when some do ("340/359 on 3.17, fails on 2.22")."""
    keys = [c["key"] for c in matrix["columns"]]
    if not keys:
        return endpoint("no report", GREY, label)
    per_key = {k: [r["outcomes"].get(k, NOT_APPLICABLE) for r in matrix["clauses"]] for k in keys}
    versions = {c["key"]: c["mlflow_version"] for c in matrix["columns"]}
    newest = keys[-1]
    span = short_version(versions[keys[0]])
    if len(keys) > 1 and short_version(versions[newest]) != span:
        span = f"{span}–{short_version(versions[newest])}"
    failing = [short_version(versions[k]) for k in keys if colour(per_key[k]) == RED]
    worst = min((colour(v) for v in per_key.values()), key=[RED, YELLOW, GREEN, BRIGHTGREEN, GREY].index)
    message = f"{_score(per_key[newest])} on {span if not failing else short_version(versions[newest])}"
    if failing:
        message += f", fails on {', '.join(dict.fromkeys(failing))}"
    return endpoint(message, worst, label)

