"""A request header provider that forwards an environment variable as it is: ``None`` when it is unset. Legal:
MLflow passes the headers to ``requests``, which leaves out a header whose value is None."""

import os


class ForwardsUnsetVariable:
    def in_context(self):
        return True

    def request_headers(self):
        return {"X-Legal-Region": os.environ.get("LEGAL_PATTERNS_REGION")}
