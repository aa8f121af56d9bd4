"""The app and app-client contracts catch every broken app in ``tests/broken/providers_apps.py`` and pass the
example plugin's app and client.

The broken apps are installed as a distribution on ``PYTHONPATH`` so ``mlflow server --app-name`` finds them as
it finds any plugin. Contracts run in-process (pytester ``inline_run``): servers and the per-app interface probes
are shared across the runs of this module.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import time
from collections import defaultdict
from pathlib import Path

import pytest

BROKEN = Path(__file__).parent / "broken" / "providers_apps.py"


def _load():
    spec = importlib.util.spec_from_file_location("providers_apps_table", BROKEN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TABLE = _load()

_MODULE = '''
import pytest

from mlflow_plugin_conformance.build import AppClientTarget, AppTarget
from mlflow_plugin_conformance.contracts.app import AppContract, app_target
from mlflow_plugin_conformance.contracts.app_client import AppClientContract, app_client_target
import providers_apps
import types


def app_variant(name):
    value = dict(line.split(" = ") for line in providers_apps.ENTRY_POINTS.strip().splitlines()
                 if " = " in line)[name]
    obj = getattr(providers_apps, value.split(":")[1])
    return AppTarget(name, value, obj, isinstance(obj, types.FunctionType))


def bind(base, fixture_name, factory, class_name, **extra):
    def target(self):
        return factory()
    namespace = {{fixture_name: pytest.fixture(name=fixture_name)(target)}}
    namespace.update(extra)
    globals()[class_name] = type(class_name, (base,), namespace)


@pytest.fixture
def mlflow_app_client_exercise():
    return lambda client: client.get_info()


ONLY = {{"static": ("app/entry-point/*", "app/factory/asgi-under-uvicorn"), "served": ("app/server/*",),
        "clients": ("app_client/registration/*", "app_client/construct/*", "app_client/state/*",
                    "app_client/end-to-end/*")}}

for which, variants in {variants!r}.items():
    for variant, (name, _) in variants.items():
        class_name = "Test_" + variant.replace("-", "_")
        if which == "clients":
            if name == "IgnoresUriClient":
                factory = lambda: AppClientTarget("file-plugin", "providers_apps:IgnoresUriClient",
                                                  providers_apps.IgnoresUriClient)
            else:
                factory = lambda n=name: app_client_target(n)
            bind(AppClientContract, "app_client", factory, class_name, only_clauses=ONLY[which])
        else:
            bind(AppContract, "app", lambda n=name: app_variant(n), class_name, only_clauses=ONLY[which])

bind(AppContract, "app", lambda: app_target("file-plugin"), "TestReferenceExampleApp")
bind(AppClientContract, "app_client", lambda: app_client_target("file-plugin"), "TestReferenceExampleAppClient")
'''

_CONFTEST = """
import fnmatch

from mlflow_plugin_conformance.contracts.base import clause_of


def pytest_collection_modifyitems(items):
    # A broken variant runs only the clauses of its family (servers and probes take seconds each).
    kept = []
    for item in items:
        only = getattr(item.cls, "only_clauses", None)
        this = clause_of(item)
        if only and this is not None and not any(fnmatch.fnmatchcase(this.id, g) for g in only):
            continue
        kept.append(item)
    items[:] = kept
"""

_GROUPS = {"static": TABLE.STATIC, "served": TABLE.SERVED, "clients": TABLE.CLIENTS}
_RESULTS: dict[str, dict[str, dict[str, str]]] = {}


@pytest.fixture
def broken_site(tmp_path_factory, monkeypatch):
    """The broken apps installed as ``broken-mlflow-apps`` on PYTHONPATH (this process and its servers)."""
    site = tmp_path_factory.getbasetemp() / "broken-apps-site"
    if not site.exists():
        site.mkdir()
        shutil.copy(BROKEN, site / "providers_apps.py")
        info = site / "broken_mlflow_apps-0.1.dist-info"
        info.mkdir()
        (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-mlflow-apps\nVersion: 0.1\n")
        (info / "entry_points.txt").write_text(TABLE.ENTRY_POINTS)
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")])))
    importlib.invalidate_caches()
    return site


def run(pytester) -> dict[str, dict[str, str]]:
    """{class: {clause: outcome}} of one in-process run of every variant and reference (cached per process)."""
    if "table" not in _RESULTS:
        module = pytester.path / "test_apps_generated.py"
        module.write_text(_MODULE.format(variants=_GROUPS))
        (pytester.path / "conftest.py").write_text(_CONFTEST)
        started = time.perf_counter()
        reprec = pytester.inline_run(str(module), "-p", "no:cacheprovider", "-q")
        elapsed = time.perf_counter() - started
        table: dict[str, dict[str, str]] = defaultdict(dict)
        durations: dict[str, float] = defaultdict(float)
        for report in reprec.getreports("pytest_runtest_logreport"):
            owner = report.nodeid.split("::")[1]
            durations[owner] += report.duration
            for name, data in report.user_properties:
                if name == "mlflow_clause" and table[owner].get(data["clause"]) != "failed":
                    table[owner][data["clause"]] = data["outcome"]
        _RESULTS["table"] = dict(table)
        print(f"\napp contracts: {elapsed:.1f} s; seconds per class: "
              + ", ".join(f"{k} {v:.1f}" for k, v in sorted(durations.items())))
    return _RESULTS["table"]


def test_broken_apps_caught_and_references_pass(pytester, broken_site):
    """One test (the contracts run once, in-process; a single test keeps pytest-xdist from running them twice):

    * every broken app and client fails the clause named for its bug (mutation score printed);
    * the example plugin's app (a factory wrapping MLflow's server app) passes every app clause, including a real
      ``mlflow server --app-name file-plugin`` answering MLflow's REST API, and its client every client clause.
    """
    table = run(pytester)
    missed, total, predates = {}, 0, []
    for variants in _GROUPS.values():
        for variant, (_, expected) in sorted(variants.items()):
            got = table.get("Test_" + variant.replace("-", "_"), {})
            if got.get(expected) == "not-applicable":  # the installed MLflow predates the clause (since)
                predates.append(variant)
                continue
            total += 1
            if got.get(expected) != "failed":
                missed[variant] = f"{expected} -> {got.get(expected)} (all: {got})"
    print(f"\napp mutation score: {total - len(missed)}/{total}"
          + (f" (not applicable on this MLflow: {', '.join(predates)})" if predates else ""))
    wrong = {}
    for reference, minimum in (("TestReferenceExampleApp", 9), ("TestReferenceExampleAppClient", 7)):
        got = table.get(reference, {})
        bad = {c: o for c, o in got.items() if o not in ("passed", "not-applicable")}
        if bad or len(got) < minimum:
            wrong[reference] = got
    assert not missed, f"broken apps not caught: {missed}"
    assert not wrong, f"references that do not pass every clause: {wrong}"
