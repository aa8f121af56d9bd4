"""The model-registry-store contract (``mlflow.model_registry_store``).

Subclass :class:`ModelRegistryStoreContract` and provide a ``model_registry_store`` fixture returning the store
under test::

    class TestMyRegistry(ModelRegistryStoreContract):
        @pytest.fixture
        def model_registry_store(self, tmp_path):
            return MyRegistryStore(f"my-scheme://{tmp_path}")

        @pytest.fixture
        def registry_uri(self, tmp_path):    # for the end-to-end clauses
            return f"my-scheme://{tmp_path}"

The end-to-end clauses go through MLflow's public API (``mlflow.register_model``, ``MlflowClient``), which builds
its own store from the ``registry_uri`` fixture: the URI from which MLflow's registry builds your store.

Each clause names a behaviour of ``mlflow.store.model_registry.abstract_store.AbstractStore`` (and of MLflow's
reference registry ``SqlAlchemyStore``) that MLflow's client, REST server and ``models:/`` URIs rely on. The
clauses are grouped by family, one module each; the contract class combines them.
"""

from __future__ import annotations

import pytest

from ..base import ContractBase, required_fixture
from ..server_route import ModelRegistryServerClauses
from .aliases import AliasClauses
from .concurrency import ConcurrencyClauses
from .copy_model_version import CopyModelVersionClauses
from .end_to_end import EndToEndClauses
from .interface import InterfaceClauses
from .model_versions import ModelVersionClauses
from .prompts import PromptClauses
from .properties import PropertyClauses
from .registered_models import RegisteredModelClauses
from .search_model_versions import SearchModelVersionClauses
from .search_registered_models import SearchRegisteredModelClauses
from .stateful import DifferentialClauses, ModelRegistryStoreDifferentialMachine
from .webhooks import WebhookClauses

__all__ = ["ModelRegistryStoreContract", "ModelRegistryStoreDifferentialMachine"]

_EXAMPLE = """    @pytest.fixture
    def model_registry_store(self, tmp_path):
        return MyRegistryStore(f"my-scheme://{tmp_path}")"""

_REGISTRY_URI_EXAMPLE = """    @pytest.fixture
    def registry_uri(self, tmp_path):
        return f"my-scheme://{tmp_path}"   # the URI MLflow's registry builds your store from"""


class ModelRegistryStoreContract(
    InterfaceClauses,
    RegisteredModelClauses,
    ModelVersionClauses,
    AliasClauses,
    SearchRegisteredModelClauses,
    SearchModelVersionClauses,
    CopyModelVersionClauses,
    PromptClauses,
    WebhookClauses,
    PropertyClauses,
    DifferentialClauses,
    ConcurrencyClauses,
    EndToEndClauses,
    ModelRegistryServerClauses,
    ContractBase,
):
    """Contract clauses for a model registry store. Provide the ``model_registry_store`` fixture (and
    ``registry_uri`` for the end-to-end clauses)."""

    kind_key = "model_registry_store"
    target_fixture = "model_registry_store"

    model_registry_store = required_fixture("model_registry_store", "ModelRegistryStoreContract", _EXAMPLE)

    #: The bundled suite binds this fixture to the URI the target was built from (suite/_binding.py).
    uri_fixture = "registry_uri"

    #: Pin a Hypothesis profile ("quick", "ci", "thorough") for this class's properties; None follows the run's.
    hypothesis_profile: str | None = None

    @pytest.fixture
    def registry_uri(self, request):
        """The URI MLflow's registry builds the store under test from (the end-to-end clauses use it).

        The bundled suite binds it to the built target's URI; a subclass of the contract provides it.
        """
        pytest.fail(
            f"{type(self).__name__} subclasses ModelRegistryStoreContract but does not provide the "
            f"`registry_uri` fixture the end-to-end clauses need (mlflow.register_model and MlflowClient build "
            f"your store from it through MLflow's registry). Add to the class:\n\n{_REGISTRY_URI_EXAMPLE}\n\n"
            "or declare 'model_registry_store/end-to-end/*' unsupported.",
            pytrace=False,
        )

    @pytest.fixture
    def _registry_client_tracking_db(self, tmp_path_factory):
        """One SQLite tracking database per session (per xdist worker): MLflow's client migrates it on first use,
        which takes seconds."""
        return f"sqlite:///{(tmp_path_factory.getbasetemp() / 'registry-client-tracking.db').as_posix()}"

    @pytest.fixture
    def registry_tracking_uri(self, mlflow_target_context, _registry_client_tracking_db):
        """The tracking URI MLflow's client is given next to the registry URI: the one the registry store was
        built with when the suite built it, else a SQLite database."""
        return mlflow_target_context.get("tracking_uri") or _registry_client_tracking_db
