"""The shared import-order probe (``contracts/shared/import_order.py``), beyond the circular imports the other
import-order tests catch:

* a plugin that ends the interpreter while it is built (``os._exit``, a crash in native code) is named by its
  build clause, with the exit status or signal and its output, and is never built in the test process: the run
  completes with a report instead of ending silently;
* a legal plugin whose modules import MLflow lazily passes both orders, and every probe of a distribution is one
  interpreter per order, shared by all its kinds;
* the README's base-class example does not itself import the plugin before mlflow;
* the broken store plugins of ``tests/broken/import_order_new.py`` are caught (a module imported first that MLflow
  drops, one imported later judged by what it held when it first asked for mlflow, a module that imports only
  where something else loaded a submodule it uses).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

KILLER = {
    "killer_plugin/__init__.py": "",
    "killer_plugin/stores.py": """
        import ctypes
        import os
        import sys


        def exiting_store(store_uri, artifact_uri=None):
            print("exiting_store: giving up on " + store_uri, flush=True)
            os._exit(3)


        def crashing_repository(artifact_uri, tracking_uri=None, registry_uri=None):
            print("crashing_repository: reading address 0", flush=True)
            ctypes.string_at(0)
    """,
    "killer_plugin/providers.py": """
        class FineProvider:
            def in_context(self):
                return False

            def tags(self):
                return {}
    """,
}

KILLER_ENTRY_POINTS = {
    "mlflow.tracking_store": {"killer-plugin": "killer_plugin.stores:exiting_store"},
    "mlflow.artifact_repository": {"killer-plugin": "killer_plugin.stores:crashing_repository"},
    "mlflow.run_context_provider": {"unused": "killer_plugin.providers:FineProvider"},
}


def test_a_plugin_that_ends_the_interpreter_is_named_and_not_built_in_process(pytester, fake_dists):
    """Single process (no xdist): the tracking store's builder calls os._exit(3), the artifact repository's
    segfaults. Both build clauses fail naming the target, the status and the plugin's output; the provider of the
    same distribution builds and passes; the run ends normally with a report."""
    fake_dists.add("killer-plugin", KILLER_ENTRY_POINTS, KILLER)
    report = pytester.path / "report.json"
    result = pytester.runpytest_subprocess(
        "--mlflow-plugin=killer-plugin", "-p", "no:cacheprovider", "-q", "-rf", f"--mlflow-conformance-report={report}",
        "--mlflow-conformance-clause=*/build/instance", "--mlflow-conformance-clause=*/import-order/*")
    output = result.stdout.str() + result.stderr.str()
    assert "INTERNALERROR" not in output, output[-3000:]
    assert result.ret == 1, output[-3000:]
    outcomes = {(c["target"], c["clause"]): c for c in json.loads(report.read_text())["clauses"]}
    tracking = outcomes[("tracking_store:killer-plugin", "tracking_store/build/instance")]
    artifacts = outcomes[("artifact_repository:killer-plugin", "artifact_repository/build/instance")]
    assert tracking["outcome"] == "failed" and artifacts["outcome"] == "failed", (tracking, artifacts)
    assert "exit status 3" in tracking["reason"] and "exiting_store: giving up" in output, tracking["reason"]
    assert "SIGSEGV" in artifacts["reason"] and "crashing_repository: reading address 0" in output, artifacts["reason"]
    assert "is not built in the test process" in output
    provider = {clause: c["outcome"] for (target, clause), c in outcomes.items()
                if target == "run_context_provider:unused"}
    assert provider == {"run_context_provider/build/instance": "passed",
                        "run_context_provider/import-order/plugin-first": "passed",
                        "run_context_provider/import-order/mlflow-first": "passed"}, provider


LAZY = {
    "lazy_plugin/__init__.py": "",
    "lazy_plugin/entry.py": """
        def make_store(store_uri, artifact_uri=None):
            from lazy_plugin.store import LazyStore

            return LazyStore(store_uri, artifact_uri)
    """,
    "lazy_plugin/store.py": """
        from mlflow.store.tracking.file_store import FileStore


        class LazyStore(FileStore):
            pass
    """,
}


def test_one_interpreter_per_order_for_every_kind_of_a_distribution(fake_dists, monkeypatch):
    """The probe of a distribution is one interpreter per import order, whatever the number of its kinds, and a
    factory entry point that imports its store lazily resolves in both orders."""
    from mlflow_plugin_conformance.contracts.shared import import_order

    fake_dists.add("lazy-plugin", {"mlflow.tracking_store": {"lazy-plugin": "lazy_plugin.entry:make_store"},
                                   "mlflow.run_context_provider": {"unused": "killer_plugin_absent:Nothing"}},
                   LAZY)
    ref = import_order.EntryRef("mlflow.tracking_store", "lazy-plugin", "lazy_plugin.entry:make_store",
                                "lazy-plugin")
    monkeypatch.setattr(import_order, "_PROBES", {})
    monkeypatch.setattr(import_order, "_PENDING", {})
    for order in (import_order.PLUGIN_FIRST, import_order.MLFLOW_FIRST):
        import_order.check_import_order(order, [ref])
        probe = import_order.probe_distribution(order, "lazy-plugin")
        assert probe.interpreters == 1, probe
        assert [r.label for r in probe.entries] == ["run_context_provider:unused", "tracking_store:lazy-plugin"]
        broken = import_order.EntryRef("mlflow.run_context_provider", "unused", "killer_plugin_absent:Nothing",
                                       "lazy-plugin")
        assert "No module named 'killer_plugin_absent'" in import_order.entry_problem(probe, broken)


README = Path(__file__).parent.parent / "README.md"

CIRCULAR_STORE = """
    from mlflow.store.tracking.file_store import FileStore


    class MyStore(FileStore):
        pass
"""


def _readme_base_class_example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("**Base classes**"):]
    return textwrap.dedent(re.search(r"```python\n(.*?)```", section, re.S).group(1))


def test_the_readme_base_class_example_imports_mlflow_before_the_plugin(tmp_path, fake_dists):
    """The README's base-class example, run as written against a store whose entry point names the class in a
    module that imports MLflow at its top (it works for users who import mlflow first): its imports leave the
    scheme in MLflow's registry, so the example does not make every clause go through a dropped plugin."""
    fake_dists.add("readme-plugin", {"mlflow.tracking_store": {"my-scheme": "my_plugin.store:MyStore"}},
                   {"my_plugin/__init__.py": "", "my_plugin/store.py": CIRCULAR_STORE})
    imports = "\n".join(line for line in _readme_base_class_example().splitlines()
                        if line.startswith(("import ", "from ")))
    assert "my_plugin" in imports, f"the example no longer imports the plugin's class:\n{imports}"
    script = imports + textwrap.dedent("""
        from mlflow.tracking._tracking_service.utils import _tracking_store_registry
        print("registered:", "my-scheme" in _tracking_store_registry._registry)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert "registered: True" in done.stdout, done.stdout + done.stderr[-3000:]


def _load_broken_table():
    import importlib.util

    spec = importlib.util.spec_from_file_location("import_order_new", Path(__file__).parent / "broken" /
                                                  "import_order_new.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_store_kinds_dropped_when_imported_first_are_caught(pytester, fake_dists):
    """``tests/broken/import_order_new.py`` through the bundled suite: each store kind whose contract has the
    import-order clauses fails plugin-first (the module imported first for real, and the one imported later,
    judged by what it held when it first asked for mlflow) and passes mlflow-first."""
    from mlflow_plugin_conformance.contracts.base import declared_clauses
    from mlflow_plugin_conformance.kinds import KINDS_BY_KEY

    table = _load_broken_table()
    fake_dists.add("circular-stores", table.ENTRY_POINTS, table.MODULES)
    report = pytester.path / "report.json"
    pytester.runpytest_subprocess("--mlflow-plugin=circular-stores", "-p", "no:cacheprovider", "-q",
                                  f"--mlflow-conformance-report={report}", "--mlflow-conformance-clause=*/build/instance",
                                  "--mlflow-conformance-clause=*/import-order/*")
    outcomes = {c["clause"]: c for c in json.loads(report.read_text())["clauses"]}
    checked = [kind for kind in table.CAUGHT_BY
               if any(c.id == table.CAUGHT_BY[kind] for _, c in declared_clauses(KINDS_BY_KEY[kind].contract_class()))]
    assert "tracking_store" in checked
    for kind in checked:
        assert outcomes[f"{kind}/build/instance"]["outcome"] == "passed", outcomes[f"{kind}/build/instance"]
        caught = outcomes[table.CAUGHT_BY[kind]]
        assert caught["outcome"] == "failed" and "half-defined" in caught["reason"], caught
        assert outcomes[f"{kind}/import-order/mlflow-first"]["outcome"] == "passed"


def test_a_store_that_imports_only_after_someone_else_fails_in_both_orders(fake_dists, monkeypatch):
    """The registry-store mutant of ``tests/broken/import_order_new.py``: its module relies on a submodule it never
    imports, so a fresh interpreter cannot import it whichever comes first (what the import-order clauses of a kind
    MLflow loads lazily catch)."""
    from mlflow_plugin_conformance.contracts.shared import import_order

    table = _load_broken_table()
    fake_dists.add("implicit-registry", table.IMPLICIT_ENTRY_POINTS, table.IMPLICIT_MODULES)
    monkeypatch.setattr(import_order, "_PROBES", {})
    monkeypatch.setattr(import_order, "_PENDING", {})
    (group, names), = table.IMPLICIT_ENTRY_POINTS.items()
    (name, value), = names.items()
    ref = import_order.EntryRef(group, name, value, "implicit-registry")
    for order in (import_order.PLUGIN_FIRST, import_order.MLFLOW_FIRST):
        with pytest.raises(pytest.fail.Exception, match="has no attribute 'sqlalchemy_store'"):
            import_order.check_import_order(order, [ref])
