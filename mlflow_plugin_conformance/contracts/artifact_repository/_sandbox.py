"""The sandbox the path-safety clauses attack: canaries next to the repository root and outside every root."""

from __future__ import annotations

import os
import posixpath
import urllib.parse
from pathlib import Path

from .._support import unique_name
from ._helpers import download_bytes, files_of, write_file


class Sandbox:
    """A fresh parent repository holding a canary at ``outside/canary.txt``, a child repository rooted at the
    parent's ``inside`` directory, and a local canary directory in the test's tmp_path (outside every root).

    A traversal that escapes the child's root lands on the parent's canary; an absolute path or a symlink aims at
    the local one. Destructive attacks only ever aim at these canaries."""

    CANARY = b"canary: must never change\n"
    ATTACK = b"attack payload\n"

    def __init__(self, factory, tmp_path: Path):
        sub = unique_name("safety")
        self.parent = factory(sub)
        self.child = factory(f"{sub}/inside")
        self.tmp = tmp_path
        self.parent.log_artifact(str(write_file(tmp_path / "canary-src" / "canary.txt", self.CANARY)), "outside")
        self.fs_dir = tmp_path / "fs-canary"
        self.fs_file = write_file(self.fs_dir / "canary.txt", self.CANARY)
        self.attack_file = write_file(tmp_path / "attack" / "canary.txt", self.ATTACK)
        self.parent_path = urllib.parse.urlsplit(self.parent.artifact_uri).path.rstrip("/")

    def assert_intact(self, doing: str):
        """Both canaries are unchanged and nothing new appeared next to the child's root."""
        assert self.fs_file.read_bytes() == self.CANARY and sorted(os.listdir(self.fs_dir)) == ["canary.txt"], (
            f"{doing} changed a local file outside the repository root ({self.fs_dir})")
        names = sorted(info.path for info in self.parent.list_artifacts(None))
        assert set(names) <= {"inside", "outside"}, f"{doing} wrote outside the repository root: parent now has {names}"
        outside = [i.path for i in self.parent.list_artifacts("outside")]  # paths only: sizes are list/* clauses'
        assert outside == ["outside/canary.txt"], (
            f"{doing} changed what lies next to the repository root: 'outside' lists {outside}")
        n = len(list(self.tmp.glob("dl-*")))
        got = download_bytes(self.parent, "outside/canary.txt", self.tmp / f"dl-{n}")
        assert got == self.CANARY, f"{doing} overwrote the canary next to the repository root"

    def assert_stayed_inside(self, doing: str, before: dict[str, int]):
        """An accepted write must have landed under the child's root (visible in its recursive listing)."""
        after = files_of(self.child)
        new = {p for p in after if p not in before or after[p] != before[p]}
        assert any(posixpath.basename(p) == "canary.txt" for p in new), (
            f"{doing} was accepted, yet no new file appears under the repository root: it was written elsewhere "
            "(reject such paths with MlflowException INVALID_PARAMETER_VALUE)")
