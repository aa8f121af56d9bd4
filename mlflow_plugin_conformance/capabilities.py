"""Clause ids, declared capabilities, and the outcome of a clause.

A *clause* is one test of the contract with a stable id (``tracking_store/metrics/nan-round-trip``), a level
(``core``: MLflow's client needs it for the kind to work at all; ``full``: an optional family MLflow defines), an
optional ``feature`` (the optional family it belongs to, e.g. ``tracking_store.logged_models``) and an optional
``since`` (the MLflow release that introduced what it checks) and optional ``routes`` (the routes it means
something on: a property of the Python object only ``("in-process",)``, a check of the server only
``("server",)``; default: every route).

A plugin author declares what the plugin does not offer (``unsupported``: clause-id globs or feature names) and
which clauses are known to fail (``known_failures``: clause-id glob -> reason, strict: an unexpected pass is
reported).  A declaration may name one route with a suffix, ``tracking_store/errors/*@server``: it then applies
through that route only.  :meth:`Capabilities.verdict` turns a clause and the installed MLflow version into what to do before
the clause runs; :mod:`.outcomes` classifies what happened after.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .outcomes import NOT_APPLICABLE, UNSUPPORTED
from .routes import IN_PROCESS, ROUTES

CORE = "core"
FULL = "full"
LEVELS = (CORE, FULL)

_CLAUSE_ID = re.compile(r"^[a-z][a-z0-9_]*(/[a-z0-9][a-z0-9_.\-]*){2,}$")


@dataclass(frozen=True)
class Clause:
    """One contract clause. ``id`` is ``<kind>/<family>/<name>``; renaming it is a breaking change."""

    id: str
    level: str = CORE
    feature: str | None = None
    since: str | None = None
    doc: str = ""
    routes: tuple[str, ...] | None = None

    def __post_init__(self):
        if not _CLAUSE_ID.match(self.id):
            raise ValueError(f"clause id {self.id!r} must look like 'kind/family/name' (lowercase, '-' or '_')")
        if self.level not in LEVELS:
            raise ValueError(f"clause {self.id}: level must be one of {LEVELS}, not {self.level!r}")
        if self.routes is not None:
            object.__setattr__(self, "routes", tuple(self.routes))
            unknown = [r for r in self.routes if r not in ROUTES]
            if unknown or not self.routes:
                raise ValueError(f"clause {self.id}: routes must be some of {ROUTES}, not {self.routes!r}")

    def applies_on(self, route: str) -> bool:
        """Whether the clause means something on ``route`` (in-process or server)."""
        return self.routes is None or route in self.routes

    @property
    def optional(self) -> bool:
        """An optional clause may be answered with NotImplementedError (outcome: unsupported)."""
        return self.feature is not None or self.level == FULL


def version_tuple(version: str) -> tuple[int, ...]:
    """``"3.17.2"`` -> ``(3, 17, 2)``; pre-release and local parts are ignored (``3.0.0rc1`` -> ``(3, 0, 0)``)."""
    parts = []
    for piece in re.split(r"[.+]", version):
        digits = re.match(r"\d+", piece)
        if not digits:
            break
        parts.append(int(digits.group()))
        if digits.group() != piece:
            break
    return tuple(parts)


def installed_mlflow_version() -> str:
    """The installed MLflow version, from package metadata (MLflow itself is not imported: that takes seconds)."""
    import importlib.metadata

    for dist in ("mlflow", "mlflow-skinny"):
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "not installed"


def version_at_least(installed: str, since: str) -> bool:
    have, want = version_tuple(installed), version_tuple(since)
    width = max(len(have), len(want))
    return have + (0,) * (width - len(have)) >= want + (0,) * (width - len(want))


@dataclass(frozen=True)
class Verdict:
    """What to do with a clause before it runs: ``run``, ``xfail`` (a known failure), or end it at once with the
    outcome ``not-applicable`` or ``unsupported`` (see :mod:`.outcomes`); ``reason`` says why."""

    action: str  # "run" | "xfail" | outcomes.NOT_APPLICABLE | outcomes.UNSUPPORTED
    reason: str = ""


@dataclass(frozen=True)
class Capabilities:
    """What a plugin declares about itself. Permissive by default: everything is supported, nothing known to fail.

    ``unsupported`` holds clause-id globs (``tracking_store/traces/*``) or feature names
    (``tracking_store.traces``); ``known_failures`` maps clause-id globs to the reason.  Override one entry at a
    time; combine declarations from pyproject and from a fixture with :meth:`merged`.
    """

    unsupported: frozenset[str] = field(default_factory=frozenset)
    known_failures: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "unsupported", frozenset(self.unsupported))
        object.__setattr__(self, "known_failures", dict(self.known_failures))

    def merged(self, other: Capabilities | None) -> Capabilities:
        if other is None:
            return self
        return Capabilities(self.unsupported | other.unsupported, {**self.known_failures, **other.known_failures})

    def is_unsupported(self, clause: Clause, route: str = IN_PROCESS) -> str | None:
        for pattern in sorted(self.unsupported):
            glob, on = split_route(pattern)
            if on is not None and on != route:
                continue
            if clause.feature is not None and glob == clause.feature:
                return pattern
            if fnmatch.fnmatchcase(clause.id, glob):
                return pattern
        return None

    def known_failure(self, clause: Clause, route: str = IN_PROCESS) -> str | None:
        for pattern, reason in self.known_failures.items():
            glob, on = split_route(pattern)
            if (on is None or on == route) and fnmatch.fnmatchcase(clause.id, glob):
                return reason or "declared known failure"
        return None

    def verdict(self, clause: Clause, mlflow_version: str | None, route: str = IN_PROCESS) -> Verdict:
        """Order matters: a clause the installed MLflow cannot have, or that means nothing on ``route``, is
        not-applicable whatever is declared."""
        if clause.since and mlflow_version and not version_at_least(mlflow_version, clause.since):
            return Verdict(NOT_APPLICABLE, f"needs MLflow >= {clause.since}, installed {mlflow_version}")
        if not clause.applies_on(route):
            only = " and ".join(clause.routes or ())
            return Verdict(NOT_APPLICABLE, f"the clause is declared for the {only} route only; this target is "
                                           f"checked {'in process' if route == IN_PROCESS else 'through the ' + route}")
        pattern = self.is_unsupported(clause, route)
        # A core clause cannot be opted out of (MLflow's client needs it): it runs, or is a declared known failure.
        if pattern is not None and clause.optional:
            return Verdict(UNSUPPORTED, f"declared unsupported ({pattern})")
        reason = self.known_failure(clause, route)
        if reason is not None:
            return Verdict("xfail", reason)
        return Verdict("run")

    def declaration_problems(self, clause_ids: Iterable[str], features: Iterable[str], kind_keys: Iterable[str],
                             checked_kinds: Iterable[str]) -> list[str]:
        """What in these declarations names nothing: each problem is a sentence with a "did you mean".

        A feature name (``kind.feature``, no ``/``) must be one the catalogue declares. A clause glob must start
        with a known kind; when clauses of that kind are checked in this run (``clause_ids`` holds every clause
        of their contract classes, whatever is selected), it must match at least one of them. A glob for a kind
        not checked in this run is left alone: one pyproject may declare for several kinds.
        """
        clause_ids = sorted(set(clause_ids))
        features = sorted(set(features))
        kind_keys = set(kind_keys)
        checked = set(checked_kinds)
        problems = []
        declared = [(p, "mlflow_conformance_unsupported") for p in sorted(self.unsupported)]
        declared += [(p, "mlflow_conformance_known_failures") for p in sorted(self.known_failures)]
        for declared_pattern, where in declared:
            pattern, on = split_route(declared_pattern)
            if on is not None and on not in ROUTES:
                problems.append(f"{where}: {declared_pattern!r} names no route {on!r}; routes: {', '.join(ROUTES)}")
                continue
            if "/" not in pattern:
                if pattern in features and where == "mlflow_conformance_unsupported":
                    continue
                what = ("a feature name" if where == "mlflow_conformance_unsupported" else
                        "a clause-id glob (features can only be declared unsupported)")
                problems.append(f"{where}: {pattern!r} is not {what}{_did_you_mean(pattern, features + clause_ids)}")
                continue
            kind = pattern.split("/", 1)[0]
            if not _has_glob(kind) and kind not in kind_keys:
                problems.append(f"{where}: {pattern!r} names no plugin kind {kind!r}"
                                f"{_did_you_mean(kind, sorted(kind_keys))}")
                continue
            relevant = [c for c in clause_ids if fnmatch.fnmatchcase(c.split("/", 1)[0], kind)]
            if (_has_glob(kind) or kind in checked) and relevant and not any(
                    fnmatch.fnmatchcase(c, pattern) for c in relevant):
                problems.append(f"{where}: {pattern!r} matches no clause{_did_you_mean(pattern, relevant)}")
        return problems

    @classmethod
    def from_lines(cls, unsupported: Iterable[str] = (), known_failures: Iterable[str] = ()) -> Capabilities:
        """Parse the ini form: ``unsupported`` one glob per line; ``known_failures`` lines ``GLOB: reason``."""
        failures: dict[str, str] = {}
        for line in known_failures:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            glob, _, reason = line.partition(":")
            failures[glob.strip()] = reason.strip() or "declared known failure"
        globs = {line.strip() for line in unsupported if line.strip() and not line.strip().startswith("#")}
        return cls(frozenset(globs), failures)


def split_route(pattern: str) -> tuple[str, str | None]:
    """``"glob@server"`` -> ``("glob", "server")``; a pattern without a route suffix applies on every route."""
    glob, at, route = pattern.rpartition("@")
    return (glob, route) if at and glob else (pattern, None)


def _has_glob(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def _did_you_mean(word: str, candidates: list[str]) -> str:
    import difflib

    plain = word.replace("*", "").replace("?", "")
    close = difflib.get_close_matches(plain, candidates, n=3, cutoff=0.6)
    if not close and plain:
        close = [c for c in candidates if plain.rstrip("/") and c.startswith(plain.rstrip("/"))][:3]
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
