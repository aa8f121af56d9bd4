"""Family ``concurrency``: MLflow's async logging and thread pools send requests from several threads."""

from __future__ import annotations

import threading

from ..base import clause
from ._helpers import not_header_items, require_str_headers


class ConcurrencyClauses:
    @clause("request_header_provider/concurrency/threads")
    def test_concurrency_threads(self, request_header_provider, provider_context):
        """Called from 8 threads at once (MLflow's async logging and thread pools send requests concurrently),
        ``request_headers()`` never raises and always returns str values under the same header names as a call on
        its own (None values, which are not sent, aside; blocked by ``headers/str-to-str`` when a call on its own
        does not give str -> str)."""
        with self.in_context(request_header_provider, provider_context):
            names = set(require_str_headers(request_header_provider.request_headers()))
            problems: list[str] = []
            start = threading.Barrier(8)

            def hammer():
                start.wait()
                for _ in range(25):
                    try:
                        got = dict(request_header_provider.request_headers())
                        bad = not_header_items(got)
                        if bad:
                            problems.append(f"non-str values {bad}")
                        sent = {k for k, v in got.items() if v is not None}
                        if sent != names:
                            problems.append(f"header names {sorted(sent)} instead of {sorted(names)}")
                    except Exception as exc:
                        problems.append(f"{type(exc).__name__}: {exc}")

            threads = [threading.Thread(target=hammer) for _ in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        assert not problems, (f"{len(problems)} of 200 concurrent calls went wrong, e.g. {problems[0]} (shared "
                              "mutable state without a lock?)")
