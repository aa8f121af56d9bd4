"""What only the gateway-provider contract uses: MLflow's route types and the provider methods serving them."""

from __future__ import annotations

#: Route type -> the provider methods that serve it (overriding either implements the route).
ROUTE_METHODS = {"llm/v1/chat": ("chat", "_chat"), "llm/v1/completions": ("completions", "_completions"),
                 "llm/v1/embeddings": ("embeddings", "_embeddings")}


def implemented_routes(provider_cls) -> list[str]:
    """Route types whose methods ``provider_cls`` overrides."""
    from mlflow.gateway.providers import BaseProvider

    return [route for route, methods in ROUTE_METHODS.items()
            if any(getattr(provider_cls, m, None) is not getattr(BaseProvider, m, None) for m in methods)]
