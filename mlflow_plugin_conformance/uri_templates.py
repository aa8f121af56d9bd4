"""Which URI each target is built from: ``--mlflow-plugin-uri`` lines and ini keys -> a template per target.

A line is ``URI`` (every kind addressed by URI), ``KIND=URI`` (every target of that kind) or
``KIND:SCHEME=URI`` (the one target of that kind named SCHEME). In a template ``{scheme}`` is the entry-point
name and ``{tmp}`` a fresh directory. For a kind addressed by URI the entry-point name *is* the URI scheme MLflow
routes by, so a template whose literal scheme is another one would make MLflow build somebody else's store: such
a template is not applied to that target, and a line that applies to no selected target is a usage error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from .kinds import KINDS_BY_KEY


class UriOptionError(ValueError):
    """A ``--mlflow-plugin-uri`` line that is malformed or applies to nothing; the message says what to do."""


@dataclass(frozen=True)
class UriLine:
    kind: str | None  # None: every kind addressed by URI
    scheme: str | None  # None: every target of the kind
    template: str
    text: str

    def names(self, target) -> bool:
        return (self.kind is None or self.kind == target.kind_key) and (self.scheme in (None, target.name))


@dataclass
class UriTemplates:
    lines: list[UriLine] = field(default_factory=list)

    @classmethod
    def parse(cls, lines: list[str]) -> UriTemplates:
        parsed = []
        for raw in lines:
            line = raw.strip()
            if not line:
                continue
            key, sep, rest = line.partition("=")
            kind, _, scheme = key.partition(":")
            if sep and "://" not in key and kind in KINDS_BY_KEY:
                parsed.append(UriLine(kind, scheme or None, rest, line))
            elif sep and re.fullmatch(r"[a-z_]+(:[\w.+-]+)?", key) and "://" not in key:
                raise UriOptionError(f"--mlflow-plugin-uri={line}: {kind!r} is not a plugin kind; kinds: "
                                     f"{', '.join(sorted(KINDS_BY_KEY))}")
            else:
                parsed.append(UriLine(None, None, line, line))
        return cls(parsed)

    def template_for(self, target) -> str | None:
        """The template ``target`` is built from: the most specific line that names it and fits its scheme
        (later lines win among equals, so options override ini keys), else the kind's default."""
        kind = target.kind
        if kind is None:
            return None
        best = None
        for line in self.lines:
            if line.names(target) and (line.kind is not None or kind.default_uri) and fits_scheme(line.template, target):
                if best is None or _specificity(line) >= _specificity(best):
                    best = line
        return best.template if best is not None else kind.default_uri

    def problems(self, targets) -> list[str]:
        """Lines that apply to none of ``targets``, each with why (no such target, or another scheme)."""
        problems = []
        for line in self.lines:
            named = [t for t in targets if line.names(t) and t.kind is not None
                     and (line.kind is not None or t.kind.default_uri)]
            if not named:
                what = f"no selected {line.kind or 'URI-addressed'} target" + (
                    f" is named {line.scheme!r}" if line.scheme else "")
                problems.append(f"--mlflow-plugin-uri={line.text}: {what}; selected: "
                                f"{', '.join(t.label for t in targets) or 'none'}")
            elif not any(fits_scheme(line.template, t) for t in named):
                problems.append(
                    f"--mlflow-plugin-uri={line.text}: the URI's scheme {urlparse(line.template).scheme!r} is none "
                    f"of the targets' ({', '.join(t.name for t in named)}); MLflow routes a URI by its scheme, so "
                    "it would build another plugin or MLflow's own store. Use {scheme}:// or the target's name.")
        return problems


def _specificity(line: UriLine) -> int:
    return (line.kind is not None) + (line.scheme is not None)


def fits_scheme(template: str, target) -> bool:
    """True when a URI built from ``template`` reaches ``target`` through MLflow's registry: the template uses
    ``{scheme}``, the target's kind is not addressed by URI, or the literal scheme is the target's name."""
    if target.kind is None or target.kind.default_uri is None or "{scheme}" in template.split("://", 1)[0]:
        return True
    return urlparse(template).scheme.lower() == target.name.lower()
