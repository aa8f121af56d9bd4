"""Concurrency: threads logging to one run lose nothing; racing creators of one experiment name: one wins."""

from __future__ import annotations

import threading

from .._support import unique_name
from ..base import clause
from ._helpers import new_run, now_ms

THREADS = 4
RACE_ROUNDS = 5


def _run_threads(target, count):
    barrier = threading.Barrier(count)
    results, errors = [None] * count, [None] * count

    def work(i):
        barrier.wait()
        try:
            results[i] = target(i)
        except BaseException as exc:  # collected and reported by the clause
            errors[i] = exc

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results, errors


class ConcurrencyClauses:
    """Clauses of the ``tracking_store/concurrency/*`` family."""

    @clause("tracking_store/concurrency/threads-logging-one-run")
    def test_concurrency_threads_logging_one_run(self, tracking_store):
        """Threads logging metrics, params and tags to one run at once lose nothing: every point, param and tag
        is stored."""
        from mlflow.entities import Metric, Param, RunTag

        run_id = new_run(tracking_store).info.run_id
        per_thread = 10
        ts = now_ms()

        def log(i):
            for j in range(per_thread):
                tracking_store.log_metric(run_id, Metric("shared", float(i * 100 + j), ts + j, j))
                tracking_store.log_param(run_id, Param(f"p{i}_{j}", str(j)))
                tracking_store.set_tag(run_id, RunTag(f"t{i}_{j}", str(j)))

        _, errors = _run_threads(log, THREADS)
        failed = [e for e in errors if e is not None]
        assert not failed, f"concurrent logging raised: {failed[0]!r}"
        history = tracking_store.get_metric_history(run_id, "shared")
        assert len(history) == THREADS * per_thread, f"{THREADS * per_thread} points logged, {len(history)} stored"
        data = tracking_store.get_run(run_id).data
        assert len(data.params) == THREADS * per_thread
        assert sum(1 for k in data.tags if k.startswith("t") and "_" in k) == THREADS * per_thread

    @clause("tracking_store/concurrency/racing-experiment-creation")
    def test_concurrency_racing_experiment_creation(self, tracking_store):
        """Threads creating the same experiment name at once: exactly one succeeds, the others get
        RESOURCE_ALREADY_EXISTS, and exactly one experiment has the name."""
        from mlflow.entities import ViewType

        for _ in range(RACE_ROUNDS):  # a race is won by chance: several rounds make a missing check show
            name = unique_name("race")
            results, errors = _run_threads(lambda i: tracking_store.create_experiment(name), THREADS)
            winners = [r for r in results if r is not None]
            assert len(winners) == 1, f"{len(winners)} creators of one experiment name succeeded"
            wrong = [e for e in errors
                     if e is not None and getattr(e, "error_code", None) != "RESOURCE_ALREADY_EXISTS"]
            assert not wrong, f"a losing creator raised {wrong[0]!r}, not RESOURCE_ALREADY_EXISTS"
            same = tracking_store.search_experiments(view_type=ViewType.ALL, filter_string=f"name = '{name}'")
            assert [e.experiment_id for e in same] == winners
