"""Credentials never reach a report: URIs and free text are redacted before they are printed or written."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_SECRET_KEYS = re.compile(r"(pass|pwd|secret|token|key|credential|auth|signature|sig)", re.IGNORECASE)
_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?P<user>[^:@/\s]*):(?P<secret>[^@/\s]*)@")

MASK = "***"


def redact_uri(uri: str | None) -> str:
    """``postgresql://u:pw@h/db?token=x`` -> ``postgresql://u:***@h/db?token=***``; a bare user name stays."""
    if uri is None:
        return ""
    text = _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", uri)
    try:
        parts = urlsplit(text)
    except ValueError:
        return text
    if not parts.query:
        return text
    query = [(k, MASK if _SECRET_KEYS.search(k) else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(query=urlencode(query, safe="*")))


def redact_text(text: str, secrets: list[str] | tuple[str, ...] = ()) -> str:
    """Redact every URI with a password in ``text`` and every literal in ``secrets``."""
    text = _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    return text


def uri_secrets(uri: str | None) -> list[str]:
    """The literal secrets in ``uri`` (password, secret-looking query values), to scrub from tracebacks."""
    if not uri:
        return []
    found = []
    match = _USERINFO.search(uri)
    if match and match["secret"]:
        found.append(match["secret"])
    try:
        query = parse_qsl(urlsplit(uri).query, keep_blank_values=False)
    except ValueError:
        query = []
    found += [v for k, v in query if _SECRET_KEYS.search(k) and len(v) >= 4]
    return found
