"""The dataset-constructor contract (``mlflow.dataset_constructor``).

Subclass :class:`DatasetConstructorContract` and provide ``dataset_constructor``: the function the entry point
names. The contract calls it with the parameters it recognises (a CSV ``path`` / ``uri`` / ``source``, or a pandas
``df`` / ``data``); override ``dataset_constructor_kwargs`` for other inputs. Datasets are logged to a private
SQLite tracking store.
"""

from __future__ import annotations

import inspect

import pytest

from ..base import ContractBase, required_fixture
from ..shared.datasets import write_csv
from ..shared.import_order import ImportOrderClauses
from ..shared.local_mlflow import fresh_tracking_uri
from ._helpers import FRAME_NAMES, PATH_NAMES
from .dataset import DatasetClauses
from .interface import InterfaceClauses
from .log import LogClauses
from .naming import NamingClauses

__all__ = ["DatasetConstructorContract"]

_EXAMPLE = """    @pytest.fixture
    def dataset_constructor(self):
        return from_my_source"""


class DatasetConstructorContract(NamingClauses, InterfaceClauses, DatasetClauses, LogClauses,
                                 ImportOrderClauses, ContractBase):
    """Contract clauses for a dataset constructor function. Provide the ``dataset_constructor`` fixture."""

    kind_key = "dataset_constructor"
    target_fixture = "dataset_constructor"

    dataset_constructor = required_fixture("dataset_constructor", "DatasetConstructorContract", _EXAMPLE)

    @pytest.fixture
    def dataset_constructor_kwargs(self, dataset_constructor, tmp_path):
        """``variant -> kwargs`` for the constructor (not name/digest); different variants hold different data."""
        import pandas as pd

        params = inspect.signature(dataset_constructor).parameters
        required = [p for p in params.values() if p.default is inspect.Parameter.empty
                    and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.name not in ("name", "digest")]
        unknown = [p.name for p in required if p.name not in PATH_NAMES + FRAME_NAMES]
        if unknown:
            pytest.fail(f"the contract cannot fill the constructor's required parameters {unknown}: override the "
                        "`dataset_constructor_kwargs` fixture returning `lambda variant: {...}`", pytrace=False)

        def kwargs(variant=0):
            path = write_csv(tmp_path / f"variant-{variant}" / "data.csv", variant)
            return {p.name: (str(path) if p.name in PATH_NAMES else pd.read_csv(path)) for p in required}

        return kwargs

    @pytest.fixture(scope="class")
    @classmethod
    def dataset_tracking_uri(cls, tmp_path_factory) -> str:
        return fresh_tracking_uri(tmp_path_factory.mktemp("dataset-tracking"))
