"""The catalogue (``kinds.KINDS``) is the one source of truth of a kind: these tests check that everything that
reads it finds what it names, and that the clauses agree with it."""

from __future__ import annotations

import re

import pytest

import mlflow_plugin_conformance
from mlflow_plugin_conformance.capabilities import CORE, FULL
from mlflow_plugin_conformance.contracts.base import ContractBase, declared_clauses
from mlflow_plugin_conformance.kinds import KINDS, all_features

KIND_IDS = [kind.key for kind in KINDS]


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_every_kind_has_a_contract_whose_facts_match_the_catalogue(kind):
    contract = kind.contract_class()
    assert issubclass(contract, ContractBase), f"{kind.contract} is not a ContractBase"
    assert contract.kind_key == kind.key
    assert contract.target_fixture == kind.fixture
    assert declared_clauses(contract), f"{kind.contract} declares no clause"


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_every_kind_has_a_builder(kind):
    builder = kind.builder_function()
    assert callable(builder)
    assert builder.__module__ == "mlflow_plugin_conformance.build"


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_every_contract_is_exported_under_its_own_name(kind):
    name = kind.contract.rpartition(":")[2]
    assert name in mlflow_plugin_conformance.__all__
    assert getattr(mlflow_plugin_conformance, name) is kind.contract_class()


def test_keys_groups_fixtures_and_class_names_are_unique():
    for attribute in ("key", "group", "class_name"):
        values = [getattr(kind, attribute) for kind in KINDS]
        assert len(values) == len(set(values)), f"duplicate {attribute}"


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_clause_ids_are_unique_well_formed_and_match_their_method_names(kind):
    seen = set()
    for method, clause in declared_clauses(kind.contract_class()):
        assert clause.id.startswith(kind.key + "/"), f"{clause.id} is not a clause of {kind.key}"
        assert re.fullmatch(r"[a-z_]+/[a-z0-9-]+/[a-z0-9.-]+", clause.id), clause.id
        expected = "test_" + re.sub(r"[/.-]", "_", clause.id.split("/", 1)[1])
        assert method == expected, f"clause {clause.id} is method {method}, expected {expected} (so -k works)"
        assert clause.id not in seen, f"clause id {clause.id} is declared twice"
        seen.add(clause.id)
        assert clause.level in (CORE, FULL)
        assert clause.doc, f"clause {clause.id} has no docstring: its first paragraph is the rule it checks"


def test_every_feature_a_clause_names_is_declared_and_every_declared_feature_has_a_clause():
    named = {clause.feature for kind in KINDS for _, clause in declared_clauses(kind.contract_class())}
    named.discard(None)
    declared = set(all_features())
    assert named <= declared, f"features named but not declared: {sorted(named - declared)}"
    assert declared <= named, f"features declared with no clause: {sorted(declared - named)}"


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_a_feature_belongs_to_the_kind_of_its_clauses(kind):
    for _, clause in declared_clauses(kind.contract_class()):
        if clause.feature is not None:
            assert clause.feature.startswith(kind.key + "."), f"{clause.id} names {clause.feature}"


def test_an_undeclared_feature_is_refused_when_the_clause_is_written():
    from mlflow_plugin_conformance.contracts.base import clause

    with pytest.raises(ValueError, match="not declared in kinds.py"):
        clause("tracking_store/traces/x", feature="tracking_store.tracez")


def test_the_bundled_suite_binds_every_kind_from_the_catalogue():
    from mlflow_plugin_conformance.suite import _binding

    saved = set(_binding.selected_kind_keys)
    try:
        _binding.selected_kind_keys.update(KIND_IDS)
        classes = _binding.bound_classes("bundled")
    finally:
        _binding.selected_kind_keys.clear()
        _binding.selected_kind_keys.update(saved)
    assert sorted(classes) == sorted(kind.class_name for kind in KINDS)
    for kind in KINDS:
        bound = classes[kind.class_name]
        assert issubclass(bound, kind.contract_class())
        assert bound.mlflow_bound_kind == kind.key


def test_the_contributors_guide_names_only_files_that_exist():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    text = (root / "CONTRIBUTING.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:mlflow_plugin_conformance|tests|examples)/[\w./-]*)`", text))
    assert len(named) > 10
    missing = sorted(path for path in named if "<" not in path and not (root / path).exists())
    assert not missing, f"CONTRIBUTING.md names files that do not exist: {missing}"
