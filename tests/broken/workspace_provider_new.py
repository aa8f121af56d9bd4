"""Broken workspace stores for the clauses split out with issue 11 (one realistic bug each), built on MLflow's SQL
workspace store. ``tests/test_kinds_new_mutants.py`` runs them."""

from __future__ import annotations

from mlflow.store.workspace.sqlalchemy_store import SqlAlchemyStore as WorkspaceSqlStore


class BrokenWorkspaceListNames(WorkspaceSqlStore):
    """list_workspaces returns the names, not Workspace entities."""

    def list_workspaces(self):
        return [w.name for w in super().list_workspaces()]


class BrokenWorkspaceListsDefaultTwice(WorkspaceSqlStore):
    """list_workspaces appends the default workspace to a listing that already holds it."""

    def list_workspaces(self):
        listed = list(super().list_workspaces())
        return listed + [w for w in listed if w.name == "default"]


class BrokenWorkspaceGetCaseSensitive(WorkspaceSqlStore):
    """get_workspace looks names up upper-cased (a case-folding bug): no listed workspace is found."""

    def get_workspace(self, workspace_name):
        return super().get_workspace(workspace_name.upper())


class BrokenWorkspaceCreateReturnsNothing(WorkspaceSqlStore):
    """create_workspace creates the workspace but returns None."""

    def create_workspace(self, workspace):
        super().create_workspace(workspace)


class BrokenWorkspaceGetDropsDescription(WorkspaceSqlStore):
    """get_workspace returns the workspace without its description."""

    def get_workspace(self, workspace_name):
        from mlflow.entities import Workspace

        return Workspace(name=super().get_workspace(workspace_name).name)


class BrokenWorkspaceListOnlyDefault(WorkspaceSqlStore):
    """list_workspaces lists only the default workspace."""

    def list_workspaces(self):
        return [w for w in super().list_workspaces() if w.name == "default"]


class BrokenWorkspaceUpdateIgnored(WorkspaceSqlStore):
    """update_workspace returns the workspace it was given but stores nothing."""

    def update_workspace(self, workspace):
        return workspace


class BrokenWorkspaceSoftDelete(WorkspaceSqlStore):
    """delete_workspace only hides the workspace from the listing: get_workspace still finds it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._hidden = set()

    def delete_workspace(self, workspace_name, *args, **kwargs):
        self._hidden.add(workspace_name)

    def list_workspaces(self):
        return [w for w in super().list_workspaces() if w.name not in self._hidden]


class BrokenWorkspaceValidatesAfterInsert(WorkspaceSqlStore):
    """create_workspace stores the workspace first and validates its name after: the error is raised, the row
    stays."""

    def create_workspace(self, workspace):
        import mlflow.store.workspace.sqlalchemy_store as module

        validator = module.WorkspaceNameValidator.validate
        module.WorkspaceNameValidator.validate = classmethod(lambda cls, name: None)
        try:
            created = super().create_workspace(workspace)
        finally:
            module.WorkspaceNameValidator.validate = validator
        validator(workspace.name)
        return created
