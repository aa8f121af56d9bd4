"""Family ``state``: constructing the client leaves the process's global state alone."""

from __future__ import annotations

from ..base import clause
from ..shared.global_state import global_state, restore_global_state, state_changes


class StateClauses:
    @clause("app_client/state/no-global-changes")
    def test_state_no_global_changes(self, app_client):
        """Constructing the client changes no global state (environment, MLflow's tracking URI, cwd)."""
        before = global_state()
        try:
            app_client.cls("http://127.0.0.1:5000")  # what get_app_client(name, uri) calls
            changes = state_changes(before, global_state())
        finally:
            restore_global_state(before)
        assert not changes, "constructing the client changed global state:\n  " + "\n  ".join(changes)
