"""Print the mutation score per kind: the broken plugins declared under tests/broken caught by their clause, and the
core clauses no mutant targets (with the reason from the UNMUTATED tables).

    python benchmarks/mutation_score.py                 # every batch, two at a time
    python benchmarks/mutation_score.py --batch apps    # one batch
    python benchmarks/mutation_score.py --reasons       # list the unmutated clauses and why

Exit status 1 when a mutant is missed or a correct control fails.  The same runs are the test
``tests/test_mutation.py::test_mutants_are_caught_and_controls_pass``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(TESTS))

import mutants  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", action="append", choices=mutants.batches(),
                        help="run only this batch (repeatable); default: all")
    parser.add_argument("--jobs", type=int, default=2, help="batches run at the same time (default 2)")
    parser.add_argument("--reasons", action="store_true", help="list each unmutated core clause with its reason")
    args = parser.parse_args(argv)
    names = args.batch or mutants.batches()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mutation-score-") as workdir:
        runs = mutants.run_batches(names, Path(workdir), jobs=args.jobs, on_done=lambda run: print(
            f"batch {run.plan.batch}: {len(run.plan.mutants)} mutants, {run.seconds:.1f} s", flush=True))
    print(f"\nmutation score, MLflow {mutants.installed_mlflow()} ({time.perf_counter() - started:.0f} s wall):")
    for line in mutants.score_lines(runs, with_reasons=args.reasons):
        print("  " + line)
    bad = False
    for run in runs:
        found = mutants.verdict(run)
        for name, why in found.bad_controls.items():
            print(f"  CONTROL FAILED {name}: {why}")
        if not run.outcomes:
            print(f"  batch {run.plan.batch} reported nothing:\n{run.output[-3000:]}")
        bad = bad or bool(found.missed or found.bad_controls or not run.outcomes)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
