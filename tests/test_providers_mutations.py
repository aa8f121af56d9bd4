"""Every broken provider in ``tests/broken/providers_variants.py`` is caught by the clause named for it, and the
correct providers (the example plugin's, and MLflow's own built-ins) pass every clause.

All contracts run in one in-process pytest session (pytester ``inline_run``), so the real ``mlflow server`` the
end-to-end clauses use is started once for the whole module.
"""

from __future__ import annotations

import importlib.util
import time
from collections import defaultdict
from pathlib import Path

import pytest

VARIANTS_FILE = Path(__file__).parent / "broken" / "providers_variants.py"


def _load_variants():
    spec = importlib.util.spec_from_file_location("providers_variants", VARIANTS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


VARIANTS = _load_variants().VARIANTS

_TEST_MODULE = '''
import contextlib
import importlib.util

import pytest

from mlflow_plugin_conformance.capabilities import Capabilities
import mlflow_plugin_conformance as contracts

spec = importlib.util.spec_from_file_location("providers_variants", {variants_file!r})
variants = importlib.util.module_from_spec(spec)
spec.loader.exec_module(variants)

FIXTURES = {{
    "RunContextProviderContract": "run_context_provider",
    "RequestHeaderProviderContract": "request_header_provider",
    "RequestAuthProviderContract": "request_auth_provider",
    "DefaultExperimentProviderContract": "default_experiment_provider",
}}


def bind(contract_name, factory, class_name, extra=None):
    contract = getattr(contracts, contract_name)
    fixture_name = FIXTURES[contract_name]

    def provider(self):
        return factory()

    provider.__name__ = fixture_name
    namespace = {{fixture_name: pytest.fixture(name=fixture_name)(provider)}}
    namespace.update(extra or {{}})
    globals()[class_name] = type(class_name, (contract,), namespace)


for variant, (contract_name, cls_name, _) in variants.VARIANTS.items():
    cls = getattr(variants, cls_name)
    factory = (lambda c=cls: c("config")) if cls_name == "NeedsConstructorArgument" else (lambda c=cls: c())
    bind(contract_name, factory, "Test_" + variant.replace("-", "_"))


# -- the references: the example plugin (in context through its environment variable) --------------------------

@pytest.fixture
def example_context(monkeypatch):
    @contextlib.contextmanager
    def activate():
        with monkeypatch.context() as patch:
            patch.setenv("MLFLOW_FILE_PLUGIN_CONTEXT", "conformance")
            yield
    return activate


def _example(cls_name):
    from mlflow_file_plugin import providers
    return getattr(providers, cls_name)()


for contract_name, cls_name in (
    ("RunContextProviderContract", "PluginRunContextProvider"),
    ("RequestHeaderProviderContract", "PluginRequestHeaderProvider"),
    ("RequestAuthProviderContract", "PluginRequestAuthProvider"),
    ("DefaultExperimentProviderContract", "PluginDefaultExperimentProvider"),
):
    extra = {{"provider_context": pytest.fixture(name="provider_context")(lambda self, example_context: example_context)}}
    bind(contract_name, lambda n=cls_name: _example(n), "TestReferenceExample" + contract_name, extra)


# -- the references: MLflow's own built-in providers ------------------------------------------------------------

BUILTIN = Capabilities(known_failures={{
    "*/registration/entry-point": "built-in: MLflow registers it itself, not through an entry point",
}})


def _builtin(path):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)()


import importlib  # noqa: E402

for contract_name, path, extra in (
    ("RunContextProviderContract", "mlflow.tracking.context.default_context.DefaultRunContext",
     {{"documented_reserved_tags": frozenset({{"mlflow.user", "mlflow.source.name", "mlflow.source.type"}})}}),
    ("RequestHeaderProviderContract",
     "mlflow.tracking.request_header.default_request_header_provider.DefaultRequestHeaderProvider", {{}}),
):
    extra = dict(extra, mlflow_conformance_capabilities=pytest.fixture(
        name="mlflow_conformance_capabilities")(lambda self: BUILTIN))
    bind(contract_name, lambda p=path: _builtin(p), "TestReferenceBuiltin" + contract_name, extra)
'''


_RESULTS: dict[str, dict[str, dict[str, str]]] = {}


@pytest.fixture
def outcomes(pytester) -> dict[str, dict[str, str]]:
    """{test class: {clause id: outcome}} of one in-process run of every variant and reference (computed once per
    process, by the first test that needs it; in-process, so the run shares this process's mlflow server)."""
    if "table" not in _RESULTS:
        module = pytester.path / "test_generated_providers.py"
        module.write_text(_TEST_MODULE.format(variants_file=str(VARIANTS_FILE)))
        started = time.perf_counter()
        reprec = pytester.inline_run(str(module), "-p", "no:cacheprovider", "-q")
        elapsed = time.perf_counter() - started
        table: dict[str, dict[str, str]] = defaultdict(dict)
        per_contract: dict[str, float] = defaultdict(float)
        for report in reprec.getreports("pytest_runtest_logreport"):
            owner = report.nodeid.split("::")[1]
            if owner.startswith("TestReferenceExample"):
                per_contract[owner[len("TestReferenceExample"):]] += report.duration
            for name, data in report.user_properties:
                if name == "mlflow_clause" and table[owner].get(data["clause"]) != "failed":
                    table[owner][data["clause"]] = data["outcome"]
        _RESULTS["table"] = dict(table)
        print(f"\nprovider contracts: {len(VARIANTS)} broken variants and 6 references ran in {elapsed:.1f} s; "
              "example plugin, seconds per contract: "
              + ", ".join(f"{k.replace('Contract', '')} {v:.2f}" for k, v in sorted(per_contract.items())))
    return _RESULTS["table"]


REFERENCES = {
    "TestReferenceExampleRunContextProviderContract": ("passed",),
    "TestReferenceExampleRequestHeaderProviderContract": ("passed",),
    "TestReferenceExampleRequestAuthProviderContract": ("passed",),
    "TestReferenceExampleDefaultExperimentProviderContract": ("passed",),
    # MLflow's built-ins: the only divergences are declared (they are registered by MLflow, not entry points, so
    # no import order can drop them: import-order/* is not applicable)
    "TestReferenceBuiltinRunContextProviderContract": ("passed", "known-failure", "not-applicable"),
    "TestReferenceBuiltinRequestHeaderProviderContract": ("passed", "known-failure", "not-applicable"),
}


def _inapplicable_variants() -> dict[str, str]:
    """Variants whose bug cannot happen on the installed MLflow, with the reason."""
    import importlib.util

    skipped = {}
    if importlib.util.find_spec("mlflow.tracking.request_auth.kubernetes_request_auth_provider") is None:
        skipped["ra-name-taken"] = ("this MLflow has no built-in 'kubernetes' auth provider to clash with "
                                    "(added in MLflow 3.11)")
    return skipped


def test_broken_providers_caught_and_references_pass(outcomes):
    """One test (the contracts run once, in-process; a single test keeps pytest-xdist from running them twice):

    * every broken variant fails the clause named for its bug (mutation score printed);
    * the example plugin's providers, in context, pass every clause of their contract, none skipped;
    * MLflow's DefaultRunContext and DefaultRequestHeaderProvider pass, apart from declared known failures.
    """
    missed, inapplicable = {}, _inapplicable_variants()
    for variant, (_, _, clause) in sorted(VARIANTS.items()):
        if variant in inapplicable:
            continue
        got = outcomes.get("Test_" + variant.replace("-", "_"), {})
        if got.get(clause) != "failed":
            missed[variant] = f"{clause} -> {got.get(clause)}"
    total = len(VARIANTS) - len(inapplicable)
    print(f"\nprovider mutation score: {total - len(missed)}/{total}"
          + "".join(f"\n  {variant}: not applicable: {why}" for variant, why in inapplicable.items()))
    wrong = {}
    for reference, allowed in REFERENCES.items():
        got = outcomes.get(reference, {})
        if len(got) < 9 or sum(o == "passed" for o in got.values()) < 8:
            wrong[reference] = f"too few clauses ran: {got}"
        bad = {c: o for c, o in got.items() if o not in allowed}
        if bad:
            wrong[reference] = bad
    assert not missed, f"broken providers not caught: {missed}"
    assert not wrong, f"references that do not pass: {wrong}"
