"""The release: one version, a wheel that works on its own, a type-checked public API, the release workflow.

* The version is written once (``__version__``); the package metadata, the reusable workflow's and the action's
  default ``conformance-spec`` and the changelog agree with it.
* ``python -m build`` makes an sdist and a wheel that ``twine check --strict`` accepts; the wheel carries
  ``py.typed``, the bundled suite and the entry points; installed into a fresh virtual environment (pip's cache
  reused), **not** the source tree, it runs the main job against the example plugin.
* mypy checks a small typed usage of the public API (contract classes, ``Capabilities``, strategies) and rejects a
  wrong one.
* ``.github/workflows/release.yml``: on a version tag, build and check, then publish with PyPI trusted publishing;
  its version step is executed here. (Every workflow file is validated against the GitHub schema by
  tests/test_ci_workflows.py.)
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
import yaml

import mlflow_plugin_conformance

ROOT = Path(__file__).resolve().parent.parent
RELEASE = ROOT / ".github" / "workflows" / "release.yml"
CONFORMANCE = ROOT / ".github" / "workflows" / "conformance.yml"
ACTION = ROOT / ".github" / "actions" / "conformance" / "action.yml"
VERSION = mlflow_plugin_conformance.__version__

BUILD_ARGS = ["-m", "build", "--outdir"]
TWINE_ARGS = ["-m", "twine", "check", "--strict"]


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def _clean_env() -> dict[str, str]:
    """The environment without this checkout on PYTHONPATH: what runs must come from what was installed."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    return {**env, "MLFLOW_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


# -- one version -------------------------------------------------------------------------------------------------


def test_the_version_is_written_once_and_everything_that_names_it_agrees():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project = pyproject.split("[project]", 1)[1].split("\n[", 1)[0]
    assert not re.search(r"^version\s*=", project, re.M), "the version is dynamic, read from __version__"
    assert 'dynamic = ["version"]' in project
    assert 'version = { attr = "mlflow_plugin_conformance.__version__" }' in pyproject
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)
    spec = f"mlflow-plugin-conformance=={VERSION}"
    assert load(CONFORMANCE)["on"]["workflow_call"]["inputs"]["conformance-spec"]["default"] == spec
    assert load(ACTION)["inputs"]["conformance-spec"]["default"] == spec
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{VERSION}]" in changelog and "### Renamed clause ids" in changelog


def test_the_package_is_typed():
    assert (ROOT / "mlflow_plugin_conformance" / "py.typed").is_file()
    assert 'mlflow_plugin_conformance = ["py.typed"]' in (ROOT / "pyproject.toml").read_text()


# -- the release workflow ------------------------------------------------------------------------------------------


def test_the_release_workflow_builds_checks_and_publishes_a_tag_with_trusted_publishing():
    data = load(RELEASE)
    assert data["on"] == {"push": {"tags": ["v*"]}}
    assert data["permissions"] == {"contents": "read"}
    build, publish = data["jobs"]["build"], data["jobs"]["publish"]
    script = "\n".join(s.get("run", "") for s in build["steps"])
    assert "python -m build" in script and "twine check --strict dist/*" in script
    assert "dist/*.whl" in script and "--mlflow-conformance-clause" in script  # the wheel runs the main job
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"}  # OIDC for trusted publishing, in this job only
    assert publish["environment"]["name"] == "pypi"
    uses = [s.get("uses", "") for s in publish["steps"]]
    assert any(u.startswith("pypa/gh-action-pypi-publish@") for u in uses)
    assert not any("password" in str(s.get("with", {})) for s in publish["steps"])  # no API token


@pytest.mark.parametrize("tag, changelog, ok", [
    (f"v{VERSION}", f"## [{VERSION}]\n", True),
    ("v9.9.9", f"## [{VERSION}]\n", False),
    (f"v{VERSION}", "## [Unreleased]\n", False),
])
def test_the_release_version_step_refuses_a_tag_or_changelog_that_does_not_match(tmp_path, tag, changelog, ok):
    step = next(s for s in load(RELEASE)["jobs"]["build"]["steps"] if s.get("name", "").startswith("The tag"))
    (tmp_path / "mlflow_plugin_conformance").mkdir()
    (tmp_path / "mlflow_plugin_conformance" / "__init__.py").write_text(
        (ROOT / "mlflow_plugin_conformance" / "__init__.py").read_text())
    (tmp_path / "CHANGELOG.md").write_text(changelog)
    result = subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], cwd=tmp_path, capture_output=True,
                            text=True, env={**_clean_env(), "GITHUB_REF_NAME": tag,
                                            "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]})
    assert (result.returncode == 0) == ok, result.stdout + result.stderr


def test_the_reusable_workflow_can_publish_to_pages():
    data = load(CONFORMANCE)
    inputs = data["on"]["workflow_call"]["inputs"]
    assert inputs["publish-pages"] == {"description": inputs["publish-pages"]["description"], "type": "boolean",
                                       "default": False}
    publish = data["jobs"]["publish"]
    assert publish["needs"] == "matrix" and "inputs.publish-pages" in publish["if"]
    assert publish["permissions"] == {"pages": "write", "id-token": "write"}
    uses = [s.get("uses", "") for s in publish["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    merge = next(s for s in data["jobs"]["matrix"]["steps"] if "matrix merge" in s.get("run", ""))
    assert "--site" in merge["run"]
    # what the publish job deploys is what the matrix job uploaded
    upload = next(s for s in data["jobs"]["matrix"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    download = next(s for s in publish["steps"] if s.get("uses", "").startswith("actions/download-artifact"))
    assert download["with"]["name"] == upload["with"]["name"]


# -- the built wheel -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """``python -m build`` (isolated, as the release workflow builds) and ``twine check --strict``."""
    out = tmp_path_factory.mktemp("dist")
    started = time.monotonic()
    built = subprocess.run([sys.executable, *BUILD_ARGS, str(out), str(ROOT)], capture_output=True, text=True,
                           env=_clean_env())
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    print(f"python -m build: {time.monotonic() - started:.1f} s")
    checked = subprocess.run([sys.executable, *TWINE_ARGS, *map(str, out.iterdir())], capture_output=True, text=True)
    assert checked.returncode == 0 and "PASSED" in checked.stdout, checked.stdout + checked.stderr
    return out


@pytest.mark.slow
def test_the_wheel_carries_the_suite_the_types_and_the_entry_points(dist):
    wheel = next(dist.glob("*.whl"))
    assert wheel.name.startswith(f"mlflow_plugin_conformance-{VERSION}-")
    assert next(dist.glob("*.tar.gz")).name == f"mlflow_plugin_conformance-{VERSION}.tar.gz"
    names = zipfile.ZipFile(wheel).namelist()
    assert "mlflow_plugin_conformance/py.typed" in names
    suite = {Path(n).name for n in names if n.startswith("mlflow_plugin_conformance/suite/")}
    assert suite >= {p.name for p in (ROOT / "mlflow_plugin_conformance" / "suite").glob("*.py")}
    contracts = {n for n in names if n.startswith("mlflow_plugin_conformance/contracts/")}
    assert {str(p.relative_to(ROOT)) for p in (ROOT / "mlflow_plugin_conformance" / "contracts").rglob("*.py")} <= contracts
    info = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    entry_points = zipfile.ZipFile(wheel).read(info).decode()
    assert "[pytest11]\nmlflow_plugin_conformance = mlflow_plugin_conformance.plugin" in entry_points
    assert "mlflow-conformance-matrix = mlflow_plugin_conformance.matrix:main" in entry_points
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert f"Version: {VERSION}" in metadata and "Provides-Extra: docs" in metadata


@pytest.mark.slow
def test_the_built_wheel_installed_alone_runs_the_main_job(dist, tmp_path):
    """A fresh virtual environment, the wheel (not this checkout) and the example plugin; the main job in the
    example plugin's directory, narrowed to one family to stay fast."""
    venv = tmp_path / "venv"
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    wheel = next(dist.glob("*.whl"))
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-compile", "-c",
                              str(ROOT / "constraints.txt"), str(wheel), str(ROOT / "examples" / "file-plugin")],
                             capture_output=True, text=True, env=_clean_env())
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    installed = time.monotonic()
    where = subprocess.run([str(python), "-c", "import mlflow_plugin_conformance as m; print(m.__file__)"],
                           capture_output=True, text=True, env=_clean_env(), cwd=tmp_path)
    assert where.stdout.strip().startswith(str(venv)), where.stdout + where.stderr
    report = tmp_path / "conformance.html"
    run = subprocess.run([str(python), "-m", "pytest", "-p", "no:cacheprovider",
                          "--mlflow-conformance-clause=tracking_store/experiments/create*",
                          f"--mlflow-conformance-report={report}"],
                         cwd=ROOT / "examples" / "file-plugin", capture_output=True, text=True, env=_clean_env(),
                         timeout=900)
    print(f"wheel install: {installed - started:.1f} s, main job (tracking_store/experiments/create*): "
          f"{time.monotonic() - installed:.1f} s")
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert re.search(r"\d+ passed", run.stdout) and "MLflow plugin conformance" in run.stdout
    assert "No clause failed" in report.read_text()


# -- types -----------------------------------------------------------------------------------------------------------

TYPED_USAGE = '''
from __future__ import annotations

import pytest
from hypothesis import strategies as st

from mlflow_plugin_conformance import Capabilities, Clause, TrackingStoreContract, strategies


class TestStore(TrackingStoreContract):
    @pytest.fixture
    def tracking_store(self, tmp_path: object) -> object:
        return object()


declared: Capabilities = Capabilities(unsupported=frozenset({"tracking_store.traces"}),
                                      known_failures={"tracking_store/metrics/round-trip": "clamps"})
both: Capabilities = declared.merged(Capabilities())
reason: str | None = both.known_failure(Clause("tracking_store/metrics/round-trip"))
names: st.SearchStrategy[str] = strategies.registered_model_names(max_size=10)
tags: st.SearchStrategy[dict[str, str]] = strategies.registry_tags()
kind: str = TestStore.kind_key
'''


def _mypy(tmp_path: Path, source: str) -> subprocess.CompletedProcess:
    pytest.importorskip("mypy", reason="mypy is in the test extra")
    usage = tmp_path / "usage.py"
    usage.write_text(textwrap.dedent(source))
    config = tmp_path / "mypy.ini"
    # Only the usage file is checked; MLflow and the suite's own modules give their types silently (analysing all
    # of MLflow would take minutes). The package is found from the checkout: an editable install is an import
    # hook, which mypy does not follow.
    config.write_text(f"[mypy]\nmypy_path = {ROOT}\nfollow_imports = silent\nwarn_unused_ignores = False\n"
                      "[mypy-mlflow.*]\nfollow_imports = skip\n")
    return subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(config),
                           "--cache-dir", str(tmp_path / ".mypy_cache"), str(usage)],
                          capture_output=True, text=True, cwd=tmp_path)


def test_the_public_api_type_checks(tmp_path):
    started = time.monotonic()
    result = _mypy(tmp_path, TYPED_USAGE)
    print(f"mypy: {time.monotonic() - started:.1f} s")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_type_check_rejects_a_wrong_use_of_the_api(tmp_path):
    wrong = TYPED_USAGE + textwrap.dedent('''
        bad = Capabilities(unsupported=3)
        worse: int = strategies.registered_model_names(max_size="ten")
        level: int = TestStore.kind_key
    ''')
    result = _mypy(tmp_path, wrong)
    assert result.returncode == 1
    assert 'Argument "unsupported" to "Capabilities" has incompatible type "int"' in result.stdout
    assert 'Argument "max_size" to "registered_model_names" has incompatible type "str"' in result.stdout
    assert 'expression has type "str", variable has type "int"' in result.stdout


def test_type_checkers_see_every_public_name():
    """The public names are imported lazily at run time; the TYPE_CHECKING block gives them their types."""
    import ast

    tree = ast.parse((ROOT / "mlflow_plugin_conformance" / "__init__.py").read_text())
    block = next(n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, "id", "") == "TYPE_CHECKING")
    seen = {}
    for node in ast.walk(block):
        if isinstance(node, ast.ImportFrom):
            module = "mlflow_plugin_conformance" + (f".{node.module}" if node.module else "")
            for alias in node.names:
                seen[alias.asname or alias.name] = (module, alias.name)
    assert set(seen) == set(mlflow_plugin_conformance.__all__)
    import importlib

    for name, (module, attr) in seen.items():  # the same object the lazy import gives
        imported = importlib.import_module(module)
        value = getattr(imported, attr) if hasattr(imported, attr) else importlib.import_module(f"{module}.{attr}")
        assert value is getattr(mlflow_plugin_conformance, name), name
