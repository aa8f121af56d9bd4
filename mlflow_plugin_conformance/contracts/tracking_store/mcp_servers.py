"""The MCP server registry (level full, feature ``tracking_store.mcp_servers``).

From MLflow 3.15 the tracking store keeps a registry of MCP servers: servers named ``<reverse-dns>/<slug>``,
their versions (each a server.json document), aliases, tags, remote access endpoints and links to the traces that
used them. A store without it answers NotImplementedError (reported unsupported). Servers are global: every
clause uses a unique name. Each clause checks one behaviour as MLflow's ``SqlAlchemyStore`` implements it.
"""

from __future__ import annotations

import uuid

from .._support import raises_mlflow_error
from ..base import clause
from ._genai import MCP_SERVERS, new_trace
from ._helpers import new_experiment


def _name() -> str:
    return f"org.conformance/server-{uuid.uuid4().hex[:12]}"


def _server_with_versions(store, versions=("1.0.0",)):
    name = _name()
    store.create_mcp_server(name, description="a conformance server")
    for version in versions:
        store.create_mcp_server_version({"name": name, "version": version, "description": f"v{version}"})
    return name


class MCPServerClauses:
    """Clauses of the ``tracking_store/mcp-servers/*`` family."""

    @clause("tracking_store/mcp-servers/create-get", level="full", feature=MCP_SERVERS, since="3.15")
    def test_mcp_servers_create_get(self, tracking_store):
        """create_mcp_server stores a server; get_mcp_server returns its name and description."""
        name = _name()
        tracking_store.create_mcp_server(name, description="tools for tests")
        got = tracking_store.get_mcp_server(name)
        assert (got.name, got.description) == (name, "tools for tests"), f"server read back {got!r}"

    @clause("tracking_store/mcp-servers/invalid-name", level="full", feature=MCP_SERVERS, since="3.15")
    def test_mcp_servers_invalid_name(self, tracking_store):
        """A server name that is not ``<reverse-dns namespace>/<slug>`` is rejected with
        INVALID_PARAMETER_VALUE."""
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="creating an MCP server with an invalid name"):
            tracking_store.create_mcp_server("no-namespace-" + uuid.uuid4().hex[:8])

    @clause("tracking_store/mcp-servers/update", level="full", feature=MCP_SERVERS, since="3.15")
    def test_mcp_servers_update(self, tracking_store):
        """update_mcp_server changes the description it is given."""
        name = _server_with_versions(tracking_store, ())
        tracking_store.update_mcp_server(name, description="new description")
        assert tracking_store.get_mcp_server(name).description == "new description"

    @clause("tracking_store/mcp-servers/search", level="full", feature=MCP_SERVERS, since="3.15")
    def test_mcp_servers_search(self, tracking_store):
        """search_mcp_servers with ``name = '<name>'`` finds exactly that server."""
        name = _server_with_versions(tracking_store, ())
        _server_with_versions(tracking_store, ())
        found = tracking_store.search_mcp_servers(filter_string=f"name = '{name}'")
        assert [s.name for s in found] == [name], f"search found {[s.name for s in found]}"

    @clause("tracking_store/mcp-servers/delete", level="full", feature=MCP_SERVERS, since="3.15")
    def test_mcp_servers_delete(self, tracking_store):
        """delete_mcp_server removes the server: get_mcp_server then raises RESOURCE_DOES_NOT_EXIST."""
        name = _server_with_versions(tracking_store)
        tracking_store.delete_mcp_server(name)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted MCP server"):
            tracking_store.get_mcp_server(name)

    @clause("tracking_store/mcp-servers/tags", level="full", feature=MCP_SERVERS, since="3.15")
    def test_mcp_servers_tags(self, tracking_store):
        """set_mcp_server_tag adds a server tag; delete_mcp_server_tag removes it."""
        name = _server_with_versions(tracking_store, ())
        tracking_store.set_mcp_server_tag(name, "team", "agents")
        assert tracking_store.get_mcp_server(name).tags.get("team") == "agents"
        tracking_store.delete_mcp_server_tag(name, "team")
        assert "team" not in tracking_store.get_mcp_server(name).tags

    @clause("tracking_store/mcp-servers/version-round-trip", level="full", feature=MCP_SERVERS, since="3.15")
    def test_mcp_servers_version_round_trip(self, tracking_store):
        """create_mcp_server_version stores a version; get_mcp_server_version returns its server.json."""
        name = _server_with_versions(tracking_store, ("1.0.0",))
        got = tracking_store.get_mcp_server_version(name, "1.0.0")
        assert (got.version, got.server_json) == ("1.0.0", {"name": name, "version": "1.0.0",
                                                             "description": "v1.0.0"}), f"version read back {got!r}"

    @clause("tracking_store/mcp-servers/latest-version", level="full", feature=MCP_SERVERS, since="3.15")
    def test_mcp_servers_latest_version(self, tracking_store):
        """get_latest_mcp_server_version returns the newest version; search_mcp_server_versions lists all."""
        name = _server_with_versions(tracking_store, ("1.0.0", "1.1.0"))
        assert tracking_store.get_latest_mcp_server_version(name).version == "1.1.0"
        assert sorted(v.version for v in tracking_store.search_mcp_server_versions(name)) == ["1.0.0", "1.1.0"]

    @clause("tracking_store/mcp-servers/version-update", level="full", feature=MCP_SERVERS, since="3.15")
    def test_mcp_servers_version_update(self, tracking_store):
        """update_mcp_server_version changes a version's status (a new version is a draft)."""
        from mlflow.entities.mcp_server import MCPStatus

        name = _server_with_versions(tracking_store)
        assert str(tracking_store.get_mcp_server_version(name, "1.0.0").status.value) == "draft"
        tracking_store.update_mcp_server_version(name, "1.0.0", status=MCPStatus.ACTIVE)
        assert str(tracking_store.get_mcp_server_version(name, "1.0.0").status.value) == "active"

    @clause("tracking_store/mcp-servers/version-tags", level="full", feature=MCP_SERVERS, since="3.15")
    def test_mcp_servers_version_tags(self, tracking_store):
        """set_mcp_server_version_tag tags a version; delete_mcp_server_version_tag removes the tag."""
        name = _server_with_versions(tracking_store)
        tracking_store.set_mcp_server_version_tag(name, "1.0.0", "reviewed", "yes")
        assert tracking_store.get_mcp_server_version(name, "1.0.0").tags.get("reviewed") == "yes"
        tracking_store.delete_mcp_server_version_tag(name, "1.0.0", "reviewed")
        assert "reviewed" not in tracking_store.get_mcp_server_version(name, "1.0.0").tags

    @clause("tracking_store/mcp-servers/aliases", level="full", feature=MCP_SERVERS, since="3.15")
    def test_mcp_servers_aliases(self, tracking_store):
        """set_mcp_server_alias points an alias at a version (get_mcp_server_version_by_alias resolves it);
        delete_mcp_server_alias removes it (RESOURCE_DOES_NOT_EXIST after)."""
        name = _server_with_versions(tracking_store, ("1.0.0", "2.0.0"))
        tracking_store.set_mcp_server_alias(name, "prod", "1.0.0")
        assert tracking_store.get_mcp_server_version_by_alias(name, "prod").version == "1.0.0"
        tracking_store.delete_mcp_server_alias(name, "prod")
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="resolving a deleted MCP server alias"):
            tracking_store.get_mcp_server_version_by_alias(name, "prod")

    @clause("tracking_store/mcp-servers/delete-version", level="full", feature=MCP_SERVERS, since="3.15")
    def test_mcp_servers_delete_version(self, tracking_store):
        """delete_mcp_server_version removes one version (RESOURCE_DOES_NOT_EXIST after) and keeps the
        others."""
        name = _server_with_versions(tracking_store, ("1.0.0", "1.1.0"))
        tracking_store.delete_mcp_server_version(name, "1.1.0")
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted MCP server version"):
            tracking_store.get_mcp_server_version(name, "1.1.0")
        assert tracking_store.get_mcp_server_version(name, "1.0.0").version == "1.0.0"

    @clause("tracking_store/mcp-servers/access-endpoints", level="full", feature=MCP_SERVERS, since="3.15")
    def test_mcp_servers_access_endpoints(self, tracking_store):
        """An access endpoint of a version is read back (get_mcp_access_endpoint, search_mcp_access_endpoints),
        updated (update_mcp_access_endpoint) and removed (delete_mcp_access_endpoint)."""
        name = _server_with_versions(tracking_store)
        endpoint = tracking_store.create_mcp_access_endpoint(name, "https://mcp.example.com/a",
                                                             server_version="1.0.0")
        assert tracking_store.get_mcp_access_endpoint(name, endpoint.id).url == "https://mcp.example.com/a"
        assert [e.id for e in tracking_store.search_mcp_access_endpoints(server_name=name)] == [
            endpoint.id]
        tracking_store.update_mcp_access_endpoint(name, endpoint.id, url="https://mcp.example.com/b")
        assert tracking_store.get_mcp_access_endpoint(name, endpoint.id).url == "https://mcp.example.com/b"
        tracking_store.delete_mcp_access_endpoint(name, endpoint.id)
        assert list(tracking_store.search_mcp_access_endpoints(server_name=name)) == []

    @clause("tracking_store/mcp-servers/link-to-trace", level="full", feature=MCP_SERVERS, since="3.15")
    def test_mcp_servers_link_to_trace(self, tracking_store):
        """link_mcp_server_versions_to_trace links versions to a trace; get_mcp_server_versions_for_trace returns
        them. (MLflow's SQL store offers neither: unsupported there.)"""
        name = _server_with_versions(tracking_store)
        trace_id = new_trace(tracking_store, new_experiment(tracking_store))
        tracking_store.link_mcp_server_versions_to_trace(trace_id, [tracking_store.get_mcp_server_version(name,
                                                                                                        "1.0.0")])
        got = [(v.name, v.version) for v in tracking_store.get_mcp_server_versions_for_trace(trace_id)]
        assert got == [(name, "1.0.0")], f"MCP server versions of the trace: {got}"
