"""Concurrent writers into one repository lose nothing."""

from __future__ import annotations

import threading

from .._support import unique_name
from ..base import clause
from ._helpers import assert_stored, write_file
from ._prerequisites import VIA_LISTING, unless_blocked


class ConcurrencyClauses:
    """Clauses of the ``artifact_repository/concurrency/*`` family."""

    @clause("artifact_repository/concurrency/threaded-uploads")
    def test_concurrency_threaded_uploads(self, artifact_repository, tmp_path):
        """Eight threads logging different files into one repository (shared and own directories) lose
        nothing: every file is listed and downloads with its own content."""
        prefix = unique_name("threads")
        errors: list[BaseException] = []
        expected: dict[str, bytes] = {}
        jobs = []
        for t in range(8):
            for k in range(4):
                data = f"thread {t} file {k}\n".encode() * (t + k + 1)
                name = f"t{t}-f{k}.txt"
                source = write_file(tmp_path / f"src-{t}-{k}" / name, data)
                target = f"{prefix}/shared" if k % 2 else f"{prefix}/own-{t}"
                expected[f"{target}/{name}"] = data
                jobs.append((t, str(source), target))

        barrier = threading.Barrier(8)

        def worker(t):
            try:
                barrier.wait(timeout=30)
                for owner, source, target in jobs:
                    if owner == t:
                        artifact_repository.log_artifact(source, target)
            except BaseException as exc:  # collected and reported by the main thread
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(t,)) for t in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not errors, f"concurrent log_artifact raised: {errors[0]!r}"
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTING):
            assert_stored(artifact_repository, expected, tmp_path, prefix)
