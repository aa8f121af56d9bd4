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
