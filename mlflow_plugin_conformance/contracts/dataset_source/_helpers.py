"""What only the dataset-source contract uses: asking other registered sources without trusting them."""

from __future__ import annotations


def overrides(cls, name: str, base) -> bool:
    """True when a class between ``cls`` and ``base`` (``cls`` included, ``base`` excluded) defines ``name``."""
    return any(name in vars(klass) for klass in cls.__mro__ if klass is not base and issubclass(klass, base))


def safe_can_resolve(source_cls, raw) -> bool:
    """The truth of ``source_cls._can_resolve(raw)`` (as MLflow reads it), False when it raises (MLflow's registry
    skips a source that raises)."""
    try:
        return bool(source_cls._can_resolve(raw))
    except Exception:
        return False


def type_of(source_cls) -> str | None:
    """``source_cls._get_source_type()``, None when it raises."""
    try:
        return source_cls._get_source_type()
    except Exception:
        return None
