"""Zero false failures on legal patterns (issue 11 item 1): a plugin written only with patterns MLflow accepts and
real plugins use (``tests/plugins/legal_patterns_kinds``) passes every clause of its kinds, and MLflow's own API
really works with it (so the patterns are legal, not merely tolerated by the suite).

The patterns: instance-method, staticmethod and classmethod ``can_evaluate`` (MLflow calls it on an instance);
several evaluators and two deployment targets in one module; factory entry points that import lazily, one building
an evaluator that takes constructor arguments; an evaluator returning no metric (artifacts only: unsupported, not
failed); a deployment client without endpoint parameters (MLflow's CLI checks before passing one); a remote-style
client raising requests' HTTPError as MLflow's base class documents; a dataset source with staticmethod
``_resolve``/``from_dict`` answering None for foreign raw sources.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mlflow_plugin_conformance.kinds import KINDS_BY_GROUP

LEGAL_DIR = Path(__file__).parent / "plugins"
KINDS = ("deployments", "model_evaluator", "dataset_source")
ENTRY_POINTS = {
    "mlflow.model_evaluator": {
        "legal-instance": "legal_patterns_kinds.evaluators:InstanceMethodEvaluator",
        "legal-static": "legal_patterns_kinds.evaluators:StaticEvaluator",
        "legal-artifacts": "legal_patterns_kinds.evaluators:ArtifactOnlyEvaluator",
        "legal-factory": "legal_patterns_kinds:make_evaluator",
    },
    "mlflow.deployments": {
        "legal-alpha": "legal_patterns_kinds.targets:alpha",
        "legal-beta": "legal_patterns_kinds.targets:beta",
    },
    "mlflow.dataset_source": {"legal-source": "legal_patterns_kinds.sources:StaticSource"},
}
#: What the legal plugin does not offer: reported unsupported, never failed.
EXPECTED_UNSUPPORTED = {
    ("deployments:legal-alpha", "deployments.endpoints"),
    ("model_evaluator:legal-artifacts", "model_evaluator.metrics"),
}


@pytest.fixture
def legal_plugin(fake_dists, monkeypatch):
    """The legal plugin installed as the distribution ``legal-patterns-kinds`` (entry points on PYTHONPATH)."""
    fake_dists.add("legal-patterns-kinds", ENTRY_POINTS)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(LEGAL_DIR), os.environ["PYTHONPATH"]]))
    return fake_dists


@pytest.mark.slow
def test_the_legal_plugin_passes_every_clause_of_its_kinds(pytester, legal_plugin):
    report = pytester.path / "legal.json"
    args = ["--mlflow-plugin=legal-patterns-kinds", f"--mlflow-conformance-report={report}", "-p",
            "no:cacheprovider", "-W", "ignore", "-q", *[f"--mlflow-conformance-clause={kind}/*" for kind in KINDS]]
    result = pytester.runpytest_subprocess(*args)
    clauses = json.loads(report.read_text())["clauses"]
    failed = [f"{c['target']} {c['clause']}: {c['reason']}" for c in clauses if c["outcome"] == "failed"]
    assert not failed, "false failures on legal patterns:\n" + "\n".join(failed) + "\n" + "\n".join(
        result.outlines[-20:])
    expected_targets = {f"{KINDS_BY_GROUP[group].key}:{name}" for group, names in ENTRY_POINTS.items()
                        for name in names}
    assert {c["target"] for c in clauses} == expected_targets
    unsupported = {(c["target"], c["feature"]) for c in clauses if c["outcome"] == "unsupported"}
    assert unsupported == EXPECTED_UNSUPPORTED
    from mlflow_plugin_conformance.kinds import KINDS_BY_KEY

    listed = {k for k, kind in KINDS_BY_KEY.items() if not kind.name_is_key}  # MLflow never reads their names
    others = {(c["clause"], c["outcome"]) for c in clauses if c["outcome"] not in ("passed", "unsupported")}
    assert others <= {(f"{k}/build/name-unique", "not-applicable") for k in listed}, (
        f"outcomes other than passed/unsupported: {others}")


MLFLOW_API_SCRIPT = """
import pandas as pd
import mlflow
from mlflow.deployments import get_deploy_client

from mlflow_plugin_conformance.contracts.shared.local_mlflow import fresh_tracking_uri, save_tiny_model

mlflow.set_tracking_uri(fresh_tracking_uri(__import__("pathlib").Path({tmp!r})))
model = save_tiny_model(__import__("pathlib").Path({tmp!r}) / "model", 2, 0)
data = pd.DataFrame({{"x": [0, 1, 2, 3], "y": [0, 2, 4, 7]}})
for name, metric in [("legal-instance", "legal_mean_absolute_error"), ("legal-static", "legal_mean_squared_error"),
                     ("legal-factory", "legal_within_scale")]:
    with mlflow.start_run():
        result = mlflow.models.evaluate(model, data, targets="y", model_type="regressor", evaluators=[name])
    assert metric in result.metrics, (name, result.metrics)
with mlflow.start_run():  # no evaluator named: MLflow asks every registered one, the legal ones included
    mlflow.models.evaluate(model, data, targets="y", model_type="regressor")
with mlflow.start_run():
    result = mlflow.models.evaluate(model, data, targets="y", model_type="regressor", evaluators=["legal-artifacts"])
assert result.metrics == {{}}
alpha = get_deploy_client("legal-alpha:/memory")
alpha.create_deployment("d", model)
assert alpha.predict(deployment_name="d", inputs=data[["x"]])["predictions"] == [0.0, 2.0, 4.0, 6.0]
beta = get_deploy_client("legal-beta:/memory")
beta.create_endpoint("e")
beta.create_deployment("d", model, endpoint="e")
assert beta.predict(deployment_name="d", inputs=data[["x"]], endpoint="e")["predictions"] == [0.0, 2.0, 4.0, 6.0]
source = mlflow.data.dataset_source_registry.resolve_dataset_source("legal-patterns-csv:/data.csv")
assert type(source).__name__ == "StaticSource"
print("mlflow-api-ok")
"""


def test_mlflow_itself_works_with_the_legal_plugin(legal_plugin, tmp_path):
    """MLflow's public API with the legal plugin installed: evaluate with each evaluator (and with none named),
    deploy and predict by keyword on both targets, resolve a raw source."""
    script = MLFLOW_API_SCRIPT.format(tmp=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True,
                          timeout=600, cwd=tmp_path, env=dict(os.environ, PYTHONWARNINGS="ignore"))
    assert done.returncode == 0 and "mlflow-api-ok" in done.stdout, done.stderr[-4000:]
