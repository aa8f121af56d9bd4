"""The labeling-store contract (``mlflow.labeling_store``, MLflow 3.5).

Subclass :class:`LabelingStoreContract` and provide the ``labeling_store`` fixture (the bundled suite builds it
through MLflow's labeling store registry from the target URI). Label schemas are created under unique names.
"""

from __future__ import annotations

from ..base import ContractBase, required_fixture
from ..shared.import_order import ImportOrderClauses
from .interface import InterfaceClauses
from .label_schemas import LabelSchemaClauses

__all__ = ["LabelingStoreContract"]

_EXAMPLE = """    @pytest.fixture
    def labeling_store(self, tmp_path):
        return MyLabelingStore(tracking_uri=f"my-scheme://{tmp_path}")"""


class LabelingStoreContract(InterfaceClauses, LabelSchemaClauses, ImportOrderClauses, ContractBase):
    """Contract clauses for a labeling store. Provide the ``labeling_store`` fixture."""

    kind_key = "labeling_store"
    target_fixture = "labeling_store"

    labeling_store = required_fixture("labeling_store", "LabelingStoreContract", _EXAMPLE)
