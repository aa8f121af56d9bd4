"""Fixtures for the suite's own tests: throw-away plugin distributions and isolated pytester runs."""

from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest


os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")


@dataclass
class FakeDistributions:
    """Installs distributions into one directory by writing ``*.dist-info`` metadata next to their modules.

    ``importlib.metadata`` finds them through ``PYTHONPATH``, exactly as it finds pip-installed plugins, so the
    suite discovers their entry points and MLflow's registries load them in a subprocess run.
    """

    root: Path

    def add(self, dist: str, entry_points: dict[str, dict[str, str]], modules: dict[str, str] | None = None,
            version: str = "1.0") -> None:
        for relative, source in (modules or {}).items():
            path = self.root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(source), encoding="utf-8")
        info = self.root / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir(parents=True, exist_ok=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8")
        lines = []
        for group, names in entry_points.items():
            lines.append(f"[{group}]")
            lines += [f"{name} = {value}" for name, value in names.items()]
            lines.append("")
        (info / "entry_points.txt").write_text("\n".join(lines), encoding="utf-8")

    def env(self) -> dict[str, str]:
        existing = os.environ.get("PYTHONPATH")
        return {"PYTHONPATH": str(self.root) + (os.pathsep + existing if existing else "")}


@pytest.fixture
def fake_dists(tmp_path, monkeypatch) -> FakeDistributions:
    """Distributions visible to subprocess pytest runs (``pytester.runpytest_subprocess``)."""
    root = tmp_path / "site"
    root.mkdir()
    dists = FakeDistributions(root)
    for key, value in dists.env().items():
        monkeypatch.setenv(key, value)
    return dists
