"""Prerequisites: one bug, one headline.

A clause checks a write through a read (a listing, a download). When that check fails, the read itself may be
what is broken, and the clause that owns the read reports it already. So before a clause fails, it runs the
checks of its prerequisite clauses (the very functions those clauses run, on a fresh prefix of the same
repository): when one fails too, the clause ends *blocked by* that clause instead of failing. When every
prerequisite holds, the clause's own failure stands.

The prerequisites form a chain, from the most basic behaviour up; a clause names only clauses before it:

1. ``log/file-with-artifact-path``: log_artifact, then download_artifacts of that file gives the bytes back;
2. ``log/file-at-root``: the same without artifact_path;
3. ``list/direct-children``: a listing returns the direct children of a directory;
4. ``list/entry-types-and-sizes``: listed entries have the right is_dir and file_size;
5. ``list/root-none``: list_artifacts(None) lists the root's entries (a recursive listing starts there).
"""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path

import pytest

from ...outcomes import ClauseOutcome, blocked_by, is_not_implemented
from .._support import unique_name
from ._helpers import download_bytes, write_file

ROUND_TRIP = "artifact_repository/log/file-with-artifact-path"
FILE_AT_ROOT = "artifact_repository/log/file-at-root"
LISTING = "artifact_repository/list/direct-children"
LISTING_SIZES = "artifact_repository/list/entry-types-and-sizes"
ROOT_LISTING = "artifact_repository/list/root-none"


def check_round_trip(repo, tmp_path: Path):
    """log_artifact with a nested artifact_path, then download_artifacts of ``<artifact_path>/<name>``, gives the
    file's bytes back."""
    prefix = unique_name("log")
    repo.log_artifact(str(write_file(tmp_path / "m.bin", b"abc")), f"{prefix}/a/b")
    got = download_bytes(repo, f"{prefix}/a/b/m.bin", tmp_path / "dl")
    assert got == b"abc", f"log_artifact(m.bin, {prefix + '/a/b'!r}) then downloading it gave {got!r}, not b'abc'"


def check_file_at_root(repo, tmp_path: Path):
    """log_artifact without artifact_path, then download_artifacts of ``<name>``, gives the file's bytes back."""
    name = f"root-{uuid.uuid4().hex[:12]}.txt"
    repo.log_artifact(str(write_file(tmp_path / name, b"weights")))
    got = download_bytes(repo, name, tmp_path / "dl")
    assert got == b"weights", f"log_artifact({name}) then downloading {name!r} gave {got!r}, not b'weights'"


def log_listing_tree(repo, tmp_path: Path) -> str:
    """Log ``top.txt`` (5 bytes), ``sub/deep.txt`` (1) and ``sub/deeper/deepest.txt`` (2) under a fresh prefix,
    one log_artifact call each (the most basic write); return the prefix."""
    prefix = unique_name("list")
    for relative, data in (("top.txt", b"12345"), ("sub/deep.txt", b"1"), ("sub/deeper/deepest.txt", b"12")):
        directory, _, name = f"{prefix}/{relative}".rpartition("/")
        repo.log_artifact(str(write_file(tmp_path / "src" / relative, data)), directory)
    return prefix


def check_direct_children(repo, tmp_path: Path):
    """list_artifacts(path) returns exactly the direct children of path, as paths relative to the root."""
    prefix = log_listing_tree(repo, tmp_path)
    got = sorted(i.path for i in repo.list_artifacts(prefix))
    assert got == [f"{prefix}/sub", f"{prefix}/top.txt"], f"list_artifacts({prefix!r}) returned {got}"
    got = sorted(i.path for i in repo.list_artifacts(f"{prefix}/sub"))
    assert got == [f"{prefix}/sub/deep.txt", f"{prefix}/sub/deeper"], (
        f"list_artifacts({prefix + '/sub'!r}) returned {got}")


def check_entry_types_and_sizes(repo, tmp_path: Path):
    """Listed files have is_dir False and file_size their byte size; directories is_dir True and file_size None."""
    prefix = log_listing_tree(repo, tmp_path)
    got = {i.path: (i.is_dir, i.file_size) for i in repo.list_artifacts(prefix)}
    got.update({i.path: (i.is_dir, i.file_size) for i in repo.list_artifacts(f"{prefix}/sub")})
    expected = {f"{prefix}/top.txt": (False, 5), f"{prefix}/sub": (True, None),
                f"{prefix}/sub/deep.txt": (False, 1), f"{prefix}/sub/deeper": (True, None)}
    wrong = {path: got[path] for path in expected if path in got and got[path] != expected[path]}
    assert not wrong, (f"(is_dir, file_size) of listed entries: {wrong}; expected "
                       f"{ {path: expected[path] for path in wrong} }")


def check_root_none(repo, tmp_path: Path):
    """A file logged at the root is listed by list_artifacts(None) under its own name."""
    name = f"root-{uuid.uuid4().hex[:12]}.txt"
    repo.log_artifact(str(write_file(tmp_path / name, b"r")))
    got = [i.path for i in repo.list_artifacts(None)]
    assert name in got, f"list_artifacts(None) returned {sorted(got)}, without the file {name!r} logged at the root"


CHECKS = {ROUND_TRIP: check_round_trip, FILE_AT_ROOT: check_file_at_root, LISTING: check_direct_children,
          LISTING_SIZES: check_entry_types_and_sizes, ROOT_LISTING: check_root_none}

#: What a clause needs when it checks through a download of single files, through listings of directories, or
#: through a recursive listing from the root.
VIA_DOWNLOAD = (ROUND_TRIP,)
VIA_LISTING = (ROUND_TRIP, LISTING, LISTING_SIZES)
VIA_ROOT_LISTING = (ROUND_TRIP, FILE_AT_ROOT, LISTING, LISTING_SIZES, ROOT_LISTING)
#: The same for a clause that reads only the paths of listed entries, not their sizes: a wrong directory size
#: must not hide an independent defect (a write outside the root) behind "blocked".
VIA_LISTED_PATHS = (ROUND_TRIP, LISTING)
VIA_ROOT_LISTED_PATHS = (ROUND_TRIP, FILE_AT_ROOT, LISTING, ROOT_LISTING)


def _own_failure(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]


@contextlib.contextmanager
def unless_blocked(repo, tmp_path: Path, prerequisites=VIA_LISTING):
    """Run the body (a clause's check); if it fails, run the checks of ``prerequisites`` in order on ``repo``:
    the first that fails blocks the clause. When all hold, the body's failure is re-raised unchanged.

    NotImplementedError / NOT_IMPLEMENTED and other outcomes pass through: they are answers, not failures."""
    try:
        yield
    except ClauseOutcome:
        raise
    except (Exception, pytest.fail.Exception) as exc:
        if is_not_implemented(exc):
            raise
        for n, clause_id in enumerate(prerequisites):
            try:
                CHECKS[clause_id](repo, tmp_path / f"prerequisite-{uuid.uuid4().hex[:8]}-{n}")
            except ClauseOutcome:
                raise
            except (Exception, pytest.fail.Exception) as broken:
                if is_not_implemented(broken):
                    continue
                blocked_by(clause_id, f"this clause failed ({_own_failure(exc)}), and the behaviour it reads "
                                      f"through is broken: {_own_failure(broken)}")
        raise
