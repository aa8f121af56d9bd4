"""``deployments/module/*``: the functions of the target module MLflow's command line calls."""

from __future__ import annotations

from ..base import clause


class ModuleClauses:
    @clause("deployments/module/target-help")
    def test_module_target_help(self, deployment_target_module):
        """``target_help()`` takes no argument and returns a non-empty string (``mlflow deployments help``)."""
        text = deployment_target_module.target_help()
        assert isinstance(text, str) and text.strip(), f"target_help() returned {text!r}"
