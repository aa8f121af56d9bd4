"""False failures on correct plugins are the worst defect (issue 11 item 1). Two distributions built from
``tests/patterns/``:

* ``legal-patterns``: several project backends in one module, a factory entry point that imports lazily, an
  optional-environment header provider returning ``{}``, one forwarding an unset variable as ``None`` (not sent:
  ``requests`` leaves such a header out), one its package re-exports: every clause of every target passes;
* ``broken-patterns``: the same shapes with one bug each, still caught, and reported once: a backend factory
  MLflow cannot call (its siblings in the same module pass), a header provider returning an int value
  (``headers/str-to-str`` fails, the clauses that need str headers are blocked by it, none crashes).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

PATTERNS = Path(__file__).parent / "patterns"

LEGAL = {
    "mlflow.project_backend": {"legal-first": "legal_patterns_plugin.backends:FirstBackend",
                               "legal-second": "legal_patterns_plugin.backends:SecondBackend",
                               "legal-factory": "legal_patterns_plugin:make_backend"},
    "mlflow.request_header_provider": {"legal-headers": "legal_patterns_plugin.headers:OptionalTeamHeader",
                                       "legal-unset": "legal_patterns_plugin.unset_header:ForwardsUnsetVariable",
                                       "legal-reexported": "legal_patterns_plugin:ReexportedHeader"},
}
BROKEN = {
    "mlflow.project_backend": {"broken-first": "broken_patterns_plugin.backends:FirstBackend",
                               "broken-second": "broken_patterns_plugin.backends:make_second",
                               "broken-third": "broken_patterns_plugin.backends:make_third"},
    "mlflow.request_header_provider": {"broken-headers": "broken_patterns_plugin.headers:ForwardsRetriesAsNumber"},
}


def install(fake_dists, dist: str, package: str, entry_points: dict) -> None:
    modules = {f"{package}/{path.name}": path.read_text(encoding="utf-8")
               for path in (PATTERNS / package).glob("*.py")}
    fake_dists.add(dist, entry_points, modules)


@pytest.mark.slow
def test_legal_patterns_pass_every_clause_and_their_broken_twins_are_caught_once(pytester, fake_dists):
    install(fake_dists, "legal-patterns", "legal_patterns_plugin", LEGAL)
    install(fake_dists, "broken-patterns", "broken_patterns_plugin", BROKEN)
    report = pytester.path / "report.json"
    result = pytester.runpytest_subprocess("--mlflow-plugin=legal-patterns", "--mlflow-plugin=broken-patterns",
                                           f"--mlflow-conformance-report={report}", "-p", "no:cacheprovider",
                                           "-W", "ignore", "-q")
    output = result.stdout.str() + result.stderr.str()
    assert "INTERNALERROR" not in output, output[-3000:]
    outcomes: dict[str, dict[str, dict]] = {}
    for c in json.loads(report.read_text())["clauses"]:
        outcomes.setdefault(c["target"], {})[c["clause"]] = c

    def not_passed(target: str) -> list[str]:
        """Every outcome but passed, save name-unique on a provider kind (MLflow never reads their names)."""
        return [f"{target} {c['clause']}: {c['outcome']} {c['reason'][:300]}" for c in outcomes[target].values()
                if c["outcome"] != "passed" and not (c["clause"] == "request_header_provider/build/name-unique"
                                                     and c["outcome"] == "not-applicable")]

    correct = ["project_backend:legal-first", "project_backend:legal-second", "project_backend:legal-factory",
               "request_header_provider:legal-headers", "request_header_provider:legal-unset",
               "request_header_provider:legal-reexported",
               "project_backend:broken-first", "project_backend:broken-third"]
    assert sum(len(outcomes[target]) for target in correct) >= 5 * 12 + 2 * 13, {t: len(outcomes[t]) for t in correct}
    wrong = [line for target in correct for line in not_passed(target)]
    assert not wrong, "correct plugins do not pass every clause:\n" + "\n".join(wrong)

    build = outcomes["project_backend:broken-second"]["project_backend/build/instance"]
    assert build["outcome"] == "failed" and "missing 1 required positional argument" in build["reason"], build
    headers = {clause: c["outcome"] for clause, c in outcomes["request_header_provider:broken-headers"].items()}
    assert headers["request_header_provider/headers/str-to-str"] == "failed", headers
    str_to_str = "request_header_provider/headers/str-to-str"
    for clause in ("end-to-end/rest-call", "headers/valid-http", "concurrency/threads"):
        record = outcomes["request_header_provider:broken-headers"][f"request_header_provider/{clause}"]
        assert record["outcome"] == "blocked" and record["blocked_by"] == str_to_str, record


def test_a_subject_built_by_a_factory_is_checked_by_its_own_entry_point_only(fake_dists, monkeypatch):
    """The base-class route: a backend a factory built is told apart from its sibling factories by what MLflow's
    loader builds, so the broken ``broken-second`` fails only its own subject; ``broken-first`` (a class entry
    point in the same module) and ``broken-third`` (a sibling factory) pass."""
    from mlflow_plugin_conformance.contracts.shared import import_order

    install(fake_dists, "broken-patterns", "broken_patterns_plugin", BROKEN)
    monkeypatch.syspath_prepend(str(fake_dists.root))
    monkeypatch.setattr(import_order, "_PROBES", {})
    monkeypatch.setattr(import_order, "_PENDING", {})
    from broken_patterns_plugin import backends

    group = "mlflow.project_backend"

    def checked(subject) -> list[str]:
        refs = import_order.entry_points_naming(group, subject) or import_order.factory_entry_points(group, subject)
        refs = import_order.same_product(import_order.MLFLOW_FIRST, refs, f"{type(subject).__module__}:"
                                                                          f"{type(subject).__qualname__}")
        return [ref.name for ref in refs]

    assert checked(backends.FirstBackend()) == ["broken-first"]
    assert checked(backends.make_third()) == ["broken-third"]
    assert checked(backends.make_second({})) == ["broken-second", "broken-third"]  # no product tells them apart
    for order in (import_order.PLUGIN_FIRST, import_order.MLFLOW_FIRST):
        for name in ("broken-first", "broken-third"):
            import_order.check_import_order(order, [import_order.EntryRef(group, name, BROKEN[group][name],
                                                                          "broken-patterns")])
        with pytest.raises(pytest.fail.Exception, match="missing 1 required positional argument"):
            import_order.check_import_order(order, [import_order.EntryRef(group, "broken-second",
                                                                          BROKEN[group]["broken-second"],
                                                                          "broken-patterns")])
