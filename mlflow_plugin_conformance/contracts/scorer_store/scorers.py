"""``scorer_store/scorers/*``: registering, versioning, getting, listing and deleting scorers. Each clause checks
one behaviour on a scorer registered twice (versions 1 and 2); when registering itself fails, the clauses report
themselves blocked by ``scorer_store/scorers/versions``."""

from __future__ import annotations

import pytest

from ...outcomes import blocked_by
from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ._helpers import conformance_scorer

FIRST, SECOND = ["Answer in English."], ["Answer in French."]


def register_twice(scorer_store, experiment_id) -> str:
    """Register a scorer under a unique name, then a second version of it with other guidelines; its name."""
    name = unique_name("scorer").replace("-", "_")
    scorer_store.register_scorer(experiment_id, conformance_scorer(name, FIRST))
    scorer_store.register_scorer(experiment_id, conformance_scorer(name, SECOND))
    return name


class ScorerClauses:
    @pytest.fixture
    def scorer_with_two_versions(self, scorer_store, scorer_experiment_id):
        """A scorer registered twice (versions 1 and 2), deleted at teardown."""
        try:
            name = register_twice(scorer_store, scorer_experiment_id)
        except Exception as exc:
            blocked_by("scorer_store/scorers/versions", f"register_scorer raised {type(exc).__name__}: {exc}")
        yield name
        try:
            scorer_store.delete_scorer(scorer_experiment_id, name, "all")
        except Exception:
            pass

    @clause("scorer_store/scorers/get-unknown")
    def test_scorers_get_unknown(self, scorer_store, scorer_experiment_id):
        """``get_scorer`` of an unknown name raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown scorer"):
            scorer_store.get_scorer(scorer_experiment_id, unique_name("missing"))

    @clause("scorer_store/scorers/versions")
    def test_scorers_versions(self, scorer_store, scorer_experiment_id):
        """Registering a scorer twice under one name makes versions 1 and 2 (``list_scorer_versions``)."""
        name = register_twice(scorer_store, scorer_experiment_id)
        try:
            versions = sorted(v for _, v in scorer_store.list_scorer_versions(scorer_experiment_id, name))
            assert versions == [1, 2], f"versions {versions}, expected [1, 2]"
        finally:
            scorer_store.delete_scorer(scorer_experiment_id, name, "all")

    @clause("scorer_store/scorers/get-latest")
    def test_scorers_get_latest(self, scorer_store, scorer_experiment_id, scorer_with_two_versions):
        """``get_scorer(name)`` without a version returns the latest version."""
        got = scorer_store.get_scorer(scorer_experiment_id, scorer_with_two_versions)
        assert got.guidelines == SECOND, f"get_scorer returned guidelines {got.guidelines}, the latest are {SECOND}"

    @clause("scorer_store/scorers/get-version")
    def test_scorers_get_version(self, scorer_store, scorer_experiment_id, scorer_with_two_versions):
        """``get_scorer(name, version=1)`` returns that version."""
        got = scorer_store.get_scorer(scorer_experiment_id, scorer_with_two_versions, version=1)
        assert got.guidelines == FIRST, f"version 1 has guidelines {got.guidelines}, registered {FIRST}"

    @clause("scorer_store/scorers/list-once")
    def test_scorers_list_once(self, scorer_store, scorer_experiment_id, scorer_with_two_versions):
        """``list_scorers`` shows a scorer with two versions once."""
        listed = [s.name for s in scorer_store.list_scorers(scorer_experiment_id)]
        count = listed.count(scorer_with_two_versions)
        assert count == 1, f"list_scorers shows {scorer_with_two_versions!r} {count} times"

    @clause("scorer_store/scorers/delete-all")
    def test_scorers_delete_all(self, scorer_store, scorer_experiment_id, scorer_with_two_versions):
        """``delete_scorer(name, 'all')`` removes every version: getting it then raises RESOURCE_DOES_NOT_EXIST."""
        scorer_store.delete_scorer(scorer_experiment_id, scorer_with_two_versions, "all")
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted scorer"):
            scorer_store.get_scorer(scorer_experiment_id, scorer_with_two_versions)
