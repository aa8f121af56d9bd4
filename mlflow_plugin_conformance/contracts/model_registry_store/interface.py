"""Interface: MLflow's registry base class does not enforce its abstract methods, so the suite does."""

from __future__ import annotations

from ..base import clause
from ..shared.interface import unimplemented_abstracts


class InterfaceClauses:
    """Clauses of the ``model_registry_store/interface/*`` family."""

    @clause("model_registry_store/interface/core-methods", routes=("in-process",))
    def test_interface_core_methods(self, model_registry_store):
        """The store implements every abstract method of MLflow's registry AbstractStore (21 in MLflow 3).

        MLflow does not enforce them (Python 2 ``__metaclass__``), so a forgotten method is inherited from the
        base and silently returns None: ``get_registered_model`` would answer None, ``search_model_versions``
        None instead of a list, and MLflow's client fails far from the cause.
        """
        from mlflow.store.model_registry.abstract_store import AbstractStore

        cls = type(model_registry_store)
        missing = unimplemented_abstracts(cls, AbstractStore)
        assert not missing, (
            f"{cls.__name__} does not implement {', '.join(missing)}: these are inherited from MLflow's registry "
            "AbstractStore, whose 'abstract' methods are not enforced and silently return None"
        )
