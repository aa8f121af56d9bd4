"""``scorer_store/scorers/*``: registering, versioning, getting, listing and deleting scorers."""

from __future__ import annotations

from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ._helpers import conformance_scorer


class ScorerClauses:
    @clause("scorer_store/scorers/get-unknown")
    def test_scorers_get_unknown(self, scorer_store, scorer_experiment_id):
        """``get_scorer`` of an unknown name raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown scorer"):
            scorer_store.get_scorer(scorer_experiment_id, unique_name("missing"))

    @clause("scorer_store/scorers/lifecycle")
    def test_scorers_lifecycle(self, scorer_store, scorer_experiment_id):
        """Registering a scorer twice makes versions 1 and 2; ``get_scorer`` returns the latest by default and a
        given version on request; ``list_scorers`` shows the name once; deleting ``version='all'`` removes it."""
        name = unique_name("scorer").replace("-", "_")
        scorer_store.register_scorer(scorer_experiment_id, conformance_scorer(name))
        second = conformance_scorer(name)
        second.guidelines = ["Answer in French."]
        scorer_store.register_scorer(scorer_experiment_id, second)
        versions = scorer_store.list_scorer_versions(scorer_experiment_id, name)
        assert sorted(v for _, v in versions) == [1, 2], f"versions {[v for _, v in versions]}"
        assert scorer_store.get_scorer(scorer_experiment_id, name).guidelines == ["Answer in French."]
        assert scorer_store.get_scorer(scorer_experiment_id, name, version=1).guidelines == ["Answer in English."]
        listed = [s.name for s in scorer_store.list_scorers(scorer_experiment_id)]
        assert listed.count(name) == 1, f"list_scorers shows {name!r} {listed.count(name)} times"
        scorer_store.delete_scorer(scorer_experiment_id, name, "all")
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted scorer"):
            scorer_store.get_scorer(scorer_experiment_id, name)
