"""Broken scorer stores for the clauses split out with issue 11 (one realistic bug each), built on MLflow's
tracking-store-backed scorer store. ``tests/test_kinds_new_mutants.py`` runs them."""

from __future__ import annotations

from mlflow.genai.scorers.registry import MlflowTrackingStore


class BrokenScorerAlwaysVersionOne(MlflowTrackingStore):
    """register_scorer deletes the previous versions first: every registration is version 1 again."""

    def register_scorer(self, experiment_id, scorer):
        try:
            self.delete_scorer(experiment_id, scorer.name, "all")
        except Exception:
            pass
        return super().register_scorer(experiment_id, scorer)


class BrokenScorerGetFirstVersion(MlflowTrackingStore):
    """get_scorer without a version returns version 1, not the latest."""

    def get_scorer(self, experiment_id, name, version=None):
        return super().get_scorer(experiment_id, name, 1 if version is None else version)


class BrokenScorerIgnoresVersion(MlflowTrackingStore):
    """get_scorer ignores the version asked for and returns the latest."""

    def get_scorer(self, experiment_id, name, version=None):
        return super().get_scorer(experiment_id, name)


class BrokenScorerDeleteAllDeletesLatest(MlflowTrackingStore):
    """delete_scorer(name, 'all') deletes only the latest version."""

    def delete_scorer(self, experiment_id, name, version=None):
        if version == "all":
            latest = max(v for _, v in self.list_scorer_versions(experiment_id, name))
            return super().delete_scorer(experiment_id, name, latest)
        return super().delete_scorer(experiment_id, name, version)
