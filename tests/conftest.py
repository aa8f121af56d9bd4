"""Fixtures for the suite's own tests: throw-away plugin distributions and isolated pytester runs."""

from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest


os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")
# The project's own tests run alike on a laptop and in CI: ``CI`` only changes the suite's default Hypothesis
# profile (``ci``, 60 examples, instead of ``quick``), which would make every inner suite run of these tests slower
# in CI. A test that checks the CI default sets ``CI`` itself.
os.environ.pop("CI", None)
# One migrated SQLite template for all of this project's own runs, the many pytester subprocess runs included
# (each would otherwise build its own in its own pytest cache).
os.environ.setdefault("MLFLOW_CONFORMANCE_CACHE_DIR",
                      str(Path(__file__).resolve().parent.parent / ".pytest_cache" / "mlflow-conformance-shared"))


@pytest.fixture(autouse=True)
def _inner_runs_draw_this_runs_examples(request):
    """A pytester run (the suite run on a test plugin) draws its Hypothesis examples from this run's seed: seed 0
    from pyproject.toml, or the one given with ``--hypothesis-seed``. So CI's inner runs are reproducible too, and
    exploring another seed explores the inner runs as well. (pytester clears ``PYTEST_ADDOPTS``: set it after.)"""
    if "pytester" not in request.fixturenames:
        return
    request.getfixturevalue("pytester")
    seed = request.config.getoption("hypothesis_seed", None)
    if seed is not None:
        request.getfixturevalue("monkeypatch").setenv("PYTEST_ADDOPTS", f"--hypothesis-seed={seed}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests (marked ``slow`` or ``server``) first: pytest-xdist then starts them early rather than leaving
    one worker on a long test at the end while the other is idle. Otherwise the order stays."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None and item.get_closest_marker("server") is None)


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


@pytest.fixture(scope="session")
def experiment_clause_counts() -> tuple[int, int]:
    """(applicable on the installed MLflow, total) clauses of tracking_store/experiments/* (some carry since)."""
    import mlflow

    from mlflow_plugin_conformance.capabilities import version_at_least
    from mlflow_plugin_conformance.contracts.tracking_store import TrackingStoreContract

    since = {}
    for name in dir(TrackingStoreContract):
        for mark in getattr(getattr(TrackingStoreContract, name), "pytestmark", []):
            if mark.name == "mlflow_clause" and mark.args[0].startswith("tracking_store/experiments/"):
                since[mark.args[0]] = mark.kwargs.get("since")
    applicable = [c for c, s in since.items() if not s or version_at_least(mlflow.__version__, s)]
    return len(applicable), len(since)
