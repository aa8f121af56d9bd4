"""The scorer-store contract (``mlflow.scorer_store``, MLflow 3.4).

Subclass :class:`ScorerStoreContract` and provide the ``scorer_store`` fixture (the bundled suite builds it through
MLflow's scorer store registry from the target URI). ``scorer_experiment_id`` names an experiment of the store's
tracking backend; override it when the default (below) does not fit.
"""

from __future__ import annotations

import pytest

from .._support import unique_name
from ..base import ContractBase, required_fixture
from ..shared.import_order import ImportOrderClauses
from .interface import InterfaceClauses
from .scorers import ScorerClauses

__all__ = ["ScorerStoreContract"]

_EXAMPLE = """    @pytest.fixture
    def scorer_store(self, tmp_path):
        return MyScorerStore(tracking_uri=f"my-scheme://{tmp_path}")"""


class ScorerStoreContract(InterfaceClauses, ScorerClauses, ImportOrderClauses, ContractBase):
    """Contract clauses for a scorer store. Provide ``scorer_store``; ``scorer_experiment_id`` names an experiment
    of the store's tracking backend (default: a new one when the store wraps a tracking store, else '0')."""

    kind_key = "scorer_store"
    target_fixture = "scorer_store"

    scorer_store = required_fixture("scorer_store", "ScorerStoreContract", _EXAMPLE)

    @pytest.fixture
    def scorer_experiment_id(self, scorer_store) -> str:
        tracking = getattr(scorer_store, "_tracking_store", None)
        if tracking is not None and hasattr(tracking, "create_experiment"):
            return tracking.create_experiment(unique_name("scorers"))
        return "0"
