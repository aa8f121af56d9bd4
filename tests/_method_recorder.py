"""Recording subclasses of MLflow's reference implementations, for the method-coverage measurement.

``recording_subclass(Base, Interface, log)`` returns a subclass of ``Base`` whose every public method of
``Interface`` records its name in ``log`` when a caller from outside the object calls it (a thread-local depth
counter leaves out the object's calls to itself, such as ``log_metric`` calling ``log_batch``), then runs the
inherited method. ``functools.wraps`` keeps the signatures the interface clauses inspect.
"""

from __future__ import annotations

import functools
import inspect
import threading


def public_methods(interface) -> list[str]:
    """The public methods (functions, including async ones) an interface class defines or inherits."""
    return sorted(name for name, member in inspect.getmembers(interface)
                  if not name.startswith("_") and (inspect.isfunction(member) or inspect.iscoroutinefunction(member)))


def recording_subclass(base, interface, log: set, name: str | None = None):
    depth = threading.local()

    def wrap(method_name):
        inherited = getattr(base, method_name)

        @functools.wraps(inherited)
        def recorded(self, *args, **kwargs):
            outermost = getattr(depth, "value", 0) == 0
            if outermost:
                log.add(method_name)
            depth.value = getattr(depth, "value", 0) + 1
            try:
                return inherited(self, *args, **kwargs)
            finally:
                depth.value -= 1

        return recorded

    namespace = {m: wrap(m) for m in public_methods(interface) if callable(getattr(base, m, None))}
    return type(name or f"Recording{base.__name__}", (base,), namespace)
