"""Family ``end-to-end``: ``mlflow.start_run()`` with no experiment set."""

from __future__ import annotations

from ..base import clause
from ..shared.providers import registered


class EndToEndClauses:
    @clause("default_experiment_provider/end-to-end/start-run")
    def test_end_to_end_start_run(self, default_experiment_provider, provider_context, monkeypatch):
        """With no experiment set, ``mlflow.start_run()`` creates the run in the provider's experiment."""
        import mlflow
        import mlflow.tracking.fluent as fluent

        for name in ("MLFLOW_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_NAME"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setattr(fluent, "_active_experiment_id", None)
        with self.in_context(default_experiment_provider, provider_context), \
                registered(self.group, default_experiment_provider):
            expected = default_experiment_provider.get_experiment_id()
            with mlflow.start_run() as run:
                got = run.info.experiment_id
        assert got == expected, (f"mlflow.start_run() used experiment {got!r}, not the provider's {expected!r} "
                                 "(another provider in context answered first, or the id was not usable)")
