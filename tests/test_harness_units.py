"""Unit tests of the pure modules: clause ids, verdicts, redaction, selection, report aggregation."""

from __future__ import annotations

import json

import pytest

from mlflow_plugin_conformance.capabilities import Capabilities, Clause, version_at_least
from mlflow_plugin_conformance.outcomes import ClauseOutcome, classify, is_not_implemented
from mlflow_plugin_conformance.discovery import PluginTarget, SelectionError, select, silent_conflicts
from mlflow_plugin_conformance.uri_templates import UriOptionError, UriTemplates
from mlflow_plugin_conformance.redaction import redact_text, redact_uri, uri_secrets
from mlflow_plugin_conformance.report import SCHEMA_VERSION, ClauseRecord, ConformanceReport, TargetInfo


@pytest.mark.parametrize("bad", ["metrics/nan", "Tracking/x/y", "tracking_store", "tracking_store/a b/c"])
def test_clause_ids_must_be_kind_family_name(bad):
    with pytest.raises(ValueError):
        Clause(bad)


def test_clause_level_is_checked_and_optional_follows_level_or_feature():
    with pytest.raises(ValueError):
        Clause("k/f/n", level="medium")
    assert not Clause("k/f/n").optional
    assert Clause("k/f/n", level="full").optional
    assert Clause("k/f/n", feature="k.f").optional


@pytest.mark.parametrize(
    "installed,since,expected",
    [("3.17.2", "3.3", True), ("3.2.9", "3.3", False), ("3.3", "3.3.0", True), ("2.22.5", "3.0", False),
     ("3.0.0rc1", "3.0", True), ("10.0", "9.9", True), ("3.17.2", "3.17.3", False)],
)
def test_version_at_least(installed, since, expected):
    assert version_at_least(installed, since) is expected


def test_verdict_order_not_applicable_then_unsupported_then_known_failure():
    caps = Capabilities(unsupported={"k.f", "k/other/*"}, known_failures={"k/*": "reason"})
    optional = Clause("k/f/n", feature="k.f", since="3.5")
    assert caps.verdict(optional, "3.4").action == "not-applicable"
    assert caps.verdict(optional, "3.5").action == "unsupported"
    assert caps.verdict(Clause("k/other/x", level="full"), "3.5").action == "unsupported"
    core = Clause("k/other/core")
    assert caps.verdict(core, "3.5").action == "xfail", "a core clause cannot be opted out, only declared failing"
    assert caps.verdict(Clause("z/a/b"), "3.5").action == "run"


def test_capabilities_from_ini_lines_and_merge():
    caps = Capabilities.from_lines(["# comment", "tracking_store.traces", ""],
                                   ["tracking_store/metrics/*: SQL maps inf", "x/y/z"])
    assert caps.unsupported == frozenset({"tracking_store.traces"})
    assert caps.known_failures == {"tracking_store/metrics/*": "SQL maps inf", "x/y/z": "declared known failure"}
    merged = caps.merged(Capabilities(unsupported={"a.b"}, known_failures={"x/y/z": "better reason"}))
    assert merged.unsupported == {"tracking_store.traces", "a.b"}
    assert merged.known_failures["x/y/z"] == "better reason"


def test_not_implemented_recognition():
    class Coded(Exception):
        error_code = "NOT_IMPLEMENTED"

    class Other(Exception):
        error_code = "INTERNAL_ERROR"

    assert is_not_implemented(NotImplementedError())
    assert is_not_implemented(Coded())
    assert not is_not_implemented(Other())
    assert not is_not_implemented(ValueError())


@pytest.mark.parametrize(
    "when,outcome,ended_with,xfail,expected",
    [("call", "passed", None, False, "passed"), ("setup", "passed", None, False, None),
     ("call", "failed", None, False, "failed"), ("setup", "failed", None, False, "failed"),
     ("setup", "skipped", ClauseOutcome("unsupported", "declared"), False, "unsupported"),
     ("setup", "skipped", ClauseOutcome("not-applicable", "needs 3.5"), False, "not-applicable"),
     ("call", "skipped", ClauseOutcome("blocked", "x", blocked_by="k/f/n"), False, "blocked"),
     ("call", "skipped", None, False, "not-run"),
     ("call", "skipped", None, True, "known-failure"), ("call", "failed", None, True, "failed")],
)
def test_outcome_of_report_phases(when, outcome, ended_with, xfail, expected):
    assert classify(when, outcome, xfail, ended_with) == expected


def test_an_outcome_is_carried_by_the_exception_not_by_its_message():
    """A skip whose message merely starts with an outcome's name is still a plain skip (not-run)."""
    assert classify("call", "skipped", False, None) == "not-run"
    with pytest.raises(ValueError):
        ClauseOutcome("passed", "a clause cannot end early as passed")


@pytest.mark.parametrize(
    "uri,shown",
    [("postgresql://bob:hunter2@db:5432/mlflow", "postgresql://bob:***@db:5432/mlflow"),
     ("s3://bucket/path?X-Amz-Signature=abc&region=eu", "s3://bucket/path?X-Amz-Signature=***&region=eu"),
     ("http://host/api?token=abcd", "http://host/api?token=***"),
     ("file-plugin:///tmp/x", "file-plugin:///tmp/x"), ("https://user@host/x", "https://user@host/x")],
)
def test_redact_uri(uri, shown):
    assert redact_uri(uri) == shown


def test_secrets_scrubbed_from_free_text():
    uri = "mysql://root:topsecret@h/db?password=pw12345"
    assert set(uri_secrets(uri)) == {"topsecret", "pw12345"}
    text = f"could not connect to {uri}: login root/topsecret failed"
    scrubbed = redact_text(text, uri_secrets(uri))
    assert "topsecret" not in scrubbed and "pw12345" not in scrubbed


TARGETS = [
    PluginTarget("mlflow.tracking_store", "file-plugin", "m:a", "mlflow-file-plugin", "1"),
    PluginTarget("mlflow.artifact_repository", "file-plugin", "m:b", "mlflow-file-plugin", "1"),
    PluginTarget("mlflow.run_context_provider", "unused", "m:C", "mlflow-file-plugin", "1"),
    PluginTarget("mlflow.tracking_store", "other", "o:a", "other-plugin", "2"),
    PluginTarget("mlflow.deployments", "databricks", "mlflow.deployments.databricks", "mlflow", "3"),
]


def test_select_by_scheme_and_distribution_union():
    assert [t.value for t in select(TARGETS, schemes=["file-plugin"])] == ["m:a", "m:b"]
    assert len(select(TARGETS, dists=["MLflow_File.Plugin"])) == 3, "distribution names are normalised"
    assert len(select(TARGETS, schemes=["other"], dists=["mlflow-file-plugin"])) == 4


def test_select_errors_name_what_is_installed():
    with pytest.raises(SelectionError, match=r"Did you mean 'file-plugin'.*Installed names: .*other"):
        select(TARGETS, schemes=["file-plugn"])
    with pytest.raises(SelectionError, match="Did you mean 'other-plugin'"):
        select(TARGETS, dists=["other-plugn"])


def test_silent_conflicts():
    extra = TARGETS + [
        PluginTarget("mlflow.tracking_store", "other", "p:a", "rival-plugin", "1"),
        PluginTarget("mlflow.artifact_repository", "s3", "q:a", "shadow", "1"),
        PluginTarget("mlflow.deployments", "databricks", "r:a", "shadow", "1"),
    ]
    messages = {(f.target.dist, f.message.split(":")[0]) for f in silent_conflicts(extra)}
    assert ("shadow", "overrides MLflow's built-in 's3' in mlflow.artifact_repository") in messages
    assert ("shadow", "overrides MLflow's built-in 'databricks' in mlflow.deployments") in messages
    assert any(d == "other-plugin" and "also registered by rival-plugin" in m
               for d, m in ((f.target.dist, f.message) for f in silent_conflicts(extra)))
    assert not any(f.target.dist == "mlflow" for f in silent_conflicts(extra)), "MLflow's own entry points"
    assert silent_conflicts(TARGETS) == []


def test_uri_templates_most_specific_line_wins_and_later_lines_override():
    tracking = PluginTarget("mlflow.tracking_store", "x", "m:S", "d", "1")
    other = PluginTarget("mlflow.tracking_store", "y", "m:T", "d", "1")
    templates = UriTemplates.parse(["tracking_store=x://a?b=c", "{scheme}://{tmp}/db", "",
                                    "tracking_store=x://later", "tracking_store:y=y://only-y"])
    assert templates.template_for(tracking) == "x://later"
    assert templates.template_for(other) == "y://only-y"
    assert templates.problems([tracking, other]) == []


def test_a_uri_template_with_another_scheme_is_not_applied_silently():
    target = PluginTarget("mlflow.tracking_store", "my-scheme", "m:S", "d", "1")
    templates = UriTemplates.parse(["tracking_store=sqlite:///{tmp}/db"])
    assert templates.template_for(target) == "{scheme}://{tmp}/tracking", "the default, not somebody else's store"
    (problem,) = templates.problems([target])
    assert "scheme 'sqlite' is none of the targets' (my-scheme)" in problem
    with pytest.raises(UriOptionError, match="'trackin_store' is not a plugin kind"):
        UriTemplates.parse(["trackin_store=x://y"])
    (problem,) = UriTemplates.parse(["tracking_store:other=other://z"]).problems([target])
    assert "no selected tracking_store target is named 'other'" in problem


def test_report_worst_phase_wins_and_renders(tmp_path):
    rep = ConformanceReport(mlflow_version="3.17.2")
    rep.add_target(TargetInfo("tracking_store:x", "mlflow.tracking_store", "x", "d", "1", "tracking_store"))
    rep.add_target(TargetInfo("future:y", "mlflow.future", "y", "d", "1", "future", contract=False,
                              note="unknown mlflow.* group"))
    rep.add_phase(ClauseRecord("tracking_store/a/b", "core", "tracking_store:x", "passed", "n1", duration=1))
    rep.add_phase(ClauseRecord("tracking_store/a/b", "core", "tracking_store:x", "failed", "n1", reason="boom\nmore"))
    rep.add_phase(ClauseRecord("tracking_store/a/c", "full", "tracking_store:x", "unsupported", "n2"))
    assert rep.records["n1"].outcome == "failed" and rep.records["n1"].duration == 1
    counts = rep.counts()
    assert counts[("tracking_store:x", "core")]["failed"] == 1
    assert counts[("tracking_store:x", "full")]["unsupported"] == 1
    lines = "\n".join(rep.terminal_lines())
    assert "FAILED tracking_store:x tracking_store/a/b: boom" in lines
    assert "future:y: no contract for mlflow.future yet" in lines
    data = json.loads(rep.write(tmp_path / "r.json").read_text())
    assert data["schema_version"] == SCHEMA_VERSION and len(data["clauses"]) == 2
    md = rep.write(tmp_path / "r.md").read_text()
    assert "| tracking_store:x | d 1 | core | 0 | 1 |" in md and "#### Failed clauses" in md
    with pytest.raises(ValueError):
        rep.write(tmp_path / "r.txt")


def test_a_kinds_since_applies_to_every_clause_of_it():
    from mlflow_plugin_conformance.contracts.base import _kind_since, _later

    class Workspace:
        kind_key = "workspace_provider"

    class Tracking:
        kind_key = "tracking_store"

    assert _kind_since(Workspace) == "3.11" and _kind_since(Tracking) is None
    assert _later("3.2", "3.11") == "3.11" and _later(None, "3.11") == "3.11" and _later("3.12", None) == "3.12"


def test_declarations_that_name_nothing_are_reported_with_a_did_you_mean():
    caps = Capabilities(frozenset({"tracking_store.tracess", "tracking_store/metrics/nan-round-trp",
                                   "tracking_stor/metrics/*", "artifact_repository/*", "tracking_store/runs/*"}),
                        {"tracking_store.traces": "features cannot be known failures"})
    problems = caps.declaration_problems(
        clause_ids=["tracking_store/metrics/nan-round-trip", "tracking_store/runs/create"],
        features=["tracking_store.traces"], kind_keys=["tracking_store", "artifact_repository"],
        checked_kinds=["tracking_store"])
    text = "\n".join(problems)
    assert "'tracking_store.tracess' is not a feature name; did you mean 'tracking_store.traces'" in text
    assert "'tracking_store/metrics/nan-round-trp' matches no clause; did you mean " \
           "'tracking_store/metrics/nan-round-trip'" in text
    assert "'tracking_stor/metrics/*' names no plugin kind 'tracking_stor'; did you mean 'tracking_store'" in text
    assert "known_failures: 'tracking_store.traces' is not a clause-id glob" in text
    # A kind not checked in this run, and a glob that matches, are fine.
    assert len(problems) == 4, problems


def test_importing_the_public_api_changes_neither_the_environment_nor_the_hypothesis_profile():
    """Profiles and MLflow's telemetry switch are set by the session fixture, never as an import side effect.

    The profile is compared with the one Hypothesis chose on its own import (``ci`` where ``CI`` is set)."""
    import subprocess
    import sys

    code = (
        "import os, hypothesis\n"
        "os.environ.pop('MLFLOW_DISABLE_TELEMETRY', None); os.environ.pop('DO_NOT_TRACK', None)\n"
        "before = dict(os.environ)\n"
        "profile = hypothesis.settings._current_profile\n"
        "import mlflow_plugin_conformance as api\n"
        "for name in api.__all__: getattr(api, name)\n"
        "assert 'MLFLOW_DISABLE_TELEMETRY' not in os.environ and 'DO_NOT_TRACK' not in os.environ\n"
        "assert hypothesis.settings._current_profile == profile, (profile, hypothesis.settings._current_profile)\n"
        "print('unchanged')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "unchanged" in done.stdout


def test_a_timeout_says_whose_code_was_running_and_the_hypothesis_phase():
    import time

    from mlflow_plugin_conformance.timeouts import ConformanceTimeout, time_limit

    def plugin_call_that_hangs():
        time.sleep(5)

    with pytest.raises(ConformanceTimeout) as caught:
        with time_limit(0.2, "clause k/f/n"):
            plugin_call_that_hangs()
    message = str(caught.value)
    assert "clause k/f/n did not finish within 0.2 s" in message
    assert "plugin_call_that_hangs at " in message and "the plugin's code" in message


# -- the differential machines' shared comparison (contracts/shared/differential.py) ------------------------------


def _raiser(exc):
    def call():
        raise exc

    return call


def _mlflow_error(code):
    from mlflow.exceptions import MlflowException
    from mlflow.protos.databricks_pb2 import ErrorCode

    return MlflowException("no", error_code=ErrorCode.Value(code))


def _tracking_style_machine():
    from hypothesis.stateful import rule

    from mlflow_plugin_conformance.contracts.shared.differential import IdMappingMachine

    class Machine(IdMappingMachine):
        @rule()
        def step(self):
            pass

        def id_maps(self):
            return {"p1": "r1"}, {"p1": "ignored", "p2": "r2"}

    return Machine.bind(lambda: "plugin store", lambda: "reference store")()


def test_differential_values_are_compared_with_the_plugins_ids_mapped_and_outcomes_returned():
    machine = _tracking_style_machine()
    plugin, reference = machine.both("get", lambda: {"id": "p1", "parent": ["p2"]},
                                     lambda: {"id": "r1", "parent": ["r2"]})
    assert (plugin.value, reference.value) == ({"id": "p1", "parent": ["p2"]}, {"id": "r1", "parent": ["r2"]})
    with pytest.raises(AssertionError, match=r"get:\n\s+plugin:    \('ok', 'r1'\)\n\s+reference: \('ok', 'r2'\)"):
        machine.both("get", lambda: "p1", lambda: "r2")


def test_differential_error_codes_must_match_and_a_plugin_crash_never_agrees():
    machine = _tracking_style_machine()
    plugin, _ = machine.both("x", _raiser(_mlflow_error("RESOURCE_DOES_NOT_EXIST")),
                             _raiser(_mlflow_error("RESOURCE_DOES_NOT_EXIST")))
    assert not plugin.ok and plugin.raised.code == "RESOURCE_DOES_NOT_EXIST"
    with pytest.raises(AssertionError, match=r"plugin:    \('error', 'INVALID_PARAMETER_VALUE'\)\n"
                                             r"\s+reference: \('error', 'RESOURCE_DOES_NOT_EXIST'\)"):
        machine.both("x", _raiser(_mlflow_error("INVALID_PARAMETER_VALUE")),
                     _raiser(_mlflow_error("RESOURCE_DOES_NOT_EXIST")))
    with pytest.raises(AssertionError, match=r"plugin:    \('error', raised KeyError: 'k'\)"):
        machine.both("x", _raiser(KeyError("k")), _raiser(_mlflow_error("RESOURCE_DOES_NOT_EXIST")))
    with pytest.raises(AssertionError, match=r"plugin:    \('error', raised NotImplementedError: \)"):
        machine.both("x", _raiser(NotImplementedError()), lambda: None)
    with pytest.raises(ZeroDivisionError):  # the reference's own crash is not compared: it ends the run
        machine.both("x", lambda: None, _raiser(ZeroDivisionError()))


def test_registry_differential_tolerances_and_unsupported_plugin_methods(monkeypatch):
    from mlflow_plugin_conformance.contracts.model_registry_store import ModelRegistryStoreDifferentialMachine
    from mlflow_plugin_conformance.contracts.model_registry_store import stateful

    noted = []
    monkeypatch.setattr(stateful, "note", noted.append)  # each step is noted for the shrunk example

    machine = ModelRegistryStoreDifferentialMachine.bind(lambda: "plugin store", lambda: "reference store")()
    machine.on_both("lookup", lambda s, p: (_ for _ in ()).throw(
        _mlflow_error("INVALID_PARAMETER_VALUE" if s == "plugin store" else "RESOURCE_DOES_NOT_EXIST")),
        alias_lookup=True)
    with pytest.raises(AssertionError, match="lookup: the store under test raised INVALID_PARAMETER_VALUE: no, "
                                             "MLflow's SqlAlchemyStore raised RESOURCE_DOES_NOT_EXIST: no"):
        machine.on_both("lookup", lambda s, p: (_ for _ in ()).throw(
            _mlflow_error("INVALID_PARAMETER_VALUE" if s == "plugin store" else "RESOURCE_DOES_NOT_EXIST")))
    machine.on_both("anything against INTERNAL_ERROR", lambda s, p: (_ for _ in ()).throw(
        _mlflow_error("BAD_REQUEST" if s == "plugin store" else "INTERNAL_ERROR")))
    with pytest.raises(AssertionError, match="the store under test returned 'plugin store', MLflow's "
                                             "SqlAlchemyStore raised ZeroDivisionError"):
        machine.on_both("crash", lambda s, p: s if s == "plugin store" else 1 / 0)
    with pytest.raises(NotImplementedError):  # the clause then reports the plugin's method unsupported
        machine.on_both("unsupported", lambda s, p: (_ for _ in ()).throw(NotImplementedError())
                        if s == "plugin store" else None)
    assert machine.prefixes["plugin"] != machine.prefixes["reference"]
    machine.on_both("names", lambda s, p: p + "m", lambda name, p: name[len(p):])
    assert noted[0] == "lookup" and noted[-1] == "names"


def test_in_ci_the_suites_ci_profile_replaces_the_one_hypothesis_loads_by_itself():
    """Where ``CI`` is set Hypothesis loads its own ``ci`` profile on import (100 examples per property); the
    suite's default there is its own ``ci`` profile. A profile the user loaded stays."""
    import os
    import subprocess
    import sys

    code = ("import hypothesis\n"
            "from mlflow_plugin_conformance.strategies import PROFILE_PREFIX, ensure_profile\n"
            "assert hypothesis.settings._current_profile == 'ci', hypothesis.settings._current_profile\n"
            "print(ensure_profile())\n"
            "hypothesis.settings.register_profile('mine', max_examples=3)\n"
            "hypothesis.settings.load_profile('mine')\n"
            "print(ensure_profile())\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "CI": "true"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["mlflow-conformance-ci", "mine"]


def test_a_plugin_importing_an_optional_part_of_mlflow_without_its_extra_is_told_which_extra(tmp_path, monkeypatch):
    """A real plugin imported ``mlflow.server.auth`` without depending on ``mlflow[auth]``; the suite blamed the
    environment ("MLflow itself fails to import"). It names the extra the plugin must declare."""
    import importlib
    import sys

    from mlflow_plugin_conformance.build import _missing_mlflow_extra

    (tmp_path / "needs_auth_plugin.py").write_text("import mlflow.server.auth\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m == "mlflow.server.auth" or m.startswith("mlflow.server.auth.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "flask_wtf", None)  # not installed, as without the extra
    monkeypatch.setitem(sys.modules, "flask_wtf.csrf", None)
    with pytest.raises(ImportError) as caught:
        importlib.import_module("needs_auth_plugin")
    assert _missing_mlflow_extra(caught.value) == ("mlflow.server.auth", "Flask-WTF", "auth")
    assert _missing_mlflow_extra(ImportError("cannot import name 'x'")) is None


def test_an_unordered_list_compares_after_the_plugins_ids_are_mapped():
    """Two assessments that differ only in the (store-made) id they override sorted in opposite orders in the two
    stores, and the trace machine failed the example plugin (found by the project's own CI)."""
    from mlflow_plugin_conformance.contracts.shared.differential import IdMappingMachine, Unordered

    class Maps(IdMappingMachine):
        plugin_store_factory = object

        def id_maps(self):
            return ({"a-ff": "a-11", "a-1f": "a-ff"},)

    machine = Maps.__new__(Maps)
    plugin_view = Unordered([("f1", True, "a-ff"), ("f1", True, "a-1f")])
    reference_view = Unordered([("f1", True, "a-11"), ("f1", True, "a-ff")])
    assert machine.map_ids(plugin_view) == reference_view
    assert machine.map_ids(sorted(plugin_view, key=repr)) != reference_view  # what a plain sorted list did


def test_a_leaking_log_record_is_named_without_showing_the_secret_again():
    """The secrets clause names the record that leaks; its report must not print the credential a second time (a
    real token would end up in the author's CI log)."""
    from mlflow_plugin_conformance.contracts.request_auth_provider.secrets import _redacted

    shown = _redacted("fetched token tok-logged-98765, sending Bearer tok-logged-98765",
                      ["Bearer tok-logged-98765", "tok-logged-98765"])  # as secret_candidates gives them
    assert shown == "fetched token <secret>, sending <secret>"
