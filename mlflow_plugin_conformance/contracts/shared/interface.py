"""Interface completeness: most of MLflow's base classes do not enforce their abstract methods (they use the
Python 2 ``__metaclass__`` spelling), so a forgotten method is silently inherited and returns None. The suite
checks what MLflow does not."""

from __future__ import annotations

import inspect


def left_to_base(cls: type, base: type, names) -> list[str]:
    """The ``names`` that ``cls`` does not implement: missing, or resolving to ``base``'s own body (inherited, or
    assigned from the base as in ``log_inputs = AbstractStore.log_inputs``)."""
    missing = []
    for name in names:
        impl = getattr(cls, name, None)
        base_impl = base.__dict__.get(name, getattr(base, name, None))
        if impl is None or not callable(impl) or (base_impl is not None and impl is base_impl):
            missing.append(name)
    return sorted(missing)


def unimplemented_abstracts(cls: type, base: type) -> list[str]:
    """Abstract methods of ``base`` (enforced or not) that ``cls`` leaves to the base."""
    names = {name for name, value in vars(base).items() if getattr(value, "__isabstractmethod__", False)}
    names |= set(getattr(base, "__abstractmethods__", ()))
    return left_to_base(cls, base, names)


def signature_problems(cls: type, base: type) -> list[str]:
    """Methods of ``base`` that ``cls`` overrides with a signature that cannot take MLflow's call: a parameter of
    the base's method is missing (and the override has no ``**kwargs`` / ``*args`` to absorb it)."""
    problems = []
    for name, base_fn in inspect.getmembers(base, inspect.isfunction):
        if name.startswith("__"):
            continue
        fn = inspect.getattr_static(cls, name, None)
        fn = getattr(fn, "__func__", fn)
        if fn is None or fn is base_fn or not callable(fn):
            continue
        try:
            base_params = list(inspect.signature(base_fn).parameters.values())[1:]
            params = inspect.signature(fn).parameters
        except (TypeError, ValueError):
            continue
        var_kw = any(p.kind is p.VAR_KEYWORD for p in params.values())
        var_pos = any(p.kind is p.VAR_POSITIONAL for p in params.values())
        for p in base_params:
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.name in params:
                continue
            if (p.kind is p.KEYWORD_ONLY and var_kw) or (p.kind is p.POSITIONAL_OR_KEYWORD and var_pos and var_kw):
                continue
            problems.append(f"{name}: no parameter {p.name!r} "
                            f"(MLflow's {base.__name__}.{name}{inspect.signature(base_fn)})")
    return problems


def interface_clauses(base: str) -> type:
    """Mixin for a contract whose plugin subclasses MLflow's ``base`` (``"module:Class"``, imported when a clause
    runs): the clauses ``{kind}/interface/complete`` and ``{kind}/interface/signatures``.

    The subject is the contract's target fixture: a class (what the entry point names) or an instance of one.
    """
    from ..base import clause

    def subject_class(contract, request) -> type:
        subject = request.getfixturevalue(contract.target_fixture)
        return subject if isinstance(subject, type) else type(subject)

    def base_class() -> type:
        from ...kinds import load_object

        return load_object(base)

    class InterfaceClauses:
        @clause("{kind}/interface/complete", routes=("in-process",))
        def test_interface_complete(self, request):
            """The plugin is a subclass of MLflow's base class and overrides every abstract method."""
            cls, mlflow_base = subject_class(self, request), base_class()
            assert issubclass(cls, mlflow_base), (
                f"{cls.__name__} is not a subclass of {mlflow_base.__module__}.{mlflow_base.__name__}")
            missing = unimplemented_abstracts(cls, mlflow_base)
            assert not missing, f"abstract methods left to the base: {missing}"

        @clause("{kind}/interface/signatures", routes=("in-process",))
        def test_interface_signatures(self, request):
            """Every method the plugin overrides accepts the parameters MLflow's base method declares (MLflow calls
            with keywords; a missing parameter is a TypeError at the first call)."""
            problems = signature_problems(subject_class(self, request), base_class())
            assert not problems, "overrides that cannot take MLflow's call:\n" + "\n".join(problems)

    return InterfaceClauses
