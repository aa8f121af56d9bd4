"""Family ``interface``: ``run`` takes the call ``mlflow.projects.run`` makes."""

from __future__ import annotations

import inspect

import pytest

from ..base import clause


class InterfaceClauses:
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
