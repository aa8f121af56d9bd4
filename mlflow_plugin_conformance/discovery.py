"""Installed entry points -> :class:`PluginTarget`.

Reads ``importlib.metadata`` exactly as MLflow's ``mlflow.utils.plugins.get_entry_points`` does, without importing
MLflow.  Selection by entry-point name (``--mlflow-plugin-scheme``) and by distribution (``--mlflow-plugin``)
lives here, as do the findings that break users silently: two distributions registering one name in one group,
and a plugin overriding a name MLflow registers itself.
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib.metadata
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .kinds import PluginKind, kind_for_group


@dataclass(frozen=True)
class PluginTarget:
    """One installed entry point: what the suite builds and checks."""

    group: str
    name: str
    value: str
    dist: str
    version: str
    #: Set when another selected distribution registers the same name in the same group: the label then names
    #: the distribution, so the two are two targets in every report, never one merged row.
    shares_name: bool = False

    @property
    def kind(self) -> PluginKind | None:
        return kind_for_group(self.group)

    @property
    def kind_key(self) -> str:
        kind = self.kind
        return kind.key if kind else self.group

    @property
    def label(self) -> str:
        """Short, stable label used in test ids and reports: ``<kind>:<name>`` (``<kind>:<name>@<dist>`` when
        two selected distributions register the name)."""
        return f"{self.kind_key}:{self.name}@{self.dist}" if self.shares_name else f"{self.kind_key}:{self.name}"

    def describe(self) -> str:
        return f"entry point {self.name!r} = {self.value!r} in group {self.group!r} of distribution {self.dist} {self.version}"

    def load(self):
        """Import the object the entry point names (what MLflow's registries do with ``entrypoint.load()``)."""
        return importlib.metadata.EntryPoint(self.name, self.value, self.group).load()


class SelectionError(Exception):
    """A selection option names nothing installed. The message lists what is installed and a close match."""


def discover(groups: Iterable[str] | None = None) -> list[PluginTarget]:
    """Every installed entry point in the ``mlflow.*`` groups (or in ``groups``), sorted and de-duplicated.

    A distribution installed twice on ``sys.path`` yields its entry points twice in ``importlib.metadata``, and
    ``mlflow`` and ``mlflow-skinny`` declare the same ones; such duplicates are dropped because MLflow would
    register the same object twice.
    """
    wanted = set(groups) if groups is not None else None
    seen: set[tuple[str, str, str, str]] = set()
    targets: list[PluginTarget] = []
    for distribution in importlib.metadata.distributions():
        dist = distribution.metadata["Name"] or "<unknown>"
        version = distribution.version or "?"
        for ep in distribution.entry_points:
            if not ep.group.startswith("mlflow.") or (wanted is not None and ep.group not in wanted):
                continue
            # mlflow and mlflow-skinny ship the same entry points: one target, not two
            key = (ep.group, ep.name, ep.value, "mlflow" if is_mlflow_dist(dist) else _normalise_dist(dist))
            if key in seen:
                continue
            seen.add(key)
            targets.append(PluginTarget(ep.group, ep.name, ep.value, dist, version))
    return sorted(targets, key=lambda t: (t.group, t.name, t.dist))


def _normalise_dist(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


# MLflow registers some of its own implementations through entry points, from these distributions.
MLFLOW_DISTRIBUTIONS = frozenset({"mlflow", "mlflow-skinny", "mlflow-tracing"})


def is_mlflow_dist(name: str) -> bool:
    return _normalise_dist(name) in MLFLOW_DISTRIBUTIONS


def _did_you_mean(word: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, options, n=3, cutoff=0.5)
    return f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def select(
    targets: Sequence[PluginTarget],
    schemes: Sequence[str] = (),
    dists: Sequence[str] = (),
) -> list[PluginTarget]:
    """The targets named by ``schemes`` (entry-point names, any group) or ``dists`` (distribution names).

    Both may repeat and combine (union). A scheme or distribution that matches nothing raises
    :class:`SelectionError` naming what is installed, so a typo never turns into an empty, green run.
    """
    chosen: dict[PluginTarget, None] = {}
    names = sorted({t.name for t in targets})
    for scheme in schemes:
        hits = [t for t in targets if t.name == scheme]
        if not hits:
            raise SelectionError(
                f"--mlflow-plugin-scheme={scheme}: no installed entry point in any mlflow.* group is named "
                f"{scheme!r}.{_did_you_mean(scheme, names)} Installed names: {', '.join(names) or 'none'}. "
                "Install the plugin (pip install -e PATH) or run `pytest --mlflow-plugin-list`."
            )
        chosen.update(dict.fromkeys(hits))
    installed_dists = sorted({t.dist for t in targets})
    for dist in dists:
        hits = [t for t in targets if _normalise_dist(t.dist) == _normalise_dist(dist)]
        if not hits:
            raise SelectionError(
                f"--mlflow-plugin={dist}: no installed distribution named {dist!r} registers mlflow.* entry points."
                f"{_did_you_mean(dist, installed_dists)} Distributions with MLflow entry points: "
                f"{', '.join(installed_dists) or 'none'}. Run `pytest --mlflow-plugin-list` to see them all."
            )
        chosen.update(dict.fromkeys(hits))
    picked = list(chosen)
    owners: dict[tuple[str, str], set[str]] = {}
    for target in picked:
        owners.setdefault((target.group, target.name), set()).add(_normalise_dist(target.dist))
    return [dataclasses.replace(t, shares_name=True) if len(owners[(t.group, t.name)]) > 1 else t for t in picked]


@dataclass(frozen=True)
class Finding:
    """Something about the installed set that breaks users without an error."""

    target: PluginTarget
    message: str


def silent_conflicts(targets: Sequence[PluginTarget]) -> list[Finding]:
    """Names registered twice in one group, and names that override one of MLflow's built-ins.

    MLflow's registries register built-ins first and entry points after, each by plain dict assignment, so the
    last registration wins without a warning: which distribution wins depends on install order.
    """
    findings: list[Finding] = []
    by_key: dict[tuple[str, str], list[PluginTarget]] = {}
    for target in targets:
        by_key.setdefault((target.group, target.name), []).append(target)
    for (group, name), same in by_key.items():
        owners = {"mlflow" if is_mlflow_dist(t.dist) else _normalise_dist(t.dist) for t in same}
        for target in same:
            if is_mlflow_dist(target.dist):
                continue
            kind = target.kind
            if "mlflow" in owners or (kind is not None and name in kind.builtin_names):
                findings.append(Finding(
                    target, f"overrides MLflow's built-in {name!r} in {group}: every user of this environment "
                            "gets the plugin instead of MLflow's implementation"))
            others = sorted(owners - {"mlflow", _normalise_dist(target.dist)})
            if others:
                findings.append(Finding(
                    target, f"{name!r} in {group} is also registered by {', '.join(others)}: which one MLflow "
                            "uses depends on install order"))
    return findings


def load_status(target: PluginTarget) -> str:
    """``"ok"`` when the entry point imports, else the last line of the error (for the listing)."""
    try:
        target.load()
    except BaseException as exc:  # a plugin may raise anything, even SystemExit, at import time
        if isinstance(exc, KeyboardInterrupt):
            raise
        return "fails: " + traceback.format_exception_only(type(exc), exc)[-1].strip()
    return "ok"
