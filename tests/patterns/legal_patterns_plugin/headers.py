"""An optional-environment request header provider: it adds ``X-Legal-Team`` when ``LEGAL_PATTERNS_TEAM`` is set,
and nothing (``{}``) otherwise. No MLflow import: MLflow constructs it while ``import mlflow`` runs."""

import os


class OptionalTeamHeader:
    def in_context(self):
        return True

    def request_headers(self):
        team = os.environ.get("LEGAL_PATTERNS_TEAM")
        return {"X-Legal-Team": team} if team else {}
