"""Contract of ``mlflow.request_auth_provider``: credentials MLflow adds to REST requests when
``MLFLOW_TRACKING_AUTH`` names the provider.

Subclass :class:`RequestAuthProviderContract` and provide the ``request_auth_provider`` fixture (an instance)::

    class TestMyAuth(RequestAuthProviderContract):
        @pytest.fixture
        def request_auth_provider(self):
            return MyRequestAuthProvider()
"""

from __future__ import annotations

from ..base import required_fixture
from ..shared.providers import ProviderContract
from .auth import AuthClauses
from .end_to_end import EndToEndClauses
from .name import NameClauses
from .secrets import SecretsClauses

__all__ = ["RequestAuthProviderContract"]

_EXAMPLE = """    @pytest.fixture
    def request_auth_provider(self):
        return MyRequestAuthProvider()"""


class RequestAuthProviderContract(NameClauses, AuthClauses, EndToEndClauses, SecretsClauses, ProviderContract):
    """Contract of ``mlflow.request_auth_provider``: credentials of REST requests with ``MLFLOW_TRACKING_AUTH``."""

    kind_key = "request_auth_provider"
    target_fixture = "request_auth_provider"
    group = "mlflow.request_auth_provider"

    request_auth_provider = required_fixture("request_auth_provider", "RequestAuthProviderContract", _EXAMPLE)
