"""The import-order clauses catch the circular-import bug MLflow swallows (MLflow issues 18509, 4697): a plugin
module that imports MLflow at its top level and registers a dataset source. Imported first, it starts
``import mlflow`` while half-defined; MLflow loads the entry point from the partial module, gets AttributeError,
warns, and the source is silently missing. Imported after mlflow, it works."""

from __future__ import annotations

import os
import textwrap

PLUGIN = '''
from mlflow.data.dataset_source import DatasetSource


class CircularSource(DatasetSource):
    def __init__(self, path):
        self._path = path

    @staticmethod
    def _get_source_type():
        return "circular-conformance"

    def load(self, dst_path=None):
        return self._path

    @staticmethod
    def _can_resolve(raw_source):
        return isinstance(raw_source, str) and raw_source.startswith("circular-conformance:")

    @classmethod
    def _resolve(cls, raw_source):
        return cls(raw_source.split(":", 1)[1])

    def to_dict(self):
        return {"path": self._path}

    @classmethod
    def from_dict(cls, source_dict):
        return cls(source_dict["path"])
'''

TEST_MODULE = '''
import pytest
import circular_conformance_plugin
from mlflow_plugin_conformance.contracts.dataset_source import DatasetSourceContract


class TestCircular(DatasetSourceContract):
    @pytest.fixture
    def dataset_source(self):
        return circular_conformance_plugin.CircularSource
'''


def test_plugin_first_import_is_caught(pytester, monkeypatch):
    site = pytester.mkdir("site")
    (site / "circular_conformance_plugin.py").write_text(PLUGIN)
    info = site / "circular_conformance_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: circular-conformance-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(textwrap.dedent("""\
        [mlflow.dataset_source]
        circular = circular_conformance_plugin:CircularSource
        """))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")])))
    pytester.makepyfile(test_circular=TEST_MODULE)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "ignore", "-rA", "-q",
                                           "-k", "test_import_order")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*MLflow dropped the plugin*", "*partially initialized module*"])
    result.stdout.fnmatch_lines(["PASSED *test_import_order_mlflow_first*"])
    result.stdout.fnmatch_lines(["FAILED *test_import_order_plugin_first*"])
