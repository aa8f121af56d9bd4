"""Every broken registry store in ``tests/broken/registry_new.py`` is caught by its clause, and the clauses built on
the broken behaviour report it as blocked by that clause (one bug, one headline).

One pytester run holds a test class per variant (the contract on the broken store) and runs, in each, only the
clause that must catch it and the clauses that must report blocked, next to a control class (MLflow's own
SqlAlchemyStore, through the same fixtures) that must pass those clauses: one collection for all variants keeps it
lean. The mutation score is printed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from mlflow_plugin_conformance.contracts.base import declared_clauses
from mlflow_plugin_conformance.contracts.model_registry_store import ModelRegistryStoreContract
from mlflow_plugin_conformance.reference import sqlite_template

BROKEN_DIR = Path(__file__).parent / "broken"

sys.path.insert(0, str(BROKEN_DIR))
from registry_new import BLOCKED, VARIANTS  # noqa: E402

sys.path.remove(str(BROKEN_DIR))

CLAUSES = {clause.id: (method, clause) for method, clause in declared_clauses(ModelRegistryStoreContract)}

_HEADER = '''
import pytest

from mlflow_plugin_conformance.contracts.model_registry_store import ModelRegistryStoreContract
from mlflow_plugin_conformance.reference import fresh_registry_sqlite_uri
import registry_new
from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore


def _registry_uri_for(cls, db_uri, ident):
    """A scheme registered in MLflow's registry that builds ``cls`` on ``db_uri``, as an entry point would."""
    from mlflow.tracking._model_registry.utils import _get_store_registry

    def build(store_uri, tracking_uri=None):
        return cls(db_uri)

    scheme = "broken-registry-new-" + ident.replace("_", "-")  # a URI scheme has no '_'
    _get_store_registry().register(scheme, build)
    return f"{scheme}://{db_uri.rsplit('/', 1)[-1]}"  # one URI per database: MLflow caches a store per URI
'''

_CLASS = '''

class Test_{ident}(ModelRegistryStoreContract):
    @pytest.fixture
    def _db_uri(self, tmp_path):
        return fresh_registry_sqlite_uri(tmp_path)

    @pytest.fixture
    def model_registry_store(self, _db_uri):
        return {cls}(_db_uri)

    @pytest.fixture
    def registry_uri(self, _db_uri):
        return _registry_uri_for({cls}, _db_uri, "{ident}")
'''


def _ident(variant: str) -> str:
    return re.sub(r"\W", "_", variant)


def _applicable(clause_id: str) -> bool:
    import mlflow

    from mlflow_plugin_conformance.capabilities import version_at_least

    since = CLAUSES[clause_id][1].since
    return since is None or version_at_least(mlflow.__version__, since)


@pytest.fixture(scope="module")
def registry_template():
    """Migrate the SQLite template once, outside pytester's runs (which unload modules imported inside them)."""
    return sqlite_template()


def test_registry_new_variants_name_existing_clauses():
    """Every variant names a clause that exists, so a renamed clause cannot make a variant vacuous."""
    named = {clause for _, clause in VARIANTS.values()}
    named |= {clause for blocked in BLOCKED.values() for pair in blocked.items() for clause in pair}
    assert named <= set(CLAUSES), sorted(named - set(CLAUSES))
    assert set(BLOCKED) <= set(VARIANTS)


def test_registry_new_broken_stores_are_caught(pytester: pytest.Pytester, registry_template):
    """Each variant fails the clause named for it; the clauses listed in BLOCKED report blocked by that clause; the
    control passes them all (or answers unsupported where MLflow's store leaves a method to its server)."""
    pytester.syspathinsert(BROKEN_DIR)
    variants = {v: spec for v, spec in VARIANTS.items() if _applicable(spec[1])}
    source = _HEADER + "".join(_CLASS.format(ident=_ident(v), cls=f"registry_new.{cls}")
                               for v, (cls, _) in variants.items())
    source += _CLASS.format(ident="control", cls="SqlAlchemyStore")  # MLflow's own store, the same clauses
    module = pytester.makepyfile(test_registry_new_variants=source)
    expected = {}  # nodeid -> (variant, "failed" | blocked-by clause id | "passed")
    controlled = {clause_id for _, clause_id in variants.values()}
    controlled |= {blocked for v in variants for blocked in BLOCKED.get(v, {}) if _applicable(blocked)}
    for clause_id in sorted(controlled):
        expected[f"{module.name}::Test_control::{CLAUSES[clause_id][0]}"] = ("control", "passed")
    for variant, (_, clause_id) in variants.items():
        expected[f"{module.name}::Test_{_ident(variant)}::{CLAUSES[clause_id][0]}"] = (variant, "failed")
        for blocked, by in BLOCKED.get(variant, {}).items():
            if _applicable(blocked):
                expected[f"{module.name}::Test_{_ident(variant)}::{CLAUSES[blocked][0]}"] = (variant, by)
    reprec = pytester.inline_run(*expected, "-p", "no:cacheprovider", "-p", "no:randomly")
    seen = {}
    for report in reprec.getreports("pytest_runtest_logreport"):
        for name, data in report.user_properties:
            if name == "mlflow_clause" and (report.when == "call" or not report.passed):
                seen[report.nodeid] = data
    missed = []
    for nodeid, (variant, want) in expected.items():
        got = seen.get(nodeid)
        if got is None:
            missed.append(f"{variant}: {nodeid} did not run")
        elif want == "passed" and got["outcome"] not in ("passed", "unsupported"):
            missed.append(f"control: {got['clause']} is {got['outcome']} on MLflow's store ({got['reason']})")
        elif want == "failed" and got["outcome"] != "failed":
            missed.append(f"{variant}: {got['clause']} did not catch it ({got['outcome']}: {got['reason']})")
        elif want not in ("failed", "passed") and (got["outcome"], got["blocked_by"]) != ("blocked", want):
            missed.append(f"{variant}: {got['clause']} is {got['outcome']} ({got['reason']}), expected blocked "
                          f"by {want}")
    caught = len([v for v in variants if not any(m.startswith(f"{v}:") for m in missed)])
    print(f"\nregistry (issue 12) mutants caught: {caught}/{len(variants)}")
    assert not missed, "\n".join(missed)
