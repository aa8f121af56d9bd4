"""Family ``auth``: what ``get_auth()`` returns, as ``requests`` uses it."""

from __future__ import annotations

import pytest

from ..base import clause
from ._helpers import applied_credentials, name_or_none


class AuthClauses:
    @clause("request_auth_provider/auth/requests-accepts")
    def test_auth_requests_accepts(self, request_auth_provider, provider_context):
        """``get_auth()`` returns what ``requests`` accepts as ``auth=`` (a (user, password) pair of str or a
        callable that returns the request it was given), and it adds credentials to the request. A provider that
        finds no credentials raises an error saying what is missing (as MLflow's kubernetes provider does): a
        None makes MLflow send every request without credentials, silently."""
        with provider_context():
            auth = request_auth_provider.get_auth()
        assert auth is not None, (
            f"get_auth() returned None: with MLFLOW_TRACKING_AUTH={name_or_none(request_auth_provider)} MLflow "
            "sends every request without credentials, silently. If the provider needs configuration (environment "
            "variables, a secrets service), set it up for the run in a `mlflow_provider_context` fixture "
            "(conftest.py); where it finds no credentials, raise an error that says what is missing instead of "
            "returning None")
        if isinstance(auth, tuple):
            assert len(auth) == 2 and all(isinstance(p, (str, bytes)) for p in auth), (
                f"a tuple auth must be (user, password) strings, got {len(auth)} items")
        else:
            assert callable(auth), f"get_auth() returned a {type(auth).__name__}, which requests cannot call"
        try:
            credentials = applied_credentials(auth)
        except Exception as exc:
            pytest.fail(f"requests failed to apply the auth: {type(exc).__name__}: {exc} (an auth callable must "
                        "return the request it was given)", pytrace=False)
        assert credentials, "applying get_auth() to a request changes no header: no credentials are sent"
