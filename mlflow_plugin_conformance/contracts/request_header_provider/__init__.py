"""Contract of ``mlflow.request_header_provider``: headers MLflow adds to every REST request while in context.

Subclass :class:`RequestHeaderProviderContract` and provide the ``request_header_provider`` fixture (an
instance)::

    class TestMyHeaders(RequestHeaderProviderContract):
        @pytest.fixture
        def request_header_provider(self):
            return MyRequestHeaderProvider()

Clauses that need the provider in context enter ``provider_context()`` first (override the fixture, or define
``mlflow_provider_context`` in ``conftest.py``); without it they report *not-run* when the provider is not in
context. Set ``documented_reserved_headers`` for reserved headers the provider sets on purpose.
"""

from __future__ import annotations

from typing import ClassVar

from ..base import required_fixture
from ..shared.providers import ContextualProviderContract
from .concurrency import ConcurrencyClauses
from .end_to_end import EndToEndClauses
from .headers import HeadersClauses

__all__ = ["RequestHeaderProviderContract"]

_EXAMPLE = """    @pytest.fixture
    def request_header_provider(self):
        return MyRequestHeaderProvider()"""


class RequestHeaderProviderContract(HeadersClauses, ConcurrencyClauses, EndToEndClauses,
                                    ContextualProviderContract):
    """Contract of ``mlflow.request_header_provider``: headers of every MLflow REST request while in context."""

    kind_key = "request_header_provider"
    target_fixture = "request_header_provider"
    group = "mlflow.request_header_provider"
    time_budget: ClassVar[float] = 0.1  # called on every REST request
    #: Reserved headers the provider documents that it sets.
    documented_reserved_headers: ClassVar[frozenset[str]] = frozenset()

    request_header_provider = required_fixture("request_header_provider", "RequestHeaderProviderContract",
                                               _EXAMPLE)

    def act(self, provider):
        return provider.request_headers()
