"""What only the request-header-provider contract uses: HTTP's rules for header names."""

from __future__ import annotations

import re

from ...outcomes import blocked_by
from ..shared.providers import is_string_mapping

#: An HTTP token (RFC 9110): what a header name may be.
HTTP_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
#: Headers MLflow's REST client or ``requests`` set themselves; a provider that sets them breaks every request.
RESERVED_HEADERS = frozenset({"content-type", "content-length", "host", "transfer-encoding", "connection",
                              "authorization"})


#: The clause that reports headers that are not str -> str; the clauses that need str headers are blocked by it.
STR_TO_STR = "request_header_provider/headers/str-to-str"


def require_str_headers(headers) -> dict[str, str]:
    """``headers`` when it is a dict of str -> str; otherwise the clause is blocked by the str-to-str clause, which
    reports that defect once (a None value, typically an unset environment variable, is the common case)."""
    if not is_string_mapping(headers):
        shown = (", ".join(f"{k!r}: {v!r}" for k, v in headers.items() if not isinstance(k, str)
                           or not isinstance(v, str)) if isinstance(headers, dict) else repr(headers))
        blocked_by(STR_TO_STR, f"request_headers() returned items that are not str -> str ({shown})")
    return headers
