"""Broken project backends, one realistic bug each, all built on MLflow's LocalBackend."""

from __future__ import annotations

import subprocess

from mlflow.entities import RunStatus
from mlflow.projects.backend.abstract_backend import AbstractBackend
from mlflow.projects.backend.local import LocalBackend
from mlflow.projects.submitted_run import LocalSubmittedRun, SubmittedRun
from _mutant import Mutant

KIND = "project_backend"


class _Wrapped(SubmittedRun):
    def __init__(self, inner):
        self.inner = inner

    @property
    def run_id(self):
        return self.inner.run_id

    def wait(self):
        return self.inner.wait()

    def get_status(self):
        return self.inner.get_status()

    def cancel(self):
        return self.inner.cancel()


class BrokenReturnsNothing(AbstractBackend):
    """Starts the run but forgets to return the SubmittedRun (run() returns None)."""

    def run(self, project_uri, entry_point, params, version, backend_config, tracking_uri, experiment_id):
        LocalBackend().run(project_uri, entry_point, params, version, backend_config, tracking_uri, experiment_id)


class BrokenWaitReturnsExitCode(LocalBackend):
    """wait() returns the process exit code (0 on success) instead of a bool."""

    def run(self, *args):
        class ExitCode(_Wrapped):
            def wait(self):
                return self.inner.command_proc.wait()

        return ExitCode(super().run(*args))


class BrokenStatusAsEnumValue(LocalBackend):
    """get_status() returns RunStatus's integer instead of its name."""

    def run(self, *args):
        class IntStatus(_Wrapped):
            def get_status(self):
                return RunStatus.from_string(self.inner.get_status())

        return IntStatus(super().run(*args))


class BrokenCancelIsNoop(LocalBackend):
    """cancel() only logs: the entry point keeps running."""

    def run(self, *args):
        class NoCancel(_Wrapped):
            def cancel(self):
                pass

        return NoCancel(super().run(*args))


class BrokenBlocksUntilDone(LocalBackend):
    """run() waits for the entry point before returning (MLflow expects it to return at once)."""

    def run(self, *args):
        submitted = super().run(*args)
        submitted.wait()
        return submitted


class BrokenDefaultExperiment(LocalBackend):
    """Ignores the experiment id it is given: every run lands in the default experiment '0'."""

    def run(self, project_uri, entry_point, params, version, backend_config, tracking_uri, experiment_id):
        return super().run(project_uri, entry_point, params, version, backend_config, tracking_uri, "0")


class BrokenUnquotedCommand(AbstractBackend):
    """Builds the entry point's shell command itself with str.format: parameters are not shell-quoted."""

    def run(self, project_uri, entry_point, params, version, backend_config, tracking_uri, experiment_id):
        import os

        from mlflow.projects.utils import get_or_create_run, load_project
        from mlflow.tracking._tracking_service.utils import _use_tracking_uri

        project = load_project(project_uri)
        point = project.get_entry_point(entry_point)
        values = {name: p.default for name, p in point.parameters.items()}
        values.update(params)
        command = point.command.format(**values)
        with _use_tracking_uri(tracking_uri):
            run = get_or_create_run(None, project_uri, experiment_id, project_uri, version, entry_point, params)
        env = dict(os.environ, MLFLOW_RUN_ID=run.info.run_id, MLFLOW_TRACKING_URI=tracking_uri)
        process = subprocess.Popen(["bash", "-c", command], cwd=project_uri, env=env)
        return LocalSubmittedRun(run.info.run_id, process)


class BrokenIgnoresRequiredParameters(BrokenUnquotedCommand):
    """Same hand-made command, and a missing required parameter becomes the text 'None' instead of an error."""

    def run(self, project_uri, entry_point, params, version, backend_config, tracking_uri, experiment_id):
        from mlflow.projects.utils import load_project

        point = load_project(project_uri).get_entry_point(entry_point)
        filled = {name: params.get(name, p.default) for name, p in point.parameters.items()}
        filled = {k: (v if v is not None else "None") for k, v in filled.items()}
        import shlex

        return super().run(project_uri, entry_point, {k: shlex.quote(str(v)) for k, v in filled.items()},
                           version, backend_config, tracking_uri, experiment_id)



class BrokenKeywordOnlyExperiment(LocalBackend):
    """Declares experiment_id keyword-only: mlflow.projects passes all seven arguments by position."""

    def run(self, project_uri, entry_point, params, version, backend_config, tracking_uri, *, experiment_id):
        return super().run(project_uri, entry_point, params, version, backend_config, tracking_uri, experiment_id)

MUTANTS = [
    Mutant(KIND, "BrokenReturnsNothing", "project_backend/run/submitted-run", BrokenReturnsNothing),
    Mutant(KIND, "BrokenWaitReturnsExitCode", "project_backend/run/wait-success", BrokenWaitReturnsExitCode),
    Mutant(KIND, "BrokenStatusAsEnumValue", "project_backend/run/wait-failure", BrokenStatusAsEnumValue),
    Mutant(KIND, "BrokenCancelIsNoop", "project_backend/run/cancel", BrokenCancelIsNoop),
    Mutant(KIND, "BrokenBlocksUntilDone", "project_backend/run/asynchronous", BrokenBlocksUntilDone),
    Mutant(KIND, "BrokenDefaultExperiment", "project_backend/run/submitted-run", BrokenDefaultExperiment),
    Mutant(KIND, "BrokenUnquotedCommand", "project_backend/run/parameters-reach-entry-point", BrokenUnquotedCommand),
    Mutant(KIND, "BrokenIgnoresRequiredParameters", "project_backend/run/missing-parameter",
           BrokenIgnoresRequiredParameters),
    Mutant(KIND, "BrokenKeywordOnlyExperiment", "project_backend/interface/run-signature", BrokenKeywordOnlyExperiment),
]
