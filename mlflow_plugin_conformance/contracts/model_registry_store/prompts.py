"""The prompt registry (feature ``model_registry_store.prompts``): MLflow's registry base class builds it from
registered models, versions, tags and aliases."""

from __future__ import annotations

import pytest

from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ..shared.pagination import all_pages
from ._helpers import ALIAS_NOT_FOUND_CODES, not_none


class PromptClauses:
    """Clauses of the ``model_registry_store/prompts/*`` family."""

    # MLflow 3.1: the prompt methods (create_prompt, create_prompt_version, ...) on the registry AbstractStore.
    @clause("model_registry_store/prompts/lifecycle", level="full", feature="model_registry_store.prompts",
            since="3.1")
    def test_prompts_lifecycle(self, model_registry_store):
        """Prompts: create_prompt, create_prompt_version (numbered from 1), get_prompt_version, aliases and
        search_prompts work, and prompts never appear in search_registered_models."""
        from mlflow.exceptions import MlflowException
        from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE

        store = model_registry_store
        name = unique_name("prompt")
        prompt = not_none(store.create_prompt(name, description="a prompt", tags={"team": "x"}), "create_prompt")
        assert prompt.name == name
        v1 = not_none(store.create_prompt_version(name, "Hello {{name}}"), "create_prompt_version")
        v2 = store.create_prompt_version(name, "Hi {{name}}!")
        assert (str(v1.version), str(v2.version)) == ("1", "2")
        got = not_none(store.get_prompt_version(name, "1"), "get_prompt_version")
        assert got.template == "Hello {{name}}"
        store.set_prompt_alias(name, "production", "2")
        assert store.get_prompt_version_by_alias(name, "production").template == "Hi {{name}}!"
        prompts, _ = all_pages(store.search_prompts, 50, filter_string=f"name = '{name}'")
        found = [p.name for p in prompts]
        assert found == [name], f"search_prompts did not find the prompt: {found}"
        models = [m.name for m in store.search_registered_models(f"name = '{name}'")]
        assert models == [], "a prompt appeared in search_registered_models"
        store.delete_prompt_alias(name, "production")
        with raises_mlflow_error(*ALIAS_NOT_FOUND_CODES, doing="resolving a deleted prompt alias"):
            gone = store.get_prompt_version_by_alias(name, "production")
            if gone is None:  # the AbstractStore's documented "not found" answer
                raise MlflowException("alias not found", INVALID_PARAMETER_VALUE)
            pytest.fail(f"a deleted prompt alias still resolves to version {gone.version}", pytrace=False)
