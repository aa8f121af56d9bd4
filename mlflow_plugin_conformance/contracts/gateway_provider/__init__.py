"""The AI-gateway-provider contract (``mlflow.gateway.providers``).

Subclass :class:`GatewayProviderContract` and provide ``gateway_provider``: the provider class, what the entry point
names. When its ``CONFIG_TYPE`` has required fields, also provide ``gateway_provider_config`` (a dict of them).
Nothing is sent to a model: the clauses check the class and construct it from endpoint configurations.
"""

from __future__ import annotations

import pytest

from ..base import ContractBase, required_fixture
from .interface import InterfaceClauses
from .lifecycle import LifecycleClauses

__all__ = ["GatewayProviderContract"]

_EXAMPLE = """    @pytest.fixture
    def gateway_provider(self):
        return MyProvider"""


class GatewayProviderContract(InterfaceClauses, LifecycleClauses, ContractBase):
    """Contract clauses for an AI gateway provider class. Provide ``gateway_provider`` (the class) and, when its
    ``CONFIG_TYPE`` has required fields, ``gateway_provider_config`` (a dict of them)."""

    kind_key = "gateway_provider"
    target_fixture = "gateway_provider"

    gateway_provider = required_fixture("gateway_provider", "GatewayProviderContract", _EXAMPLE)

    @pytest.fixture
    def gateway_provider_config(self) -> dict:
        return {}

    @pytest.fixture
    def gateway_provider_name(self, gateway_provider) -> str:
        """The name the gateway knows the provider by (MLflow's global provider registry)."""
        from mlflow.gateway.provider_registry import provider_registry

        names = [getattr(n, "value", n) for n in provider_registry.keys()
                 if provider_registry._providers[n] is gateway_provider]
        own = [n for n in names if n.replace("-", "").replace("_", "") in gateway_provider.__name__.lower()]
        if own or names:
            return (own or names)[0]
        pytest.fail(f"{gateway_provider.__name__} is not in MLflow's gateway provider registry", pytrace=False)
