"""Mutation test of the GenAI families of the tracking-store contract: each deliberately broken store
(tests/broken/tracking_genai.py) is caught by the clause written for its bug; MLflow's reference store passes those
clauses (or is a declared finding, or answers unsupported where it lacks the method); the correct extensions pass
the clauses of what MLflow's store lacks; the trace differential machine catches a few variants on its own.

One subprocess pytest run holds a class per variant (each selecting only its expected clause), the reference and the
extensions. The variants share one SQLite database (the clauses isolate themselves with unique names), so a variant
costs its clause, not a store build. The score is printed.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

BROKEN_DIR = Path(__file__).parent / "broken"


def _load_catalogue():
    import importlib.util

    spec = importlib.util.spec_from_file_location("conformance_broken_tracking_genai", BROKEN_DIR / "tracking_genai.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_catalogue = _load_catalogue()
BROKEN = _catalogue.BROKEN_TRACKING_GENAI_STORES
CORRECT = _catalogue.CORRECT_EXTENSIONS
CAUGHT_BY_MACHINE = _catalogue.CAUGHT_BY_TRACE_MACHINE
MACHINE = "tracking_store/differential/traces"
#: Clauses MLflow's own SqlAlchemyStore does not offer (NotImplementedError): reported unsupported on it.
UNSUPPORTED_ON_REFERENCE = {"tracking_store/traces/unlink-from-run", "tracking_store/mcp-servers/link-to-trace"}


def _reference_findings() -> dict[str, str]:
    """MLflow's SqlAlchemyStore's own findings on SQLite (mlflow_plugin_conformance/findings.py)."""
    import mlflow
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    from mlflow_plugin_conformance.findings import known_failures

    return known_failures(SqlAlchemyStore, mlflow.__version__, backend="sqlite")


def _test_name(clause_id: str) -> str:
    return "test_" + clause_id.split("/", 1)[1].replace("/", "_").replace("-", "_")


def _class_name(prefix: str, name: str) -> str:
    return f"Test{prefix}_" + re.sub(r"\W", "_", name)


def write_variants(root: Path) -> list[str]:
    shutil.copy(BROKEN_DIR / "tracking_genai.py", root / "tracking_genai.py")
    lines = [
        "import pytest",
        "from hypothesis import Phase, settings",
        "from mlflow_plugin_conformance import Capabilities",
        "from mlflow_plugin_conformance.contracts.tracking_store import TrackingStoreContract",
        "from mlflow_plugin_conformance.reference import sqlite_template",
        "import tracking_genai",
        "",
        "# Derandomised, no shrinking: the machine's failures on broken stores are expected.",
        "settings.register_profile('genai-variants', derandomize=True, max_examples=90, deadline=None,",
        "                          phases=[Phase.explicit, Phase.reuse, Phase.generate])",
        "settings.load_profile('genai-variants')",
        f"FINDINGS = {json.dumps(_reference_findings())!r}",
        "",
        "@pytest.fixture(scope='session')",
        "def shared_db(tmp_path_factory):",
        "    import shutil",
        "    directory = tmp_path_factory.mktemp('genai-variants')",
        "    shutil.copyfile(sqlite_template(), directory / 'variants.db')",
        "    shutil.copyfile(sqlite_template(), directory / 'reference.db')",
        "    return directory",
        "",
        "def _build(cls, directory, db):",
        "    return cls('sqlite:///' + (directory / db).as_posix(), (directory / 'artifacts').as_uri())",
        "",
    ]
    node_ids = []

    def add_class(class_name, store_class, db, clauses, findings=False):
        lines.extend([
            f"class {class_name}(TrackingStoreContract):",
            "    @pytest.fixture",
            f"    def tracking_store(self, shared_db):",
            f"        return _build({store_class}, shared_db, {db!r})",
        ])
        if findings:
            lines.extend([
                "    @pytest.fixture",
                "    def mlflow_conformance_capabilities(self):",
                "        import json",
                "        return Capabilities(known_failures=json.loads(FINDINGS))",
            ])
        lines.append("")
        node_ids.extend(f"test_variants.py::{class_name}::{_test_name(c)}" for c in clauses)

    for name, (cls, clause_id) in BROKEN.items():
        clauses = [clause_id] + ([MACHINE] if name in CAUGHT_BY_MACHINE else [])
        add_class(_class_name("Broken", name), f"tracking_genai.{cls.__name__}", "variants.db", clauses)
    for name, (cls, clause_id) in CORRECT.items():
        add_class(_class_name("Correct", name), f"tracking_genai.{cls.__name__}", "variants.db", [clause_id])
    reference_clauses = sorted({c for _, c in BROKEN.values()}) + [MACHINE]
    lines.insert(3, "from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore")
    add_class("TestReference", "SqlAlchemyStore", "reference.db", reference_clauses, findings=True)
    (root / "test_variants.py").write_text("\n".join(lines) + "\n")
    return node_ids


@pytest.fixture(scope="module")
def variants_run(tmp_path_factory):
    """Runs every variant's clause once for the module, in a subprocess (MLflow's global state stays out)."""
    import os
    import subprocess
    import sys

    root = tmp_path_factory.mktemp("tracking-genai-broken")
    node_ids = write_variants(root)
    (root / "nodes.txt").write_text("\n".join(node_ids))
    result = subprocess.run(  # -v: one line per node id and outcome, skipped ones included
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "-v", "-o", "addopts=",
         "--mlflow-conformance-timeout=300", *node_ids],
        cwd=root, capture_output=True, text=True, timeout=1200,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
             "MLFLOW_DISABLE_TELEMETRY": "true"})
    outcomes = {}
    for line in result.stdout.splitlines():
        match = re.match(r"^(test_variants\.py::\S+) (PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS)\b", line)
        if match:
            outcomes[match.group(1)] = match.group(2)
    return outcomes, result.stdout


def _outcome(run, class_name, clause_id):
    outcomes, stdout = run
    node = f"test_variants.py::{class_name}::{_test_name(clause_id)}"
    assert node in outcomes, f"{node} did not run:\n{stdout[-3000:]}"
    return outcomes[node]


def test_every_new_clause_has_a_mutant():
    """Each clause of the GenAI families is the expected catcher of at least one broken store (the trace machine:
    of the variants in CAUGHT_BY_TRACE_MACHINE)."""
    import inspect

    from mlflow_plugin_conformance.contracts.tracking_store import TrackingStoreContract
    from mlflow_plugin_conformance.contracts.base import CLAUSE_MARKER

    families = ("traces", "assessments", "logged_models", "evaluation_datasets", "scorers", "label_schemas",
                "issues", "review_queues", "gateway", "mcp_servers", "trace_stateful")
    ids = set()
    for _, member in inspect.getmembers(TrackingStoreContract, inspect.isfunction):
        module = member.__module__.rsplit(".", 1)[-1]
        for mark in getattr(member, "pytestmark", []):
            if mark.name == CLAUSE_MARKER and module in families:
                ids.add(mark.args[0])
    caught = {c for _, c in BROKEN.values()} | ({MACHINE} if CAUGHT_BY_MACHINE else set())
    assert ids - caught == set(), f"clauses no broken store is written for: {sorted(ids - caught)}"


@pytest.mark.parametrize("variant", sorted(BROKEN))
def test_broken_store_is_caught(variants_run, variant):
    """The clause written for the variant's bug fails on it."""
    _, clause_id = BROKEN[variant]
    assert _outcome(variants_run, _class_name("Broken", variant), clause_id) == "FAILED"


@pytest.mark.parametrize("variant", CAUGHT_BY_MACHINE)
def test_broken_store_is_caught_by_trace_machine(variants_run, variant):
    """The trace differential machine, comparing with MLflow's reference, independently finds the bug."""
    assert _outcome(variants_run, _class_name("Broken", variant), MACHINE) == "FAILED"


@pytest.mark.parametrize("extension", sorted(CORRECT))
def test_correct_extension_passes(variants_run, extension):
    """A correct implementation of what MLflow's SQL store lacks (or gets wrong) passes the clause."""
    _, clause_id = CORRECT[extension]
    assert _outcome(variants_run, _class_name("Correct", extension), clause_id) == "PASSED"


def test_reference_passes_the_mutation_clauses(variants_run):
    """MLflow's SqlAlchemyStore passes every clause used to catch the variants, except its declared findings
    (strict known failures) and the methods it does not offer (unsupported)."""
    findings = _reference_findings()
    expected = {c: ("XFAIL" if c in findings else "SKIPPED" if c in UNSUPPORTED_ON_REFERENCE else "PASSED")
                for c in sorted({c for _, c in BROKEN.values()}) + [MACHINE]}
    wrong = {c: _outcome(variants_run, "TestReference", c) for c in expected
             if _outcome(variants_run, "TestReference", c) != expected[c]}
    assert not wrong, f"the reference's outcomes differ from the expected ones: {wrong}"


def test_mutation_score(variants_run):
    """Print the score: variants caught by their clause / all variants."""
    caught = [v for v, (_, c) in BROKEN.items() if _outcome(variants_run, _class_name("Broken", v), c) == "FAILED"]
    print(f"\ntracking-store GenAI mutation score: {len(caught)}/{len(BROKEN)}")
    assert len(caught) == len(BROKEN)
