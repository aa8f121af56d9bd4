"""Registered scorers (level full, feature ``tracking_store.scorers``).

``Scorer.register()`` / ``mlflow.genai.scorers.get_scorer`` / ``list_scorers`` / ``delete_scorer`` keep an
experiment's scorers in the tracking store as serialized, versioned entries: registering a name again adds a
version, reads return the latest unless a version is given. Each clause checks one behaviour as MLflow's
``SqlAlchemyStore`` implements it.
"""

from __future__ import annotations

import json

from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ._genai import SCORERS
from ._helpers import new_experiment


def _serialized(name: str, marker: int = 1) -> str:
    """A scorer as ``Scorer.register()`` serializes it: a builtin Guidelines judge carrying a marker."""
    from mlflow.genai.scorers import Guidelines

    return json.dumps(Guidelines(name=name, guidelines=[f"marker-{marker}"]).model_dump())


def _marker(version) -> str:
    """The marker of a stored scorer version (``serialized_scorer`` parses the stored JSON)."""
    return version.serialized_scorer.builtin_scorer_pydantic_data["guidelines"][0]


class ScorerClauses:
    """Clauses of the ``tracking_store/scorers/*`` family."""

    @clause("tracking_store/scorers/register-and-get", level="full", feature=SCORERS, since="3.4")
    def test_scorers_register_and_get(self, tracking_store):
        """register_scorer stores a serialized scorer; get_scorer returns it with its experiment, name and
        serialized form, as version 1."""
        experiment_id = new_experiment(tracking_store)
        name = unique_name("scorer")
        tracking_store.register_scorer(experiment_id, name, _serialized(name))
        got = tracking_store.get_scorer(experiment_id, name)
        view = (got.experiment_id, got.scorer_name, got.scorer_version, _marker(got))
        assert view == (experiment_id, name, 1, "marker-1"), f"scorer read back {view}"

    @clause("tracking_store/scorers/versions-increment", level="full", feature=SCORERS, since="3.4")
    def test_scorers_versions_increment(self, tracking_store):
        """Registering a name again adds the next version; get_scorer without a version returns the latest."""
        experiment_id = new_experiment(tracking_store)
        name = unique_name("scorer")
        versions = [tracking_store.register_scorer(experiment_id, name, _serialized(name, i)).scorer_version
                    for i in (1, 2)]
        latest = tracking_store.get_scorer(experiment_id, name)
        assert versions == [1, 2] and _marker(latest) == "marker-2", f"versions {versions}, latest {_marker(latest)}"

    @clause("tracking_store/scorers/get-version", level="full", feature=SCORERS, since="3.4")
    def test_scorers_get_version(self, tracking_store):
        """get_scorer with a version returns that version."""
        experiment_id = new_experiment(tracking_store)
        name = unique_name("scorer")
        for i in (1, 2):
            tracking_store.register_scorer(experiment_id, name, _serialized(name, i))
        got = tracking_store.get_scorer(experiment_id, name, 1)
        assert (got.scorer_version, _marker(got)) == (1, "marker-1")

    @clause("tracking_store/scorers/list-latest", level="full", feature=SCORERS, since="3.4")
    def test_scorers_list_latest(self, tracking_store):
        """list_scorers returns one entry per scorer name of the experiment, at its latest version."""
        experiment_id = new_experiment(tracking_store)
        a, b = unique_name("a"), unique_name("b")
        for name, count in ((a, 2), (b, 1)):
            for i in range(count):
                tracking_store.register_scorer(experiment_id, name, _serialized(name, i))
        got = sorted((s.scorer_name, s.scorer_version) for s in tracking_store.list_scorers(experiment_id))
        assert got == sorted([(a, 2), (b, 1)]), f"list_scorers returned {got}"

    @clause("tracking_store/scorers/list-versions", level="full", feature=SCORERS, since="3.4")
    def test_scorers_list_versions(self, tracking_store):
        """list_scorer_versions returns every version of one scorer."""
        experiment_id = new_experiment(tracking_store)
        name = unique_name("scorer")
        for i in range(3):
            tracking_store.register_scorer(experiment_id, name, _serialized(name, i))
        got = sorted(s.scorer_version for s in tracking_store.list_scorer_versions(experiment_id, name))
        assert got == [1, 2, 3], f"list_scorer_versions returned versions {got}"

    @clause("tracking_store/scorers/list-across-experiments", level="full", feature=SCORERS, since="3.13")
    def test_scorers_list_across_experiments(self, tracking_store):
        """list_scorers_across_experiments returns the latest scorers of every experiment it is given."""
        a, b = new_experiment(tracking_store), new_experiment(tracking_store)
        names = {a: unique_name("a"), b: unique_name("b")}
        for experiment_id, name in names.items():
            tracking_store.register_scorer(experiment_id, name, _serialized(name))
        got = sorted((s.experiment_id, s.scorer_name) for s in
                     tracking_store.list_scorers_across_experiments([a, b]))
        assert got == sorted(names.items()), f"list_scorers_across_experiments returned {got}"

    @clause("tracking_store/scorers/delete-version", level="full", feature=SCORERS, since="3.4")
    def test_scorers_delete_version(self, tracking_store):
        """delete_scorer with a version removes that version only."""
        experiment_id = new_experiment(tracking_store)
        name = unique_name("scorer")
        for i in range(2):
            tracking_store.register_scorer(experiment_id, name, _serialized(name, i))
        tracking_store.delete_scorer(experiment_id, name, 1)
        got = [s.scorer_version for s in tracking_store.list_scorer_versions(experiment_id, name)]
        assert got == [2], f"versions left after deleting version 1: {got}"

    @clause("tracking_store/scorers/delete-all-versions", level="full", feature=SCORERS, since="3.4")
    def test_scorers_delete_all_versions(self, tracking_store):
        """delete_scorer without a version removes the scorer: get_scorer then raises
        RESOURCE_DOES_NOT_EXIST."""
        experiment_id = new_experiment(tracking_store)
        name = unique_name("scorer")
        for i in range(2):
            tracking_store.register_scorer(experiment_id, name, _serialized(name, i))
        tracking_store.delete_scorer(experiment_id, name)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted scorer"):
            tracking_store.get_scorer(experiment_id, name)

    @clause("tracking_store/scorers/get-unknown", level="full", feature=SCORERS, since="3.4")
    def test_scorers_get_unknown(self, tracking_store):
        """get_scorer of a name never registered raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown scorer"):
            tracking_store.get_scorer(new_experiment(tracking_store), unique_name("never"))

    @clause("tracking_store/scorers/invalid-name", level="full", feature=SCORERS, since="3.4")
    def test_scorers_invalid_name(self, tracking_store):
        """register_scorer with a blank name raises INVALID_PARAMETER_VALUE."""
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="registering a scorer with a blank name"):
            tracking_store.register_scorer(new_experiment(tracking_store), " ", _serialized(" "))

    @clause("tracking_store/scorers/online-configs-none", level="full", feature=SCORERS, since="3.9")
    def test_scorers_online_configs_none(self, tracking_store):
        """A scorer never configured for online scoring has no online configuration: get_online_scoring_configs
        returns none for it, and it is not among get_active_online_scorers."""
        experiment_id = new_experiment(tracking_store)
        name = unique_name("scorer")
        version = tracking_store.register_scorer(experiment_id, name, _serialized(name))
        configs = tracking_store.get_online_scoring_configs([version.scorer_id])
        active = [a for a in tracking_store.get_active_online_scorers()
                  if getattr(getattr(a, "online_config", None), "scorer_id", None) == version.scorer_id]
        assert (list(configs), active) == ([], []), f"online configs {configs}, active {active}"

    @clause("tracking_store/scorers/online-config-needs-gateway-model", level="full", feature=SCORERS,
            since="3.9")
    def test_scorers_online_config_needs_gateway_model(self, tracking_store):
        """upsert_online_scoring_config for a scorer that does not use a gateway model is rejected with
        INVALID_PARAMETER_VALUE (automatic evaluation runs only through the AI gateway)."""
        experiment_id = new_experiment(tracking_store)
        name = unique_name("scorer")
        tracking_store.register_scorer(experiment_id, name, _serialized(name))
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="configuring online scoring without a gateway"):
            tracking_store.upsert_online_scoring_config(experiment_id, name, 0.5)

    @clause("tracking_store/scorers/filter-active-experiments", level="full", feature=SCORERS, since="3.17")
    def test_scorers_filter_active_experiments(self, tracking_store):
        """filter_active_experiment_ids keeps the active experiments and drops deleted and unknown ones."""
        active, deleted = new_experiment(tracking_store), new_experiment(tracking_store)
        tracking_store.delete_experiment(deleted)
        got = tracking_store.filter_active_experiment_ids([active, deleted, "987654321"])
        assert list(got) == [active], f"filter_active_experiment_ids returned {got}"
