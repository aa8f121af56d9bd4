"""``gateway_provider/lifecycle/*``: the provider built from an endpoint configuration, as the gateway builds it."""

from __future__ import annotations

from ...outcomes import blocked_by
from .._support import unique_name
from ..base import clause
from ._helpers import implemented_routes


def endpoint_configs(gateway_provider, provider_name, provider_config) -> list:
    """One ``EndpointConfig`` per route type the provider serves (declared, or else implemented)."""
    from mlflow.gateway.config import EndpointConfig

    routes = getattr(gateway_provider, "SUPPORTED_ROUTE_TYPES", None) or implemented_routes(gateway_provider)
    return [EndpointConfig(name=unique_name("route"), endpoint_type=route,
                           model={"provider": provider_name, "name": "conformance-model",
                                  "config": dict(provider_config)})
            for route in routes]


class LifecycleClauses:
    @clause("gateway_provider/lifecycle/construct")
    def test_lifecycle_construct(self, gateway_provider, gateway_provider_name, gateway_provider_config):
        """The provider constructs from an endpoint configuration of each route type it serves, as the gateway
        does (``cls(config, enable_tracing=False)``)."""
        for config in endpoint_configs(gateway_provider, gateway_provider_name, gateway_provider_config):
            gateway_provider(config, enable_tracing=False)

    @clause("gateway_provider/lifecycle/config-kept")
    def test_lifecycle_config_kept(self, gateway_provider, gateway_provider_name, gateway_provider_config):
        """The constructed provider keeps the endpoint configuration as ``config`` (BaseProvider's requests read
        it)."""
        for config in endpoint_configs(gateway_provider, gateway_provider_name, gateway_provider_config):
            try:
                provider = gateway_provider(config, enable_tracing=False)
            except Exception as exc:
                blocked_by("gateway_provider/lifecycle/construct", f"construction raised {type(exc).__name__}")
            kept = getattr(provider, "config", None)
            assert kept is config or kept == config, f"the provider keeps config {kept!r}, not the one it was given"
