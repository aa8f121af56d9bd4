"""MLflow's size limits as the installed MLflow (the one the server runs) defines them."""

from __future__ import annotations


def limit(name: str, default: int) -> int:
    """The constant ``name`` of ``mlflow.utils.validation`` (``default`` where the installed MLflow has none)."""
    from mlflow.utils import validation

    value = getattr(validation, name, None)
    return value if isinstance(value, int) else default


def batch_request_limit() -> int:
    """The documented size limit of one log_batch request body (bytes), with room for the request line."""
    return limit("MAX_BATCH_LOG_REQUEST_SIZE", 1_000_000) - 4096
