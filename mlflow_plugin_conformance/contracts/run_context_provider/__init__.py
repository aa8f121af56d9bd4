"""Contract of ``mlflow.run_context_provider``: tags MLflow adds to every new run while the provider is in context.

Subclass :class:`RunContextProviderContract` and provide the ``run_context_provider`` fixture (an instance)::

    class TestMyTags(RunContextProviderContract):
        @pytest.fixture
        def run_context_provider(self):
            return MyRunContextProvider()

Most providers act only in some context (a CI job, a notebook, an environment variable). Clauses that need the
provider in context enter ``provider_context()`` first: override the ``provider_context`` fixture in the class,
or define a ``mlflow_provider_context`` fixture in ``conftest.py`` (it also reaches the bundled suite), returning
a zero-argument callable that gives a context manager which puts the provider in context. Without one, the
environment is used as it is, and those clauses report *not-run* when the provider is not in context.
"""

from __future__ import annotations

from typing import ClassVar

from ..base import required_fixture
from ..shared.providers import ContextualProviderContract
from .end_to_end import EndToEndClauses
from .tags import TagsClauses

__all__ = ["RunContextProviderContract"]

_EXAMPLE = """    @pytest.fixture
    def run_context_provider(self):
        return MyRunContextProvider()"""


class RunContextProviderContract(TagsClauses, EndToEndClauses, ContextualProviderContract):
    """Contract of ``mlflow.run_context_provider``: tags MLflow adds to every new run while in context."""

    kind_key = "run_context_provider"
    target_fixture = "run_context_provider"
    group = "mlflow.run_context_provider"
    #: ``mlflow.*`` tags the provider documents that it sets (they override MLflow's own).
    documented_reserved_tags: ClassVar[frozenset[str]] = frozenset()

    run_context_provider = required_fixture("run_context_provider", "RunContextProviderContract", _EXAMPLE)

    def act(self, provider):
        return provider.tags()
