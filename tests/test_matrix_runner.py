"""matrix.py's local runner: virtual environments per MLflow version, reused while their specs match, the suite run
in each, the reports merged.  pip is the only part replaced here (installing MLflow takes a minute per version;
benchmarks/ci_matrix_example_plugin.sh runs the real thing)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mlflow_plugin_conformance import matrix


def test_an_environment_is_made_once_and_reused_while_its_specs_match(tmp_path, monkeypatch):
    calls = []

    def fake_check_call(cmd, **kwargs):
        calls.append(cmd)
        if cmd[1:3] == ["-m", "venv"]:
            python = matrix._venv_python(Path(cmd[3]))
            python.parent.mkdir(parents=True)
            python.touch()

    monkeypatch.setattr(matrix.subprocess, "check_call", fake_check_call)
    venv = matrix.prepare_venv(tmp_path, "python3.11", "2.22", ["-e /src"], ["my-plugin"])
    assert venv == tmp_path / "mlflow-2.22"
    assert calls[0] == ["python3.11", "-m", "venv", str(venv)]
    assert calls[1][1:] == ["-m", "pip", "install", "-q", "mlflow==2.22.*", "sqlalchemy<2.1", "-e", "/src", "my-plugin"]
    calls.clear()
    assert matrix.prepare_venv(tmp_path, "python3.11", "2.22", ["-e /src"], ["my-plugin"]) == venv
    assert calls == []  # same specs: reused
    matrix.prepare_venv(tmp_path, "python3.11", "2.22", ["-e /src"], ["my-plugin==2"])
    assert [c[-1] for c in calls] == ["my-plugin==2"]  # changed plugin spec: reinstalled, venv kept
    calls.clear()
    matrix.prepare_venv(tmp_path, "python3.11", "2.22", ["-e /src"], ["my-plugin==2"], reinstall=True)
    assert len(calls) == 1


def test_run_runs_the_suite_in_each_environment_and_merges(tmp_path, monkeypatch, capsys):
    """The environment is this one (MLflow as installed here): the suite really runs on the example plugin in it,
    its report lands in the version's directory, and the merged matrix is written next to it."""
    here = Path(sys.executable).parent.parent
    monkeypatch.setattr(matrix, "prepare_venv", lambda work, python, version, *a, **k: here)
    out = tmp_path / "out"
    code = matrix.main(["run", "--scheme", "file-plugin", "--mlflow", "a", "--out", str(out),
                        "--work-dir", str(tmp_path / "venvs"), "--cwd", str(tmp_path),
                        "--pytest-args=--mlflow-conformance-clause=tracking_store/experiments/create*"])
    assert code == 0, capsys.readouterr().out
    report = matrix.load_report(out / "mlflow-a" / matrix.REPORT_JSON)
    assert {r["outcome"] for r in report["clauses"]} == {"passed"}
    merged = json.loads((out / "matrix.json").read_text())
    assert [c["mlflow_version"] for c in merged["columns"]] == [report["mlflow_version"]]
    assert {r["clause"] for r in merged["clauses"]} >= {"tracking_store/experiments/create-and-get"}
    assert "### MLflow plugin conformance matrix" in (out / "matrix.md").read_text()


def test_run_without_a_selection_is_refused(tmp_path, capsys):
    assert matrix.main(["run", "--mlflow", "3.0", "--out", str(tmp_path)]) == 2
    assert "--scheme" in capsys.readouterr().err


def test_the_module_runs_as_a_script():
    result = subprocess.run([sys.executable, "-m", "mlflow_plugin_conformance.matrix", "merge", "--help"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "--summary" in result.stdout


def test_install_command_is_one_pip_resolution_into_this_interpreter(monkeypatch, capsys):
    seen = []
    monkeypatch.setattr(matrix.subprocess, "call", lambda cmd: seen.append(cmd) or 0)
    assert matrix.main(["install", "--mlflow=3.0", "--conformance=mlflow-plugin-conformance==0.1.0",
                        "--plugin=-e ./plugin[s3]"]) == 0
    assert seen == [[sys.executable, "-m", "pip", "install", "mlflow==3.0.*", "sqlalchemy<2.1",
                     "mlflow-plugin-conformance==0.1.0", "-e", "./plugin[s3]"]]
    assert capsys.readouterr().out.startswith("+ ")
