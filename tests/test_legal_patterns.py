"""Zero false failures, pinned: a plugin using every legal wiring pattern (tests/plugins/legal_patterns.py)
passes every clause of the store contracts through the command-line route."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

PLUGIN = Path(__file__).parent / "plugins" / "legal_patterns.py"
ENTRY_POINTS = {
    "mlflow.tracking_store": {"legal-sql": "legal_patterns:tracking_store"},
    "mlflow.artifact_repository": {"legal-kwargs": "legal_patterns:repository_with_kwargs",
                                   "legal-keywords": "legal_patterns:repository_with_keywords"},
    "mlflow.model_registry_store": {"legal-sql": "legal_patterns:registry_store"},
}


@pytest.mark.slow
def test_every_legal_pattern_passes_every_clause(pytester, fake_dists):
    fake_dists.add("legal-patterns", ENTRY_POINTS, {"legal_patterns.py": PLUGIN.read_text(encoding="utf-8")})
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--mlflow-plugin=legal-patterns", "--mlflow-conformance-report=r.json")
    report = json.loads((pytester.path / "r.json").read_text())
    labels = {t["label"] for t in report["targets"]}
    assert labels == {"tracking_store:legal-sql", "artifact_repository:legal-kwargs",
                      "artifact_repository:legal-keywords", "model_registry_store:legal-sql"}
    bad = [(c["target"], c["clause"], c["outcome"], c["reason"][:300]) for c in report["clauses"]
           if c["outcome"] not in ("passed", "not-applicable", "unsupported")]
    assert not bad, "false failures on a correct plugin:\n" + "\n".join(map(str, bad))
    # unsupported only where the example plugin's stores really lack the feature (presigned URLs, ...)
    assert result.ret == 0
