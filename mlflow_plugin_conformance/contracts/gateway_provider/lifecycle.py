"""``gateway_provider/lifecycle/*``: the provider built from an endpoint configuration, as the gateway builds it."""

from __future__ import annotations

from .._support import unique_name
from ..base import clause
from ._helpers import implemented_routes


class LifecycleClauses:
    @clause("gateway_provider/lifecycle/construct")
    def test_lifecycle_construct(self, gateway_provider, gateway_provider_name, gateway_provider_config):
        """The provider constructs from an endpoint configuration of each route type it serves, as the gateway
        does (``cls(config, enable_tracing=False)``), and keeps the configuration."""
        from mlflow.gateway.config import EndpointConfig

        routes = getattr(gateway_provider, "SUPPORTED_ROUTE_TYPES", None) or implemented_routes(gateway_provider)
        for route in routes:
            config = EndpointConfig(name=unique_name("route"), endpoint_type=route,
                                    model={"provider": gateway_provider_name, "name": "conformance-model",
                                           "config": dict(gateway_provider_config)})
            provider = gateway_provider(config, enable_tracing=False)
            assert provider.config is config or provider.config == config
