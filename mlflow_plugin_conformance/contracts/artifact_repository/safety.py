"""Path safety: traversal, absolute and encoded paths and symlinks never reach outside the repository root.

Rule: reject the path, or keep it inside the root (an accepted write must appear in the root's own recursive
listing). The attacks aim only at the canaries of :class:`._sandbox.Sandbox`, which are read back through
listings and downloads: a clause whose reads are broken is *blocked* by the clause that owns them."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from ...outcomes import is_not_implemented, not_applicable
from ..base import clause
from ._helpers import (
    DELETE,
    TRACE_ATTACHMENTS,
    attempt,
    files_of,
    mk,
    require_real_delete,
    write_file,
)
from ._prerequisites import VIA_ROOT_LISTED_PATHS, unless_blocked
from ._sandbox import Sandbox

#: Paths that climb out of the attacked root, plain and URL-encoded.
_DOTDOT = ("../outside", "sub/../../outside", "./../outside")
_ENCODED = ("%2e%2e/outside", "..%2foutside", "%2E%2E%2Foutside", "%252e%252e/outside")


def _write_attempts(box: Sandbox, attempts):
    """Each ``(doing, call)`` is a write: rejected, or accepted and landed inside the root; the canaries stay."""
    for doing, call in attempts:
        before = files_of(box.child)
        if attempt(call):
            box.assert_stayed_inside(doing, before)
        box.assert_intact(doing)


def _symlinked_tree(box: Sandbox, tmp_path: Path) -> Path:
    """A local tree holding a real file and symlinks to the local canary's directory and file."""
    src = tmp_path / "linked-tree"
    write_file(src / "real.txt", b"real")
    try:
        os.symlink(box.fs_dir, src / "link_dir", target_is_directory=True)
        os.symlink(box.fs_file, src / "link_file")
    except (OSError, NotImplementedError) as exc:
        not_applicable(f"cannot create symlinks here ({exc})")
    return src


class SafetyClauses:
    """Clauses of the ``artifact_repository/safety/*`` family."""

    @clause("artifact_repository/safety/dotdot-write")
    def test_safety_dotdot_write(self, artifact_repository_factory, tmp_path):
        """log_artifact with '..' in artifact_path is rejected or stays inside the root: a canary next to the
        root is never overwritten."""
        box = Sandbox(artifact_repository_factory, tmp_path)
        with unless_blocked(box.child, tmp_path, VIA_ROOT_LISTED_PATHS):
            _write_attempts(box, [(f"log_artifact(..., artifact_path={p!r})",
                                   lambda p=p: box.child.log_artifact(str(box.attack_file), p)) for p in _DOTDOT])

    @clause("artifact_repository/safety/tree-dotdot-write")
    def test_safety_tree_dotdot_write(self, artifact_repository_factory, tmp_path):
        """log_artifacts with '..' in artifact_path is rejected or stays inside the root: a canary next to the
        root is never overwritten."""
        box = Sandbox(artifact_repository_factory, tmp_path)
        src = write_file(tmp_path / "tree" / "canary.txt", Sandbox.ATTACK).parent
        with unless_blocked(box.child, tmp_path, VIA_ROOT_LISTED_PATHS):
            _write_attempts(box, [(f"log_artifacts(..., artifact_path={p!r})",
                                   lambda p=p: box.child.log_artifacts(str(src), p)) for p in _DOTDOT])

    @clause("artifact_repository/safety/absolute-write")
    def test_safety_absolute_write(self, artifact_repository_factory, tmp_path):
        """An absolute artifact_path (the path of a directory outside the root) is rejected or kept inside the
        root; neither the canary next to the root nor a local file outside it changes."""
        box = Sandbox(artifact_repository_factory, tmp_path)
        with unless_blocked(box.child, tmp_path, VIA_ROOT_LISTED_PATHS):
            _write_attempts(box, [(f"log_artifact(..., artifact_path={p!r})",
                                   lambda p=p: box.child.log_artifact(str(box.attack_file), p))
                                  for p in (f"{box.parent_path}/outside", str(box.fs_dir))])

    @clause("artifact_repository/safety/encoded-traversal-write")
    def test_safety_encoded_traversal_write(self, artifact_repository_factory, tmp_path):
        """URL-encoded traversal ('%2e%2e/', '..%2f', double encoding) is rejected or taken literally inside
        the root; the canary next to the root never changes."""
        box = Sandbox(artifact_repository_factory, tmp_path)
        with unless_blocked(box.child, tmp_path, VIA_ROOT_LISTED_PATHS):
            _write_attempts(box, [(f"log_artifact(..., artifact_path={p!r})",
                                   lambda p=p: box.child.log_artifact(str(box.attack_file), p)) for p in _ENCODED])

    @clause("artifact_repository/safety/traversal-list")
    def test_safety_traversal_list(self, artifact_repository_factory, tmp_path):
        """list_artifacts of '..', encoded '..' or absolute paths never shows the canary outside the root (an
        error or an empty result)."""
        box = Sandbox(artifact_repository_factory, tmp_path)
        for path in ("..", "../outside", "%2e%2e/outside", f"{box.parent_path}/outside", str(box.fs_dir)):
            try:
                listed = box.child.list_artifacts(path)
            except Exception:
                listed = []
            assert not any("canary" in i.path for i in listed), f"list_artifacts({path!r}) showed {listed}"

    @clause("artifact_repository/safety/traversal-download")
    def test_safety_traversal_download(self, artifact_repository_factory, tmp_path):
        """download_artifacts of '..', encoded '..' or absolute paths, with and without dst_path, never returns
        the canary outside the root (an error, or something else)."""
        box = Sandbox(artifact_repository_factory, tmp_path)
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

    @clause("artifact_repository/safety/traversal-local-path", since="3.14")
    def test_safety_traversal_local_path(self, artifact_repository_factory, tmp_path):
        """get_local_path of '..', encoded '..' or absolute paths never returns the path of the canary outside
        the root: MLflow's artifact server sends whatever file get_local_path names."""
        box = Sandbox(artifact_repository_factory, tmp_path)
        for path in ("../outside/canary.txt", "sub/../../outside/canary.txt", "%2e%2e/outside/canary.txt",
                     f"{box.parent_path}/outside/canary.txt", str(box.fs_file)):
            try:
                local = box.child.get_local_path(path)
            except Exception:
                continue
            leaked = local is not None and Path(local).is_file() and Path(local).read_bytes() == Sandbox.CANARY
            assert not leaked, f"get_local_path({path!r}) returned {local!r}, the canary outside the root"

    @clause("artifact_repository/safety/traversal-delete", feature=DELETE)
    def test_safety_traversal_delete(self, artifact_repository_factory, tmp_path):
        """delete_artifacts with '..', encoded '..' or an absolute path never deletes outside the root: it
        raises or deletes nothing there."""
        box = Sandbox(artifact_repository_factory, tmp_path)
        require_real_delete(box.child)
        box.child.log_artifact(str(write_file(tmp_path / "own" / "own.txt", b"own")))
        with unless_blocked(box.child, tmp_path, VIA_ROOT_LISTED_PATHS):
            for path in ("../outside/canary.txt", "../outside", "sub/../../outside", "%2e%2e/outside",
                         f"{box.parent_path}/outside", str(box.fs_file), str(box.fs_dir)):
                try:
                    box.child.delete_artifacts(path)
                except Exception as exc:  # a rejection protects the canaries; "not implemented" is an answer
                    if is_not_implemented(exc):
                        raise
                box.assert_intact(f"delete_artifacts({path!r})")

    @clause("artifact_repository/safety/symlinks-in-uploaded-tree")
    def test_safety_symlinks_in_uploaded_tree(self, artifact_repository_factory, tmp_path):
        """A tree uploaded with log_artifacts may contain symlinks to files and directories outside it: the
        repository rejects them, skips them or copies contents, but never stores a link that a later write
        follows out of the root."""
        box = Sandbox(artifact_repository_factory, tmp_path)
        src = _symlinked_tree(box, tmp_path)
        with unless_blocked(box.child, tmp_path, VIA_ROOT_LISTED_PATHS):
            attempt(lambda: box.child.log_artifacts(str(src), "tree"))
            box.assert_intact("log_artifacts of a tree with symlinks")
            attempt(lambda: box.child.log_artifact(str(box.attack_file), "tree/link_dir"))
            box.assert_intact("log_artifact into a directory uploaded as a symlink")

    @clause("artifact_repository/safety/symlinks-delete", feature=DELETE)
    def test_safety_symlinks_delete(self, artifact_repository_factory, tmp_path):
        """After uploading a tree holding symlinks to files and directories outside it, delete_artifacts of the
        uploaded links (and of paths through them) never deletes outside the root."""
        box = Sandbox(artifact_repository_factory, tmp_path)
        require_real_delete(box.child)
        src = _symlinked_tree(box, tmp_path)
        attempt(lambda: box.child.log_artifacts(str(src), "tree"))
        with unless_blocked(box.child, tmp_path, VIA_ROOT_LISTED_PATHS):
            for path in ("tree/link_dir/canary.txt", "tree/link_file", "tree/link_dir"):
                try:
                    box.child.delete_artifacts(path)
                except Exception as exc:  # a rejection protects the canaries; "not implemented" is an answer
                    if is_not_implemented(exc):
                        raise
                box.assert_intact(f"delete_artifacts({path!r}) after uploading symlinks")

    @clause("artifact_repository/safety/attachment-id-traversal", feature=TRACE_ATTACHMENTS, since="3.11")
    def test_safety_attachment_id_traversal(self, artifact_repository_factory, tmp_path):
        """upload_attachment with an id that is not a UUID ('../../outside/canary.txt', an absolute path) is
        rejected (MLflow's default raises INVALID_PARAMETER_VALUE) or kept inside the root: the canaries never
        change."""
        box = Sandbox(artifact_repository_factory, tmp_path)
        with unless_blocked(box.child, tmp_path, VIA_ROOT_LISTED_PATHS):
            for attachment_id in ("../../outside/canary.txt", "../outside/canary.txt", str(box.fs_file),
                                  f"{uuid.uuid4()}/../../../outside/canary.txt"):
                try:
                    box.child.upload_attachment(attachment_id, Sandbox.ATTACK)
                except Exception as exc:  # a rejection protects the canaries; "not implemented" is an answer
                    if is_not_implemented(exc):
                        raise
                box.assert_intact(f"upload_attachment({attachment_id!r}, ...)")
