"""The dataset-source contract (``mlflow.dataset_source``).

Subclass :class:`DatasetSourceContract` and provide ``dataset_source``: the ``DatasetSource`` subclass itself, what
the entry point names.

The contract needs raw sources the plugin resolves. By default it writes a small CSV file and offers
``<source_type>://<path>``, ``<source_type>:<path>``, the path string and the ``Path``, and uses the first form
``_can_resolve`` accepts; override ``dataset_raw_source`` with ``(folder, file_name) -> raw source`` otherwise.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ..base import ContractBase, required_fixture
from ..shared.datasets import write_csv
from ..shared.import_order import ImportOrderClauses
from .interface import InterfaceClauses
from .json import JsonClauses
from .resolve import ResolveClauses
from .type import TypeClauses

__all__ = ["DatasetSourceContract"]

_EXAMPLE = """    @pytest.fixture
    def dataset_source(self):
        return MyDatasetSource"""


class DatasetSourceContract(InterfaceClauses, TypeClauses, ResolveClauses, JsonClauses,
                            ImportOrderClauses, ContractBase):
    """Contract clauses for a dataset source class. Provide the ``dataset_source`` fixture (the class)."""

    kind_key = "dataset_source"
    target_fixture = "dataset_source"

    dataset_source = required_fixture("dataset_source", "DatasetSourceContract", _EXAMPLE)

    @pytest.fixture
    def dataset_source_folder(self, tmp_path) -> Path:
        return tmp_path

    @pytest.fixture
    def dataset_raw_source(self, request):
        """``(folder, file_name) -> raw source`` the source resolves (see the module docstring)."""
        source_cls = request.getfixturevalue(self.target_fixture)
        source_type = source_cls._get_source_type()
        forms = [lambda p: f"{source_type}://{p.as_posix()}", lambda p: f"{source_type}:{p.as_posix()}",
                 lambda p: p.as_posix(), lambda p: p]
        probe = write_csv(request.getfixturevalue("dataset_source_folder") / "probe" / "data.csv")
        for form in forms:
            if source_cls._can_resolve(form(probe)):
                return lambda folder, name: form(write_csv(folder / name))
        pytest.fail(f"{source_cls.__name__}._can_resolve accepts none of {[str(f(probe)) for f in forms]}: "
                    "override the `dataset_raw_source` fixture returning "
                    "`lambda folder, file_name: <a raw source your source resolves>`", pytrace=False)
