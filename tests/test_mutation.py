"""Mutation tests: every deliberately broken plugin declared under ``tests/broken`` (see ``tests/mutants.py``) is
caught by the clause written for its bug, the correct control passes those clauses, and every core clause has a
mutant or a stated reason why not.

The mutants run in batches, one ``pytest`` subprocess each; a batch is one test here, so pytest-xdist hands the
batches to its workers and never runs one twice.  ``benchmarks/mutation_score.py`` prints the score per kind.
"""

from __future__ import annotations

import fnmatch
from collections import Counter

import pytest
from mutants import (
    BINDINGS,
    UNMUTATED,
    batches,
    binding_of,
    clauses_of,
    kinds_with_contract,
    mutants,
    run_batch,
    score_lines,
    tables,
    unmutated_core_clauses,
    verdict,
)


@pytest.mark.slow
@pytest.mark.parametrize("batch", batches())
def test_mutants_are_caught_and_controls_pass(batch, tmp_path):
    """Each mutant of the batch fails its ``caught_by`` clause (and each of its ``also_caught_by``); each kind's
    correct control passes those clauses; each reference passes every clause (or has an allowed outcome)."""
    run = run_batch(batch, tmp_path)
    found = verdict(run)
    print(f"\n{batch}: {len(run.plan.mutants)} mutants in {run.seconds:.1f} s")
    print("\n".join(score_lines([run])))
    assert run.outcomes, f"the batch reported no clause:\n{run.output[-5000:]}"
    assert not found.missed, f"mutants not caught: {found.missed}\n{run.output[-3000:]}"
    assert not found.bad_controls, f"correct controls that do not pass: {found.bad_controls}"
    assert set(found.caught) | set(found.not_applicable) == {m.name for m in mutants(batch=batch)}


def test_mutant_names_are_unique():
    counts = Counter(m.name for m in tables().mutants)
    assert not [name for name, n in counts.items() if n > 1]


def test_every_mutant_has_a_kind_a_binding_and_real_clauses():
    """A mutant names a kind of the catalogue, a binding of that kind, and clauses of the kind's contract (a renamed
    clause would otherwise make its mutant vacuous)."""
    problems = []
    for mutant in tables().mutants:
        if mutant.kind not in kinds_with_contract():
            problems.append(f"{mutant.name}: unknown kind {mutant.kind}")
            continue
        binding_of(mutant)
        problems += [f"{mutant.name}: {mutant.kind} has no clause {c}" for c in mutant.clauses
                     if c not in clauses_of(mutant.kind)]
    assert not problems


def test_every_binding_is_used():
    if tables().left_out:
        pytest.skip(f"checked where every broken module imports; left out here: {tables().left_out}")
    used = {(m.kind, m.via) for m in tables().mutants}
    assert set(BINDINGS) <= used, f"bindings no mutant uses: {set(BINDINGS) - used}"


def test_every_core_clause_is_mutated_or_says_why_not():
    """Every core clause (level core, no feature) of every kind is the ``caught_by`` or ``also_caught_by`` of a
    mutant, or has a reason in ``UNMUTATED``; every UNMUTATED entry names (or matches) such a clause."""
    if tables().left_out:
        pytest.skip(f"checked where every broken module imports; left out here: {tables().left_out}")
    missing, unmutated = [], set()
    for kind in kinds_with_contract():
        for clause_id, reason in unmutated_core_clauses(kind).items():
            if reason.strip():
                unmutated.add(clause_id)
            else:
                missing.append(clause_id)
    stale = [f"{key}: no core clause without a mutant matches it" for key in UNMUTATED
             if not any(c == key or fnmatch.fnmatchcase(c, key) for c in unmutated)]
    assert not missing, "core clauses with neither a mutant nor an UNMUTATED reason:\n  " + "\n  ".join(missing)
    assert not stale, "UNMUTATED entries to remove:\n  " + "\n  ".join(stale)
