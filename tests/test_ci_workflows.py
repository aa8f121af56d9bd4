"""The CI way in: the reusable workflow, the composite action, the example caller and the project's own CI.

* Every workflow and action file validates against the GitHub schemas vendored inside check-jsonschema (no
  network), and a broken copy does not (the check can fail).
* The shell steps of the reusable workflow and of the action are *executed* here, as GitHub would run them
  (``bash -eo pipefail``, ``${{ }}`` expressions filled in, ``$GITHUB_ENV`` / ``$GITHUB_STEP_SUMMARY`` files),
  against the example plugin: what CI runs is what these tests run.
* The project's CI runs the same install and test commands as ``.ci/run`` (the README's), on Python 3.10-3.13
  and on the oldest and newest supported MLflow.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mlflow_plugin_conformance import matrix

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "conformance.yml"
CI = ROOT / ".github" / "workflows" / "ci.yml"
ACTION = ROOT / ".github" / "actions" / "conformance" / "action.yml"
EXAMPLE = ROOT / "examples" / "ci" / "conformance.yml"
OLDEST = ROOT / ".github" / "constraints" / "mlflow-oldest.txt"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml")) + [EXAMPLE]

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def check_jsonschema(schema: str, paths) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, paths)],
                          capture_output=True, text=True)


# -- schemas ---------------------------------------------------------------------------------------------------


def test_workflows_validate_against_the_vendored_github_workflow_schema():
    result = check_jsonschema("vendor.github-workflows", WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_action_validates_against_the_vendored_github_action_schema():
    result = check_jsonschema("vendor.github-actions", [ACTION])
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path):
    """A job without runs-on and an action step without `shell` are what the schemas exist to catch."""
    data, action = load(WORKFLOW), load(ACTION)
    intact, intact_action = tmp_path / "intact.yml", tmp_path / "intact-action.yml"
    intact.write_text(yaml.safe_dump(data))
    intact_action.write_text(yaml.safe_dump(action))
    del data["jobs"]["conformance"]["runs-on"]
    broken = tmp_path / "broken.yml"
    broken.write_text(yaml.safe_dump(data))
    del next(s for s in action["runs"]["steps"] if "run" in s)["shell"]
    broken_action = tmp_path / "action.yml"
    broken_action.write_text(yaml.safe_dump(action))
    # the round trip through YAML alone keeps them valid: what fails is the removed key
    assert check_jsonschema("vendor.github-workflows", [intact]).returncode == 0
    assert check_jsonschema("vendor.github-actions", [intact_action]).returncode == 0
    assert check_jsonschema("vendor.github-workflows", [broken]).returncode != 0
    assert check_jsonschema("vendor.github-actions", [broken_action]).returncode != 0


# -- running the steps as GitHub would -------------------------------------------------------------------------


def render(text: str, context: dict[str, str]) -> str:
    """Fill in ``${{ expr }}``; an expression the test did not expect fails it (no silent empty strings)."""

    def value(match):
        expr = match.group(1)
        assert expr in context, f"unexpected expression ${{{{ {expr} }}}} in a step the tests run"
        return context[expr]

    return EXPRESSION.sub(value, text)


def run_steps(steps, context, env, cwd, tmp_path, skip=(), workdir="."):
    """Run the ``run:`` steps in order; after a failure only steps with ``if: always()`` run. -> {name: rc}"""
    github_env = tmp_path / "github_env"
    summary = tmp_path / "step_summary.md"
    runner_temp = tmp_path / "runner_temp"
    for path in (github_env, summary):
        path.touch()
    runner_temp.mkdir(exist_ok=True)
    bin_dir = os.path.dirname(sys.executable)  # `python` in the steps is this interpreter, as setup-python does
    base = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ["PATH"], "GITHUB_ENV": str(github_env),
            "GITHUB_STEP_SUMMARY": str(summary), "RUNNER_TEMP": str(runner_temp),
            "GITHUB_OUTPUT": str(tmp_path / "github_output")}
    context = {**context, "runner.temp": str(runner_temp)}
    codes, failed = {}, False
    for step in steps:
        if "run" not in step or step.get("name") in skip:
            continue
        if failed and "always()" not in str(step.get("if", "")):
            continue
        exported = dict(line.split("=", 1) for line in github_env.read_text().splitlines() if "=" in line)
        step_env = {k: render(str(v), context) for k, v in {**env, **step.get("env", {})}.items()}
        here = cwd / render(step.get("working-directory", workdir), context)
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", render(step["run"], context)],
                                env={**base, **exported, **step_env}, cwd=here, capture_output=True, text=True)
        codes[step["name"]] = result.returncode
        if result.returncode:
            failed = True
        print(f"--- {step['name']}: exit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return codes, summary.read_text()


def input_defaults(inputs: dict) -> dict[str, str]:
    return {f"inputs.{name}": str(spec.get("default", "")) for name, spec in inputs.items()}


INSTALL_STEP = re.compile(r"^Install")


def step_named(steps, prefix):
    return next(s for s in steps if s.get("name", "").startswith(prefix))


def test_the_reusable_workflow_steps_run_the_suite_and_write_the_summary(tmp_path):
    """The workflow's own shell steps (minus pip install: the plugin is installed here) pass on the example plugin."""
    data = load(WORKFLOW)
    job = data["jobs"]["conformance"]
    context = {**input_defaults(data["on"]["workflow_call"]["inputs"]), "inputs.plugin": "-e examples/file-plugin",
               "inputs.scheme": "file-plugin", "matrix.mlflow": "installed", "inputs.working-directory": "project",
               # one family keeps this test fast; the bundled suite's clauses have their own tests
               "inputs.pytest-args": "--mlflow-conformance-clause=tracking_store/experiments/*"}
    project = tmp_path / "checkout" / "project"
    project.mkdir(parents=True)
    skip = {s["name"] for s in job["steps"] if INSTALL_STEP.match(s.get("name", ""))}
    codes, summary = run_steps(job["steps"], context, job["env"], tmp_path / "checkout", tmp_path, skip,
                               workdir=job["defaults"]["run"]["working-directory"])
    assert codes == {"Report directory": 0, "Run the conformance suite": 0,
                     "Write the conformance table to the job summary": 0}
    assert "### MLflow plugin conformance (MLflow " in summary
    assert "| tracking_store:file-plugin | mlflow-file-plugin" in summary
    report = matrix.load_report(tmp_path / "runner_temp" / "conformance-report" / matrix.REPORT_JSON)
    assert report["clauses"] and not matrix.failed_clauses(report)
    # the upload step uploads the directory the suite wrote into
    upload = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    assert render(upload["with"]["path"], {"runner.temp": "T"}).rstrip("/") == "T/conformance-report"
    assert upload["if"] == "always()"


def test_the_action_fails_on_a_failed_clause_and_still_writes_the_summary(tmp_path):
    """A clause declared as a known failure that passes is a failure (strict): the step fails, the summary and the
    report are still written."""
    action = load(ACTION)
    project = tmp_path / "plugin-repo"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\n'
        'mlflow_conformance_known_failures = ["tracking_store/experiments/rename: pretend it is broken"]\n')
    context = {**input_defaults(action["inputs"]), "inputs.scheme": "file-plugin",
               "inputs.working-directory": ".",
               "inputs.pytest-args": "--mlflow-conformance-clause=tracking_store/experiments/rename*"}
    skip = {s["name"] for s in action["runs"]["steps"] if INSTALL_STEP.match(s.get("name", ""))}
    codes, summary = run_steps(action["runs"]["steps"], context, {}, project, tmp_path, skip)
    assert codes == {"Report paths": 0, "Run the conformance suite": 1,
                     "Write the conformance table to the job summary": 0}
    report = matrix.load_report(project / "conformance-report" / matrix.REPORT_JSON)
    assert [r["clause"] for r in matrix.failed_clauses(report)] == ["tracking_store/experiments/rename"]
    assert "#### Failed clauses" in summary and "tracking_store/experiments/rename" in summary


def _matrix_command_lines(script: str, subcommand: str) -> list[list[str]]:
    lines = []
    for line in script.splitlines():
        words = shlex.split(line.strip()) if "mlflow_plugin_conformance.matrix" in line else []
        if words[3:4] == [subcommand]:
            lines.append(words)
    return lines


@pytest.mark.parametrize("path", [WORKFLOW, ACTION], ids=["workflow", "action"])
def test_install_and_suite_steps_call_real_subcommands_with_real_options(path):
    data = load(path)
    steps = data["runs"]["steps"] if path == ACTION else data["jobs"]["conformance"]["steps"]
    script = "\n".join(s.get("run", "") for s in steps)
    parser = matrix.build_parser()
    for subcommand in ("install", "suite"):
        lines = _matrix_command_lines(script, subcommand)
        assert lines, f"{path.name} has no `matrix {subcommand}` step"
        for words in lines:
            assert words[:3] == ["python", "-m", "mlflow_plugin_conformance.matrix"]
            sample = {"PROFILE": "ci", "MLFLOW_VERSION": "3.0", "VIA": "server"}
            args = [re.sub(r"\$(\w+)", lambda m: sample.get(m.group(1), "x"), w) for w in words[3:]
                    if w != "${selection[@]}"]
            ns = parser.parse_args(args)
            assert ns.command == subcommand
    # the local runner calls the same subcommand with the same options
    local = matrix.suite_command("python", ["s"], ["d"], "$REPORT_DIR", "$PROFILE", "$PYTEST_ARGS")
    ci = {w.split("=")[0] for w in _matrix_command_lines(script, "suite")[0][4:] if "=" in w}
    ci |= set(re.findall(r'selection\+=\("(--[a-z-]+)=', script))
    assert {w.split("=")[0] for w in local[4:]} == ci


def test_the_workflow_declares_the_inputs_plugin_authors_need():
    call = load(WORKFLOW)["on"]["workflow_call"]
    inputs = call["inputs"]
    for name in ("plugin", "scheme", "distribution", "python-version", "mlflow-versions", "pytest-args"):
        assert name in inputs
    assert inputs["plugin"]["required"] is True
    versions = json.loads(inputs["mlflow-versions"]["default"])
    assert [matrix.mlflow_requirement(v) for v in versions]  # every default is something `install` accepts
    job = load(WORKFLOW)["jobs"]["conformance"]
    assert job["strategy"]["matrix"]["mlflow"] == "${{ fromJSON(inputs.mlflow-versions) }}"
    assert job["strategy"]["fail-fast"] is False  # one broken version must not hide the others
    merge = load(WORKFLOW)["jobs"]["matrix"]
    assert merge["needs"] == "conformance" and merge["if"] == "always()"
    assert any("matrix merge" in s.get("run", "") and "--summary" in s.get("run", "") for s in merge["steps"])


def _callers():
    ci_job = load(CI)["jobs"]["example-plugin-conformance"]
    example = load(EXAMPLE)["jobs"]
    return [("ci.yml", ci_job["uses"], ci_job["with"]),
            ("example workflow", example["conformance"]["uses"], example["conformance"]["with"]),
            ("example step", *next((s["uses"], s["with"]) for s in example["conformance-step"]["steps"]
                                   if "actions/conformance" in s.get("uses", "")))]


@pytest.mark.parametrize("name, uses, given", _callers(), ids=lambda v: v if isinstance(v, str) else "")
def test_callers_pass_only_inputs_that_exist_and_every_required_one(name, uses, given):
    declared = load(ACTION)["inputs"] if "actions/" in uses else load(WORKFLOW)["on"]["workflow_call"]["inputs"]
    assert set(given) <= set(declared), f"{name} passes unknown inputs {set(given) - set(declared)}"
    assert {n for n, spec in declared.items() if spec.get("required")} <= set(given)
    assert uses.endswith(("conformance.yml", "conformance.yml@main", "actions/conformance@main"))


# -- the project's own CI ----------------------------------------------------------------------------------------


def _ci_run_commands() -> list[str]:
    """The install-and-test chain of .ci/run (the README's test command)."""
    line = next(l for l in (ROOT / ".ci" / "run").read_text().splitlines() if "pytest" in l and "pip install" in l)
    return [c.strip() for c in line.split("&&")]


def test_ci_run_is_the_readme_test_command():
    chain = " && ".join(_ci_run_commands())
    assert chain in (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_commands_on_every_matrix_entry():
    job = load(CI)["jobs"]["tests"]
    commands = []
    for step in job["steps"]:
        if step.get("name", "").startswith(("Install", "Test")):
            commands += [c.strip() for c in step["run"].split("&&")]
    for constraints in ["constraints.txt", ".github/constraints/mlflow-oldest.txt"]:
        rendered = [render(c, {"matrix.constraints": constraints}) for c in commands]
        assert rendered == [c.replace("-c constraints.txt", f"-c {constraints}") for c in _ci_run_commands()]


def test_ci_covers_python_3_10_to_3_13_and_the_oldest_and_newest_mlflow():
    strategy = load(CI)["jobs"]["tests"]["strategy"]
    assert strategy["matrix"]["python"] == ["3.10", "3.11", "3.12", "3.13"]
    assert strategy["matrix"]["constraints"] == ["constraints.txt"]
    oldest = [e for e in strategy["matrix"]["include"] if e["mlflow"] == "oldest"]
    assert oldest and all(e["constraints"] == ".github/constraints/mlflow-oldest.txt" for e in oldest)
    # oldest = the floor the project declares; newest = what constraints.txt pins
    pyproject = (ROOT / "pyproject.toml").read_text()
    floor = re.search(r'"mlflow>=([\d.]+)"', pyproject).group(1)
    pins = [l.strip() for l in OLDEST.read_text().splitlines() if l.strip() and not l.startswith("#")]
    pinned = next(p for p in pins if p.startswith("mlflow=="))[len("mlflow=="):]
    assert pinned.startswith(floor + ".") or pinned == floor
    # the oldest release gets the same compatibility pins the matrix installer adds
    assert set(matrix.compat_pins(pinned)) <= set(pins)
    assert re.search(r"^mlflow==\d", (ROOT / "constraints.txt").read_text(), re.M)
