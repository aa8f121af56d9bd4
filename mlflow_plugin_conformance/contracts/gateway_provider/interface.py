"""``gateway_provider/interface/*``: the provider subclasses MLflow's ``BaseProvider`` completely, with the class
attributes the gateway reads and the routes it claims."""

from __future__ import annotations

from ..base import clause
from ..shared.interface import interface_clauses
from ._helpers import ROUTE_METHODS, implemented_routes


class InterfaceClauses(interface_clauses("mlflow.gateway.providers:BaseProvider")):
    @clause("gateway_provider/interface/attributes")
    def test_interface_attributes(self, gateway_provider):
        """``DISPLAY_NAME`` is a non-empty string and ``CONFIG_TYPE`` a ``ConfigModel`` subclass (BaseProvider
        refuses to construct otherwise, at the first request); ``SUPPORTED_ROUTE_TYPES``, when declared, is a
        non-empty tuple of gateway route types."""
        from mlflow.gateway.base_models import ConfigModel

        assert isinstance(gateway_provider.DISPLAY_NAME, str) and gateway_provider.DISPLAY_NAME, "DISPLAY_NAME"
        config_type = getattr(gateway_provider, "CONFIG_TYPE", None)
        assert isinstance(config_type, type) and issubclass(config_type, ConfigModel), f"CONFIG_TYPE {config_type!r}"
        if hasattr(gateway_provider, "SUPPORTED_ROUTE_TYPES"):
            routes = gateway_provider.SUPPORTED_ROUTE_TYPES
            assert isinstance(routes, tuple) and routes, f"SUPPORTED_ROUTE_TYPES {routes!r}"
            unknown = [r for r in routes if r not in ROUTE_METHODS]
            assert not unknown, f"unknown route types {unknown}; MLflow's are {sorted(ROUTE_METHODS)}"

    @clause("gateway_provider/interface/routes-implemented")
    def test_interface_routes_implemented(self, gateway_provider):
        """Every route type in ``SUPPORTED_ROUTE_TYPES`` is implemented (``chat`` / ``_chat`` and the like is
        overridden): the base answers 501 for routes the provider claims. Without the declaration, at least one
        route is implemented."""
        claimed = getattr(gateway_provider, "SUPPORTED_ROUTE_TYPES", None)
        implemented = implemented_routes(gateway_provider)
        if claimed is None:
            assert implemented, "the provider implements no route (chat, completions, embeddings)"
            return
        missing = [route for route in claimed if route not in implemented]
        assert not missing, f"routes claimed but left to the base (501): {missing}"
