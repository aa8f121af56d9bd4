"""A misbehaving plugin yields one clear failing item per target, never INTERNALERROR, and the run goes on."""

from __future__ import annotations

import json

import pytest

GOOD_STORE = """
def build(store_uri, artifact_uri=None):
    from mlflow_file_plugin import tracking_store
    return tracking_store("file-plugin://" + store_uri.split("://", 1)[1], artifact_uri)
"""


def run_scheme(pytester, *schemes, extra=()):
    args = ["-p", "no:cacheprovider", "--mlflow-conformance-report=r.json",
            "--mlflow-conformance-clause=tracking_store/build/*",
            "--mlflow-conformance-clause=tracking_store/experiments/get-*"]
    args += [f"--mlflow-plugin-scheme={s}" for s in schemes]
    result = pytester.runpytest_subprocess(*args, *extra)
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()
    return result, json.loads((pytester.path / "r.json").read_text())


def outcomes(report, target):
    return {c["clause"]: c["outcome"] for c in report["clauses"] if c["target"] == target}


def test_import_error_fails_the_build_clause_only_and_other_targets_still_run(pytester, fake_dists):
    fake_dists.add("broken-import", {"mlflow.tracking_store": {"broken-import": "broken_import_mod:build"}},
                   {"broken_import_mod.py": "import not_a_module_anywhere\n"})
    fake_dists.add("good-store", {"mlflow.tracking_store": {"good-store": "good_store_mod:build"}},
                   {"good_store_mod.py": GOOD_STORE})
    result, report = run_scheme(pytester, "broken-import", "good-store")
    out = result.stdout.str()
    assert result.ret == 1
    broken = outcomes(report, "tracking_store:broken-import")
    assert broken.pop("tracking_store/build/instance") == "failed"
    assert broken.pop("tracking_store/build/name-unique") == "passed", "it checks the entry point, not the build"
    assert set(broken.values()) == {"not-run"}
    assert set(outcomes(report, "tracking_store:good-store").values()) == {"passed"}
    # One failing item, which names the entry point, the distribution and the original error
    assert out.count("FAILED") >= 1 and "1 failed" in out
    assert "entry point 'broken-import' = 'broken_import_mod:build'" in out
    assert "distribution broken-import 1.0" in out
    assert "No module named 'not_a_module_anywhere'" in out


def test_one_import_error_shared_by_every_target_of_a_plugin_is_one_root_cause(pytester, fake_dists):
    """A plugin whose package does not import fails the build of each of its targets: that is one bug, one root
    cause (MLflow's own test plugin as published showed 13 root causes for one ModuleNotFoundError)."""
    fake_dists.add("no-package", {"mlflow.tracking_store": {"no-package": "no_package_mod.stores:build"},
                                  "mlflow.artifact_repository": {"no-package": "no_package_mod.repos:build"}},
                   {"no_package_mod/__init__.py": "import not_a_module_anywhere\n",
                    "no_package_mod/stores.py": "", "no_package_mod/repos.py": ""})
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--mlflow-conformance-report=r.json",
                                           "--mlflow-plugin=no-package", "--mlflow-conformance-clause=*/build/*")
    report = json.loads((pytester.path / "r.json").read_text())
    failed = [c for c in report["clauses"] if c["outcome"] == "failed"]
    assert len(failed) == 2, result.stdout.str()[-3000:]
    assert len(report["root_causes"]) == 1, report["root_causes"]
    assert "2 failed clauses, 1 root cause" in result.stdout.str()


def test_constructor_error_names_target_uri_and_traceback(pytester, fake_dists):
    fake_dists.add("raising-store", {"mlflow.tracking_store": {"raising": "raising_mod:build"}},
                   {"raising_mod.py": "def build(store_uri, artifact_uri=None):\n"
                                      "    raise RuntimeError('cannot reach the database at ' + store_uri)\n"})
    result, report = run_scheme(pytester, "raising")
    out = result.stdout.str()
    assert outcomes(report, "tracking_store:raising")["tracking_store/build/instance"] == "failed"
    assert "MLflow's registry failed to build it from the URI (RuntimeError)" in out
    assert "RuntimeError: cannot reach the database at raising://" in out
    assert "--mlflow-plugin-uri=tracking_store:SCHEME=URI" in out


def test_plugin_dropped_by_mlflow_at_import_is_explained(pytester, fake_dists):
    # MLflow swallows AttributeError from entrypoint.load(): the scheme silently disappears.
    fake_dists.add("missing-attr", {"mlflow.tracking_store": {"missing-attr": "missing_attr_mod:no_such_builder"}},
                   {"missing_attr_mod.py": "def build(store_uri, artifact_uri=None):\n    return None\n"})
    result, report = run_scheme(pytester, "missing-attr")
    out = result.stdout.str()
    assert outcomes(report, "tracking_store:missing-attr")["tracking_store/build/instance"] == "failed"
    assert "the entry point fails to import" in out
    assert "no_such_builder" in out


def test_circular_import_at_mlflow_import_time_is_detected(pytester, fake_dists):
    # The module imports an MLflow store at top level: fine after `import mlflow`, a circular import during it.
    fake_dists.add("eager-store", {"mlflow.tracking_store": {"eager": "eager_mod:build"}},
                   {"eager_mod.py": "from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore\n"
                                    "def build(store_uri, artifact_uri=None):\n"
                                    "    return SqlAlchemyStore('sqlite:///' + store_uri.split('://',1)[1] + '.db', artifact_uri)\n"})
    result, report = run_scheme(pytester, "eager")
    out = result.stdout.str()
    assert outcomes(report, "tracking_store:eager")["tracking_store/build/instance"] == "failed"
    assert "MLflow's registry for mlflow.tracking_store has no 'eager'" in out
    assert "import MLflow modules lazily" in out


def test_scheme_taken_over_by_another_distribution_is_reported(pytester, fake_dists):
    fake_dists.add("first-dist", {"mlflow.tracking_store": {"contested": "first_mod:build"}},
                   {"first_mod.py": GOOD_STORE})
    fake_dists.add("second-dist", {"mlflow.tracking_store": {"contested": "second_mod:build"}},
                   {"second_mod.py": GOOD_STORE})
    result, report = run_scheme(pytester, "contested")
    out = result.stdout.str()
    builds = [c for c in report["clauses"] if c["clause"] == "tracking_store/build/instance"]
    assert len(builds) == 2, "both distributions' entry points are targets"
    assert sorted(c["outcome"] for c in builds) == ["failed", "passed"]
    assert "another distribution or MLflow itself wins the name" in out


@pytest.mark.slow
def test_hangs_in_a_builder_or_a_method_fail_their_clause_and_the_run_goes_on(pytester, fake_dists):
    # One run with three targets, so the time limit is paid once (twice for the hanging build: in the fresh
    # interpreter that builds first, then in process). The correct targets are the example plugin's file store
    # (no migrations), which builds and answers well inside the limit even on a loaded machine.
    fake_dists.add("hanging-store", {"mlflow.tracking_store": {"hanging": "hanging_mod:build"}},
                   {"hanging_mod.py": "import time\ndef build(store_uri, artifact_uri=None):\n    time.sleep(600)\n"})
    fake_dists.add("good-store", {"mlflow.tracking_store": {"good-store": "good_store_mod:build"}},
                   {"good_store_mod.py": GOOD_STORE})
    fake_dists.add("slow-get", {"mlflow.tracking_store": {"slow-get": "slow_get_mod:build"}},
                   {"slow_get_mod.py": """
def build(store_uri, artifact_uri=None):
    import time
    from mlflow_file_plugin._stores import FilePluginTrackingStore

    class SlowGet(FilePluginTrackingStore):
        def get_experiment_by_name(self, name):
            time.sleep(600)

    return SlowGet("file-plugin://" + store_uri.split("://", 1)[1], artifact_uri)
"""})
    result, report = run_scheme(pytester, "hanging", "slow-get", "good-store",
                                extra=["--mlflow-conformance-timeout=12"])
    out = result.stdout.str()
    assert outcomes(report, "tracking_store:hanging")["tracking_store/build/instance"] == "failed"
    assert "building tracking_store:hanging did not finish within 12 s" in out
    slow = outcomes(report, "tracking_store:slow-get")
    assert slow["tracking_store/experiments/get-by-name"] == "failed"
    assert slow["tracking_store/experiments/get-unknown"] == "passed"
    assert "clause tracking_store/experiments/get-by-name did not finish within 12 s" in out
    assert set(outcomes(report, "tracking_store:good-store").values()) == {"passed"}


def test_target_of_an_unknown_group_is_reported_not_dropped(pytester, fake_dists):
    fake_dists.add("future-plugin", {"mlflow.future_kind": {"future": "future_mod:Thing"}},
                   {"future_mod.py": "class Thing: pass\n"})
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--mlflow-plugin=future-plugin")
    out = result.stdout.str()
    assert "INTERNALERROR" not in out
    assert "mlflow.future_kind:future: no contract for mlflow.future_kind yet (unknown mlflow.* group)" in out


def test_a_hang_inside_a_hypothesis_property_fails_once_and_does_not_replay_forever(pytester):
    pytester.makepyfile(test_prop="""
        import time
        from hypothesis import given, strategies as st
        from mlflow_plugin_conformance.contracts.base import ContractBase, clause


        class Hangs:
            def call(self, value):
                if value > 3:
                    time.sleep(600)


        class TestHang(ContractBase):
            kind_key = "thing"
            target_fixture = ""  # no subject fixture: the clauses build their own

            @clause("thing/property/hangs")
            def test_hangs(self):
                subject = Hangs()

                @given(st.integers(min_value=0, max_value=100))
                def check(value):
                    try:
                        subject.call(value)
                    except Exception:  # a clause or plugin that swallows errors must not swallow the limit
                        pass

                check()

            @clause("thing/property/fine")
            def test_fine(self):
                pass
    """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--mlflow-conformance-timeout=3",
                                           "-k", "hangs or fine", timeout=120)
    result.assert_outcomes(failed=1, passed=1)
    result.stdout.fnmatch_lines(["*clause thing/property/hangs did not finish within 3 s*"])


OLD_ARTIFACT_REPO = """
from mlflow.store.artifact.local_artifact_repo import LocalArtifactRepository


class OldRepo(LocalArtifactRepository):
    def __init__(self, artifact_uri):  # the pre-3.2 form: MLflow now passes tracking_uri= and registry_uri=
        super().__init__("file://" + artifact_uri.split("://", 1)[1])
        self.artifact_uri = artifact_uri  # its own scheme, as a real plugin keeps it
"""


def test_a_constructor_refusing_mlflows_keywords_gets_advice_and_direct_build_sees_past_it(pytester, fake_dists):
    fake_dists.add("old-repo", {"mlflow.artifact_repository": {"old-repo": "old_repo_mod:OldRepo"}},
                   {"old_repo_mod.py": OLD_ARTIFACT_REPO})
    args = ["-p", "no:cacheprovider", "--mlflow-plugin-scheme=old-repo", "--mlflow-conformance-report=r.json",
            "--mlflow-conformance-clause=artifact_repository/build/*",
            "--mlflow-conformance-clause=artifact_repository/log/*",
            "--mlflow-conformance-clause=artifact_repository/list/empty-root"]  # builds a child repository
    result = pytester.runpytest_subprocess(*args)
    out = result.stdout.str()
    assert "the constructor does not take the arguments MLflow passes (it refuses 'tracking_uri')" in out
    assert "tracking_uri= since MLflow 3.2, registry_uri= since 3.5" in out
    assert "--mlflow-plugin-uri" not in out.split("What to do:", 1)[1].split("Original error", 1)[0], \
        "the URI was fine: the advice must not blame it"
    registry_route = outcomes(json.loads((pytester.path / "r.json").read_text()), "artifact_repository:old-repo")
    assert registry_route.pop("artifact_repository/build/instance") == "failed"
    assert set(registry_route.values()) <= {"not-run", "passed"}  # name-unique passes; the rest cannot run

    result = pytester.runpytest_subprocess(*args, "--mlflow-conformance-build=direct")
    report = json.loads((pytester.path / "r.json").read_text())
    direct = outcomes(report, "artifact_repository:old-repo")
    assert direct.pop("artifact_repository/build/instance") == "failed", "the constructor defect stays reported"
    assert "passed" in set(direct.values()) and "not-run" not in set(direct.values())
    assert direct["artifact_repository/list/empty-root"] == "passed", "child repositories are built directly too"
    (info,) = [t for t in report["targets"] if t["label"] == "artifact_repository:old-repo"]
    assert "built directly" in info["note"]
    assert "other clauses ran against the entry point's object built directly" in result.stdout.str()


def test_an_opt_in_variable_mlflow_asks_for_is_named_in_the_advice(pytester, fake_dists, monkeypatch):
    fake_dists.add("filestore-plugin", {"mlflow.tracking_store": {"fs-plugin": "fs_mod:build"}},
                   {"fs_mod.py": "def build(store_uri, artifact_uri=None):\n"
                                 "    from mlflow.store.tracking.file_store import FileStore\n"
                                 "    return FileStore(store_uri.split('://', 1)[1], artifact_uri)\n"})
    monkeypatch.delenv("MLFLOW_ALLOW_FILE_STORE", raising=False)
    result, report = run_scheme(pytester, "fs-plugin")
    out = result.stdout.str()
    assert "MLflow refuses to build it unless MLFLOW_ALLOW_FILE_STORE is set" in out
    assert "set MLFLOW_ALLOW_FILE_STORE=true in the environment" in out


def test_a_factory_that_is_the_same_function_by_origin_is_not_taken_for_another_distribution(pytester, fake_dists):
    # A module-level __getattr__ hands out a new function object on every load: MLflow's registry holds one,
    # the suite's load another. Same module and qualified name: the same builder.
    fake_dists.add("lazy-factory", {"mlflow.tracking_store": {"lazy-factory": "lazy_mod:build"}},
                   {"lazy_mod.py": "def __getattr__(name):\n"
                                   "    if name != 'build':\n"
                                   "        raise AttributeError(name)\n"
                                   "    def build(store_uri, artifact_uri=None):\n"
                                   "        from mlflow_file_plugin import tracking_store\n"
                                   "        return tracking_store('file-plugin://' + store_uri.split('://', 1)[1],"
                                   " artifact_uri)\n"
                                   "    build.__qualname__ = 'build'\n"
                                   "    return build\n"})
    result, report = run_scheme(pytester, "lazy-factory")
    assert set(outcomes(report, "tracking_store:lazy-factory").values()) == {"passed"}, result.stdout.str()


def test_two_distributions_registering_one_scheme_are_two_targets_and_the_collision_fails(pytester, fake_dists):
    fake_dists.add("store-one", {"mlflow.tracking_store": {"shared-name": "store_one:build"}},
                   {"store_one.py": GOOD_STORE})
    fake_dists.add("store-two", {"mlflow.tracking_store": {"shared-name": "store_two:build"}},
                   {"store_two.py": GOOD_STORE})
    result, report = run_scheme(pytester, "shared-name")
    labels = {t["label"] for t in report["targets"]}
    assert labels == {"tracking_store:shared-name@store-one", "tracking_store:shared-name@store-two"}
    for label in labels:
        assert outcomes(report, label)["tracking_store/build/name-unique"] == "failed"
    assert "is registered by store-one and also by store-two" in result.stdout.str() or \
        "is registered by store-two and also by store-one" in result.stdout.str()
