"""Import-order robustness and constructor failures, with real installed (on ``PYTHONPATH``) broken plugins.

* A provider module that subclasses MLflow's base class at its top level works when mlflow is imported first,
  and is silently dropped when the plugin module is imported first (the circular import of MLflow issues 18509
  and 4697): the plugin-first clause must catch it and the mlflow-first clause must not.
* A provider whose constructor raises breaks ``import mlflow`` itself; the suite must report it as the target's
  failed build clause, naming the constructor, and still finish the run (no INTERNALERROR).
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from mlflow_plugin_conformance.contracts.shared import import_order


def install_fake_distribution(root: Path, dist: str, module: str, source: str, entry_points: str) -> Path:
    """A distribution importlib.metadata finds on ``root`` (put ``root`` on PYTHONPATH): module + dist-info."""
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{module}.py").write_text(textwrap.dedent(source))
    info = root / f"{dist.replace('-', '_')}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(textwrap.dedent(entry_points))
    return root


CIRCULAR_SOURCE = """
    from mlflow.tracking.context.abstract_context import RunContextProvider


    class TopLevelSubclass(RunContextProvider):
        def in_context(self):
            return True

        def tags(self):
            return {"team": "a"}
"""


def test_circular_import_caught_only_plugin_first(tmp_path, monkeypatch):
    """The plugin-first clause fails with MLflow's warning and the fix; mlflow-first passes for the same plugin."""
    root = install_fake_distribution(
        tmp_path / "site", "circular-plugin", "circular_plugin", CIRCULAR_SOURCE,
        "[mlflow.run_context_provider]\nunused = circular_plugin:TopLevelSubclass\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])))
    ref = import_order.EntryRef("mlflow.run_context_provider", "unused", "circular_plugin:TopLevelSubclass",
                                "circular-plugin")
    with pytest.raises(pytest.fail.Exception) as failed:
        import_order.check_import_order("plugin-first", [ref])
    message = str(failed.value)
    assert "none of them an instance of it" in message and "partially initialized module" in message, message
    assert "circular import" in message, message
    import_order.check_import_order("mlflow-first", [ref])


CTOR_SOURCE = """
    import os


    class NeedsToken:
        def __init__(self):
            self.token = os.environ["MY_PLUGIN_TOKEN_THAT_IS_NOT_SET"]

        def in_context(self):
            return True

        def tags(self):
            return {"team": "a"}
"""


def test_constructor_raising_is_reported_not_a_crash(pytester, tmp_path, monkeypatch):
    """``pytest --mlflow-plugin=DIST`` on a provider whose constructor raises KeyError: the build clause fails with
    an explanation naming the constructor, the run completes, and there is no INTERNALERROR."""
    root = install_fake_distribution(
        tmp_path / "site", "ctor-plugin", "ctor_plugin", CTOR_SOURCE,
        "[mlflow.run_context_provider]\nunused = ctor_plugin:NeedsToken\n")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])))
    result = pytester.runpytest_subprocess("--mlflow-plugin=ctor-plugin", "-p", "no:cacheprovider", "-rf",
                                           "--mlflow-conformance-clause=run_context_provider/build/instance")
    output = result.stdout.str() + result.stderr.str()
    assert "INTERNALERROR" not in output, output[-3000:]
    counts = result.parseoutcomes()
    assert counts.get("failed", 0) + counts.get("errors", 0) == 1 and not counts.get("passed"), counts
    assert result.ret == 1
    assert "constructing NeedsToken raises KeyError during `import mlflow`" in output, output[-3000:]
