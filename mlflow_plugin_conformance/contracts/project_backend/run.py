"""Family ``run``: running a project through the backend, as ``mlflow.projects.run`` does, and the
``SubmittedRun`` it returns."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from .._support import unique_name
from ..base import clause
from ..shared.local_mlflow import fresh_tracking_uri
from ..shared.mlflow_uris import mlflow_pointed_at
from ._helpers import GATE_VALVE_SECONDS, mlflow_backend_config, status_name, write_project


class RunClauses:
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
                valve = threading.Timer(GATE_VALVE_SECONDS, lambda: Path(params["gate"]).write_text("valve"))
                valve.daemon = True
                valve.start()
                valves.append(valve)
            submitted = project_backend.run(str(project_dir), entry_point, params, None, mlflow_backend_config(),
                                            uri, experiment_id)
            started.append(submitted)
            return submitted

        with mlflow_pointed_at(tracking_uri=uri):
            yield run
            for valve in valves:
                valve.cancel()
            for submitted in started:
                try:
                    if status_name(submitted.get_status()) in ("RUNNING", "SCHEDULED"):
                        submitted.cancel()
                except BaseException:
                    pass

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
        assert status_name(submitted.get_status()) == "FINISHED"

    @clause("project_backend/run/wait-failure")
    def test_run_wait_failure(self, submit):
        """``wait()`` returns False (not an exception, not None) when the entry point exits non-zero;
        ``get_status()`` is then ``'FAILED'``."""
        submitted = submit("fail", {})
        result = submitted.wait()
        assert result is False, f"wait() returned {result!r} for an entry point that exited with 3; expected False"
        assert status_name(submitted.get_status()) == "FAILED"

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
        status = status_name(submitted.get_status())
        assert status in ("RUNNING", "SCHEDULED"), (
            f"get_status() is {status!r} before the entry point could finish: run() must not block")
        gate.write_text("open")
        assert submitted.wait() is True
        assert (tmp_path / "finished").exists(), "wait() returned before the entry point finished"
        assert status_name(submitted.get_status()) == "FINISHED"

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
        assert status_name(submitted.get_status()) in ("FAILED", "KILLED")

    @clause("project_backend/run/missing-parameter", level="full")
    def test_run_missing_parameter(self, submit):
        """A required parameter left out is refused with an MlflowException (ExecutionException) before
        anything runs."""
        from mlflow.exceptions import MlflowException

        with pytest.raises(MlflowException):
            submit("main", {"out": "unused"})
