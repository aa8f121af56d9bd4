"""A differential state machine: the plugin repository and MLflow's reference ``LocalArtifactRepository`` receive
the same generated operations (log_artifact, log_artifacts with overwrites, delete_artifacts), and after every
step both must hold the same files (paths and sizes); at the end the plugin's files download byte for byte as
logged. A failure shrinks to a minimal operation sequence, printed as Python the author can replay.

Artifact paths need no id mapping: both repositories are addressed by the same relative paths.

Reuse: ``ArtifactRepositoryDifferentialMachine.bind(lambda: MyRepo(f"my-scheme://.../{uuid4()}"))`` returns a
machine class (the factory must return a fresh, empty repository per call); run it with
``hypothesis.stateful.run_state_machine_as_test`` or take its ``TestCase`` for unittest/pytest collection.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import note, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from ... import strategies as ms
from ...outcomes import is_not_implemented
from .._support import unique_name
from ..base import clause
from ..shared.differential import bound_subclass
from ._helpers import delete_is_base_noop, files_of, mk, read_local_tree, write_file
from ._prerequisites import VIA_ROOT_LISTING, unless_blocked

#: The directories logged into: the root, nested ones, a spaced and a non-ASCII name.
DIRECTORIES = st.sampled_from(["", "d", "d/e", "d/e/f", "x y", "数据"])


def _ancestors(paths) -> set[str]:
    """Every directory above the given file paths (``a/b/c.txt`` -> ``a``, ``a/b``)."""
    return {p.rsplit("/", i)[0] for p in paths for i in range(1, p.count("/") + 1)}


class ArtifactRepositoryDifferentialMachine(RuleBasedStateMachine):
    """Drive a plugin artifact repository and MLflow's ``LocalArtifactRepository`` with the same operations;
    compare the files each holds after every step.

    Set ``plugin_repository_factory`` (via :meth:`bind`): it must return a fresh, empty repository per call (each
    Hypothesis example starts from nothing). Operations that would turn a file into a directory or the reverse
    are skipped: repositories legitimately differ there.
    """

    plugin_repository_factory = None
    scratch_directory_factory = None

    @classmethod
    def bind(cls, plugin_repository_factory, scratch_directory_factory=None,
             name: str = "BoundArtifactRepositoryDifferentialMachine"):
        """A subclass driving the repositories ``plugin_repository_factory()`` returns.

        ``scratch_directory_factory()`` returns a fresh local directory per example for the source files and the
        reference repository (e.g. pytest's ``tmp_path_factory.mktemp``); by default a temporary directory is
        made and removed after the example."""
        return bound_subclass(cls, name, plugin_repository_factory=plugin_repository_factory,
                              scratch_directory_factory=scratch_directory_factory)

    def __init__(self):
        super().__init__()
        from ...reference import fresh_reference_artifact_repository

        if type(self).plugin_repository_factory is None:
            raise TypeError("bind the machine to a repository first: "
                            "ArtifactRepositoryDifferentialMachine.bind(factory)")
        self._own_directory = type(self).scratch_directory_factory is None
        self.work = Path(tempfile.mkdtemp(prefix="mlflow-artifact-differential-") if self._own_directory
                         else type(self).scratch_directory_factory())
        self.plugin = type(self).plugin_repository_factory()
        self.reference = fresh_reference_artifact_repository(self.work / "reference")
        self.delete_supported = not delete_is_base_noop(self.plugin)
        self.model: dict[str, bytes] = {}  # what both repositories must hold: {path: bytes}
        self.n = 0

    def _scratch(self) -> Path:
        self.n += 1
        return self.work / f"s{self.n}"

    def _conflicts(self, new_files) -> bool:
        """True when logging ``new_files`` would put a file where a directory is, or the reverse."""
        existing_dirs = _ancestors(self.model)
        return any(p in existing_dirs for p in new_files) or any(p in self.model for p in _ancestors(new_files))

    @rule(name=ms.artifact_names(8), data=ms.artifact_contents(256), directory=DIRECTORIES)
    def log_file(self, name, data, directory):
        path = f"{directory}/{name}" if directory else name
        if self._conflicts({path}):
            note(f"skipped log_artifact({name!r}, {directory or None!r}): a file/directory conflict")
            return
        source = write_file(self._scratch() / name, data)
        note(f"repo.log_artifact(<{len(data)} bytes named {name!r}>, {directory or None!r})")
        self.plugin.log_artifact(str(source), directory or None)
        self.reference.log_artifact(str(source), directory or None)
        self.model[path] = data

    @rule(tree=ms.file_trees(max_leaves=3, max_depth=2), directory=DIRECTORIES)
    def log_tree(self, tree, directory):
        files, _ = ms.flatten_tree(tree, f"{directory}/" if directory else "")
        if self._conflicts(set(files)):
            note(f"skipped log_artifacts(<tree {sorted(files)}>, {directory or None!r}): a file/directory conflict")
            return
        source = self._scratch()
        ms.write_tree(tree, source)
        note(f"repo.log_artifacts(<tree {sorted(files)}>, {directory or None!r})")
        self.plugin.log_artifacts(str(source), directory or None)
        self.reference.log_artifacts(str(source), directory or None)
        self.model.update(files)

    @rule(data=st.data())
    def delete(self, data):
        if not self.delete_supported or not self.model:
            note("skipped delete_artifacts: nothing logged, or deletion unsupported")
            return
        directories = sorted(_ancestors(self.model))  # as often as files: a recursive delete is where bugs hide
        if directories and data.draw(st.booleans(), label="delete a directory"):
            path = data.draw(st.sampled_from(directories), label="deleted directory")
        else:
            path = data.draw(st.sampled_from(sorted(self.model)), label="deleted file")
        note(f"repo.delete_artifacts({path!r})")
        try:
            self.plugin.delete_artifacts(path)
        except Exception as exc:  # NotImplementedError or an MLflow NOT_IMPLEMENTED (HTTP 501): unsupported
            if not is_not_implemented(exc):
                raise
            note(f"delete_artifacts raised {type(exc).__name__}: deletion is unsupported, no further deletes")
            self.delete_supported = False
            return
        self.reference.delete_artifacts(path)
        self.model = {p: d for p, d in self.model.items() if p != path and not p.startswith(path + "/")}

    @invariant()
    def same_files(self):
        plugin_files = files_of(self.plugin)
        reference_files = files_of(self.reference)
        assert plugin_files == reference_files, (
            f"plugin holds {sorted(plugin_files.items())}, MLflow's LocalArtifactRepository holds "
            f"{sorted(reference_files.items())}")

    def teardown(self):
        try:
            if self.model:
                local = self.plugin.download_artifacts("", dst_path=str(mk(self._scratch())))
                assert read_local_tree(local)[0] == self.model, "downloaded bytes differ from what was logged"
        finally:
            if self._own_directory:
                shutil.rmtree(self.work, ignore_errors=True)


def machine_settings():
    """The loaded profile's example count, in short runs (8 steps), with no per-step deadline (I/O-bound)."""
    return settings(stateful_step_count=8, deadline=None)


class DifferentialClauses:
    """Clauses of the ``artifact_repository/differential/*`` family."""

    @clause("artifact_repository/differential/state-machine")
    def test_differential_state_machine(self, artifact_repository_factory, tmp_path_factory):
        """Any sequence of log_artifact, log_artifacts (with overwrites) and delete_artifacts leaves the
        repository holding exactly the files MLflow's LocalArtifactRepository holds after the same sequence
        (paths, sizes and bytes)."""
        machine = ArtifactRepositoryDifferentialMachine.bind(
            lambda: artifact_repository_factory(unique_name("machine")),
            lambda: tmp_path_factory.mktemp("machine"))
        probe = artifact_repository_factory(unique_name("machine-prerequisites"))
        with unless_blocked(probe, tmp_path_factory.mktemp("prerequisites"), VIA_ROOT_LISTING):
            run_state_machine_as_test(machine, settings=machine_settings())
