"""Mutation test of the tracking-store contract: each deliberately broken store (tests/broken/tracking_stores.py)
is caught by the clause written for its bug, and MLflow's reference store passes those clauses.

One pytester run (in a subprocess, so MLflow state stays out of this process) holds a class per variant, each
selecting only its expected clause, plus the reference; the differential state machine runs against a few
variants too. The score is printed.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

BROKEN_DIR = Path(__file__).parent / "broken"


def _load_catalogue():
    import importlib.util

    spec = importlib.util.spec_from_file_location("conformance_broken_tracking_stores",
                                                  BROKEN_DIR / "tracking_stores.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_catalogue = _load_catalogue()
BROKEN_TRACKING_STORES = _catalogue.BROKEN_TRACKING_STORES
CAUGHT_BY_DIFFERENTIAL_MACHINE = _catalogue.CAUGHT_BY_DIFFERENTIAL_MACHINE


def _test_name(clause_id: str) -> str:
    return "test_" + clause_id.split("/", 1)[1].replace("/", "_").replace("-", "_")


def write_variants(root: Path, with_machine: bool = True) -> list[str]:
    """Write ``test_variants.py`` (a class per broken store, plus the reference) into ``root``; return the node
    ids to run: each variant's expected clause, the reference on all of them, the machine on a few variants."""
    shutil.copy(BROKEN_DIR / "tracking_stores.py", root / "tracking_stores.py")
    lines = [
        "import pytest",
        "from mlflow_plugin_conformance.contracts.tracking_store import TrackingStoreContract",
        "from mlflow_plugin_conformance.reference import sqlite_template",
        "import tracking_stores",
        "from hypothesis import Phase, settings",
        "",
        "# The machine's failures on broken stores are expected: generate without shrinking (shrinking costs time).",
        "settings.register_profile('variants', parent=settings.default,",
        "                          phases=[Phase.explicit, Phase.reuse, Phase.generate])",
        "settings.load_profile('variants')",
        "",
        "def _build(cls, tmp_path_factory):",
        "    import shutil",
        "    directory = tmp_path_factory.mktemp(cls.__name__)",
        "    shutil.copyfile(sqlite_template(), directory / 'db.sqlite')",
        "    return cls('sqlite:///' + (directory / 'db.sqlite').as_posix(), (directory / 'artifacts').as_uri())",
        "",
    ]
    node_ids = []
    variants = dict(BROKEN_TRACKING_STORES)
    variants["reference"] = ("SqlAlchemyStore", None)
    for name, (cls, clause_id) in variants.items():
        class_name = "Test_" + re.sub(r"\W", "_", name)
        store_class = "tracking_stores." + (cls if isinstance(cls, str) else cls.__name__)
        lines += [
            f"class {class_name}(TrackingStoreContract):",
            "    @pytest.fixture(scope='class')",
            "    @classmethod",
            "    def _store(cls, tmp_path_factory):",
            f"        return _build({store_class}, tmp_path_factory)",
            "    @pytest.fixture",
            "    def tracking_store(self, _store):",
            "        return _store",
            "",
        ]
        clauses = ([clause_id] if clause_id else sorted({c for _, c in BROKEN_TRACKING_STORES.values()}))
        if with_machine and (name in CAUGHT_BY_DIFFERENTIAL_MACHINE or name == "reference"):
            clauses.append("tracking_store/differential/state-machine")
        node_ids += [f"test_variants.py::{class_name}::{_test_name(c)}" for c in clauses]
    (root / "test_variants.py").write_text("\n".join(lines) + "\n")
    return node_ids


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory):
    """Runs the variant classes once for the module, in a subprocess (MLflow's global state stays out)."""
    import os
    import subprocess
    import sys

    root = tmp_path_factory.mktemp("tracking-broken")
    node_ids = write_variants(root)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", "-q", "--mlflow-conformance-profile=ci",
         "-o", "addopts=", *node_ids],
        cwd=root, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONPATH": str(root), "MLFLOW_DISABLE_TELEMETRY": "true"})
    outcomes = {}
    for line in result.stdout.splitlines():
        match = re.match(r"^(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS) (test_variants\.py::\S+)", line)
        if match:
            outcomes[match.group(2)] = match.group(1)
    return outcomes, result.stdout


def _outcome(run, class_name, clause_id):
    outcomes, stdout = run
    node = f"test_variants.py::{class_name}::{_test_name(clause_id)}"
    assert node in outcomes, f"{node} did not run:\n{stdout[-3000:]}"
    return outcomes[node]


@pytest.mark.parametrize("variant", sorted(BROKEN_TRACKING_STORES))
def test_broken_store_is_caught(broken_run, variant):
    """The clause written for the variant's bug fails on it."""
    _, clause_id = BROKEN_TRACKING_STORES[variant]
    assert _outcome(broken_run, "Test_" + re.sub(r"\W", "_", variant), clause_id) == "FAILED"


@pytest.mark.parametrize("variant", CAUGHT_BY_DIFFERENTIAL_MACHINE)
def test_broken_store_is_caught_by_differential_machine(broken_run, variant):
    """The differential state machine, comparing with MLflow's reference, independently finds the bug."""
    assert _outcome(broken_run, "Test_" + re.sub(r"\W", "_", variant),
                    "tracking_store/differential/state-machine") == "FAILED"


def test_reference_passes_the_mutation_clauses(broken_run):
    """MLflow's SqlAlchemyStore passes every clause used to catch the variants (the clauses are not too strict)."""
    clauses = sorted({c for _, c in BROKEN_TRACKING_STORES.values()}) + ["tracking_store/differential/state-machine"]
    failed = [c for c in clauses if _outcome(broken_run, "Test_reference", c) != "PASSED"]
    assert not failed, f"the reference failed {failed}"


def test_mutation_score(broken_run):
    """Print the score: variants caught by their clause / all variants."""
    caught = [v for v, (_, c) in BROKEN_TRACKING_STORES.items()
              if _outcome(broken_run, "Test_" + re.sub(r"\W", "_", v), c) == "FAILED"]
    print(f"\ntracking-store mutation score: {len(caught)}/{len(BROKEN_TRACKING_STORES)}")
    assert len(caught) == len(BROKEN_TRACKING_STORES)
