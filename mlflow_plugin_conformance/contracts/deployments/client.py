"""``deployments/client/*``: what the client object keeps from its construction."""

from __future__ import annotations

from ..base import clause


class ClientClauses:
    @clause("deployments/client/target-uri")
    def test_client_target_uri(self, deployment_client):
        """The client keeps the ``target_uri`` it was built from (``BaseDeploymentClient.__init__`` was called)."""
        assert isinstance(getattr(deployment_client, "target_uri", None), str), (
            "the client has no target_uri: its __init__ does not call super().__init__(target_uri)")
