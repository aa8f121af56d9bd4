"""What every contract class shares: the ``clause`` decorator, the gate that applies declarations, the fixture
that must be provided, and the build clause.

A contract is a plain pytest class.  A plugin's own test module subclasses it and provides one fixture, named
after the kind (``tracking_store``, ``artifact_repository``, ...).  The bundled suite (``suite/``) subclasses it
the same way, with that fixture built from the selected entry point through MLflow's registry.
"""

from __future__ import annotations

from typing import ClassVar

import pytest

from ..capabilities import CORE, Capabilities, Clause, version_tuple
from ..kinds import KINDS_BY_KEY, all_features
from ..outcomes import NOT_APPLICABLE, UNSUPPORTED, ClauseOutcome, not_applicable, not_run

CLAUSE_MARKER = "mlflow_clause"

#: Clauses that check the entry point itself and run whether or not the target built.
_BUILD_INDEPENDENT = frozenset({"build/instance", "build/name-unique"})


def clause(clause_id: str, *, level: str = CORE, feature: str | None = None, since: str | None = None,
           routes: tuple[str, ...] | None = None):
    """Mark a test method as the contract clause ``clause_id``.

    ``{kind}`` in the id is replaced by the contract class's ``kind_key`` (used by clauses every kind shares).
    ``feature`` names the optional family (``"<kind>.<name>"``, declared in the kind's catalogue record); a
    clause with a feature or at level ``full`` is *optional*: the plugin may answer it with NotImplementedError /
    NOT_IMPLEMENTED (outcome: unsupported).  ``since`` is the MLflow release that introduced the behaviour
    (outcome on older MLflow: not-applicable).  ``routes`` are the routes the clause means something on
    (``("in-process",)`` for a property of the Python object: its interface, constructor, import order, its own
    attributes, its thread safety; ``("server",)`` for a check of the server only); on another route the clause
    is not-applicable by this declaration.  A feature of a catalogue kind that the catalogue does not declare
    is an error here, at import time; a contract of your own may name features of its own kind freely.
    """
    kind_of_feature = (feature or "").partition(".")[0]
    if feature is not None and kind_of_feature in KINDS_BY_KEY and feature not in all_features():
        raise ValueError(f"clause {clause_id}: feature {feature!r} is not declared in kinds.py; declared: "
                         f"{', '.join(sorted(all_features()))}")

    if routes is not None:
        Clause(clause_id.replace("{kind}", "kind"), routes=routes)  # an unknown route is an error at import time

    def mark(func):
        doc = (func.__doc__ or "").strip().split("\n\n")[0]
        return pytest.mark.mlflow_clause(clause_id, level=level, feature=feature, since=since, doc=doc,
                                         routes=routes)(func)

    return mark


def _clause_from_marker(marker, cls) -> Clause:
    clause_id = marker.args[0]
    if "{kind}" in clause_id:
        clause_id = clause_id.replace("{kind}", getattr(cls, "kind_key", None) or "unknown")
    return Clause(clause_id, level=marker.kwargs.get("level", CORE), feature=marker.kwargs.get("feature"),
                  since=_later(marker.kwargs.get("since"), _kind_since(cls)), doc=marker.kwargs.get("doc", ""),
                  routes=marker.kwargs.get("routes"))


def declared_clauses(contract: type) -> list[tuple[str, Clause]]:
    """Every clause a contract class declares, as ``(method name, Clause)``, in definition order of the MRO.

    Read from the methods' ``mlflow_clause`` marks, without collecting anything: the catalogue test, the
    generated clause catalogue and the check of declarations use it.
    """
    found: dict[str, Clause] = {}
    for name in dir(contract):
        if not name.startswith("test"):
            continue
        for mark in getattr(getattr(contract, name), "pytestmark", []):
            if mark.name == CLAUSE_MARKER:
                found[name] = _clause_from_marker(mark, contract)
    return sorted(found.items(), key=lambda pair: pair[1].id)


def clause_of(item) -> Clause | None:
    """The :class:`Clause` a collected test item checks, or None for tests that are not clauses."""
    marker = item.get_closest_marker(CLAUSE_MARKER)
    if marker is None:
        return None
    return _clause_from_marker(marker, item.cls)


def _kind_since(cls) -> str | None:
    """The MLflow release that introduced the kind's entry-point group: no clause of it applies before."""
    kind = KINDS_BY_KEY.get(getattr(cls, "kind_key", "") or "")
    return kind.since if kind is not None else None


def _later(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    return a if version_tuple(a) >= version_tuple(b) else b


class BuildFailure:
    """Stands in for an instance that could not be built; the build clause reports it, the others do not run."""

    def __init__(self, message: str, error: BaseException | None = None):
        self.message = message
        #: What the build raised (the ``TargetBuildError``, chained to the plugin's own exception): the root-cause
        #: grouping reads it, so one import error shared by every target of a plugin is one cause, not one per target.
        self.error = error

    def __repr__(self):
        return f"BuildFailure({self.message.splitlines()[0]!r})"


def required_fixture(name: str, contract: str, example: str):
    """A fixture that fails with instructions: the subclass forgot to provide ``name``.

    Without it a forgotten fixture would surface as pytest's generic 'fixture not found'; with a default that
    returned None, every clause would fail on ``None`` or, worse, pass. This names the fix instead.
    """

    def forgotten(self, request):
        pytest.fail(
            f"{type(self).__name__} subclasses {contract} but does not provide the `{name}` fixture, so there is "
            f"nothing to check. Add to the class:\n\n{example}\n",
            pytrace=False,
        )

    forgotten.__name__ = name
    return pytest.fixture(name=name)(forgotten)


class ContractBase:
    """Base of every contract class. Subclasses set ``kind_key`` and ``target_fixture``.

    ``mlflow_route`` is how the class reaches the plugin: ``"in-process"`` (the plugin's object itself) or
    ``"server"`` (MLflow's REST client talking to an ``mlflow server`` backed by the plugin; the class then
    provides the ``mlflow_conformance_server`` fixture too). Clauses declared for another route are not-applicable.
    """

    kind_key: ClassVar[str] = ""
    target_fixture: ClassVar[str] = ""
    mlflow_route: ClassVar[str] = "in-process"

    @pytest.fixture(autouse=True)
    def _mlflow_conformance_gate(self, request, mlflow_conformance_capabilities, mlflow_version,
                                 mlflow_conformance_session):
        """Apply declarations before a clause runs: not-applicable, unsupported, known failure, not-run."""
        item = request.node
        this = clause_of(item)
        if this is None:
            return
        capabilities = mlflow_conformance_capabilities or Capabilities()
        if self.mlflow_route != "in-process":  # MLflow's own divergences on its server path, for every plugin
            from ..routes import server_findings, server_uncheckable

            findings = server_findings(self.kind_key, mlflow_version)
            capabilities = Capabilities(known_failures=findings).merged(capabilities)
            uncheckable = server_uncheckable(self.kind_key, this.id, mlflow_version)
            if uncheckable and this.applies_on(self.mlflow_route):
                raise ClauseOutcome(NOT_APPLICABLE, uncheckable)
        verdict = capabilities.verdict(this, mlflow_version, self.mlflow_route)
        if verdict.action in (NOT_APPLICABLE, UNSUPPORTED):
            raise ClauseOutcome(verdict.action, verdict.reason, feature=this.feature)
        if verdict.action == "xfail":
            item.add_marker(pytest.mark.xfail(reason=f"known failure ({this.id}): {verdict.reason}", strict=True))
        if self.target_fixture and this.id.partition("/")[2] not in _BUILD_INDEPENDENT:
            # The build clause reports a target that does not build, once; every other clause is not-run. A
            # plugin's own fixture that raises (the base-class route) is a build failure too.
            try:
                subject = request.getfixturevalue(self.target_fixture)
            except (Exception, pytest.fail.Exception):
                subject = BuildFailure("the fixture raised")
            if isinstance(subject, BuildFailure):
                not_run(f"the target did not build (see clause {self.kind_key}/build/instance)")

    @pytest.fixture(autouse=True)
    def _mlflow_route_client(self, request, monkeypatch):
        """Through the server, MLflow's client is set up as for a user of that server: ``MLFLOW_TRACKING_URI`` is
        the server (``mlflow-artifacts:`` URIs resolve against it), and it retries no failed request. By default
        it retries every HTTP 500 (MLflow's answer to INVALID_STATE and INTERNAL_ERROR) seven times with backoff,
        minutes per call, and then reports a generic error anyway (see ``routes.SERVER_FINDINGS``)."""
        if self.mlflow_route == "in-process":
            return
        monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
        monkeypatch.setenv("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "0")
        server = request.getfixturevalue("mlflow_conformance_server")
        if server is not None:
            monkeypatch.setenv("MLFLOW_TRACKING_URI", server.url)

    @pytest.fixture(scope="class", autouse=True)
    @classmethod
    def _mlflow_side_effects_baseline(cls, mlflow_conformance_session):
        """What the process and its directories look like before the class's first clause (and its build)."""
        return process_state()

    @clause("{kind}/side-effects/working-directory", routes=("in-process",))
    def test_side_effects_working_directory(self, _mlflow_side_effects_baseline, mlflow_state_after_last_test):
        """The plugin creates nothing in the working directory (an ``mlruns/`` or ``mlflow.db`` of a default
        URI, a cache, a log): everything it writes belongs under the location it was given."""
        _assert_no_new_entries(_mlflow_side_effects_baseline, mlflow_state_after_last_test, "cwd",
                               "the working directory")

    @clause("{kind}/side-effects/home-directory", routes=("in-process",))
    def test_side_effects_home_directory(self, _mlflow_side_effects_baseline, mlflow_state_after_last_test):
        """The plugin creates nothing directly in the user's home directory during the contract run."""
        _assert_no_new_entries(_mlflow_side_effects_baseline, mlflow_state_after_last_test, "home",
                               "the home directory")

    @clause("{kind}/side-effects/environment", routes=("in-process",))
    def test_side_effects_environment(self, _mlflow_side_effects_baseline, mlflow_state_after_first_test,
                                      mlflow_state_after_last_test):
        """The plugin leaves MLflow's environment variables (``MLFLOW_*``) as they were after the class's first
        clause (its fixtures set up and put back): ``MLFLOW_TRACKING_URI`` and friends redirect every later MLflow
        call of the user's process."""
        before = (mlflow_state_after_first_test or _mlflow_side_effects_baseline)["environ"]
        after = mlflow_state_after_last_test["environ"]
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        assert not changed, "the run changed environment variables: " + ", ".join(
            f"{k} ({'set' if k not in before else 'removed' if k not in after else 'changed'})" for k in changed)

    @clause("{kind}/side-effects/mlflow-global-state", routes=("in-process",))
    def test_side_effects_mlflow_global_state(self, _mlflow_side_effects_baseline, mlflow_state_after_first_test,
                                              mlflow_state_after_last_test):
        """The plugin leaves MLflow's process-wide state as it found it: the tracking and registry URIs set with
        ``mlflow.set_tracking_uri`` / ``set_registry_uri``, and no run left active."""
        before = (mlflow_state_after_first_test or _mlflow_side_effects_baseline)["mlflow"]
        after = mlflow_state_after_last_test["mlflow"]
        changed = {k: (before.get(k), after.get(k)) for k in set(before) | set(after) if before.get(k) != after.get(k)}
        assert not changed, "MLflow's global state changed: " + "; ".join(
            f"{k}: {old!r} -> {new!r}" for k, (old, new) in sorted(changed.items()))

    @clause("{kind}/build/instance")
    def test_build_instance(self, request, mlflow_target_context):
        """The target builds from its URI through MLflow's registry (or the subclass fixture) and is not None."""
        subject = request.getfixturevalue(self.target_fixture)
        if isinstance(subject, BuildFailure):
            pytest.fail(subject.message, pytrace=False)
        if mlflow_target_context.get("registry_failure"):
            pytest.fail(f"{mlflow_target_context['registry_failure']}\n\n(--mlflow-conformance-build=direct: the "
                        "other clauses ran against the entry point's object built directly from the URI)",
                        pytrace=False)
        assert subject is not None, f"the `{self.target_fixture}` fixture returned None"

    @clause("{kind}/build/name-unique", routes=("in-process",))
    def test_build_name_unique(self, mlflow_target_context):
        """No other installed distribution registers this entry-point name in this group: MLflow's registry keeps
        whichever registers last, so which plugin users get depends on install order. Not applicable to the kinds
        MLflow keeps in a list without reading the name (the providers, dataset sources)."""
        from ..discovery import discover, is_mlflow_dist
        from ..kinds import KINDS_BY_KEY

        target = mlflow_target_context.get("target")
        if target is None:
            not_applicable("no installed entry point is bound to this class (a plugin's own subclass)")
        kind = KINDS_BY_KEY.get(self.kind_key)
        if kind is not None and not kind.name_is_key:
            not_applicable(f"MLflow loads every entry point of {target.group} into one list and never reads its name: "
                           "two plugins may share one")
        others = sorted({t.dist for t in discover([target.group])
                         if t.name == target.name and t.dist != target.dist and not is_mlflow_dist(t.dist)})
        assert not others, (f"{target.group} name {target.name!r} is registered by {target.dist} and also by "
                            f"{', '.join(others)}: uninstall one, or rename the entry point of one.")


def process_state() -> dict:
    """A cheap snapshot of what a plugin may change outside its target: the names directly in the working and
    home directories, the environment, and MLflow's global URIs and active run (read only if MLflow is loaded)."""
    import os
    import sys
    from pathlib import Path

    def names(path) -> frozenset[str]:
        """Visible entries only: hidden ones (``.cache``, ``.config``) are where the libraries MLflow loads keep
        their own caches, which is no sign of the plugin."""
        try:
            return frozenset(name for name in os.listdir(path) if not name.startswith("."))
        except OSError:
            return frozenset()

    mlflow_state = {}
    if "mlflow" in sys.modules:
        tracking = sys.modules.get("mlflow.tracking._tracking_service.utils")
        registry = sys.modules.get("mlflow.tracking._model_registry.utils")
        fluent = sys.modules.get("mlflow.tracking.fluent")
        mlflow_state = {
            "tracking URI": getattr(tracking, "_tracking_uri", None),
            "registry URI": getattr(registry, "_registry_uri", None),
            "active run": (fluent.active_run().info.run_id if fluent and fluent.active_run() else None),
        }
    watched = {k: v for k, v in os.environ.items() if k.startswith(_WATCHED_ENV_PREFIXES) or k in _WATCHED_ENV}
    return {"cwd": names(os.getcwd()), "home": names(Path.home()), "environ": watched, "mlflow": mlflow_state}


#: MLflow's own variables, which redirect every later MLflow call of the process. Others are left alone:
#: libraries MLflow imports set some of their own (scikit-learn sets KMP_* on import), and test services the
#: plugin author starts set credentials (moto's AWS_*), neither of which is the plugin's doing.
_WATCHED_ENV_PREFIXES = ("MLFLOW_",)
_WATCHED_ENV: frozenset[str] = frozenset()


def _assert_no_new_entries(before: dict, after: dict, key: str, where: str) -> None:
    new = sorted(after[key] - before[key])
    assert not new, f"the run created {', '.join(repr(n) for n in new)} in {where}; write under the URI or the " \
                    "temporary directory the plugin was given"
