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
            f"{what} did not finish within {seconds:g} s{where_time_went(frame)}; "
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


_SUITE_PARTS = ("mlflow_plugin_conformance", "_pytest", "pluggy", "hypothesis", "threading.py", "selectors.py",
                "socket.py", "ssl.py", "contextlib.py", "signal.py")


def where_time_went(frame) -> str:
    """Where the clause was when its time ran out, in words: whose code (the plugin's or MLflow's, e.g. a
    reference store of a differential test) and which Hypothesis phase (generating, or shrinking a failure)."""
    stack = []
    while frame is not None:
        stack.append(frame)
        frame = frame.f_back
    phase = ""
    for f in stack:
        name, filename = f.f_code.co_name, f.f_code.co_filename
        if "hypothesis" in filename and "shrink" in name:
            phase = "; Hypothesis was shrinking a failing example it had found (a real failure: rerun with a larger " \
                    "--mlflow-conformance-shrink-seconds or timeout to see it minimised)"
            break
        if "hypothesis" in filename and name in ("generate_new_examples", "reuse_existing_examples"):
            phase = "; Hypothesis was generating examples"
            break
    for f in stack:  # innermost first
        filename = f.f_code.co_filename.replace("\\", "/")
        if any(part in filename for part in _SUITE_PARTS):
            continue
        whose = "MLflow's own code" if "/mlflow/" in filename else "the plugin's code (or a library it calls)"
        return f" (the plugin hangs or is too slow: at the limit it was in {whose}, {f.f_code.co_name} at " \
               f"{filename}:{f.f_lineno}{phase})"
    return f" (the plugin hangs or is too slow{phase})"
