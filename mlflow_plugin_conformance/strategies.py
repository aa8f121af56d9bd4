"""Hypothesis strategies for MLflow entities, and the suite's Hypothesis profiles.

Profiles: ``mlflow-conformance-quick`` (local default: few examples), ``mlflow-conformance-ci``
(derandomised, no deadline, more examples) and ``mlflow-conformance-thorough`` (nightly). Select one with
``--mlflow-conformance-profile`` or the ``mlflow_conformance_profile`` ini key.
"""

from __future__ import annotations

import os
import posixpath as _posixpath

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


def use_example_database(directory) -> None:
    """Re-register the suite's profiles with Hypothesis' example database in ``directory`` (None: no database),
    instead of Hypothesis' default ``.hypothesis/`` in the working directory."""
    from hypothesis.database import DirectoryBasedExampleDatabase

    database = DirectoryBasedExampleDatabase(str(directory)) if directory is not None else None
    for name, kwargs in _PROFILES.items():
        # A derandomised profile replays the same examples every run: Hypothesis refuses a database with it.
        settings.register_profile(PROFILE_PREFIX + name, **kwargs,
                                  database=None if kwargs.get("derandomize") else database)


def limit_shrinking(seconds: float) -> None:
    """Stop shrinking a failing example after ``seconds`` and report the smallest found so far, so a property or
    state machine that found a bug reports it before its shrinking runs into the clause time limit.

    Hypothesis has no setting for this; its engine reads the module constant ``MAX_SHRINKING_SECONDS`` (300 s)
    when shrinking starts. Where a Hypothesis release lacks it, nothing changes.
    """
    from hypothesis.internal.conjecture import engine

    if hasattr(engine, "MAX_SHRINKING_SECONDS"):
        engine.MAX_SHRINKING_SECONDS = seconds


def load_profile(name: str) -> None:
    """Make ``name`` (quick, ci or thorough) the default Hypothesis settings of this process."""
    settings.load_profile(PROFILE_PREFIX + name)


def default_profile_name() -> str:
    """The suite's default profile: ``ci`` when the ``CI`` environment variable is set, ``quick`` otherwise."""
    return "ci" if os.environ.get("CI", "").lower() not in ("", "0", "false") else "quick"


def _current_profile_name() -> str | None:
    if hasattr(settings, "get_current_profile_name"):
        return settings.get_current_profile_name()
    return getattr(settings, "_current_profile", "default")


def suite_settings(**overrides) -> settings:
    """Hypothesis settings for a contract's property or state machine, on top of the profile in force.

    A ``@settings(...)`` decorator fixes its values when the contract module is imported, which in a plugin's own
    test module is before any fixture has loaded the suite's profile: so the parent here is the profile in force
    when the user (or the suite) loaded one, else the suite's default profile, taken by name without loading
    it (importing a contract changes nothing).
    """
    current = _current_profile_name()
    if current in (None, "default"):
        parent = settings.get_profile(PROFILE_PREFIX + default_profile_name())
    else:
        parent = settings.default
    return settings(parent, **overrides)


def ensure_profile() -> str:
    """Load the suite's default profile unless the user already chose one; return the profile in force.

    Default: ``ci`` when the ``CI`` environment variable is set (GitHub Actions sets it), ``quick`` otherwise.
    A profile the user loaded is left alone: anything but Hypothesis' own ``default`` and ``ci``, which Hypothesis
    loads by itself where ``CI`` is set (its 100 examples per property would make a CI run of the suite far
    slower than the suite's own ``ci`` profile).
    """
    current = _current_profile_name()
    if current in (None, "default", "ci"):
        name = default_profile_name()
        load_profile(name)
        return PROFILE_PREFIX + name
    return current


# -- artifacts: file trees ---------------------------------------------------------------------------------------
# A file tree is a dict: name -> bytes (a file) or name -> dict (a directory). Names are single path components
# that every artifact store can hold (letters incl. non-ASCII, digits, spaces, '-', '_', '.'), never '.', '..',
# never hidden staging names; directories in generated trees are never empty unless ``empty_dirs=True``.

from hypothesis import strategies as _st  # noqa: E402

_NAME_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.éüß数据ñ"


def artifact_names(max_size: int = 24):
    """One path component: non-empty, no '/', not '.'/'..', no leading/trailing space or dot, unicode allowed."""
    return _st.text(alphabet=_NAME_ALPHABET, min_size=1, max_size=max_size).filter(
        lambda n: n.strip(" .") == n and n not in (".", "..")
    )


def artifact_contents(max_size: int = 2048):
    """File contents: empty, every byte value, CRLF and NUL, small or a few KiB."""
    return _st.one_of(
        _st.just(b""),
        _st.binary(max_size=max_size),
        _st.sampled_from([b"\r\n", b"line1\r\nline2\n", bytes(range(256)), b"\x00" * 10]),
    )


def file_trees(max_leaves: int = 8, max_depth: int = 3, empty_dirs: bool = False):
    """A non-empty file tree (nested dicts of name -> bytes | dict), at most ``max_depth`` directories deep."""

    def directory(depth: int):
        leaf = artifact_contents()
        children = leaf if depth <= 0 else _st.one_of(leaf, _st.deferred(lambda: directory(depth - 1)))
        return _st.dictionaries(artifact_names(), children, min_size=0 if empty_dirs else 1,
                                max_size=max_leaves)

    return _st.dictionaries(artifact_names(), _st.one_of(artifact_contents(), directory(max_depth - 1)),
                            min_size=1, max_size=max_leaves)


def flatten_tree(tree: dict, prefix: str = "") -> tuple[dict[str, bytes], set[str]]:
    """(files: posix relative path -> bytes, empty directories: set of posix relative paths) of a file tree."""
    files: dict[str, bytes] = {}
    empty: set[str] = set()
    for name, value in tree.items():
        path = f"{prefix}{name}"
        if isinstance(value, dict):
            if not value:
                empty.add(path)
            sub_files, sub_empty = flatten_tree(value, path + "/")
            files.update(sub_files)
            empty |= sub_empty
        else:
            files[path] = value
    return files, empty


def write_tree(tree: dict, root) -> None:
    """Materialise a file tree under the local directory ``root`` (created if missing)."""
    import os

    os.makedirs(root, exist_ok=True)
    for name, value in tree.items():
        path = os.path.join(root, name)
        if isinstance(value, dict):
            write_tree(value, path)
        else:
            with open(path, "wb") as fh:
                fh.write(value)


def read_tree(root) -> tuple[dict[str, bytes], set[str]]:
    """(files, empty directories) of the local directory ``root``, as :func:`flatten_tree` gives them."""
    import os

    files: dict[str, bytes] = {}
    empty: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        rel = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        if not dirnames and not filenames and rel:
            empty.add(rel.rstrip("/"))
        for name in filenames:
            with open(os.path.join(dirpath, name), "rb") as fh:
                files[rel + name] = fh.read()
    return files, empty


# == dataset file names ===========================================================================================


def dataset_file_names():
    """File names a dataset source must carry through ``to_json``/``from_json``: unicode, spaces, '#', '?', '%',
    quotes, leading dots and dashes; never a path separator, NUL, '.' or '..'."""
    from hypothesis import strategies as st

    alphabet = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\\x00")
    specials = st.sampled_from(["a#b", "what?x=1", "100%25", "sp ace", "quote'd\"", "..data", "-dash", "ünï 数据"])
    free = st.text(alphabet=alphabet, min_size=1, max_size=30)
    return (st.one_of(specials, free, st.tuples(specials, free).map("".join))
            .filter(lambda s: s not in (".", "..") and len(s.encode("utf-8")) <= 200)
            .map(lambda s: s + ".csv"))


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
    return _st.text(chars, min_size=1, max_size=max_size).filter(is_valid_registered_model_name)


def is_valid_registered_model_name(name: str) -> bool:
    """Whether MLflow accepts ``name`` for a registered model: not blank, no ``/`` or ``:``, and unchanged as a
    normalised path (so not ``.``, and not starting with ``..``, which MLflow 3 refuses)."""
    if not isinstance(name, str) or not name.strip() or "/" in name or ":" in name:
        return False
    return _posixpath.normpath(name) == name and name != "." and not name.startswith("..")


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


# -- tracking store ----------------------------------------------------------------------------------------------
# Strategies for the tracking-store contract: keys, values, metrics, tags and filter strings. Valid inputs follow
# mlflow/utils/validation.py (names ``^[/\w.\- :]*$``, a normalised relative path, at most 250 characters; param
# values <= 6000, tag values <= 8000 characters). NUL and lone surrogates are left out of values: SQL back ends
# (PostgreSQL) cannot store them and MLflow does not promise they round-trip.

import math as _math
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
        rest = base[position:]
        if bad == "\n" and not rest:
            # MLflow checks names with re.match(r"^[/\w.\- :]*$"), and ``$`` also matches just before a final
            # newline: "key\n" is a name MLflow accepts, so a newline is only a bad character before other text.
            rest = "x"
        return base[:position] + bad + rest
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


# -- traces --------------------------------------------------------------------------------------------------------


@st.composite
def trace_filter_strings(draw, *, base_ms: int = 1_700_000_000_000, time_step_ms: int = 10, times: int = 6,
                         tag_keys=("t1", "t2"), metadata_keys=("m1",), string_values=("a", "b", "c"),
                         span_names=("root", "llm", "tool"), span_types=("CHAIN", "LLM", "TOOL"),
                         feedback_names=("f1",), kinds=None, max_clauses: int = 2):
    """search_traces filter strings over the given keys, joined by AND: trace status, request time and execution
    time comparisons, tag and metadata comparisons (=, !=, LIKE, ILIKE, IS [NOT] NULL), span name and type, and
    boolean feedback. ``kinds`` restricts the clause kinds (the installed MLflow may predate some)."""
    kinds = list(kinds or ("status", "timestamp", "execution_time", "tag", "tag_null", "metadata", "metadata_null",
                           "span_name", "span_type", "feedback"))

    def one():
        kind = draw(st.sampled_from(kinds))
        if kind == "status":
            op = draw(st.sampled_from(["=", "!="]))
            return f"trace.status {op} {_quote(draw(st.sampled_from(['OK', 'ERROR', 'IN_PROGRESS'])))}"
        if kind in ("timestamp", "execution_time"):
            op = draw(st.sampled_from([">", ">=", "=", "!=", "<", "<="]))
            value = draw(st.integers(0, times)) * time_step_ms
            return (f"trace.timestamp_ms {op} {base_ms + value}" if kind == "timestamp"
                    else f"trace.execution_time_ms {op} {value}")
        if kind in ("tag", "metadata"):
            prefix, keys = ("tag", tag_keys) if kind == "tag" else ("metadata", metadata_keys)
            op = draw(st.sampled_from(["=", "!=", "LIKE", "ILIKE"]))
            value = draw(st.sampled_from(string_values))
            if op in ("LIKE", "ILIKE"):
                cased = value.upper() if draw(st.booleans()) else value
                value = draw(st.sampled_from(["%", ""])) + cased + draw(st.sampled_from(["%", ""]))
            return f"{prefix}.{draw(st.sampled_from(keys))} {op} {_quote(value)}"
        if kind in ("tag_null", "metadata_null"):
            prefix, keys = ("tag", tag_keys) if kind == "tag_null" else ("metadata", metadata_keys)
            return f"{prefix}.{draw(st.sampled_from(keys))} {draw(st.sampled_from(['IS NULL', 'IS NOT NULL']))}"
        if kind == "span_name":
            return f"span.name = {_quote(draw(st.sampled_from(span_names)))}"
        if kind == "span_type":
            return f"span.type = {_quote(draw(st.sampled_from(span_types)))}"
        return f"feedback.{draw(st.sampled_from(feedback_names))} = {_quote(draw(st.sampled_from(['true', 'false'])))}"

    count = draw(st.integers(0, max_clauses))
    return " AND ".join(one() for _ in range(count))


def trace_order_bys():
    """Lists of zero to two search_traces order_by clauses over request time and execution time."""
    keys = ["timestamp_ms", "execution_time_ms"]
    clause = st.tuples(st.sampled_from(keys), st.sampled_from(["", " ASC", " DESC"]))
    return st.lists(clause, max_size=2, unique_by=lambda c: c[0]).map(lambda cs: ["".join(c) for c in cs])
