"""Helpers the contract clauses share: MLflow error-code assertions and unique names for isolation."""

from __future__ import annotations

import contextlib
import uuid

import pytest


def unique_name(prefix: str = "conformance") -> str:
    """A name no other test uses, so tests sharing one store (built once per class) never collide."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def error_code_of(exc: BaseException) -> str | None:
    """MLflow's error code of ``exc`` (``"RESOURCE_DOES_NOT_EXIST"``), or None when it is not an MlflowException."""
    code = getattr(exc, "error_code", None)
    return code if isinstance(code, str) else None


@contextlib.contextmanager
def raises_mlflow_error(*codes: str, doing: str = ""):
    """The body must raise an ``MlflowException`` whose ``error_code`` is one of ``codes``.

    MLflow's client and REST server map error codes to HTTP statuses (404, 400, 500): a plugin that raises a
    bare ``Exception``, a ``KeyError`` or the wrong code breaks callers that catch by code.
    """
    from mlflow.exceptions import MlflowException

    what = f" when {doing}" if doing else ""
    try:
        yield
    except MlflowException as exc:
        if exc.error_code == "NOT_IMPLEMENTED" and "NOT_IMPLEMENTED" not in codes:
            raise  # the plugin hook reports an optional feature answered this way as 'unsupported'
        if exc.error_code not in codes:
            pytest.fail(
                f"expected MlflowException with error_code {' or '.join(codes)}{what}, "
                f"got error_code {exc.error_code}: {exc.message}",
                pytrace=False,
            )
        return
    except NotImplementedError:
        raise
    except Exception as exc:  # the wrong type is the finding, reported with what was raised instead
        pytest.fail(
            f"expected MlflowException with error_code {' or '.join(codes)}{what}, "
            f"got {type(exc).__name__}: {exc}",
            pytrace=False,
        )
    pytest.fail(f"expected MlflowException with error_code {' or '.join(codes)}{what}, but nothing was raised",
                pytrace=False)


def qualified_name(obj) -> str | None:
    """``module:QualifiedName`` of a class or function, as an entry point names it; None for an object without
    both (an instance)."""
    module, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    return f"{module}:{qualname}" if module and qualname else None


def entry_point_loads(entry_point, objects) -> bool:
    """Whether ``entry_point`` names one of ``objects`` (classes, functions): by its text (``module:Qualname``),
    or, for an entry point into the same top-level package, by loading it. A package that re-exports its class
    (``my_plugin:Provider`` for ``my_plugin.provider.Provider``) names it too: MLflow loads the same class."""
    value = entry_point.value.replace(" ", "")
    wanted = [o for o in objects if o is not None]
    if value in {qualified_name(o) for o in wanted}:
        return True
    packages = {(getattr(o, "__module__", "") or "").split(".")[0] for o in wanted} - {""}
    if value.split(":")[0].split(".")[0] not in packages:
        return False  # never import another distribution's code to find out
    try:
        loaded = entry_point.load()
    except Exception:  # an entry point that does not load names nothing; its own clauses report it
        return False
    return any(loaded is o for o in wanted)
