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


# -- tracking store ----------------------------------------------------------------------------------------------
# Strategies for the tracking-store contract: keys, values, metrics, tags and filter strings. Valid inputs follow
# mlflow/utils/validation.py (names ``^[/\w.\- :]*$``, a normalised relative path, at most 250 characters; param
# values <= 6000, tag values <= 8000 characters). NUL and lone surrogates are left out of values: SQL back ends
# (PostgreSQL) cannot store them and MLflow does not promise they round-trip.

import math as _math
import posixpath as _posixpath
import re as _re

from hypothesis import strategies as st

MAX_KEY_LENGTH = 250
MAX_PARAM_VALUE_LENGTH = 6000
MAX_TAG_VALUE_LENGTH = 8000
_NAME_RE = _re.compile(r"^[/\w.\- :]*$")


def is_valid_key(key: str) -> bool:
    """Whether MLflow accepts ``key`` as a metric, param or tag name."""
    if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH or not _NAME_RE.match(key):
        return False
    norm = _posixpath.normpath(key)
    return norm == key and norm != "." and not norm.startswith("..") and not norm.startswith("/")


_segment_chars = st.characters(categories=("Lu", "Ll", "Nd"), max_codepoint=0x2FFF) | st.sampled_from("_-.: ")
_segments = st.text(_segment_chars, min_size=1, max_size=20).filter(lambda s: s not in (".", ".."))


@st.composite
def valid_keys(draw, max_size: int = MAX_KEY_LENGTH):
    """Metric/param/tag names MLflow accepts: unicode word characters, ``_-.: `` and ``/`` between segments."""
    parts = draw(st.lists(_segments, min_size=1, max_size=3))
    key = "/".join(parts)[:max_size]
    if draw(st.booleans()) and len(key) < max_size and draw(st.integers(0, 9)) == 0:
        key = (key + "k" * max_size)[:max_size]  # sometimes exactly at the length limit
    return key if is_valid_key(key) else "fallback_key"


@st.composite
def invalid_keys(draw):
    """Names MLflow rejects: empty, traversal, absolute, unnormalised, bad characters, over-long."""
    base = draw(valid_keys(max_size=40))
    kind = draw(st.sampled_from(["empty", "parent", "absolute", "double-slash", "trailing-slash", "bad-char",
                                 "too-long", "dot"]))
    if kind == "empty":
        return ""
    if kind == "parent":
        return "../" + base
    if kind == "absolute":
        return "/" + base
    if kind == "double-slash":
        return base + "//x"
    if kind == "trailing-slash":
        return base + "/"
    if kind == "bad-char":
        bad = draw(st.sampled_from("!@#$%^&*()+=[]{}|\\;'\",<>?`~\n\t"))
        position = draw(st.integers(0, len(base)))
        return base[:position] + bad + base[position:]
    if kind == "too-long":
        return (base + "x" * (MAX_KEY_LENGTH + 1))[: MAX_KEY_LENGTH + 1 + draw(st.integers(0, 20))]
    return "."


_value_chars = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")


def string_values(max_size: int):
    """Strings up to ``max_size`` characters (mostly short, sometimes at the limit), no NUL, no surrogates."""
    return st.text(_value_chars, max_size=min(max_size, 200)) | st.builds(
        lambda c, n: (c * max_size)[:n], st.text(_value_chars, min_size=1, max_size=3),
        st.integers(max_size - 2, max_size))


def param_values():
    return string_values(MAX_PARAM_VALUE_LENGTH)


def tag_values():
    return string_values(MAX_TAG_VALUE_LENGTH)


def metric_values(allow_nan: bool = True, allow_infinity: bool = True):
    """Metric values: any double (NaN and +-inf included unless excluded) and ints."""
    return st.floats(allow_nan=allow_nan, allow_infinity=allow_infinity) | st.integers(-(2**53), 2**53)


def metric_steps():
    return st.integers(-(2**63) + 1, 2**63 - 1)


def metric_timestamps():
    return st.integers(0, 2**53)


@st.composite
def metrics(draw, keys=None):
    """``mlflow.entities.Metric`` with any valid key (or one of ``keys``), value, timestamp and step."""
    from mlflow.entities import Metric

    key = draw(st.sampled_from(keys)) if keys else draw(valid_keys())
    return Metric(key, draw(metric_values()), draw(metric_timestamps()), draw(metric_steps()))


def invalid_metric_values():
    """Values MLflow rejects as a metric value: None, bools and strings."""
    return st.sampled_from([None, True, False]) | st.text(max_size=5)


def params(keys=None):
    from mlflow.entities import Param

    return st.builds(Param, st.sampled_from(keys) if keys else valid_keys(), param_values())


def run_tags(keys=None):
    from mlflow.entities import RunTag

    return st.builds(RunTag, st.sampled_from(keys) if keys else valid_keys(), tag_values())


def _quote(value: str) -> str:
    return "'" + value + "'"


@st.composite
def run_filter_strings(draw, metric_keys=("m1", "m2"), param_keys=("p1", "p2"), tag_keys=("t1", "t2"),
                       string_values=("a", "b", "c"), max_clauses: int = 3):
    """search_runs filter strings over the given keys: every comparator of each entity, joined by AND."""
    def one():
        kind = draw(st.sampled_from(["metric", "param", "tag", "attribute", "null"]))
        if kind == "metric":
            op = draw(st.sampled_from([">", ">=", "=", "!=", "<", "<="]))
            number = draw(st.integers(-3, 3) | st.floats(-3, 3, allow_nan=False).map(lambda f: round(f, 2)))
            return f"metrics.{draw(st.sampled_from(metric_keys))} {op} {number}"
        if kind in ("param", "tag"):
            prefix, keys = ("params", param_keys) if kind == "param" else ("tags", tag_keys)
            op = draw(st.sampled_from(["=", "!=", "LIKE", "ILIKE"]))
            value = draw(st.sampled_from(string_values))
            if op in ("LIKE", "ILIKE"):
                cased = value.upper() if draw(st.booleans()) else value
                value = draw(st.sampled_from(["%", ""])) + cased + draw(st.sampled_from(["%", ""]))
            return f"{prefix}.{draw(st.sampled_from(keys))} {op} {_quote(value)}"
        if kind == "null":
            prefix, keys = draw(st.sampled_from([("params", param_keys), ("tags", tag_keys)]))
            return f"{prefix}.{draw(st.sampled_from(keys))} {draw(st.sampled_from(['IS NULL', 'IS NOT NULL']))}"
        op = draw(st.sampled_from(["=", "!=", "LIKE", "ILIKE"]))
        return f"attributes.status {op} {_quote(draw(st.sampled_from(['RUNNING', 'FINISHED', 'FAILED', 'KILLED'])))}"

    count = draw(st.integers(0, max_clauses))
    return " AND ".join(one() for _ in range(count))


def run_order_bys(metric_keys=("m1", "m2"), param_keys=("p1", "p2"), tag_keys=("t1", "t2")):
    """Lists of zero or one search_runs order_by clause over the given keys and attributes."""
    keys = ([f"metrics.{k}" for k in metric_keys] + [f"params.{k}" for k in param_keys]
            + [f"tags.{k}" for k in tag_keys] + ["attributes.start_time", "attributes.run_name",
                                                 "attributes.status", "attributes.end_time"])
    return st.lists(st.tuples(st.sampled_from(keys), st.sampled_from(["", " ASC", " DESC"])).map("".join),
                    max_size=1)


#: Clauses search_runs must reject: wrong comparator for the entity, bad operand, unknown entity, OR, parentheses.
INVALID_RUN_FILTER_CLAUSES = (
    "metrics.m1 >", "metrics.m1 > 'x'", "params.p1 > 'a'", "tags.t1 < 'a'", "nope.key = 'a'",
    "attributes.unknown = 'a'", "metrics.m1 = 1 OR metrics.m1 = 2", "metrics.m1 IS NULL", "params.p1 = a b",
    "metrics.m1 LIKE 1", "(metrics.m1 = 1)", "params.p1 IN ('a')",
)


@st.composite
def invalid_run_filter_strings(draw):
    """Filter strings search_runs must reject with INVALID_PARAMETER_VALUE: an invalid clause, alone or joined
    by AND to valid ones."""
    bad = draw(st.sampled_from(INVALID_RUN_FILTER_CLAUSES))
    valid = draw(run_filter_strings(max_clauses=2))
    if not valid:
        return bad
    return f"{valid} AND {bad}" if draw(st.booleans()) else f"{bad} AND {valid}"


def is_finite_number(value) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float)) and _math.isfinite(value)
