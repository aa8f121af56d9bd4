"""The cause of a failed clause: exception type, where it was raised in the plugin's code, normalised message.

One bug in a plugin often fails many clauses.  :func:`cause_of` reduces a failure to what identifies the bug:
the exception type, the innermost traceback frame in the plugin's code (not in this suite, pytest, pluggy,
Hypothesis or the standard library) and the first line of the message with ids, hex strings, numbers, URIs and
paths replaced by placeholders.  The report groups failed clauses whose causes share a ``key`` into one *root
cause*.

It runs in the process that ran the clause (a pytest-xdist worker too), at report time, where the exception and
its traceback still exist; the resulting dict is plain data that travels in the report's ``user_properties``.
Nothing here imports pytest or MLflow.
"""

from __future__ import annotations

import os
import re
import sys
import sysconfig
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

# Where a frame lives.  PLUGIN: the code under test; LIBRARY: MLflow or another installed library the plugin
# calls (shown when the plugin's own code is not in the traceback, e.g. a method inherited from MLflow);
# HARNESS: this suite, pytest, pluggy, Hypothesis, the standard library (never a cause).
PLUGIN = "plugin"
LIBRARY = "library"
HARNESS = "harness"

_PACKAGE_DIR = Path(__file__).resolve().parent
_HARNESS_PACKAGES = ("_pytest", "pytest", "pluggy", "hypothesis", "_hypothesis_pytestplugin", "xdist", "execnet")


def _stdlib_dirs() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    dirs = {os.path.realpath(paths[name]) for name in ("stdlib", "platstdlib") if paths.get(name)}
    return tuple(sorted(dirs))


_STDLIB = _stdlib_dirs()


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _in_site_packages(path: str) -> bool:
    parts = Path(path).parts
    return "site-packages" in parts or "dist-packages" in parts


def _top_package(path: str) -> str | None:
    """The top-level package or module a file in site-packages belongs to (``.../site-packages/mlflow/x.py`` -> mlflow)."""
    parts = Path(path).parts
    for marker in ("site-packages", "dist-packages"):
        if marker in parts:
            index = len(parts) - 1 - parts[::-1].index(marker)
            if index + 1 < len(parts):
                return Path(parts[index + 1]).stem
    return None


def frame_kind(filename: str, plugin_roots: Sequence[str] = ()) -> str:
    """PLUGIN, LIBRARY or HARNESS for a source file (see the module docstring)."""
    if not filename or filename.startswith("<"):  # <frozen importlib._bootstrap>, <string>
        return HARNESS
    path = os.path.realpath(filename)
    if _under(path, str(_PACKAGE_DIR)):
        return HARNESS
    if _in_site_packages(path):
        if _top_package(path) in _HARNESS_PACKAGES:
            return HARNESS
    elif any(_under(path, root) for root in _STDLIB):
        return HARNESS
    if plugin_roots:
        return PLUGIN if any(_under(path, os.path.realpath(root)) for root in plugin_roots) else LIBRARY
    if not _in_site_packages(path):
        return PLUGIN  # the project's own source tree (an editable install, a test module, a conftest)
    # Without a known root an installed package is the plugin's only if its name says so (mlflow_foo, foo_mlflow);
    # MLflow itself and the libraries it brings (SQLAlchemy, boto3, ...) are library code.
    top = _top_package(path) or ""
    return PLUGIN if "mlflow" in top and top != "mlflow" else LIBRARY


def shown_path(filename: str, plugin_roots: Sequence[str] = ()) -> str:
    """A frame's file as a reader wants it: relative to the ``sys.path`` entry it was imported from (or to the
    folder holding the plugin's package), ``mlflow_foo/repo.py`` rather than a long absolute path."""
    path = os.path.realpath(filename)
    best = None
    bases = [entry or os.getcwd() for entry in sys.path] + [os.path.dirname(str(root)) for root in plugin_roots]
    for entry in bases:
        base = os.path.realpath(entry)
        if _under(path, base) and path != base and (best is None or len(base) > len(best)):
            best = base
    if best:
        return os.path.relpath(path, best).replace(os.sep, "/")
    return "/".join(Path(path).parts[-2:])


# -- normalising messages --------------------------------------------------------------------------------------

_NORMALISERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.\-]*://[^\s'\"),\]]*"), "<uri>"),
    (re.compile(r"(?<![\w.])(?:[A-Za-z]:)?(?:[\\/][^\s'\"),:\]\\/]+){2,}[\\/]?"), "<path>"),
    (re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"), "<id>"),
    (re.compile(r"\b0x[0-9a-fA-F]+\b"), "<hex>"),
    (re.compile(r"\b(?=[0-9a-fA-F]*[0-9])(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\b"), "<hex>"),
)
_NUMBERS = (re.compile(r"(?<![\w<.])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\d>]|\.\d)"), "<n>")
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def normalise_message(message: str, numbers: bool = True) -> str:
    """The first line of ``message`` with URIs, paths, ids, hex strings and (unless ``numbers`` is false) numbers
    replaced by placeholders.

    ``[Errno 21] Is a directory: '/tmp/pytest-7/x0/a'`` -> ``[Errno <n>] Is a directory: '<path>'``.
    """
    lines = [line.strip() for line in str(message).strip().splitlines() if line.strip()]
    first = lines[0] if lines else ""
    for pattern, placeholder in (*_NORMALISERS, _NUMBERS) if numbers else _NORMALISERS:
        first = pattern.sub(placeholder, first)
    return shortened(first, 300)


def shortened(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, marked with "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2:] else cut) + "…"


def _grouping_message(normalised: str) -> str:
    """What groups messages: quoted literals (names a property generated, values compared) count as one."""
    return _QUOTED.sub("'…'", normalised)


# -- extracting a cause ----------------------------------------------------------------------------------------


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` then what it was raised from or during, outermost first (cycles cut)."""
    chain, seen = [], set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        chain.append(exc)
        exc = exc.__cause__ if exc.__cause__ is not None else (None if exc.__suppress_context__ else exc.__context__)
    return chain


def _leaf(exc: BaseException) -> BaseException:
    """The first leaf of an exception group (Hypothesis reports several distinct bugs as one group; on Python 3.10
    the group is the ``exceptiongroup`` backport, hence the duck typing)."""
    while isinstance(getattr(exc, "exceptions", None), tuple) and exc.exceptions \
            and isinstance(exc.exceptions[0], BaseException):
        exc = exc.exceptions[0]
    return exc


def _frames(exc: BaseException) -> list[tuple[str, int, str]]:
    frames, tb = [], exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        frames.append((code.co_filename, tb.tb_lineno, code.co_name))
        tb = tb.tb_next
    return frames


def _pick(frames: Sequence[tuple[str, int, str]], plugin_roots: Sequence[str]):
    """The innermost plugin frame, else the innermost library frame, with its kind; (None, None) if neither."""
    found: dict[str, tuple[str, int, str]] = {}
    for frame in frames:  # outermost first: later frames overwrite, so the innermost of each kind wins
        found[frame_kind(frame[0], plugin_roots)] = frame
    for kind in (PLUGIN, LIBRARY):
        if kind in found:
            return found[kind], kind
    return None, None


def _message(exc: BaseException) -> str:
    text = str(exc)
    if not text and exc.args:
        text = repr(exc.args[0])
    return text


def _cause(type_name: str, message: str, frame, where: str | None, roots: Sequence[str] = ()) -> dict[str, Any]:
    normalised = normalise_message(message)
    location = function = None
    if frame is not None:
        filename, lineno, function = frame
        location = f"{shown_path(filename, roots)}:{lineno}"
    key_parts = [type_name, location or "", _grouping_message(normalised)]
    # What a reader sees keeps the numbers (sizes, counts: "expected 258, got 317" must not read "<n>, <n>"); the
    # grouping key does not, so the same failure with other numbers is one root cause.
    return {"type": type_name, "message": normalise_message(message, numbers=False), "function": function,
            "location": location, "where": where, "key": " | ".join(key_parts)}


def cause_of(error: Any, plugin_roots: Iterable[str | Path] = ()) -> dict[str, Any]:
    """The cause of a failure: ``{type, message, function, location, where, key}``.

    ``error`` is an exception, a pytest ``ExceptionInfo`` (``call.excinfo``) or a pytest report's ``longrepr``
    (when only the serialised report is left).  ``plugin_roots`` are directories holding the plugin's code; without
    them, installed libraries count as library code and everything else outside the harness as the plugin's.

    Of an exception chain (``raise ... from``, an error while handling another) the deepest exception raised in
    the plugin's code is the cause.  When none was, an exception raised in the plugin's code and still held by a
    frame of the traceback is (MLflow's ``download_artifacts`` collects the errors of its worker threads and raises
    one MlflowException naming them: the plugin's IsADirectoryError is the cause, not that summary).  Otherwise
    the error itself is, located at the innermost library frame.  ``key`` is equal for failures that share type,
    location and message shape.
    """
    roots = [str(r) for r in plugin_roots]
    exc = getattr(error, "value", error) if not isinstance(error, BaseException) else error
    if not isinstance(exc, BaseException):
        return _cause_from_longrepr(error, roots)
    chain = [_leaf(e) for e in _chain(_leaf(exc))]
    for candidate in reversed(chain):  # the original error first
        frame, where = _pick(_frames(candidate), roots)
        if where == PLUGIN:
            return _cause(type(candidate).__name__, _message(candidate), frame, where, roots)
    for held in _held_exceptions(chain):
        frame, where = _pick(_frames(held), roots)
        if where == PLUGIN:
            return _cause(type(held).__name__, _message(held), frame, where, roots)
    top = chain[0]
    frame, where = _pick(_frames(top), roots)
    return _cause(type(top).__name__, _message(top), frame, where, roots)


def _held_exceptions(chain: Sequence[BaseException]) -> Iterable[BaseException]:
    """Exceptions that frames of the tracebacks hold in local variables (directly, or as the values of a dict or
    the items of a list, tuple or set), innermost frame first."""
    seen = {id(e) for e in chain}
    for exc in chain:
        tb, frames = exc.__traceback__, []
        while tb is not None:
            frames.append(tb.tb_frame)
            tb = tb.tb_next
        for frame in reversed(frames):
            for value in list(frame.f_locals.values()):
                items = value.values() if isinstance(value, dict) else \
                    value if isinstance(value, (list, tuple, set, frozenset)) else (value,)
                for item in list(items)[:100]:
                    if isinstance(item, BaseException) and id(item) not in seen:
                        seen.add(id(item))
                        yield _leaf(item)


_TYPE_LINE = re.compile(r"^E\s+(?:[\w.]+\.)?([A-Z]\w*(?:Error|Exception|Failure|Exit|Interrupt|Timeout|Warning|Failed)"
                        r"|[A-Z]\w+):\s?(.*)$")


def _cause_from_longrepr(longrepr: Any, roots: Sequence[str]) -> dict[str, Any]:
    """Best effort from a serialised report: its crash line, its 'E   Type: message' line, its file locations."""
    crash = getattr(longrepr, "reprcrash", None)
    text = str(longrepr) if longrepr is not None else ""
    type_name, message = "Failure", crash.message if crash is not None else (text.strip().splitlines() or [""])[-1]
    for line in text.splitlines():
        match = _TYPE_LINE.match(line)
        if match:
            type_name, message = match.group(1), match.group(2)
            break
    else:
        head, sep, rest = message.partition(": ")
        if sep and re.fullmatch(r"[A-Z]\w*", head):
            type_name, message = head, rest
    frames = []
    for entry in getattr(getattr(longrepr, "reprtraceback", None), "reprentries", None) or ():
        loc = getattr(entry, "reprfileloc", None)
        if loc is not None:
            frames.append((str(loc.path), int(loc.lineno), "?"))
    frame, where = _pick(frames, roots)
    if frame is not None and frame[2] == "?":
        frame = (frame[0], frame[1], None)
    return _cause(type_name, message, frame, where, roots)


def plugin_roots_of(module_names: Iterable[str]) -> list[str]:
    """Directories of the top-level packages (or modules) named, e.g. from entry-point values ``pkg.mod:attr``."""
    import importlib.util

    roots = []
    for name in module_names:
        top = name.split(":")[0].split(".")[0]
        try:
            spec = importlib.util.find_spec(top)
        except (ImportError, ValueError):
            continue
        if spec is None:
            continue
        locations = list(spec.submodule_search_locations or [])
        if locations:
            roots += locations
        elif spec.origin and spec.origin not in ("built-in", "frozen"):
            roots.append(spec.origin)
    return roots
