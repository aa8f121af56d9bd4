"""The bundled suite checks the whole example distribution (``--mlflow-plugin=mlflow-file-plugin``) for the project
backend, deployment target, model evaluator, dataset source and constructor kinds. Every clause
passes on the example plugin; the wall time of each kind's contract is printed (run with ``-s``)."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

KINDS = ("project_backend", "deployments", "model_evaluator", "dataset_source", "dataset_constructor",
         "workspace_provider", "scorer_store")


@pytest.mark.slow
def test_example_plugin_passes_every_clause_of_its_kinds(pytester, capsys):
    report = pytester.path / "conformance.json"
    args = ["--mlflow-plugin=mlflow-file-plugin", f"--mlflow-conformance-report={report}", "-p", "no:cacheprovider",
            "-W", "ignore", "-q"]
    for kind in KINDS:
        args.append(f"--mlflow-conformance-clause={kind}/*")
    result = pytester.runpytest_subprocess(*args)
    data = json.loads(report.read_text())
    clauses = data["clauses"]
    failed = [f"{c['target']} {c['clause']}: {c['reason']}" for c in clauses if c["outcome"] == "failed"]
    assert not failed, "\n".join(failed) + "\n" + "\n".join(result.outlines[-30:])
    per_kind = defaultdict(lambda: [0, 0.0])
    for c in clauses:
        kind = c["target"].split(":")[0]
        per_kind[kind][0] += 1
        per_kind[kind][1] += c["duration"]
    assert set(KINDS) <= set(per_kind), f"kinds without clauses in the report: {set(KINDS) - set(per_kind)}"
    with capsys.disabled():
        print("\nwall time per kind against the example plugin (sum of clause phases):")
        for kind in KINDS:
            count, seconds = per_kind[kind]
            print(f"  {kind:22s} {count:3d} clauses  {seconds:6.1f} s")
