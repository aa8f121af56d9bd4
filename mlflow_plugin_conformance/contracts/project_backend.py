"""The project-backend contract (``mlflow.project_backend``).

Subclass :class:`ProjectBackendContract` and provide a ``project_backend`` fixture returning the backend instance
(the bundled suite builds it with ``mlflow.projects.backend.loader.load_backend(name)``). The clauses run a tiny
local MLflow project (Python entry points, ``env_manager='local'``, no network) and call ``backend.run(...)``
exactly as ``mlflow.projects.run`` does: ``run(project_uri, entry_point, params, version, backend_config,
tracking_uri, experiment_id)`` with the ``backend_config`` keys MLflow fills in. The tracking store is a private
SQLite file per test class.
"""

from __future__ import annotations

import inspect
import shlex
import sys
import threading
from pathlib import Path

import pytest

from ._local_mlflow import ImportOrderClauses, entry_points_of, fresh_tracking_uri, tracking_uri_set
from ._support import unique_name
from .base import ContractBase, clause, required_fixture

_EXAMPLE = """    @pytest.fixture
    def project_backend(self):
        return MyBackend()"""

_GATE_VALVE_SECONDS = 15.0

_STEP = """\
import pathlib, sys
args = sys.argv[1:]
pathlib.Path(args[args.index("--out") + 1]).write_text("\\n".join(args), encoding="utf-8")
"""

_GATED = """\
import pathlib, sys, time
gate, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
(out / "started").write_text("started")
for _ in range(6000):  # at most ten minutes: the contract opens the gate or cancels the run
    if gate.exists():
        break
    time.sleep(0.1)
(out / "finished").write_text("finished")
"""


def write_project(folder: Path) -> Path:
    """A tiny MLflow project: ``main`` records its arguments, ``fail`` exits 3, ``gated`` waits for a file."""
    folder.mkdir(parents=True, exist_ok=True)
    python = shlex.quote(sys.executable)
    (folder / "step.py").write_text(_STEP, encoding="utf-8")
    (folder / "gated.py").write_text(_GATED, encoding="utf-8")
    (folder / "MLproject").write_text(
        "name: conformance-project\n"
        "entry_points:\n"
        "  main:\n"
        "    parameters:\n"
        "      alpha: {type: string}\n"
        "      out: {type: string}\n"
        "      beta: {type: string, default: 'beta-default'}\n"
        f"    command: \"{python} step.py --alpha {{alpha}} --beta {{beta}} --out {{out}}\"\n"
        "  fail:\n"
        f"    command: \"{python} -c 'import sys; sys.exit(3)'\"\n"
        "  gated:\n"
        "    parameters:\n"
        "      gate: {type: string}\n"
        "      out: {type: string}\n"
        f"    command: \"{python} gated.py {{gate}} {{out}}\"\n",
        encoding="utf-8",
    )
    return folder


def mlflow_backend_config(**overrides) -> dict:
    """The ``backend_config`` ``mlflow.projects.run`` passes: its keys set, local environment, synchronous."""
    from mlflow.projects.utils import (
        PROJECT_BUILD_IMAGE,
        PROJECT_DOCKER_ARGS,
        PROJECT_DOCKER_AUTH,
        PROJECT_ENV_MANAGER,
        PROJECT_STORAGE_DIR,
        PROJECT_SYNCHRONOUS,
    )

    config = {PROJECT_ENV_MANAGER: "local", PROJECT_SYNCHRONOUS: True, PROJECT_DOCKER_ARGS: None,
              PROJECT_STORAGE_DIR: None, PROJECT_BUILD_IMAGE: False, PROJECT_DOCKER_AUTH: None}
    config.update(overrides)
    return config


def _status_name(status) -> str:
    """``get_status()`` must return a RunStatus name (what MLflow's own SubmittedRuns return)."""
    from mlflow.entities import RunStatus

    assert isinstance(status, str), (
        f"get_status() returned {status!r} ({type(status).__name__}); MLflow's SubmittedRuns return a RunStatus "
        f"name such as 'RUNNING' or 'FINISHED' (RunStatus.to_string)")
    assert status in RunStatus.all_status() or status in {RunStatus.to_string(s) for s in RunStatus.all_status()}, (
        f"get_status() returned {status!r}, not one of {sorted(RunStatus.to_string(s) for s in RunStatus.all_status())}")
    return status


class ProjectBackendContract(ImportOrderClauses, ContractBase):
    """Contract clauses for a project backend. Provide the ``project_backend`` fixture."""

    kind_key = "project_backend"
    target_fixture = "project_backend"

    project_backend = required_fixture("project_backend", "ProjectBackendContract", _EXAMPLE)

    # -- fixtures --------------------------------------------------------------------------------------------------

    @pytest.fixture(scope="class")
    @classmethod
    def project_tracking(cls, tmp_path_factory):
        """``(tracking_uri, experiment_id)``: a private SQLite tracking store with one experiment."""
        from mlflow.tracking import MlflowClient

        uri = fresh_tracking_uri(tmp_path_factory.mktemp("project-tracking"))
        return uri, MlflowClient(uri).create_experiment(unique_name("projects"))

    @pytest.fixture(scope="class")
    @classmethod
    def project_dir(cls, tmp_path_factory) -> Path:
        return write_project(tmp_path_factory.mktemp("project") / "conformance-project")

    @pytest.fixture
    def submit(self, project_backend, project_tracking, project_dir):
        """``submit(entry_point, params)`` -> SubmittedRun; every run still going at teardown is cancelled."""
        uri, experiment_id = project_tracking
        started = []

        valves = []

        def run(entry_point, params):
            if "gate" in params:
                # Safety valve, not a timed assertion: a backend that blocks in run() until the entry point ends
                # would wait for the gate forever; the valve opens it so the clause can report the blocking.
                valve = threading.Timer(_GATE_VALVE_SECONDS, lambda: Path(params["gate"]).write_text("valve"))
                valve.daemon = True
                valve.start()
                valves.append(valve)
            submitted = project_backend.run(str(project_dir), entry_point, params, None, mlflow_backend_config(),
                                            uri, experiment_id)
            started.append(submitted)
            return submitted

        with tracking_uri_set(uri):
            yield run
            for valve in valves:
                valve.cancel()
            for submitted in started:
                try:
                    if _status_name(submitted.get_status()) in ("RUNNING", "SCHEDULED"):
                        submitted.cancel()
                except BaseException:
                    pass

    def _import_probe(self, subject):
        cls = type(subject)
        return cls.__module__, entry_points_of("mlflow.project_backend", cls.__module__) + (
            "from mlflow.projects.backend.loader import load_backend\n"
            "for e in eps:\n"
            f"    assert type(load_backend(e.name)).__name__ == {cls.__name__!r}, e.name\n"
        )

    # -- clauses ---------------------------------------------------------------------------------------------------

    @clause("project_backend/interface/run-signature")
    def test_interface_run_signature(self, project_backend):
        """``run`` accepts the seven positional arguments mlflow.projects passes: project_uri, entry_point,
        params, version, backend_config, tracking_uri, experiment_id."""
        run = getattr(project_backend, "run", None)
        assert callable(run), "the backend has no run method"
        from mlflow.projects.backend.abstract_backend import AbstractBackend

        assert type(project_backend).run is not AbstractBackend.run, (
            "run is AbstractBackend's (its @abstractmethod is not enforced): it returns None")
        try:
            inspect.signature(run).bind("uri", "main", {}, None, {}, "sqlite://", "0")
        except TypeError as exc:
            pytest.fail(f"run{inspect.signature(run)} cannot take MLflow's positional call: {exc}")

    @clause("project_backend/run/submitted-run")
    def test_run_submitted_run(self, submit, project_tracking, tmp_path):
        """``run`` returns a ``SubmittedRun`` whose ``run_id`` names a run that exists in the tracking store given,
        in the experiment given."""
        from mlflow.projects.submitted_run import SubmittedRun
        from mlflow.tracking import MlflowClient

        uri, experiment_id = project_tracking
        submitted = submit("main", {"alpha": "1", "out": str(tmp_path / "args.txt")})
        assert isinstance(submitted, SubmittedRun), f"run returned {submitted!r}, not a SubmittedRun"
        run_id = submitted.run_id
        assert isinstance(run_id, str) and run_id, f"SubmittedRun.run_id is {run_id!r}"
        run = MlflowClient(uri).get_run(run_id)
        assert run.info.experiment_id == experiment_id, (
            f"the run is in experiment {run.info.experiment_id}, not in {experiment_id} as asked")
        assert submitted.wait() is True

    @clause("project_backend/run/wait-success")
    def test_run_wait_success(self, submit, tmp_path):
        """``wait()`` returns True (a bool) when the entry point succeeds; ``get_status()`` is then
        ``'FINISHED'``."""
        submitted = submit("main", {"alpha": "1", "out": str(tmp_path / "args.txt")})
        result = submitted.wait()
        assert result is True, f"wait() returned {result!r} for a succeeding entry point; expected True"
        assert _status_name(submitted.get_status()) == "FINISHED"

    @clause("project_backend/run/wait-failure")
    def test_run_wait_failure(self, submit):
        """``wait()`` returns False (not an exception, not None) when the entry point exits non-zero;
        ``get_status()`` is then ``'FAILED'``."""
        submitted = submit("fail", {})
        result = submitted.wait()
        assert result is False, f"wait() returned {result!r} for an entry point that exited with 3; expected False"
        assert _status_name(submitted.get_status()) == "FAILED"

    @clause("project_backend/run/parameters-reach-entry-point")
    def test_run_parameters_reach_entry_point(self, submit, tmp_path):
        """Parameters reach the entry point's command as given (quoted: spaces, quotes, unicode and shell
        characters arrive literally) and declared defaults fill the ones not given."""
        out = tmp_path / "args.txt"
        alpha = "a b 'c' ü; echo injected"
        submitted = submit("main", {"alpha": alpha, "out": str(out)})
        assert submitted.wait() is True, "the entry point failed"
        args = out.read_text(encoding="utf-8").split("\n")
        assert args[args.index("--alpha") + 1] == alpha, f"the entry point received {args!r}"
        assert args[args.index("--beta") + 1] == "beta-default", f"the declared default is missing: {args!r}"

    @clause("project_backend/run/parameters-logged", level="full")
    def test_run_parameters_logged(self, submit, project_tracking, tmp_path):
        """The run's parameters are recorded on the MLflow run (as ``mlflow run`` does)."""
        from mlflow.tracking import MlflowClient

        submitted = submit("main", {"alpha": "0.5", "out": str(tmp_path / "args.txt")})
        assert submitted.wait() is True
        params = MlflowClient(project_tracking[0]).get_run(submitted.run_id).data.params
        assert params.get("alpha") == "0.5", f"the run's params are {params!r}"

    @clause("project_backend/run/asynchronous")
    def test_run_asynchronous(self, submit, tmp_path):
        """``run`` returns while the entry point is still running (get_status 'RUNNING' or 'SCHEDULED');
        ``wait()`` then blocks until it ends."""
        gate = tmp_path / "gate"
        submitted = submit("gated", {"gate": str(gate), "out": str(tmp_path)})
        status = _status_name(submitted.get_status())
        assert status in ("RUNNING", "SCHEDULED"), (
            f"get_status() is {status!r} before the entry point could finish: run() must not block")
        gate.write_text("open")
        assert submitted.wait() is True
        assert (tmp_path / "finished").exists(), "wait() returned before the entry point finished"
        assert _status_name(submitted.get_status()) == "FINISHED"

    @clause("project_backend/run/cancel")
    def test_run_cancel(self, submit, tmp_path):
        """``cancel()`` stops a running entry point: it never finishes, ``wait()`` returns False and
        ``get_status()`` is a terminal status other than FINISHED."""
        gate = tmp_path / "gate"
        submitted = submit("gated", {"gate": str(gate), "out": str(tmp_path)})
        submitted.cancel()
        gate.write_text("open")  # a process that survived cancel() would now finish
        assert submitted.wait() is False, "wait() after cancel() must return False"
        assert not (tmp_path / "finished").exists(), "the entry point kept running after cancel()"
        assert _status_name(submitted.get_status()) in ("FAILED", "KILLED")

    @clause("project_backend/run/missing-parameter", level="full")
    def test_run_missing_parameter(self, submit):
        """A required parameter left out is refused with an MlflowException (ExecutionException) before
        anything runs."""
        from mlflow.exceptions import MlflowException

        with pytest.raises(MlflowException):
            submit("main", {"out": "unused"})
