"""Every deliberately broken registry store in ``tests/broken/registry_stores.py`` is caught by its clause.

Each variant is MLflow's registry SqlAlchemyStore with one realistic bug.  A pytester run subclasses the contract
with the broken store and runs the clause that must catch it; the clause must fail (not pass, not skip).  The
mutation score is the number of passing cases of ``test_registry_broken_store_is_caught`` over ``len(VARIANTS)``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from mlflow_plugin_conformance.contracts.base import CLAUSE_MARKER
from mlflow_plugin_conformance.contracts.model_registry_store import ModelRegistryStoreContract
from mlflow_plugin_conformance.reference import sqlite_template

BROKEN_DIR = Path(__file__).parent / "broken"

sys.path.insert(0, str(BROKEN_DIR))
from registry_stores import VARIANTS  # noqa: E402

sys.path.remove(str(BROKEN_DIR))

_MODULE = '''
import pytest
from hypothesis import Phase, settings

from mlflow_plugin_conformance.contracts.model_registry_store import ModelRegistryStoreContract
from mlflow_plugin_conformance.reference import fresh_registry_sqlite_uri
from registry_stores import {cls}


# A failing machine or property is reported without shrinking: these runs only ask "is it caught?". The ci
# profile they derive from is derandomised, so whether a variant is caught does not depend on luck.
settings.register_profile("registry-broken-no-shrink", settings(settings(), phases=[Phase.explicit, Phase.reuse,
                                                                                   Phase.generate]))
settings.load_profile("registry-broken-no-shrink")


class TestBroken(ModelRegistryStoreContract):
    @pytest.fixture
    def model_registry_store(self, tmp_path):
        return {cls}(fresh_registry_sqlite_uri(tmp_path))

    @pytest.fixture
    def registry_uri(self, tmp_path):
        """A scheme registered in MLflow's registry for the broken class, as its entry point would."""
        from mlflow.tracking._model_registry.utils import _get_store_registry

        scheme = getattr({cls}, "SCHEME", None)
        if scheme is None:
            return fresh_registry_sqlite_uri(tmp_path)
        _get_store_registry().register(scheme, {cls})
        return f"{{scheme}}://{{tmp_path.as_posix()}}"
'''


#: Variants whose bug only exists on newer MLflow: before 3.3, MLflow's _validate_model_alias_name itself refused
#: the reserved aliases, so a store calling it (as ReservedAliasAcceptedStore does) is correct there.
VARIANT_NEEDS_MLFLOW = {"reserved-alias-accepted": "3.3"}


def _skip_unless_applicable(variant: str, clause_id: str) -> None:
    """Skip a variant whose clause (``since``) or whose bug the installed MLflow predates."""
    import mlflow

    from mlflow_plugin_conformance.capabilities import version_at_least

    needed = [VARIANT_NEEDS_MLFLOW.get(variant)]
    for name in dir(ModelRegistryStoreContract):
        for mark in getattr(getattr(ModelRegistryStoreContract, name), "pytestmark", []):
            if name.startswith("test_") and mark.name == CLAUSE_MARKER and mark.args[0] == clause_id:
                needed.append(mark.kwargs.get("since"))
    for since in filter(None, needed):
        if not version_at_least(mlflow.__version__, since):
            pytest.skip(f"{variant}: needs MLflow >= {since}, installed {mlflow.__version__}")


def method_of_clause(clause_id: str) -> str:
    """The test method of ModelRegistryStoreContract that checks ``clause_id``."""
    for name in dir(ModelRegistryStoreContract):
        if not name.startswith("test_"):
            continue
        for mark in getattr(getattr(ModelRegistryStoreContract, name), "pytestmark", []):
            if mark.name == CLAUSE_MARKER and mark.args[0] == clause_id:
                return name
    raise LookupError(f"no clause {clause_id} in ModelRegistryStoreContract")


@pytest.fixture(scope="session")
def registry_template():
    """Migrate the SQLite template once, outside pytester's runs (which unload modules imported inside them)."""
    return sqlite_template()


def run_variant(pytester: pytest.Pytester, variant: str):
    cls, clause_id = VARIANTS[variant]
    pytester.syspathinsert(BROKEN_DIR)
    module = pytester.makepyfile(**{f"test_{variant.replace('-', '_')}": _MODULE.format(cls=cls)})
    method = method_of_clause(clause_id)
    reprec = pytester.inline_run(f"{module.name}::TestBroken::{method}", "-p", "no:cacheprovider",
                                 "--mlflow-conformance-profile=ci")
    calls = [r for r in reprec.getreports("pytest_runtest_logreport") if r.when == "call"]
    return clause_id, method, calls


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_registry_broken_store_is_caught(pytester: pytest.Pytester, variant: str, registry_template):
    """The clause named for the variant fails against the broken store."""
    _skip_unless_applicable(variant, VARIANTS[variant][1])
    clause_id, method, calls = run_variant(pytester, variant)
    assert [r.nodeid.rsplit("::", 1)[-1] for r in calls] == [method], f"expected exactly one run of {method}"
    report = calls[0]
    assert report.failed, f"{variant}: clause {clause_id} did not catch the bug ({report.outcome})"


def test_registry_clause_ids_of_variants_exist():
    """Every variant names a clause that exists, so a renamed clause cannot make a variant vacuous."""
    for variant, (_, clause_id) in VARIANTS.items():
        assert method_of_clause(clause_id), variant
