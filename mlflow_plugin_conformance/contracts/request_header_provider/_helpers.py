"""What only the request-header-provider contract uses: HTTP's rules for header names."""

from __future__ import annotations

import re

from ...outcomes import blocked_by

#: An HTTP token (RFC 9110): what a header name may be.
HTTP_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
#: Headers MLflow's REST client or ``requests`` set themselves; a provider that sets them breaks every request.
RESERVED_HEADERS = frozenset({"content-type", "content-length", "host", "transfer-encoding", "connection",
                              "authorization"})


#: The clause that reports headers that are not str -> str; the clauses that need str headers are blocked by it.
STR_TO_STR = "request_header_provider/headers/str-to-str"


def not_header_items(headers) -> dict:
    """The items of ``headers`` MLflow cannot send: a key that is not a str, or a value that is neither a str nor
    None. A None value is legal: MLflow hands the headers to ``requests``, which leaves out a header whose value is
    None (``requests.sessions.merge_setting``), so None means "not sent" (an unset environment variable, say)."""
    return {k: v for k, v in headers.items() if not isinstance(k, str) or not (v is None or isinstance(v, str))}


def require_str_headers(headers) -> dict[str, str]:
    """The headers MLflow sends for ``headers`` (its items with a str value; a None value is not sent) when
    ``headers`` is a dict of str -> str or None; otherwise the clause is blocked by the str-to-str clause, which
    reports that defect once."""
    bad = not_header_items(headers) if isinstance(headers, dict) else None
    if bad is None or bad:
        shown = ", ".join(f"{k!r}: {v!r}" for k, v in bad.items()) if bad else repr(headers)
        blocked_by(STR_TO_STR, f"request_headers() returned items that are not str -> str ({shown})")
    return {k: v for k, v in headers.items() if v is not None}
