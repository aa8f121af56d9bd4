"""Family ``end-to-end``: a REST call MLflow's client makes with ``MLFLOW_TRACKING_AUTH`` set."""

from __future__ import annotations

from ...outcomes import blocked_by
from ..base import clause
from ..shared.mlflow_uris import mlflow_pointed_at
from ..shared.providers import registered
from ._helpers import applied_credentials


class EndToEndClauses:
    @clause("request_auth_provider/end-to-end/rest-call")
    def test_end_to_end_rest_call(self, request_auth_provider, recording_proxy, monkeypatch, provider_context):
        """With ``MLFLOW_TRACKING_AUTH=<name>``, a REST call MLflow's client makes to a real tracking server carries
        the credentials ``get_auth()`` gives."""
        from mlflow.tracking import MlflowClient

        name = request_auth_provider.get_name()
        with provider_context():
            auth = request_auth_provider.get_auth()
            if auth is None:
                blocked_by("request_auth_provider/auth/requests-accepts", "get_auth() returned None")
            credentials = applied_credentials(auth, recording_proxy.url + "/api/2.0/x")
            monkeypatch.setenv("MLFLOW_TRACKING_AUTH", name)
            with registered(self.group, request_auth_provider), mlflow_pointed_at(tracking_uri=recording_proxy.url):
                MlflowClient(recording_proxy.url).search_experiments(max_results=1)
        calls = recording_proxy.matching("/experiments/search")
        assert calls, "MLflow made no search request through the proxy"
        sent = {k.lower(): v for k, v in calls[-1].headers.items()}
        missing = {k: v for k, v in credentials.items() if sent.get(k.lower()) != v}
        assert credentials and not missing, (
            f"with MLFLOW_TRACKING_AUTH={name} the request lacks the credentials: "
            + (", ".join(f"{k}" for k in missing) or "get_auth() adds none"))
