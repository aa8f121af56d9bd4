"""A request header provider its package re-exports: the entry point names ``legal_patterns_plugin:Reexported``,
not this module (mlflow-sysmetrics declares its run-context provider this way; MLflow loads the same class)."""


class ReexportedHeader:
    def in_context(self):
        return True

    def request_headers(self):
        return {"X-Legal-Reexported": "yes"}
