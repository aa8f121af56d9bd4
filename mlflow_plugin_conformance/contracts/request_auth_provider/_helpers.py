"""What only the request-auth-provider contract uses: what an auth object does to a request, and its secrets."""

from __future__ import annotations

import base64
import contextlib
import logging


def applied_credentials(auth, url: str = "http://127.0.0.1/api/2.0/mlflow/experiments/search") -> dict[str, str]:
    """The headers ``auth`` adds or changes on a request ``requests`` prepares (what ``auth=`` does)."""
    import requests

    plain = requests.Request("GET", url).prepare()
    authed = requests.Request("GET", url).prepare()
    authed.prepare_auth(auth, url)
    before = {k.lower(): v for k, v in plain.headers.items()}
    return {k: v for k, v in authed.headers.items() if before.get(k.lower()) != v}


def secret_candidates(credentials: dict[str, str]) -> list[str]:
    """The secret parts of credential header values: the value, a bearer token, a basic-auth password."""
    found = set()
    for value in credentials.values():
        value = str(value)
        found.add(value)
        scheme, _, rest = value.partition(" ")
        if rest:
            found.add(rest)
            if scheme.lower() == "basic":
                with contextlib.suppress(ValueError, UnicodeDecodeError):
                    user, _, password = base64.b64decode(rest).decode().partition(":")
                    found.add(password)
    return sorted(s for s in found if len(s) >= 4)


def name_or_none(provider) -> str | None:
    """``provider.get_name()``, or None when it raises (another provider's defect must not fail this one)."""
    try:
        return provider.get_name()
    except Exception:
        return None


#: Libraries whose DEBUG records hold whole requests and responses by design (botocore logs every response body,
#: urllib3 and http.client every header): what they log at DEBUG is theirs, whoever called them. Their records at
#: INFO and above still count.
CLIENT_LIBRARY_LOGGERS = ("botocore", "boto3", "s3transfer", "urllib3", "requests", "http.client", "httpx",
                          "httpcore", "azure", "google", "msal", "hvac", "kubernetes")


def is_client_library_debug(record) -> bool:
    """Whether ``record`` is a DEBUG record of one of :data:`CLIENT_LIBRARY_LOGGERS` (or a child logger)."""
    return record.levelno <= logging.DEBUG and any(record.name == name or record.name.startswith(name + ".")
                                        for name in CLIENT_LIBRARY_LOGGERS)
