"""The declarations of the mutation harness (``tests/mutants.py``): a broken plugin, and a correct one.

Each module of ``tests/broken`` ends with ``MUTANTS = [Mutant(...), ...]`` and, where a clause needs a correct
implementation other than the kind's control to pass it, ``CONTROLS = [Control(...), ...]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


class _Built:
    """What a mutant and a control share: a ``build`` named by ``spec``, a generated test class named after it."""

    build: Any
    name: str
    class_prefix = ""

    @property
    def spec(self) -> str:
        """``module:attr`` of the build, as an entry point would name it."""
        if isinstance(self.build, str):
            return self.build
        return f"{self.build.__module__}:{self.build.__qualname__}"

    @property
    def class_name(self) -> str:
        return self.class_prefix + re.sub(r"\W", "_", self.name)


@dataclass(frozen=True)
class Mutant(_Built):
    """One deliberately broken plugin.

    ``build`` is what the plugin provides: the broken class or factory (an object of a ``tests/broken`` module, or
    its ``"module:attr"`` spec); the kind's binding (``BINDINGS`` in tests/mutants.py, chosen by ``kind`` and
    ``via``) turns it into the target the contract checks.  ``caught_by`` is the clause written for the bug: it
    must fail on the mutant and pass on the kind's correct control.  ``also_caught_by`` are further clauses that
    must fail on it too (a second, independent net); ``blocks`` are clauses built on the broken behaviour, which
    must report themselves blocked by ``caught_by`` (one bug, one headline).  ``since``: the MLflow release from
    which the behaviour is a bug (before it, the mutant is not run).  ``notes``: anything a reader should know.
    """

    kind: str
    name: str
    caught_by: str
    build: Any
    via: str = ""
    also_caught_by: tuple[str, ...] = ()
    blocks: tuple[str, ...] = ()
    since: str | None = None
    notes: str = ""

    class_prefix = "TestMutant_"

    @property
    def clauses(self) -> tuple[str, ...]:
        """The clauses that must fail on the mutant."""
        return (self.caught_by, *self.also_caught_by)


@dataclass(frozen=True)
class Control(_Built):
    """A correct implementation that must pass ``clauses``: where the kind's control cannot show a clause passing
    (MLflow's implementation does not offer the method, or has a defect there), this one does.  ``build`` and
    ``via`` as in :class:`Mutant`."""

    kind: str
    name: str
    build: Any
    clauses: tuple[str, ...]
    via: str = ""
    notes: str = ""

    class_prefix = "TestCorrect_"
