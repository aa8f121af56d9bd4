"""``workspace_provider/workspaces/*``: listing, getting and (where writable) changing workspaces."""

from __future__ import annotations

from .._support import raises_mlflow_error, unique_name
from ..base import clause


class WorkspaceClauses:
    @clause("workspace_provider/workspaces/list")
    def test_workspaces_list(self, workspace_provider):
        """``list_workspaces`` returns an iterable of ``Workspace`` entities with distinct names, each found by
        ``get_workspace``."""
        from mlflow.entities import Workspace

        listed = list(workspace_provider.list_workspaces())
        assert all(isinstance(w, Workspace) for w in listed), f"not Workspace entities: {listed!r}"
        names = [w.name for w in listed]
        assert len(names) == len(set(names)), f"duplicate workspace names: {names}"
        for name in names[:5]:
            assert workspace_provider.get_workspace(name).name == name

    @clause("workspace_provider/workspaces/get-unknown")
    def test_workspaces_get_unknown(self, workspace_provider):
        """``get_workspace`` of an unknown name raises RESOURCE_DOES_NOT_EXIST (the server answers 404)."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown workspace"):
            workspace_provider.get_workspace(unique_name("missing"))

    @clause("workspace_provider/workspaces/default", level="full")
    def test_workspaces_default(self, workspace_provider):
        """``get_default_workspace`` returns a listed workspace, or refuses with INVALID_PARAMETER_VALUE (a provider
        that requires an explicit workspace)."""
        from mlflow.exceptions import MlflowException

        try:
            default = workspace_provider.get_default_workspace()
        except MlflowException as exc:
            assert exc.error_code == "INVALID_PARAMETER_VALUE", f"error code {exc.error_code}"
            return
        assert default.name in [w.name for w in workspace_provider.list_workspaces()]

    @clause("workspace_provider/workspaces/lifecycle", feature="workspace_provider.write")
    def test_workspaces_lifecycle(self, workspace_provider):
        """Where writable: create returns the workspace; get and list see it; update changes the description;
        delete removes it (get then raises RESOURCE_DOES_NOT_EXIST)."""
        from mlflow.entities import Workspace

        name = unique_name("ws").replace("_", "-")
        created = workspace_provider.create_workspace(Workspace(name=name, description="first"))
        assert created.name == name and created.description == "first"
        assert workspace_provider.get_workspace(name).description == "first"
        assert name in [w.name for w in workspace_provider.list_workspaces()]
        workspace_provider.update_workspace(Workspace(name=name, description="second"))
        assert workspace_provider.get_workspace(name).description == "second"
        workspace_provider.delete_workspace(name)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted workspace"):
            workspace_provider.get_workspace(name)

    @clause("workspace_provider/workspaces/duplicate", feature="workspace_provider.write")
    def test_workspaces_duplicate(self, workspace_provider):
        """Where writable: creating an existing name raises RESOURCE_ALREADY_EXISTS."""
        from mlflow.entities import Workspace

        name = unique_name("ws").replace("_", "-")
        workspace_provider.create_workspace(Workspace(name=name))
        try:
            with raises_mlflow_error("RESOURCE_ALREADY_EXISTS", doing="creating a workspace that exists"):
                workspace_provider.create_workspace(Workspace(name=name))
        finally:
            workspace_provider.delete_workspace(name)

    @clause("workspace_provider/workspaces/invalid-name", feature="workspace_provider.write")
    def test_workspaces_invalid_name(self, workspace_provider):
        """Where writable: names outside MLflow's workspace name rule (lowercase DNS label, 2-63 characters, not
        reserved) raise INVALID_PARAMETER_VALUE and nothing is created."""
        from mlflow.entities import Workspace

        for bad in ("Bad_Name!", "a", "-lead", "workspaces", "x" * 64, "../etc"):
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"creating workspace {bad!r}"):
                workspace_provider.create_workspace(Workspace(name=bad))
        assert not {"Bad_Name!", "../etc"} & {w.name for w in workspace_provider.list_workspaces()}
