"""A hanging plugin call fails its clause after a time limit; the run goes on.

Uses ``SIGALRM`` (an exception raised in the test's own thread, so fixtures tear down and the next test runs).
Where there is no ``SIGALRM`` (Windows) or the test does not run in the main thread, no limit is applied and
:func:`time_limit` says so through its return value.
"""

from __future__ import annotations

import contextlib
import signal
import threading


class ConformanceTimeout(BaseException):
    """A plugin call took longer than the conformance time limit.

    A ``BaseException``, not an ``Exception``: Hypothesis treats an ``Exception`` as a failing example and replays
    and shrinks it, and each replay would hang again with no limit left. Nor may a plugin's or a clause's
    ``except Exception`` swallow it. pytest reports it as the clause's failure.
    """


def supported() -> bool:
    return hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def time_limit(seconds: float | None, what: str):
    """Raise :class:`ConformanceTimeout` in the body after ``seconds`` (None or <= 0: no limit)."""
    if not seconds or seconds <= 0 or not supported():
        yield False
        return

    def _expire(signum, frame):
        raise ConformanceTimeout(
            f"{what} did not finish within {seconds:g} s (the plugin hangs or is too slow); "
            "raise the limit with --mlflow-conformance-timeout=SECONDS if it is only slow."
        )

    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def suspended():
    """Pause the running time limit for the body (e.g. while a shared service starts: its cost is not the
    clause's), and resume it with the time it had left."""
    if not supported():
        yield
        return
    remaining, _ = signal.setitimer(signal.ITIMER_REAL, 0)
    try:
        yield
    finally:
        if remaining > 0:
            signal.setitimer(signal.ITIMER_REAL, remaining)
