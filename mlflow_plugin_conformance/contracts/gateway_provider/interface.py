"""``gateway_provider/interface/*``: the provider subclasses MLflow's ``BaseProvider`` completely, with the class
attributes the gateway reads and the routes it claims, one attribute per clause."""

from __future__ import annotations

from ..base import clause
from ..shared.interface import interface_clauses
from ._helpers import ROUTE_METHODS, implemented_routes


class InterfaceClauses(interface_clauses("mlflow.gateway.providers:BaseProvider")):
    @clause("gateway_provider/interface/display-name")
    def test_interface_display_name(self, gateway_provider):
        """``DISPLAY_NAME`` is a non-empty string (BaseProvider refuses to construct otherwise, at the first
        request)."""
        name = getattr(gateway_provider, "DISPLAY_NAME", None)
        assert isinstance(name, str) and name, f"DISPLAY_NAME is {name!r}"

    @clause("gateway_provider/interface/config-type")
    def test_interface_config_type(self, gateway_provider):
        """``CONFIG_TYPE`` is a ``ConfigModel`` subclass (BaseProvider refuses to construct otherwise)."""
        from mlflow.gateway.base_models import ConfigModel

        config_type = getattr(gateway_provider, "CONFIG_TYPE", None)
        assert isinstance(config_type, type) and issubclass(config_type, ConfigModel), f"CONFIG_TYPE {config_type!r}"

    @clause("gateway_provider/interface/route-types")
    def test_interface_route_types(self, gateway_provider):
        """``SUPPORTED_ROUTE_TYPES``, when declared, is a non-empty tuple of the gateway's route types."""
        if not hasattr(gateway_provider, "SUPPORTED_ROUTE_TYPES"):
            return
        routes = gateway_provider.SUPPORTED_ROUTE_TYPES
        assert isinstance(routes, tuple) and routes, f"SUPPORTED_ROUTE_TYPES {routes!r}"
        unknown = [r for r in routes if r not in ROUTE_METHODS]
        assert not unknown, f"unknown route types {unknown}; MLflow's are {sorted(ROUTE_METHODS)}"

    @clause("gateway_provider/interface/routes-implemented")
    def test_interface_routes_implemented(self, gateway_provider):
        """Every route type in ``SUPPORTED_ROUTE_TYPES`` is implemented (``chat`` / ``_chat`` and the like is
        overridden): the base answers 501 for routes the provider claims. Without the declaration, at least one
        route is implemented. (Route types the gateway does not know are ``interface/route-types``' finding.)"""
        claimed = getattr(gateway_provider, "SUPPORTED_ROUTE_TYPES", None)
        implemented = implemented_routes(gateway_provider)
        if claimed is None:
            assert implemented, "the provider implements no route (chat, completions, embeddings)"
            return
        missing = [route for route in claimed if route in ROUTE_METHODS and route not in implemented]
        assert not missing, f"routes claimed but left to the base (501): {missing}"
