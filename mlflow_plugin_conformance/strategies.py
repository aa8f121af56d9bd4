"""Hypothesis strategies for MLflow entities, and the suite's Hypothesis profiles.

Profiles: ``mlflow-conformance-quick`` (local default: few examples), ``mlflow-conformance-ci``
(derandomised, no deadline, more examples) and ``mlflow-conformance-thorough`` (nightly). Select one with
``--mlflow-conformance-profile`` or the ``mlflow_conformance_profile`` ini key.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILE_PREFIX = "mlflow-conformance-"

_PROFILES = {
    "quick": dict(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]),
    "ci": dict(max_examples=60, deadline=None, derandomize=True, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow]),
    "thorough": dict(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow]),
}

for _name, _kwargs in _PROFILES.items():
    settings.register_profile(PROFILE_PREFIX + _name, **_kwargs)


def load_profile(name: str) -> None:
    """Make ``name`` (quick, ci or thorough) the default Hypothesis settings of this process."""
    settings.load_profile(PROFILE_PREFIX + name)


def ensure_profile() -> str:
    """Load the suite's default profile unless the user already chose one; return the profile in force.

    Default: ``ci`` when the ``CI`` environment variable is set (GitHub Actions sets it), ``quick`` otherwise.
    A profile the user loaded (anything but Hypothesis' own ``default``) is left alone.
    """
    current = settings.get_current_profile_name() if hasattr(settings, "get_current_profile_name") else None
    if current is None:
        current = getattr(settings, "_current_profile", "default")
    if current in (None, "default"):
        name = "ci" if os.environ.get("CI", "").lower() not in ("", "0", "false") else "quick"
        load_profile(name)
        return PROFILE_PREFIX + name
    return current
