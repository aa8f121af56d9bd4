"""Family ``headers``: what ``request_headers()`` returns."""

from __future__ import annotations

import pytest

from ..base import clause
from ._helpers import HTTP_TOKEN, RESERVED_HEADERS, not_header_items, require_str_headers


class HeadersClauses:
    @clause("request_header_provider/headers/str-to-str")
    def test_headers_str_to_str(self, request_header_provider, provider_context):
        """In context, ``request_headers()`` returns a dict of str -> str. A None value is allowed and means the
        header is not sent: MLflow passes the headers to ``requests``, which leaves such a header out."""
        with self.in_context(request_header_provider, provider_context):
            headers = request_header_provider.request_headers()
        assert isinstance(headers, dict), f"request_headers() returned {type(headers).__name__} {headers!r}, not a dict"
        bad = not_header_items(headers)
        assert not bad, "request_headers() must map str to str (or None: not sent); these items are not: " + ", ".join(
            f"{k!r}: {v!r} ({type(k).__name__} -> {type(v).__name__})" for k, v in bad.items())

    @clause("request_header_provider/headers/valid-http")
    def test_headers_valid_http(self, request_header_provider, provider_context):
        """Header names are HTTP tokens and values carry no CR, LF or leading blank: ``requests`` refuses such
        headers, so every REST call of the user would fail (blocked by ``headers/str-to-str`` when they are not
        str -> str)."""
        from requests.utils import check_header_validity

        with self.in_context(request_header_provider, provider_context):
            headers = require_str_headers(request_header_provider.request_headers())
        for name, value in headers.items():
            assert HTTP_TOKEN.match(str(name)), f"header name {name!r} is not an HTTP token"
            try:
                check_header_validity((name, value))
            except Exception as exc:
                pytest.fail(f"header {name!r}: {value!r} is refused by requests: {exc}", pytrace=False)

    @clause("request_header_provider/headers/no-reserved")
    def test_headers_no_reserved(self, request_header_provider, provider_context):
        """The provider sets none of Content-Type, Content-Length, Host, Transfer-Encoding, Connection or
        Authorization (credentials belong in a request auth provider) unless documented."""
        with self.in_context(request_header_provider, provider_context):
            headers = request_header_provider.request_headers()
        allowed = {h.lower() for h in self.documented_reserved_headers}
        reserved = sorted(n for n, v in headers.items() if v is not None  # None: not sent
                          and str(n).lower() in RESERVED_HEADERS - allowed)
        assert not reserved, f"request_headers() sets reserved headers {reserved}"
