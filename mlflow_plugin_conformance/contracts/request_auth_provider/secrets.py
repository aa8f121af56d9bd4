"""Family ``secrets``: the credentials never show in what MLflow or the user prints."""

from __future__ import annotations

import logging

from ...causes import shortened
from ...outcomes import not_run
from ..base import clause
from ..shared.mlflow_uris import mlflow_pointed_at
from ..shared.providers import registered
from ._helpers import applied_credentials, is_client_library_debug, secret_candidates


class SecretsClauses:
    @clause("request_auth_provider/secrets/not-shown")
    def test_secrets_not_shown(self, request_auth_provider, recording_proxy, monkeypatch, caplog,
                               provider_context):
        """The credentials never appear in ``repr``/``str`` of the provider or the auth object, nor in log records
        emitted while the auth is built and used (a pair ``(user, password)`` shows the password in its repr:
        return ``requests.auth.HTTPBasicAuth`` instead). Debug records of the HTTP and cloud client libraries
        (botocore, urllib3, ...) are left out: they log whole responses by design, whoever calls them."""
        from mlflow.tracking import MlflowClient

        caplog.set_level(logging.DEBUG)
        with provider_context():
            auth = request_auth_provider.get_auth()
            secrets = secret_candidates(applied_credentials(auth)) if auth is not None else []
            if not secrets:
                not_run("the auth adds no credential value to look for")
            monkeypatch.setenv("MLFLOW_TRACKING_AUTH", request_auth_provider.get_name())
            with registered(self.group, request_auth_provider), mlflow_pointed_at(tracking_uri=recording_proxy.url):
                MlflowClient(recording_proxy.url).search_experiments(max_results=1)
        shown = {"repr(provider)": repr(request_auth_provider), "str(provider)": str(request_auth_provider),
                 "repr(auth)": repr(auth), "str(auth)": str(auth)}
        leaks = [where for where, text in shown.items() if any(s in text for s in secrets)]
        leaks += [f"the log record of {r.name} at {r.levelname}: {_redacted(r.getMessage(), secrets)!r}"
                  for r in caplog.records if not is_client_library_debug(r) and any(s in r.getMessage() for s in secrets)]
        assert not leaks, "the credentials appear in " + "; ".join(leaks)


def _redacted(message: str, secrets: list[str]) -> str:
    """The leaking record as the report shows it: the secrets replaced (a report must not leak them again),
    cut to one line's length."""
    for secret in sorted(secrets, key=len, reverse=True):
        message = message.replace(secret, "<secret>")
    return shortened(message, 160)
