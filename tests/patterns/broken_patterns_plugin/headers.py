"""A request header provider that forwards a numeric setting as a number: ``requests`` refuses a header value that
is not a str (``InvalidHeader``), so every REST call of the user fails."""

import os


class ForwardsRetriesAsNumber:
    def in_context(self):
        return True

    def request_headers(self):
        return {"X-Broken-Retries": int(os.environ.get("BROKEN_PATTERNS_RETRIES", "3"))}
