"""Broken AI gateway providers for the clauses split out with issue 11 (one realistic bug each), built on MLflow's
OpenAI provider. ``tests/test_kinds_new_mutants.py`` runs them."""

from __future__ import annotations


def broken_config_type_dict():
    """CONFIG_TYPE left as a plain dict type."""
    from mlflow.gateway.providers.openai import OpenAIProvider

    class ConfigTypeDict(OpenAIProvider):
        CONFIG_TYPE = dict

    return ConfigTypeDict


def broken_route_types_list():
    """SUPPORTED_ROUTE_TYPES written as a list with a misspelt route type."""
    from mlflow.gateway.providers.openai import OpenAIProvider

    class RouteTypesList(OpenAIProvider):
        SUPPORTED_ROUTE_TYPES = ["llm/v1/chat", "llm/v1/chats"]

    return RouteTypesList


def broken_construct_needs_region():
    """The constructor requires a region argument the gateway never passes."""
    from mlflow.gateway.providers.openai import OpenAIProvider

    class NeedsRegion(OpenAIProvider):
        def __init__(self, config, region, **kwargs):
            super().__init__(config, **kwargs)
            self.region = region

    return NeedsRegion


def broken_config_dumped():
    """The constructor keeps the configuration as a plain dict (``model_dump``), not the EndpointConfig."""
    from mlflow.gateway.providers.openai import OpenAIProvider

    class ConfigDumped(OpenAIProvider):
        def __init__(self, config, **kwargs):
            super().__init__(config, **kwargs)
            self.config = config.model_dump()

    return ConfigDumped
