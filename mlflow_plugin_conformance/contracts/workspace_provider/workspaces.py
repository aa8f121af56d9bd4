"""``workspace_provider/workspaces/*``: listing, getting and (feature ``workspace_provider.write``) changing
workspaces. Each clause checks one behaviour; one whose prerequisite is broken (creating, listing) reports itself
blocked by the clause that checks the prerequisite."""

from __future__ import annotations

import pytest

from ...outcomes import blocked_by, is_not_implemented, unsupported
from .._support import raises_mlflow_error, unique_name
from ..base import clause

WRITE = "workspace_provider.write"
#: Names outside MLflow's workspace name rule (a lowercase DNS label of 2-63 characters, not reserved).
INVALID_NAMES = ("Bad_Name!", "a", "-lead", "workspaces", "x" * 64, "../etc")


def listed_workspaces(provider) -> list:
    """``list(provider.list_workspaces())``; blocked by the listing clause when it raises."""
    try:
        return list(provider.list_workspaces())
    except Exception as exc:
        blocked_by("workspace_provider/workspaces/list", f"list_workspaces raised {type(exc).__name__}: {exc}")


def workspace_name() -> str:
    return unique_name("ws").replace("_", "-")


class WorkspaceClauses:
    @pytest.fixture
    def created_workspace(self, workspace_provider):
        """A workspace created under a unique name with description 'first', deleted at teardown."""
        from mlflow.entities import Workspace

        name = workspace_name()
        try:
            workspace_provider.create_workspace(Workspace(name=name, description="first"))
        except Exception as exc:
            if is_not_implemented(exc):
                unsupported(WRITE, f"create_workspace raised {type(exc).__name__}")
            blocked_by("workspace_provider/workspaces/create", f"create_workspace raised {type(exc).__name__}: {exc}")
        yield name
        try:
            workspace_provider.delete_workspace(name)
        except Exception:
            pass

    @clause("workspace_provider/workspaces/list")
    def test_workspaces_list(self, workspace_provider):
        """``list_workspaces`` returns an iterable of ``Workspace`` entities."""
        from mlflow.entities import Workspace

        listed = list(workspace_provider.list_workspaces())
        assert all(isinstance(w, Workspace) for w in listed), f"not Workspace entities: {listed!r}"

    @clause("workspace_provider/workspaces/list-distinct")
    def test_workspaces_list_distinct(self, workspace_provider):
        """``list_workspaces`` lists every workspace once (distinct names)."""
        names = [getattr(w, "name", w) for w in listed_workspaces(workspace_provider)]
        assert len(names) == len(set(names)), f"duplicate workspace names: {names}"

    @clause("workspace_provider/workspaces/get-listed")
    def test_workspaces_get_listed(self, workspace_provider):
        """``get_workspace(name)`` finds every listed workspace by its name."""
        names = [getattr(w, "name", w) for w in listed_workspaces(workspace_provider)]
        for name in names[:5]:
            got = workspace_provider.get_workspace(name)
            assert got.name == name, f"get_workspace({name!r}) returned {got!r}"

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
        assert default.name in [w.name for w in listed_workspaces(workspace_provider)]

    @clause("workspace_provider/workspaces/create", feature=WRITE)
    def test_workspaces_create(self, workspace_provider):
        """Where writable: ``create_workspace`` returns the workspace, with its name and description."""
        from mlflow.entities import Workspace

        name = workspace_name()
        try:
            created = workspace_provider.create_workspace(Workspace(name=name, description="first"))
            assert created.name == name and created.description == "first", f"create_workspace returned {created!r}"
        finally:
            try:
                workspace_provider.delete_workspace(name)
            except Exception:
                pass

    @clause("workspace_provider/workspaces/get", feature=WRITE)
    def test_workspaces_get(self, workspace_provider, created_workspace):
        """Where writable: ``get_workspace`` finds a created workspace, with its description."""
        got = workspace_provider.get_workspace(created_workspace)
        assert got.name == created_workspace and got.description == "first", f"get_workspace returned {got!r}"

    @clause("workspace_provider/workspaces/list-created", feature=WRITE)
    def test_workspaces_list_created(self, workspace_provider, created_workspace):
        """Where writable: ``list_workspaces`` lists a created workspace."""
        names = [getattr(w, "name", w) for w in listed_workspaces(workspace_provider)]
        assert created_workspace in names, f"the created workspace {created_workspace!r} is not listed"

    @clause("workspace_provider/workspaces/update", feature=WRITE)
    def test_workspaces_update(self, workspace_provider, created_workspace):
        """Where writable: ``update_workspace`` changes the description ``get_workspace`` returns."""
        from mlflow.entities import Workspace

        workspace_provider.update_workspace(Workspace(name=created_workspace, description="second"))
        got = workspace_provider.get_workspace(created_workspace)
        assert got.description == "second", f"after the update the description is {got.description!r}"

    @clause("workspace_provider/workspaces/delete", feature=WRITE)
    def test_workspaces_delete(self, workspace_provider, created_workspace):
        """Where writable: after ``delete_workspace``, getting it raises RESOURCE_DOES_NOT_EXIST."""
        workspace_provider.delete_workspace(created_workspace)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted workspace"):
            workspace_provider.get_workspace(created_workspace)

    @clause("workspace_provider/workspaces/duplicate", feature=WRITE)
    def test_workspaces_duplicate(self, workspace_provider, created_workspace):
        """Where writable: creating an existing name raises RESOURCE_ALREADY_EXISTS."""
        from mlflow.entities import Workspace

        with raises_mlflow_error("RESOURCE_ALREADY_EXISTS", doing="creating a workspace that exists"):
            workspace_provider.create_workspace(Workspace(name=created_workspace))

    @clause("workspace_provider/workspaces/invalid-name", feature=WRITE)
    def test_workspaces_invalid_name(self, workspace_provider):
        """Where writable: creating a workspace whose name breaks MLflow's workspace name rule (lowercase DNS label,
        2-63 characters, not reserved) raises INVALID_PARAMETER_VALUE."""
        from mlflow.entities import Workspace

        for bad in INVALID_NAMES:
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"creating workspace {bad!r}"):
                workspace_provider.create_workspace(Workspace(name=bad))

    @clause("workspace_provider/workspaces/invalid-name-not-created", feature=WRITE)
    def test_workspaces_invalid_name_not_created(self, workspace_provider):
        """Where writable: a refused invalid name leaves nothing behind (``list_workspaces`` does not list it)."""
        from mlflow.entities import Workspace

        for bad in INVALID_NAMES:
            try:
                workspace_provider.create_workspace(Workspace(name=bad))
            except Exception:
                continue
            blocked_by("workspace_provider/workspaces/invalid-name", f"creating {bad!r} was not refused")
        left = set(INVALID_NAMES) & {getattr(w, "name", w) for w in listed_workspaces(workspace_provider)}
        assert not left, f"refused workspace names were stored anyway: {sorted(left)}"
