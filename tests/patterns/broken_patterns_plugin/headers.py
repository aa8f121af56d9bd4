"""A request header provider that forwards an environment variable as it is: ``None`` when it is unset."""

import os


class ForwardsUnsetVariable:
    def in_context(self):
        return True

    def request_headers(self):
        return {"X-Broken-Team": os.environ.get("BROKEN_PATTERNS_TEAM")}
