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


# ===========================================================================================================
# Model registry (owner: registry helper): names, tags, descriptions, aliases
# ===========================================================================================================
#
# MLflow's rules (``mlflow/utils/validation.py``): a registered model name is not blank and contains neither
# ``/`` nor ``:`` (and is not ``.`` or ``..``); a tag key matches ``^[/\w.\- :]*$``, is a normalised relative
# path (no ``..`` prefix, no leading, trailing or doubled ``/``) of at most 250 characters; a registry tag value
# has at most 100000 characters; an alias matches ``^[\w\-]*$``, has at most 255 characters and is neither
# ``latest`` nor ``v<digits>`` (any case).  NUL characters are left out of every text: PostgreSQL rejects them in
# text columns, so a store may legitimately refuse them.

import re as _re

from hypothesis import strategies as _st

REGISTRY_TAG_KEY_MAX = 250
REGISTRY_TAG_VALUE_MAX = 100_000
REGISTRY_ALIAS_MAX = 255

_TEXT_CHARS = _st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
_TAG_KEY_CHARS = _st.characters(categories=("L", "Nd"), include_characters="_-. :")
_TAG_KEY_SEGMENT = _st.text(_TAG_KEY_CHARS, min_size=1, max_size=20).filter(
    lambda s: s not in (".", "..") and not s.startswith("..") and _re.fullmatch(r"[\w.\- :]+", s) is not None
)
_ALIAS_CHARS = _st.characters(categories=("L", "Nd"), include_characters="_-")


def registered_model_names(max_size: int = 100) -> _st.SearchStrategy[str]:
    """Valid registered model names: any non-blank text without ``/``, ``:`` or NUL, never ``.`` or ``..``.

    Callers that share a store append a unique suffix, so a generated name never collides with another test's.
    """
    chars = _st.characters(exclude_categories=("Cs",), exclude_characters="\x00/:")
    return _st.text(chars, min_size=1, max_size=max_size).filter(lambda s: s.strip() != "" and s not in (".", ".."))


def invalid_registered_model_names() -> _st.SearchStrategy[str]:
    """Names MLflow rejects with INVALID_PARAMETER_VALUE: blank, or containing ``/`` or ``:``."""
    blank = _st.text(_st.sampled_from(" \t\n"), max_size=3)
    text = _st.text(_st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=10)
    with_separator = _st.tuples(text, _st.sampled_from("/:"), text).map("".join)
    return _st.one_of(blank, with_separator)


def registry_tag_keys() -> _st.SearchStrategy[str]:
    """Valid tag keys for registered models and model versions (``a``, ``team.owner``, ``a/b c:d``)."""
    return _st.lists(_TAG_KEY_SEGMENT, min_size=1, max_size=3).map("/".join).filter(
        lambda k: len(k) <= REGISTRY_TAG_KEY_MAX
    )


def registry_tag_values(max_size: int = 300) -> _st.SearchStrategy[str]:
    """Tag values: arbitrary unicode text (empty included) without NUL."""
    return _st.text(_TEXT_CHARS, max_size=max_size)


def registry_tags(max_size: int = 5) -> _st.SearchStrategy[dict[str, str]]:
    """A dictionary of valid registry tags."""
    return _st.dictionaries(registry_tag_keys(), registry_tag_values(), max_size=max_size)


def registry_descriptions(max_size: int = 500) -> _st.SearchStrategy[str | None]:
    """Descriptions of registered models and versions: None or unicode text without NUL."""
    return _st.one_of(_st.none(), _st.text(_TEXT_CHARS, max_size=max_size))


def model_aliases() -> _st.SearchStrategy[str]:
    """Valid, non-reserved aliases: ``^[\\w\\-]+$``, at most 255 characters, not ``latest`` nor ``v<digits>``."""
    return _st.text(_ALIAS_CHARS, min_size=1, max_size=40).filter(
        lambda a: _re.fullmatch(r"[\w\-]+", a) is not None
        and a.lower() != "latest"
        and _re.fullmatch(r"[vV]\d+", a) is None
    )


def reserved_model_aliases() -> _st.SearchStrategy[str]:
    """Aliases MLflow reserves: ``latest`` in any case, and ``v`` or ``V`` followed by digits."""
    latest = _st.sampled_from(["latest", "LATEST", "Latest", "lAtEsT"])
    version = _st.tuples(_st.sampled_from("vV"), _st.integers(0, 10**6)).map(lambda t: f"{t[0]}{t[1]}")
    return _st.one_of(latest, version)


def model_version_stages() -> _st.SearchStrategy[str]:
    """Stage names as users type them: the four stages in any letter case."""
    return _st.sampled_from(["None", "Staging", "Production", "Archived"]).flatmap(
        lambda s: _st.lists(_st.booleans(), min_size=len(s), max_size=len(s)).map(
            lambda upper: "".join(c.upper() if u else c.lower() for c, u in zip(s, upper))
        )
    )
