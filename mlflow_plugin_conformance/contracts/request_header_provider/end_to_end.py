"""Family ``end-to-end``: a REST call MLflow's client makes to a real tracking server."""

from __future__ import annotations

from ..base import clause
from ..shared.mlflow_uris import mlflow_pointed_at
from ..shared.providers import registered
from ._helpers import require_str_headers


class EndToEndClauses:
    @clause("request_header_provider/end-to-end/rest-call")
    def test_end_to_end_rest_call(self, request_header_provider, provider_context, recording_proxy):
        """A REST call MLflow's client makes to a real tracking server carries the provider's headers, those with a
        None value aside (not sent; blocked by ``headers/str-to-str`` when they are not str -> str)."""
        from mlflow.tracking import MlflowClient

        with self.in_context(request_header_provider, provider_context), \
                registered(self.group, request_header_provider), mlflow_pointed_at(tracking_uri=recording_proxy.url):
            expected = require_str_headers(request_header_provider.request_headers())
            MlflowClient(recording_proxy.url).search_experiments(max_results=1)
        calls = recording_proxy.matching("/experiments/search")
        assert calls, "MLflow made no search request through the proxy"
        sent = {k.lower(): v for k, v in calls[-1].headers.items()}
        missing = {k: v for k, v in expected.items() if v not in sent.get(k.lower(), "")}
        assert not missing, "the request lacks the provider's headers (name: expected -> sent): " + ", ".join(
            f"{k}: {v!r} -> {sent.get(k.lower())!r}" for k, v in missing.items())
