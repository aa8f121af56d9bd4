"""Small wrappers the broken plugins under ``tests/broken`` share to turn a correct call into a wrong one."""

from __future__ import annotations

from mlflow.exceptions import MlflowException


def ignoring(code, call):
    """``call()``, with an MlflowException of ``code`` swallowed (returns None then)."""
    try:
        return call()
    except MlflowException as exc:
        if exc.error_code != code:
            raise
        return None


def recoded(call, old, new):
    """``call()``, with an MlflowException of error code ``old`` re-raised with ``new``."""
    try:
        return call()
    except MlflowException as exc:
        if exc.error_code == old:
            raise MlflowException(exc.message, new) from None
        raise
