"""Data the dataset contracts (sources and constructors) build their cases from: a small CSV file."""

from __future__ import annotations

from pathlib import Path

_CSV = "x,y\n{a},0\n{b},1\n3,1\n"


def write_csv(path: Path, variant: int = 0) -> Path:
    """A three-row CSV (``x``, ``y``); ``variant`` changes the data (so the digest must change)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_CSV.format(a=1 + variant, b=2 + 2 * variant), encoding="utf-8")
    return path
