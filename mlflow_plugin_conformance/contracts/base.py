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
from ..outcomes import NOT_APPLICABLE, UNSUPPORTED, ClauseOutcome, not_run

CLAUSE_MARKER = "mlflow_clause"


def clause(clause_id: str, *, level: str = CORE, feature: str | None = None, since: str | None = None):
    """Mark a test method as the contract clause ``clause_id``.

    ``{kind}`` in the id is replaced by the contract class's ``kind_key`` (used by clauses every kind shares).
    ``feature`` names the optional family (``"<kind>.<name>"``, declared in the kind's catalogue record); a
    clause with a feature or at level ``full`` is *optional*: the plugin may answer it with NotImplementedError /
    NOT_IMPLEMENTED (outcome: unsupported).  ``since`` is the MLflow release that introduced the behaviour
    (outcome on older MLflow: not-applicable).  A feature of a catalogue kind that the catalogue does not declare
    is an error here, at import time; a contract of your own may name features of its own kind freely.
    """
    kind_of_feature = (feature or "").partition(".")[0]
    if feature is not None and kind_of_feature in KINDS_BY_KEY and feature not in all_features():
        raise ValueError(f"clause {clause_id}: feature {feature!r} is not declared in kinds.py; declared: "
                         f"{', '.join(sorted(all_features()))}")

    def mark(func):
        doc = (func.__doc__ or "").strip().split("\n\n")[0]
        return pytest.mark.mlflow_clause(clause_id, level=level, feature=feature, since=since, doc=doc)(func)

    return mark


def _clause_from_marker(marker, cls) -> Clause:
    clause_id = marker.args[0]
    if "{kind}" in clause_id:
        clause_id = clause_id.replace("{kind}", getattr(cls, "kind_key", None) or "unknown")
    return Clause(clause_id, level=marker.kwargs.get("level", CORE), feature=marker.kwargs.get("feature"),
                  since=_later(marker.kwargs.get("since"), _kind_since(cls)), doc=marker.kwargs.get("doc", ""))


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

    def __init__(self, message: str):
        self.message = message

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
    """Base of every contract class. Subclasses set ``kind_key`` and ``target_fixture``."""

    kind_key: ClassVar[str] = ""
    target_fixture: ClassVar[str] = ""

    @pytest.fixture(autouse=True)
    def _mlflow_conformance_gate(self, request, mlflow_conformance_capabilities, mlflow_version,
                                 mlflow_conformance_session):
        """Apply declarations before a clause runs: not-applicable, unsupported, known failure, not-run."""
        item = request.node
        this = clause_of(item)
        if this is None:
            return
        capabilities = mlflow_conformance_capabilities or Capabilities()
        verdict = capabilities.verdict(this, mlflow_version)
        if verdict.action in (NOT_APPLICABLE, UNSUPPORTED):
            raise ClauseOutcome(verdict.action, verdict.reason, feature=this.feature)
        if verdict.action == "xfail":
            item.add_marker(pytest.mark.xfail(reason=f"known failure ({this.id}): {verdict.reason}", strict=True))
        if self.target_fixture and not this.id.endswith("/build/instance"):
            # The build clause reports a target that does not build, once; every other clause is not-run. A
            # plugin's own fixture that raises (the base-class route) is a build failure too.
            try:
                subject = request.getfixturevalue(self.target_fixture)
            except (Exception, pytest.fail.Exception):
                subject = BuildFailure("the fixture raised")
            if isinstance(subject, BuildFailure):
                not_run(f"the target did not build (see clause {self.kind_key}/build/instance)")

    @clause("{kind}/build/instance")
    def test_build_instance(self, request):
        """The target builds from its URI through MLflow's registry (or the subclass fixture) and is not None."""
        subject = request.getfixturevalue(self.target_fixture)
        if isinstance(subject, BuildFailure):
            pytest.fail(subject.message, pytrace=False)
        assert subject is not None, f"the `{self.target_fixture}` fixture returned None"

