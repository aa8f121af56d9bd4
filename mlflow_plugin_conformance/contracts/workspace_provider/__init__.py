"""The workspace-provider contract (``mlflow.workspace_provider``, MLflow 3.11).

Subclass :class:`WorkspaceProviderContract` and provide the ``workspace_provider`` fixture: the workspace store
(the bundled suite builds it through MLflow's workspace store registry from the target URI). The writing clauses
(feature ``workspace_provider.write``) create workspaces with unique names and delete them.
"""

from __future__ import annotations

from ..base import ContractBase, required_fixture
from ..shared.import_order import ImportOrderClauses
from .interface import InterfaceClauses
from .workspaces import WorkspaceClauses

__all__ = ["WorkspaceProviderContract"]

_EXAMPLE = """    @pytest.fixture
    def workspace_provider(self, tmp_path):
        return MyWorkspaceStore(f"my-scheme://{tmp_path}")"""


class WorkspaceProviderContract(InterfaceClauses, WorkspaceClauses, ImportOrderClauses,
                                ContractBase):
    """Contract clauses for a workspace store. Provide the ``workspace_provider`` fixture (the store)."""

    kind_key = "workspace_provider"
    target_fixture = "workspace_provider"

    workspace_provider = required_fixture("workspace_provider", "WorkspaceProviderContract", _EXAMPLE)
