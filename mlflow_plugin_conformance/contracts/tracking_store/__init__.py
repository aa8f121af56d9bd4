"""The tracking-store contract (``mlflow.tracking_store``).

Subclass :class:`TrackingStoreContract` and provide a ``tracking_store`` fixture returning the store under test.
Each clause names the behaviour of ``mlflow.store.tracking.abstract_store.AbstractStore`` (and of MLflow's
reference ``SqlAlchemyStore``) that MLflow's client relies on. The clauses are grouped by family, one module
each; the contract class combines them.

End-to-end clauses drive MLflow's public API (``mlflow.start_run()``...) and need the store's tracking URI:
the ``tracking_uri`` fixture returns the URI the store exposes (``store_uri``/``plugin_uri``), or None; the
bundled suite binds it to the URI the target was built from; a subclass may override it.
"""

from __future__ import annotations

import pytest

from ..base import ContractBase, required_fixture
from ..server_route import TrackingServerClauses
from ..shared.import_order import ImportOrderClauses
from .assessments import AssessmentClauses
from .batch import BatchClauses
from .completeness import CompletenessClauses
from .concurrency import ConcurrencyClauses
from .end_to_end import EndToEndClauses
from .evaluation_datasets import EvaluationDatasetClauses
from .experiments import ExperimentClauses
from .gateway import GatewayClauses
from .inputs import InputClauses
from .issues import IssueClauses
from .label_schemas import LabelSchemaClauses
from .logged_models import LoggedModelClauses
from .mcp_servers import MCPServerClauses
from .metrics import MetricClauses
from .params_tags import ParamClauses, TagClauses
from .properties import PropertyClauses
from .review_queues import ReviewQueueClauses
from .runs import RunClauses
from .scorers import ScorerClauses
from .search import SearchRunClauses
from .stateful import DifferentialClauses, TrackingStoreDifferentialMachine
from .trace_stateful import TraceDifferentialClauses, TraceDifferentialMachine
from .traces import TraceClauses
from .validation import ValidationClauses

_EXAMPLE = """    @pytest.fixture
    def tracking_store(self, tmp_path):
        return MyStore(f"my-scheme://{tmp_path}")"""

__all__ = ["TrackingStoreContract", "TrackingStoreDifferentialMachine", "TraceDifferentialMachine"]


class TrackingStoreContract(
    CompletenessClauses,
    ExperimentClauses,
    RunClauses,
    MetricClauses,
    ParamClauses,
    TagClauses,
    BatchClauses,
    ValidationClauses,
    SearchRunClauses,
    InputClauses,
    TraceClauses,
    AssessmentClauses,
    LoggedModelClauses,
    EvaluationDatasetClauses,
    ScorerClauses,
    LabelSchemaClauses,
    IssueClauses,
    ReviewQueueClauses,
    GatewayClauses,
    MCPServerClauses,
    PropertyClauses,
    DifferentialClauses,
    TraceDifferentialClauses,
    ConcurrencyClauses,
    EndToEndClauses,
    ImportOrderClauses,
    TrackingServerClauses,
    ContractBase,
):
    """Contract clauses for a tracking store. Provide the ``tracking_store`` fixture (and optionally
    ``tracking_uri``, for the end-to-end clauses, when the store does not expose its URI)."""

    kind_key = "tracking_store"
    target_fixture = "tracking_store"
    #: The bundled suite binds this fixture to the URI the target was built from (see suite/_binding.py).
    uri_fixture = "tracking_uri"

    tracking_store = required_fixture("tracking_store", "TrackingStoreContract", _EXAMPLE)

    @pytest.fixture
    def tracking_uri(self, tracking_store):
        """The URI MLflow's client should use to reach ``tracking_store``, or None when unknown.

        Default: the store's ``plugin_uri`` or ``store_uri`` attribute when it has one. Override to give it."""
        for attribute in ("plugin_uri", "store_uri", "tracking_uri"):
            value = getattr(tracking_store, attribute, None)
            if isinstance(value, str) and value:
                return value
        return None
