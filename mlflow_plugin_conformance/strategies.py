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


# == kinds helper: dataset file names =============================================================================


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
