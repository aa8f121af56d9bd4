"""Contract of ``mlflow.default_experiment_provider``: the experiment of runs started without one, while the
provider is in context.

Subclass :class:`DefaultExperimentProviderContract` and provide the ``default_experiment_provider`` fixture (an
instance)::

    class TestMyExperiments(DefaultExperimentProviderContract):
        @pytest.fixture
        def default_experiment_provider(self):
            return MyDefaultExperimentProvider()

The provider answers for the tracking server MLflow is connected to: every clause points MLflow at a real
``mlflow server`` on 127.0.0.1. Clauses that need the provider in context enter ``provider_context()`` first
(override the fixture, or define ``mlflow_provider_context`` in ``conftest.py``).
"""

from __future__ import annotations

from typing import ClassVar

import pytest

from ..base import required_fixture
from ..shared.mlflow_uris import mlflow_pointed_at
from ..shared.providers import ContextualProviderContract
from .end_to_end import EndToEndClauses
from .experiment_id import ExperimentIdClauses

__all__ = ["DefaultExperimentProviderContract"]

_EXAMPLE = """    @pytest.fixture
    def default_experiment_provider(self):
        return MyDefaultExperimentProvider()"""


class DefaultExperimentProviderContract(ExperimentIdClauses, EndToEndClauses, ContextualProviderContract):
    """Contract of ``mlflow.default_experiment_provider``: the experiment of runs started without one."""

    kind_key = "default_experiment_provider"
    target_fixture = "default_experiment_provider"
    group = "mlflow.default_experiment_provider"
    time_budget: ClassVar[float] = 2.0  # once per run started without an experiment; may ask the server

    default_experiment_provider = required_fixture("default_experiment_provider",
                                                   "DefaultExperimentProviderContract", _EXAMPLE)

    @pytest.fixture(autouse=True)
    def _tracking_server(self, request):
        """The provider answers for the tracking server MLflow uses: here a real one, through the proxy."""
        if request.node.get_closest_marker("mlflow_clause") is None:
            yield
            return
        proxy = request.getfixturevalue("recording_proxy")
        with mlflow_pointed_at(tracking_uri=proxy.url):
            yield

    def act(self, provider):
        return provider.get_experiment_id()
