"""Path safety: traversal, absolute and encoded paths and symlinks never reach outside the repository root.

Rule: reject the path, or keep it inside the root (an accepted write must appear in the root's own recursive
listing). The attacks aim only at the canaries of :class:`._sandbox.Sandbox`."""

from __future__ import annotations

import os
from pathlib import Path

from ...outcomes import not_applicable
from ..base import clause
from ._helpers import DELETE, attempt, delete_is_base_noop, files_of, mk, require_real_delete, write_file
from ._sandbox import Sandbox


class SafetyClauses:
    """Clauses of the ``artifact_repository/safety/*`` family."""

    @clause("artifact_repository/safety/dotdot-write")
    def test_safety_dotdot_write(self, artifact_repository_factory, tmp_path):
        """log_artifact / log_artifacts with '..' in artifact_path are rejected or stay inside the root: a
        canary next to the root is never overwritten."""
        box = Sandbox(artifact_repository_factory, tmp_path)
        src = write_file(tmp_path / "tree" / "canary.txt", Sandbox.ATTACK).parent
        for path in ("../outside", "sub/../../outside", "./../outside"):
            for how, call in (("log_artifact", lambda p=path: box.child.log_artifact(str(box.attack_file), p)),
                              ("log_artifacts", lambda p=path: box.child.log_artifacts(str(src), p))):
                before = files_of(box.child)
                doing = f"{how}(..., artifact_path={path!r})"
                if attempt(call):
                    box.assert_stayed_inside(doing, before)
                box.assert_intact(doing)

    @clause("artifact_repository/safety/absolute-write")
    def test_safety_absolute_write(self, artifact_repository_factory, tmp_path):
        """An absolute artifact_path (the path of a directory outside the root) is rejected or kept inside the
        root; neither the canary next to the root nor a local file outside it changes."""
        box = Sandbox(artifact_repository_factory, tmp_path)
        for path in (f"{box.parent_path}/outside", str(box.fs_dir)):
            before = files_of(box.child)
            doing = f"log_artifact(..., artifact_path={path!r})"
            if attempt(lambda p=path: box.child.log_artifact(str(box.attack_file), p)):
                box.assert_stayed_inside(doing, before)
            box.assert_intact(doing)

    @clause("artifact_repository/safety/encoded-traversal-write")
    def test_safety_encoded_traversal_write(self, artifact_repository_factory, tmp_path):
        """URL-encoded traversal ('%2e%2e/', '..%2f', double encoding) is rejected or taken literally inside
        the root; the canary next to the root never changes."""
        box = Sandbox(artifact_repository_factory, tmp_path)
        for path in ("%2e%2e/outside", "..%2foutside", "%2E%2E%2Foutside", "%252e%252e/outside"):
            before = files_of(box.child)
            doing = f"log_artifact(..., artifact_path={path!r})"
            if attempt(lambda p=path: box.child.log_artifact(str(box.attack_file), p)):
                box.assert_stayed_inside(doing, before)
            box.assert_intact(doing)

    @clause("artifact_repository/safety/traversal-read")
    def test_safety_traversal_read(self, artifact_repository_factory, tmp_path):
        """list_artifacts and download_artifacts of '..' or absolute paths never reveal the canary outside
        the root (an error or an empty result)."""
        box = Sandbox(artifact_repository_factory, tmp_path)
        for path in ("..", "../outside", "%2e%2e/outside", f"{box.parent_path}/outside", str(box.fs_dir)):
            try:
                listed = box.child.list_artifacts(path)
            except Exception:
                listed = []
            assert not any("canary" in i.path for i in listed), f"list_artifacts({path!r}) showed {listed}"
        for n, path in enumerate(("../outside/canary.txt", "%2e%2e/outside/canary.txt",
                                  f"{box.parent_path}/outside/canary.txt", str(box.fs_file))):
            for dst in (str(mk(tmp_path / f"read-{n}")), None):
                try:
                    local = box.child.download_artifacts(path, dst_path=dst)
                except Exception:
                    continue
                leaked = Path(local).is_file() and Path(local).read_bytes() == Sandbox.CANARY
                assert not leaked, (
                    f"download_artifacts({path!r}, dst_path={dst!r}) returned the canary outside the root")

    @clause("artifact_repository/safety/traversal-delete", feature=DELETE)
    def test_safety_traversal_delete(self, artifact_repository_factory, tmp_path):
        """delete_artifacts with '..', encoded '..' or an absolute path never deletes outside the root: it
        raises or deletes nothing there."""
        box = Sandbox(artifact_repository_factory, tmp_path)
        require_real_delete(box.child)
        box.child.log_artifact(str(write_file(tmp_path / "own" / "own.txt", b"own")))
        for path in ("../outside/canary.txt", "../outside", "sub/../../outside", "%2e%2e/outside",
                     f"{box.parent_path}/outside", str(box.fs_file), str(box.fs_dir)):
            doing = f"delete_artifacts({path!r})"
            try:
                box.child.delete_artifacts(path)
            except NotImplementedError:
                raise
            except Exception:
                pass
            box.assert_intact(doing)

    @clause("artifact_repository/safety/symlinks-in-uploaded-tree")
    def test_safety_symlinks_in_uploaded_tree(self, artifact_repository_factory, tmp_path):
        """A tree uploaded with log_artifacts may contain symlinks to files and directories outside it: the
        repository rejects them, skips them or copies contents, but never stores a link that later writes or
        deletes follow out of the root."""
        box = Sandbox(artifact_repository_factory, tmp_path)
        src = tmp_path / "linked-tree"
        write_file(src / "real.txt", b"real")
        try:
            os.symlink(box.fs_dir, src / "link_dir", target_is_directory=True)
            os.symlink(box.fs_file, src / "link_file")
        except (OSError, NotImplementedError) as exc:
            not_applicable(f"cannot create symlinks here ({exc})")
        attempt(lambda: box.child.log_artifacts(str(src), "tree"))
        box.assert_intact("log_artifacts of a tree with symlinks")
        attempt(lambda: box.child.log_artifact(str(box.attack_file), "tree/link_dir"))
        box.assert_intact("log_artifact into a directory uploaded as a symlink")
        if not delete_is_base_noop(box.child):
            for path in ("tree/link_dir/canary.txt", "tree/link_file", "tree/link_dir"):
                try:
                    box.child.delete_artifacts(path)
                except Exception:
                    pass
                box.assert_intact(f"delete_artifacts({path!r}) after uploading symlinks")
