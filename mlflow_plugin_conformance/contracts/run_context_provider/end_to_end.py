"""Family ``end-to-end``: a run started through MLflow's public API against a real tracking server."""

from __future__ import annotations

from ..base import clause
from ..shared.mlflow_uris import mlflow_pointed_at
from ..shared.providers import registered


class EndToEndClauses:
    @clause("run_context_provider/end-to-end/start-run")
    def test_end_to_end_start_run(self, run_context_provider, provider_context, recording_proxy):
        """A run started with ``mlflow.start_run()`` against a real tracking server carries the provider's tags,
        and MLflow's own ``mlflow.*`` tags are still there."""
        import mlflow
        from mlflow.tracking import MlflowClient

        with self.in_context(run_context_provider, provider_context), \
                registered(self.group, run_context_provider), mlflow_pointed_at(tracking_uri=recording_proxy.url):
            expected = run_context_provider.tags()
            with mlflow.start_run() as run:
                run_id = run.info.run_id
            stored = MlflowClient(recording_proxy.url).get_run(run_id).data.tags
        missing = {k: v for k, v in expected.items() if stored.get(k) != v}
        assert not missing, "the run lacks the provider's tags (key: expected -> stored): " + ", ".join(
            f"{k}: {v!r} -> {stored.get(k)!r}" for k, v in missing.items())
        assert "mlflow.user" in stored or "mlflow.source.name" in stored, (
            "MLflow's own mlflow.* tags are missing from the run")
