"""Importable base classes and declarations: the third way in, and the outcome mechanism every contract uses."""

from __future__ import annotations

import json

STORE_FIXTURE = """
import pytest
from mlflow_plugin_conformance import TrackingStoreContract


def make_store(tmp_path, cls=None):
    from mlflow_file_plugin._stores import FilePluginTrackingStore
    cls = cls or FilePluginTrackingStore
    return cls(f"file-plugin://{tmp_path.as_posix()}", (tmp_path / "a").as_uri())
"""


def run_pytest(pytester, *args):
    # A subprocess, not pytester's in-process mode: the in-process run's sys.modules snapshot and restore leaves
    # importlib.metadata unable to find distributions afterwards (MLflow imports many modules during a run).
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "--mlflow-conformance-report=r.json", *args)


def report(pytester):
    return json.loads((pytester.path / "r.json").read_text())


def test_subclass_with_fixture_passes_and_other_tests_still_run(pytester, experiment_clause_counts):
    pytester.makepyfile(test_mine=STORE_FIXTURE + """
class TestMyStore(TrackingStoreContract):
    @pytest.fixture
    def tracking_store(self, tmp_path):
        return make_store(tmp_path)


def test_unrelated():
    assert 1 + 1 == 2
""")
    result = run_pytest(pytester, "--mlflow-conformance-clause=tracking_store/experiments/*")
    applicable, total = experiment_clause_counts
    # the applicable experiment clauses + the user's own test (build clause deselected); the others predate MLflow
    result.assert_outcomes(passed=applicable + 1, skipped=total - applicable)
    data = report(pytester)
    assert {c["target"] for c in data["clauses"]} == {"test_mine.py::TestMyStore"}
    assert "MLflow plugin conformance" in result.stdout.str()


def test_subclass_without_fixture_gets_instructions_not_a_pass(pytester):
    pytester.makepyfile(test_forgot="""
from mlflow_plugin_conformance import TrackingStoreContract

class TestForgot(TrackingStoreContract):
    pass
""")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-k", "build_instance or experiments_create_and_get")
    # One failure (the build clause) with the instructions, the other clause not-run: one bug, one headline.
    result.assert_outcomes(failed=1, skipped=1)
    result.stdout.fnmatch_lines(["*TestForgot subclasses TrackingStoreContract but does not provide the "
                                 "`tracking_store` fixture*"])


def test_known_failure_is_reported_and_strict(pytester):
    pytester.makepyprojecttoml("""
        [tool.pytest.ini_options]
        mlflow_conformance_known_failures = [
            "tracking_store/experiments/rename: this store keeps names forever",
            "tracking_store/experiments/get-unknown: wrongly declared, it passes",
        ]
    """)
    pytester.makepyfile(test_known=STORE_FIXTURE + """
from mlflow_file_plugin._stores import FilePluginTrackingStore

class NoRename(FilePluginTrackingStore):
    def rename_experiment(self, experiment_id, new_name):
        pass

class TestKnown(TrackingStoreContract):
    @pytest.fixture
    def tracking_store(self, tmp_path):
        return make_store(tmp_path, NoRename)
""")
    result = run_pytest(pytester, "--mlflow-conformance-clause=tracking_store/experiments/rename",
                           "--mlflow-conformance-clause=tracking_store/experiments/get-unknown")
    result.assert_outcomes(xfailed=1, failed=1)
    result.stdout.fnmatch_lines(["*XPASS(strict)*wrongly declared*"])
    got = {c["clause"]: c["outcome"] for c in report(pytester)["clauses"]}
    assert got == {"tracking_store/experiments/rename": "known-failure",
                   "tracking_store/experiments/get-unknown": "failed"}


def test_core_clause_cannot_be_declared_unsupported(pytester):
    pytester.makepyprojecttoml("""
        [tool.pytest.ini_options]
        mlflow_conformance_unsupported = ["tracking_store/experiments/*"]
    """)
    pytester.makepyfile(test_core=STORE_FIXTURE + """
class TestCore(TrackingStoreContract):
    @pytest.fixture
    def tracking_store(self, tmp_path):
        return make_store(tmp_path)
""")
    result = run_pytest(pytester, "--mlflow-conformance-clause=tracking_store/experiments/rename")
    result.assert_outcomes(passed=1)


CUSTOM_CONTRACT = """
import pytest
from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import NOT_IMPLEMENTED
from mlflow_plugin_conformance.contracts.base import ContractBase, clause


class Thing:
    def optional_family(self):
        raise NotImplementedError("not offered")

    def optional_rest(self):
        raise MlflowException("nope", error_code=NOT_IMPLEMENTED)

    def core(self):
        raise NotImplementedError("forgot")


class ThingContract(ContractBase):
    kind_key = "thing"
    target_fixture = "thing"

    @clause("thing/family/optional", level="full", feature="thing.family")
    def test_optional(self, thing):
        thing.optional_family()

    @clause("thing/family/optional-rest", level="full")
    def test_optional_rest(self, thing):
        thing.optional_rest()

    @clause("thing/core/needed")
    def test_core(self, thing):
        thing.core()

    @clause("thing/future/feature", since="99.0")
    def test_future(self, thing):
        raise AssertionError("must not run on an MLflow older than 99.0")

    @clause("thing/declared/off", feature="thing.declared")
    def test_declared(self, thing):
        raise AssertionError("declared unsupported: must not run")


class TestThing(ThingContract):
    @pytest.fixture
    def thing(self):
        return Thing()
"""


def test_outcomes_unsupported_not_applicable_and_core_not_implemented(pytester):
    pytester.makepyprojecttoml("""
        [tool.pytest.ini_options]
        mlflow_conformance_unsupported = ["thing.declared"]
    """)
    pytester.makepyfile(test_thing=CUSTOM_CONTRACT)
    result = run_pytest(pytester)
    got = {c["clause"]: c["outcome"] for c in report(pytester)["clauses"]}
    assert got.pop("thing/build/name-unique") == "not-applicable", "no entry point is bound to a user's class"
    assert {got.pop(c) for c in list(got) if "/side-effects/" in c} == {"passed"}
    assert got == {
        "thing/build/instance": "passed",
        "thing/family/optional": "unsupported",
        "thing/family/optional-rest": "unsupported",
        "thing/core/needed": "failed",
        "thing/future/feature": "not-applicable",
        "thing/declared/off": "unsupported",
    }
    result.stdout.fnmatch_lines(["*thing/core/needed*"])


def test_capabilities_fixture_extends_ini_declarations(pytester):
    pytester.makepyfile(test_thing=CUSTOM_CONTRACT + """

class TestThingDeclared(ThingContract):
    @pytest.fixture
    def thing(self):
        return Thing()

    @pytest.fixture
    def mlflow_conformance_capabilities(self, mlflow_conformance_capabilities):
        from mlflow_plugin_conformance import Capabilities
        return mlflow_conformance_capabilities.merged(
            Capabilities(unsupported={"thing.declared"}, known_failures={"thing/core/*": "known gap"}))
""")
    run_pytest(pytester, "-k", "TestThingDeclared")
    got = {c["clause"]: c["outcome"] for c in report(pytester)["clauses"]}
    assert got["thing/declared/off"] == "unsupported"
    assert got["thing/core/needed"] == "known-failure"


def test_level_core_deselects_full_clauses(pytester):
    pytester.makepyfile(test_thing=CUSTOM_CONTRACT)
    run_pytest(pytester, "--mlflow-conformance-level=core")
    got = {c["clause"] for c in report(pytester)["clauses"]}
    assert "thing/family/optional" not in got and "thing/core/needed" in got


def test_a_fixture_that_raises_is_one_build_failure_then_not_run(pytester):
    """The base-class route reports a target that cannot be built once, like the command-line route."""
    pytester.makepyfile(test_raises=CUSTOM_CONTRACT.replace('''class TestThing(ThingContract):''', '''
class TestBroken(ThingContract):
    @pytest.fixture
    def thing(self):
        raise RuntimeError("cannot connect to my-service")


class TestThing(ThingContract):'''))
    result = run_pytest(pytester, "-k", "TestBroken")
    got = {c["clause"]: c["outcome"] for c in report(pytester)["clauses"]}
    assert got["thing/build/instance"] == "failed"
    assert {outcome for clause, outcome in got.items() if clause != "thing/build/instance"} <= {
        "not-run", "not-applicable", "unsupported"}
    assert "cannot connect to my-service" in result.stdout.str()
    result.assert_outcomes(failed=1, skipped=len(got) - 1)


def test_a_declaration_that_names_nothing_is_a_usage_error_with_a_did_you_mean(pytester):
    pytester.makepyprojecttoml("""
        [tool.pytest.ini_options]
        mlflow_conformance_unsupported = ["thing.declard"]
        mlflow_conformance_known_failures = ["thing/core/neede: typo"]
    """)
    pytester.makepyfile(test_thing=CUSTOM_CONTRACT)
    result = run_pytest(pytester)
    assert result.ret == 4
    result.stderr.fnmatch_lines([
        "*'thing.declard' is not a feature name; did you mean 'thing.declared'*",
        "*'thing/core/neede' matches no clause; did you mean 'thing/core/needed'*",
    ])


def test_every_hook_a_plugin_author_may_provide_is_a_declared_fixture(pytester):
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--fixtures")
    for hook in ("mlflow_provider_context", "mlflow_app_server_env", "mlflow_app_credentials",
                 "mlflow_app_client_exercise", "mlflow_plugin_uri", "mlflow_conformance_capabilities",
                 "mlflow_deployment_options", "mlflow_deployable_models"):
        result.stdout.fnmatch_lines([f"{hook}*"])


LEAKY_CONTRACT = """
import os
import pytest
from mlflow_plugin_conformance.contracts.base import ContractBase, clause


class Thing:
    def __init__(self, leak):
        self.leak = leak

    def work(self, tmp_path):
        if self.leak:
            open("leaked-cache.txt", "w").write("x")         # into the working directory
            os.environ["MLFLOW_TRACKING_URI"] = "sqlite:///x"  # redirects every later MLflow call
            import mlflow
            mlflow.set_registry_uri("sqlite:///registry.db")
        else:
            (tmp_path / "ok.txt").write_text("x")


class ThingContract(ContractBase):
    kind_key = "thing"
    target_fixture = "thing"

    @clause("thing/work/does-it")
    def test_work_does_it(self, thing, tmp_path):
        thing.work(tmp_path)


class TestLeaky(ThingContract):
    @pytest.fixture
    def thing(self):
        return Thing(leak=True)


class TestClean(ThingContract):
    @pytest.fixture
    def thing(self):
        return Thing(leak=False)
"""


def test_side_effect_clauses_catch_writes_to_the_working_directory_and_global_state(pytester, monkeypatch):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.delenv("MLFLOW_REGISTRY_URI", raising=False)
    pytester.makepyfile(test_leaky=LEAKY_CONTRACT)
    result = run_pytest(pytester)
    data = report(pytester)
    got = {(c["target"].split("::")[-1], c["clause"]): c["outcome"] for c in data["clauses"]}
    for family in ("working-directory", "environment", "mlflow-global-state"):
        assert got[("TestLeaky", f"thing/side-effects/{family}")] == "failed", family
        assert got[("TestClean", f"thing/side-effects/{family}")] == "passed", family
    assert got[("TestClean", "thing/side-effects/home-directory")] == "passed"
    out = result.stdout.str()
    assert "the run created 'leaked-cache.txt' in the working directory" in out
    assert "MLFLOW_TRACKING_URI (set)" in out
    assert "registry URI: None -> 'sqlite:///registry.db'" in out


def test_a_defect_inherited_from_an_mlflow_implementation_says_so(pytester, monkeypatch):
    """A store built on MLflow's FileStore fails FileStore's own findings: the failure names MLflow's class."""
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    pytester.makepyfile(test_inherits="""
import pytest
from mlflow.store.tracking.file_store import FileStore
from mlflow_plugin_conformance import TrackingStoreContract


class MyFileStore(FileStore):
    pass


class TestMyStore(TrackingStoreContract):
    @pytest.fixture
    def tracking_store(self, tmp_path):
        return MyFileStore(str(tmp_path / "mlruns"), (tmp_path / "artifacts").as_uri())
""")
    result = run_pytest(pytester, "--mlflow-conformance-clause=tracking_store/metrics/history-deduplicates",
                        "--mlflow-conformance-clause=tracking_store/metrics/round-trip")
    got = {c["clause"]: c for c in report(pytester)["clauses"]}
    failed = got["tracking_store/metrics/history-deduplicates"]
    assert failed["outcome"] == "failed"
    assert "MyFileStore subclasses MLflow's FileStore" in failed["reason"]
    assert "appends identical metric points again" in failed["reason"]
    assert got["tracking_store/metrics/round-trip"]["outcome"] == "passed"
    result.stdout.fnmatch_lines(["*MLflow finding*"])


#: A property that fails on its third call only (``{third_call}`` is the body line run then): Hypothesis' replay of
#: the failing example passes, which it reports as Flaky.
REPLAY_DIFFERS = """
import itertools
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from mlflow_plugin_conformance.contracts.base import ContractBase, clause

calls = itertools.count()


class Silent(Exception):
    def __str__(self):
        return ""


class ThingContract(ContractBase):
    kind_key = "thing"
    target_fixture = "thing"

    @clause("thing/properties/answer")
    @settings(max_examples=5, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(x=st.integers(0, 3))
    def test_properties_answer(self, thing, x):
        if next(calls) == 2:
            {third_call}


class TestThing(ThingContract):
    @pytest.fixture
    def thing(self):
        return object()
"""


def _replayed_differently(pytester, third_call: str) -> dict:
    pytester.makepyfile(test_flaky=REPLAY_DIFFERS.format(third_call=third_call))
    result = run_pytest(pytester, "--mlflow-conformance-clause=thing/properties/*")
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()
    (record,) = [c for c in report(pytester)["clauses"] if c["clause"] == "thing/properties/answer"]
    assert record["outcome"] == "failed"
    assert "[the plugin answered differently when Hypothesis replayed this example" in record["reason"]
    return record


def test_a_plugin_that_answers_differently_on_replay_gets_an_honest_headline_not_flaky(pytester):
    """The error the clause first met leads the headline (it is the plugin's bug); the replay is the note."""
    assert _replayed_differently(pytester, 'raise AssertionError("odd call")')["reason"].startswith(
        "AssertionError: odd call [")


def test_a_replay_failure_whose_first_error_has_no_message_is_reported_not_an_internal_error(pytester):
    """A real plugin (a store accepting the model name '\\n') made Hypothesis raise Flaky around an exception whose
    ``str()`` is empty: the suite's own reporting crashed the session. The clause must fail, with a report."""
    _replayed_differently(pytester, "raise Silent()")
