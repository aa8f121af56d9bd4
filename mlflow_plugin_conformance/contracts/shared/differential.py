"""What the differential state machines share: a machine bound to the store under test and to MLflow's reference
implementation, one operation run on both, and the two outcomes compared as values or as MLflow error codes.

A machine kind subclasses :class:`DifferentialMachine` and says how to make a fresh reference store
(:meth:`DifferentialMachine.fresh_reference`), how the plugin's ids map to the reference's
(:meth:`DifferentialMachine.map_ids`), which error codes count as the same answer
(:meth:`DifferentialMachine.codes_agree`) and how a disagreement is told (:meth:`DifferentialMachine.disagreement`).
The artifact repository machine compares whole file trees after every step instead; it shares :func:`bound_subclass`.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Collection
from typing import Any

from hypothesis.stateful import RuleBasedStateMachine

from .._support import error_code_of

PLUGIN, REFERENCE = "plugin", "reference"


def bound_subclass(cls: type, name: str, **factories: Callable | None) -> type:
    """A subclass of ``cls`` named ``name`` whose class attributes are the given factories (None stays None)."""
    return type(name, (cls,), {attr: staticmethod(factory) if factory else None
                               for attr, factory in factories.items()})


class Raised:
    """What a store raised, reduced to what callers can observe: the MLflow error code (or the type)."""

    def __init__(self, exc: BaseException):
        self.code = error_code_of(exc)
        self.type = type(exc).__name__
        self.text = str(exc)
        self.message = self.text.splitlines()[0][:300] if self.text else ""

    @property
    def mlflow_error(self) -> bool:
        """True when it was an MLflow error (it carries an error code)."""
        return self.code is not None

    def __repr__(self):
        return f"raised {self.code or self.type}: {self.message}"


class Outcome:
    """One store's answer to one operation: the value it returned, or what it raised."""

    def __init__(self, value: Any = None, raised: Raised | None = None):
        self.value, self.raised = value, raised

    @property
    def ok(self) -> bool:
        return self.raised is None


def _same(result):
    return result


class DifferentialMachine(RuleBasedStateMachine):
    """Drive the store ``plugin_store_factory()`` returns and a reference store with the same operations.

    ``reference_store_factory`` may return a shared reference store (the machine isolates itself in it as in the
    plugin store, which makes each example much cheaper); when it is None each example gets a fresh one, made by
    :meth:`fresh_reference` in a temporary directory removed at teardown.
    """

    plugin_store_factory = None
    reference_store_factory = None
    #: How the reference implementation is named in a disagreement.
    reference_name = "MLflow's SqlAlchemyStore"
    #: The prefix of the temporary directory holding a reference store of the machine's own.
    reference_directory_prefix = "mlflow-differential-"
    #: A ``NotImplementedError`` from the plugin ends the run (the clause reports the feature unsupported) rather
    #: than counting as a disagreement.
    plugin_not_implemented_propagates = False
    #: An exception from the reference that is not an MLflow error ends the run as it is (a defect of the
    #: reference or of the machine) rather than being compared.
    reference_crash_propagates = False

    @classmethod
    def bind(cls, plugin_store_factory, reference_store_factory=None, name: str | None = None):
        """A subclass named ``name`` (by default ``Bound<machine>``) driving the store ``plugin_store_factory()``
        returns, against the shared ``reference_store_factory()`` or, by default, a fresh reference per example."""
        return bound_subclass(cls, name or f"Bound{cls.__name__}", plugin_store_factory=plugin_store_factory,
                              reference_store_factory=reference_store_factory)

    def __init__(self):
        super().__init__()
        if type(self).plugin_store_factory is None:
            raise TypeError(f"bind the machine to a store first: {type(self).__name__}.bind(factory)")
        self.plugin = type(self).plugin_store_factory()
        self._directory = None
        if type(self).reference_store_factory is not None:
            self.reference = type(self).reference_store_factory()
        else:
            self._directory = tempfile.mkdtemp(prefix=self.reference_directory_prefix)
            self.reference = self.fresh_reference(self._directory)

    def fresh_reference(self, directory: str):
        """A new, empty reference store in ``directory``."""
        raise NotImplementedError(f"{type(self).__name__} does not say how to make a reference store")

    def teardown(self):
        from ...reference import close_tracking_store

        if self._directory is not None:  # a reference store of our own
            close_tracking_store(self.reference)
            shutil.rmtree(self._directory, ignore_errors=True)

    # -- one operation on both stores ------------------------------------------------------------------------

    def both(self, what: str, plugin_call, reference_call, normalise=_same, tolerate: Collection[str] = ()):
        """Call each store, compare the normalised values (the plugin's ids mapped to the reference's) or the
        MLflow error codes; return both outcomes. Error codes in ``tolerate`` count as one answer."""
        plugin = self._outcome(plugin_call, PLUGIN)
        reference = self._outcome(reference_call, REFERENCE)
        mine = self.map_ids(normalise(plugin.value)) if plugin.ok else plugin.raised
        theirs = normalise(reference.value) if reference.ok else reference.raised
        if not (plugin.ok and reference.ok):
            if (not plugin.ok and not reference.ok and plugin.raised.mlflow_error and reference.raised.mlflow_error
                    and self.codes_agree(plugin.raised.code, reference.raised.code, tolerate)):
                return plugin, reference
            raise AssertionError(self.disagreement(what, mine, theirs))
        assert mine == theirs, self.disagreement(what, mine, theirs)
        return plugin, reference

    def _outcome(self, call, role: str) -> Outcome:
        try:
            return Outcome(call())
        except NotImplementedError as exc:
            if role == PLUGIN and self.plugin_not_implemented_propagates:
                raise
            if role == REFERENCE and self.reference_crash_propagates:
                raise
            return Outcome(raised=Raised(exc))
        except Exception as exc:  # compared by the caller; the reference's own errors are data too
            if role == REFERENCE and self.reference_crash_propagates and error_code_of(exc) is None:
                raise
            return Outcome(raised=Raised(exc))

    def map_ids(self, value):
        """``value`` (a normalised result of the plugin) with the plugin's ids replaced by the reference's."""
        return value

    def codes_agree(self, plugin_code: str, reference_code: str, tolerate: Collection[str]) -> bool:
        """Whether two MLflow error codes are the same answer (equal, or both among ``tolerate``)."""
        return plugin_code == reference_code or {plugin_code, reference_code} <= set(tolerate)

    def disagreement(self, what: str, mine, theirs) -> str:
        """The failure message: ``mine`` and ``theirs`` are the compared values or :class:`Raised`."""
        if isinstance(mine, Raised) or isinstance(theirs, Raised):
            return f"{what}: the store under test {self._say(mine)}, {self.reference_name} {self._say(theirs)}"
        return f"{what}: the store under test returned\n  {mine!r}\n{self.reference_name} returned\n  {theirs!r}"

    @staticmethod
    def _say(outcome) -> str:
        return repr(outcome) if isinstance(outcome, Raised) else f"returned {outcome!r}"


class Unordered(list):
    """A list whose order carries no meaning (a trace's assessments): kept sorted by ``repr``, and sorted again
    after the plugin's ids are mapped to the reference's, so two entries that differ only in a store-made id
    compare equal whatever order each store's ids sort in."""

    def __init__(self, items=()):
        super().__init__(sorted(items, key=repr))


class IdMappingMachine(DifferentialMachine):
    """A machine whose stores give entities ids of their own: the plugin's ids are mapped to the reference's
    through the machine's maps (``id_maps()``, looked up in order), and a disagreement prints each side as
    ``('ok', value)`` or ``('error', code)``."""

    reference_crash_propagates = True

    def id_maps(self) -> tuple[dict[str, str], ...]:
        """{plugin id: reference id} maps, the first holding an id wins."""
        return ()

    def map_ids(self, value):
        if isinstance(value, str):
            for ids in self.id_maps():
                if value in ids:
                    return ids[value]
            return value
        if isinstance(value, tuple):
            return tuple(self.map_ids(v) for v in value)
        if isinstance(value, Unordered):
            return Unordered(self.map_ids(v) for v in value)
        if isinstance(value, list):
            return [self.map_ids(v) for v in value]
        if isinstance(value, dict):
            return {k: self.map_ids(v) for k, v in value.items()}
        return value

    def disagreement(self, what: str, mine, theirs) -> str:
        return f"{what}:\n  plugin:    {_tagged(mine)!r}\n  reference: {_tagged(theirs)!r}"


class _Crash:
    """How a non-MLflow exception of the plugin is printed in an ``('error', ...)`` pair."""

    def __init__(self, raised: Raised):
        self.text = f"{raised.type}: {raised.text}"

    def __repr__(self):
        return f"raised {self.text}"


def _tagged(view):
    if not isinstance(view, Raised):
        return ("ok", view)
    return ("error", view.code if view.mlflow_error else _Crash(view))
