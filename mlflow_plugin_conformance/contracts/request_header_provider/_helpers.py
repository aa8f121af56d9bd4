"""What only the request-header-provider contract uses: HTTP's rules for header names."""

from __future__ import annotations

import re

#: An HTTP token (RFC 9110): what a header name may be.
HTTP_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
#: Headers MLflow's REST client or ``requests`` set themselves; a provider that sets them breaks every request.
RESERVED_HEADERS = frozenset({"content-type", "content-length", "host", "transfer-encoding", "connection",
                              "authorization"})
