"""Small helpers the tracking-store clauses share."""

from __future__ import annotations

import math
import time

from .._support import unique_name

#: Value MLflow's SQL store stores for +inf / -inf (the largest finite double); both are accepted on read.
SQL_MAX_FLOAT = 1.7976931348623157e308


def now_ms() -> int:
    return int(time.time() * 1000)


def new_experiment(store, prefix: str = "exp", **kwargs) -> str:
    """Create an experiment with a unique name and return its id."""
    return store.create_experiment(unique_name(prefix), **kwargs)


def new_run(store, experiment_id: str | None = None, *, run_name: str | None = None, tags=(), start_time=None,
            user_id: str = "conformance-user"):
    """Create a run (in a new experiment unless one is given) and return the ``Run``."""
    if experiment_id is None:
        experiment_id = new_experiment(store)
    return store.create_run(experiment_id=experiment_id, user_id=user_id,
                            start_time=now_ms() if start_time is None else start_time,
                            tags=list(tags), run_name=run_name)


def same_float(stored: float, logged: float) -> bool:
    """Equality of metric values as MLflow defines it: NaN equals NaN; +-inf may come back as +-max float."""
    if math.isnan(logged):
        return math.isnan(stored)
    if math.isinf(logged):
        return stored == logged or stored == math.copysign(SQL_MAX_FLOAT, logged)
    return stored == logged


def metric_key_tuple(metric):
    """A hashable view of a metric, with inf normalised the way SQL stores keep it."""
    value = float(metric.value) + 0.0  # -0.0 and 0.0 are one value for storage
    if math.isinf(value):
        value = math.copysign(SQL_MAX_FLOAT, value)
    return (metric.key, "nan" if math.isnan(value) else value, metric.timestamp, metric.step)

