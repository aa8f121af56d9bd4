"""Concurrency: racing creators of one name, racing versions of one model (the server is threaded)."""

from __future__ import annotations

from .._support import error_code_of, unique_name
from ..base import clause
from ._helpers import new_model, race, version_source, versions_of


class ConcurrencyClauses:
    """Clauses of the ``model_registry_store/concurrency/*`` family."""

    @clause("model_registry_store/concurrency/racing-creators")
    def test_concurrency_racing_creators(self, model_registry_store):
        """Six threads creating the same registered model at once: exactly one succeeds, the others get
        RESOURCE_ALREADY_EXISTS (the MLflow server serves requests in parallel)."""
        name = unique_name("race")
        outcomes = race(6, lambda: model_registry_store.create_registered_model(name))
        won = [o for o in outcomes if not isinstance(o, Exception)]
        lost = [error_code_of(o) or f"{type(o).__name__}: {o}" for o in outcomes if isinstance(o, Exception)]
        assert len(won) == 1, f"{len(won)} of 6 racing creators succeeded (others: {lost})"
        assert lost == ["RESOURCE_ALREADY_EXISTS"] * 5, f"the losers must get RESOURCE_ALREADY_EXISTS, got {lost}"

    @clause("model_registry_store/concurrency/racing-versions")
    def test_concurrency_racing_versions(self, model_registry_store):
        """Four threads adding a version to one model at once all succeed, with the distinct numbers 1 to 4."""
        store = model_registry_store
        name = new_model(store)
        outcomes = race(4, lambda: store.create_model_version(name, version_source("race")))
        errors = [f"{type(o).__name__}: {o}" for o in outcomes if isinstance(o, Exception)]
        assert not errors, f"concurrent create_model_version failed: {errors}"
        numbers = sorted(int(mv.version) for mv in outcomes)
        assert numbers == [1, 2, 3, 4], f"racing versions got the numbers {numbers}"
        stored = sorted(int(v) for _, v in versions_of(store.search_model_versions(f"name = '{name}'")))
        assert stored == [1, 2, 3, 4], f"the store holds versions {stored}"
