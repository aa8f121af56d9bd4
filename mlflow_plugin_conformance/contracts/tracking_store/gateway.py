"""The AI gateway's administration (level full, features ``tracking_store.gateway`` and
``tracking_store.gateway_budgets``).

From MLflow 3.8 the tracking store keeps the gateway's configuration: provider secrets (stored encrypted, read
back masked), model definitions using them, endpoints routing to model definitions, bindings of endpoints to
resources, guardrails (3.12) and budget policies (3.11). A store without a gateway answers NotImplementedError
(reported unsupported). Gateway objects are global, not per experiment: every clause uses unique names. Each clause
checks one behaviour as MLflow's ``SqlAlchemyStore`` implements it.
"""

from __future__ import annotations

import json
import uuid

from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ._genai import GATEWAY, GATEWAY_BUDGETS
from ._helpers import new_experiment


def _secret(store, value="sk-conformance-123"):
    return store.create_gateway_secret(unique_name("secret"), {"api_key": value}, provider="openai")


def _model_definition(store, secret_id=None, model_name="gpt-4o-mini"):
    secret_id = secret_id or _secret(store).secret_id
    return store.create_gateway_model_definition(unique_name("model"), secret_id, "openai", model_name)


def _endpoint(store, model_definition_id=None):
    from mlflow.entities.gateway_endpoint import GatewayEndpointModelConfig, GatewayModelLinkageType

    model_definition_id = model_definition_id or _model_definition(store).model_definition_id
    config = GatewayEndpointModelConfig(model_definition_id=model_definition_id,
                                        linkage_type=GatewayModelLinkageType.PRIMARY)
    return store.create_gateway_endpoint(unique_name("endpoint"), [config])


def _mapped_definitions(endpoint) -> set:
    return {m.model_definition_id for m in endpoint.model_mappings}


class GatewayClauses:
    """Clauses of the ``tracking_store/gateway/*`` and ``tracking_store/gateway-budgets/*`` families."""

    # -- secrets -----------------------------------------------------------------------------------------------

    @clause("tracking_store/gateway/secret-masked", level="full", feature=GATEWAY, since="3.8")
    def test_gateway_secret_masked(self, tracking_store):
        """create_gateway_secret stores a secret whose value is never read back: get_secret_info returns its name
        and provider with the value masked."""
        secret = _secret(tracking_store, value="sk-very-secret-value")
        info = tracking_store.get_secret_info(secret_id=secret.secret_id)
        assert (info.secret_name, info.provider) == (secret.secret_name, "openai"), f"secret info {info!r}"
        assert "sk-very-secret-value" not in repr(info) and "sk-very-secret-value" not in json.dumps(
            info.masked_values), f"the secret's value is readable through get_secret_info: {info.masked_values}"

    @clause("tracking_store/gateway/secret-by-name-and-list", level="full", feature=GATEWAY, since="3.8")
    def test_gateway_secret_by_name_and_list(self, tracking_store):
        """A secret is found by name (get_secret_info) and listed by list_secret_infos for its provider."""
        secret = _secret(tracking_store)
        by_name = tracking_store.get_secret_info(secret_name=secret.secret_name)
        listed = {s.secret_id for s in tracking_store.list_secret_infos(provider="openai")}
        assert by_name.secret_id == secret.secret_id and secret.secret_id in listed

    @clause("tracking_store/gateway/secret-update-and-delete", level="full", feature=GATEWAY, since="3.8")
    def test_gateway_secret_update_and_delete(self, tracking_store):
        """update_gateway_secret replaces the value (still masked); delete_gateway_secret removes the secret
        (get_secret_info then raises RESOURCE_DOES_NOT_EXIST)."""
        secret = _secret(tracking_store)
        updated = tracking_store.update_gateway_secret(secret.secret_id, secret_value={"api_key": "sk-rotated"})
        assert "sk-rotated" not in repr(updated), "update_gateway_secret returned the new value unmasked"
        tracking_store.delete_gateway_secret(secret.secret_id)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted gateway secret"):
            tracking_store.get_secret_info(secret_id=secret.secret_id)

    # -- model definitions -------------------------------------------------------------------------------------

    @clause("tracking_store/gateway/model-definition-round-trip", level="full", feature=GATEWAY, since="3.8")
    def test_gateway_model_definition_round_trip(self, tracking_store):
        """A model definition is read back (by id and in list_gateway_model_definitions) with its secret,
        provider and model name; update_gateway_model_definition changes the model name."""
        secret = _secret(tracking_store)
        created = _model_definition(tracking_store, secret.secret_id)
        got = tracking_store.get_gateway_model_definition(created.model_definition_id)
        assert (got.secret_id, got.provider, got.model_name) == (secret.secret_id, "openai", "gpt-4o-mini")
        assert created.model_definition_id in {d.model_definition_id for d in
                                               tracking_store.list_gateway_model_definitions()}
        tracking_store.update_gateway_model_definition(created.model_definition_id, model_name="gpt-4o")
        assert tracking_store.get_gateway_model_definition(created.model_definition_id).model_name == "gpt-4o"

    @clause("tracking_store/gateway/model-definition-in-use", level="full", feature=GATEWAY, since="3.8")
    def test_gateway_model_definition_in_use(self, tracking_store):
        """A model definition an endpoint uses cannot be deleted (INVALID_STATE); once no endpoint uses it,
        delete_gateway_model_definition removes it."""
        endpoint = _endpoint(tracking_store)
        (definition_id,) = _mapped_definitions(endpoint)
        with raises_mlflow_error("INVALID_STATE", doing="deleting a model definition an endpoint uses"):
            tracking_store.delete_gateway_model_definition(definition_id)
        tracking_store.delete_gateway_endpoint(endpoint.endpoint_id)
        tracking_store.delete_gateway_model_definition(definition_id)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted model definition"):
            tracking_store.get_gateway_model_definition(definition_id)

    # -- endpoints ---------------------------------------------------------------------------------------------

    @clause("tracking_store/gateway/endpoint-round-trip", level="full", feature=GATEWAY, since="3.8")
    def test_gateway_endpoint_round_trip(self, tracking_store):
        """An endpoint is read back by id and by name, with the model definition it routes to, and is listed by
        list_gateway_endpoints."""
        definition = _model_definition(tracking_store)
        endpoint = _endpoint(tracking_store, definition.model_definition_id)
        by_id = tracking_store.get_gateway_endpoint(endpoint.endpoint_id)
        by_name = tracking_store.get_gateway_endpoint(name=endpoint.name)
        assert by_id.endpoint_id == by_name.endpoint_id == endpoint.endpoint_id
        assert _mapped_definitions(by_id) == {definition.model_definition_id}
        assert endpoint.endpoint_id in {e.endpoint_id for e in tracking_store.list_gateway_endpoints()}

    @clause("tracking_store/gateway/endpoint-update-and-delete", level="full", feature=GATEWAY, since="3.8")
    def test_gateway_endpoint_update_and_delete(self, tracking_store):
        """update_gateway_endpoint renames an endpoint; delete_gateway_endpoint removes it
        (RESOURCE_DOES_NOT_EXIST after)."""
        endpoint = _endpoint(tracking_store)
        new_name = unique_name("renamed")
        tracking_store.update_gateway_endpoint(endpoint.endpoint_id, name=new_name)
        assert tracking_store.get_gateway_endpoint(endpoint.endpoint_id).name == new_name
        tracking_store.delete_gateway_endpoint(endpoint.endpoint_id)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted gateway endpoint"):
            tracking_store.get_gateway_endpoint(endpoint.endpoint_id)

    @clause("tracking_store/gateway/endpoint-models", level="full", feature=GATEWAY, since="3.8")
    def test_gateway_endpoint_models(self, tracking_store):
        """attach_model_to_endpoint adds a model definition to an endpoint's routing; detach_model_from_endpoint
        takes it out again."""
        from mlflow.entities.gateway_endpoint import GatewayEndpointModelConfig, GatewayModelLinkageType

        endpoint = _endpoint(tracking_store)
        extra = _model_definition(tracking_store, model_name="gpt-4o").model_definition_id
        tracking_store.attach_model_to_endpoint(endpoint.endpoint_id, GatewayEndpointModelConfig(
            model_definition_id=extra, linkage_type=GatewayModelLinkageType.PRIMARY))
        assert extra in _mapped_definitions(tracking_store.get_gateway_endpoint(endpoint.endpoint_id))
        tracking_store.detach_model_from_endpoint(endpoint.endpoint_id, extra)
        assert extra not in _mapped_definitions(tracking_store.get_gateway_endpoint(endpoint.endpoint_id))

    @clause("tracking_store/gateway/endpoint-tags", level="full", feature=GATEWAY, since="3.8")
    def test_gateway_endpoint_tags(self, tracking_store):
        """set_gateway_endpoint_tag adds a tag to an endpoint; delete_gateway_endpoint_tag removes it."""
        from mlflow.entities.gateway_endpoint import GatewayEndpointTag

        endpoint = _endpoint(tracking_store)
        tracking_store.set_gateway_endpoint_tag(endpoint.endpoint_id, GatewayEndpointTag("team", "search"))
        tags = {t.key: t.value for t in tracking_store.get_gateway_endpoint(endpoint.endpoint_id).tags}
        assert tags.get("team") == "search", f"endpoint tags: {tags}"
        tracking_store.delete_gateway_endpoint_tag(endpoint.endpoint_id, "team")
        assert "team" not in {t.key for t in tracking_store.get_gateway_endpoint(endpoint.endpoint_id).tags}

    @clause("tracking_store/gateway/endpoint-bindings", level="full", feature=GATEWAY, since="3.8")
    def test_gateway_endpoint_bindings(self, tracking_store):
        """create_endpoint_binding binds an endpoint to a resource (listed by list_endpoint_bindings);
        delete_endpoint_binding removes the binding."""
        endpoint = _endpoint(tracking_store)
        resource_id = unique_name("scorer")
        tracking_store.create_endpoint_binding(endpoint.endpoint_id, "scorer", resource_id)
        listed = [b.resource_id for b in tracking_store.list_endpoint_bindings(endpoint_id=endpoint.endpoint_id)]
        assert listed == [resource_id], f"bindings of the endpoint: {listed}"
        tracking_store.delete_endpoint_binding(endpoint.endpoint_id, "scorer", resource_id)
        assert tracking_store.list_endpoint_bindings(endpoint_id=endpoint.endpoint_id) == []

    @clause("tracking_store/gateway/get-unknown-endpoint", level="full", feature=GATEWAY, since="3.8")
    def test_gateway_get_unknown_endpoint(self, tracking_store):
        """get_gateway_endpoint of an unknown id raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown gateway endpoint"):
            tracking_store.get_gateway_endpoint("e-" + uuid.uuid4().hex)

    @clause("tracking_store/gateway/trace-cost-empty", level="full", feature=GATEWAY, since="3.11")
    def test_gateway_trace_cost_empty(self, tracking_store):
        """sum_gateway_trace_cost over a window with no gateway traces is 0 (what budget checks read)."""
        total = tracking_store.sum_gateway_trace_cost(0, 1_000, endpoint_id="e-" + uuid.uuid4().hex)
        assert total == 0, f"cost of an empty window: {total!r}"

    # -- guardrails --------------------------------------------------------------------------------------------

    @clause("tracking_store/gateway/guardrail-round-trip", level="full", feature=GATEWAY, since="3.12")
    def test_gateway_guardrail_round_trip(self, tracking_store):
        """A guardrail built on a registered scorer is read back (get_gateway_guardrail, list_gateway_guardrails)
        and removed by delete_gateway_guardrail."""
        from mlflow.entities.gateway_guardrail import GuardrailAction, GuardrailStage

        from .scorers import _serialized

        name = unique_name("guard")
        scorer = tracking_store.register_scorer(new_experiment(tracking_store), name, _serialized(name))
        guardrail = tracking_store.create_gateway_guardrail(unique_name("guardrail"), scorer.scorer_id,
                                                            scorer.scorer_version, GuardrailStage.BEFORE,
                                                            GuardrailAction.VALIDATION)
        got = tracking_store.get_gateway_guardrail(guardrail.guardrail_id)
        assert (got.name, str(got.stage.value), str(got.action.value)) == (guardrail.name, "BEFORE", "VALIDATION")
        assert guardrail.guardrail_id in {g.guardrail_id for g in tracking_store.list_gateway_guardrails()}
        tracking_store.delete_gateway_guardrail(guardrail.guardrail_id)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted guardrail"):
            tracking_store.get_gateway_guardrail(guardrail.guardrail_id)

    @clause("tracking_store/gateway/endpoint-guardrails", level="full", feature=GATEWAY, since="3.12")
    def test_gateway_endpoint_guardrails(self, tracking_store):
        """add_guardrail_to_endpoint attaches a guardrail (listed by list_endpoint_guardrail_configs),
        update_endpoint_guardrail_config changes its execution order, remove_guardrail_from_endpoint detaches
        it."""
        from mlflow.entities.gateway_guardrail import GuardrailAction, GuardrailStage

        from .scorers import _serialized

        name = unique_name("guard")
        scorer = tracking_store.register_scorer(new_experiment(tracking_store), name, _serialized(name))
        guardrail = tracking_store.create_gateway_guardrail(unique_name("guardrail"), scorer.scorer_id,
                                                            scorer.scorer_version, GuardrailStage.AFTER,
                                                            GuardrailAction.VALIDATION)
        endpoint = _endpoint(tracking_store)
        tracking_store.add_guardrail_to_endpoint(endpoint.endpoint_id, guardrail.guardrail_id)
        tracking_store.update_endpoint_guardrail_config(endpoint.endpoint_id, guardrail.guardrail_id,
                                                        execution_order=3)
        configs = [(c.guardrail_id, c.execution_order)
                   for c in tracking_store.list_endpoint_guardrail_configs(endpoint.endpoint_id)]
        assert configs == [(guardrail.guardrail_id, 3)], f"guardrail configs of the endpoint: {configs}"
        tracking_store.remove_guardrail_from_endpoint(endpoint.endpoint_id, guardrail.guardrail_id)
        assert list(tracking_store.list_endpoint_guardrail_configs(endpoint.endpoint_id)) == []

    # -- budget policies ---------------------------------------------------------------------------------------

    def _budget(self, store, amount=100.0):
        from mlflow.entities.gateway_budget_policy import (
            BudgetAction,
            BudgetDuration,
            BudgetDurationUnit,
            BudgetTargetScope,
            BudgetUnit,
        )

        return store.create_budget_policy(BudgetUnit.USD, amount, BudgetDuration(BudgetDurationUnit.DAYS, 1),
                                          BudgetTargetScope.GLOBAL, BudgetAction.ALERT)

    @clause("tracking_store/gateway-budgets/create-get", level="full", feature=GATEWAY_BUDGETS, since="3.11")
    def test_gateway_budgets_create_get(self, tracking_store):
        """create_budget_policy stores a policy; get_budget_policy returns its amount, duration, scope and
        action, and list_budget_policies lists it."""
        policy = self._budget(tracking_store, 123.5)
        got = tracking_store.get_budget_policy(policy.budget_policy_id)
        view = (got.budget_amount, str(got.duration.unit.value), got.duration.value, str(got.target_scope.value),
                str(got.budget_action.value))
        assert view == (123.5, "DAYS", 1, "GLOBAL", "ALERT"), f"budget policy read back {view}"
        listed, token = [], None
        for _ in range(100):
            page = tracking_store.list_budget_policies(page_token=token)
            listed.extend(p.budget_policy_id for p in page)
            token = page.token
            if not token:
                break
        assert policy.budget_policy_id in listed, "list_budget_policies does not list the new policy"

    @clause("tracking_store/gateway-budgets/update", level="full", feature=GATEWAY_BUDGETS, since="3.11")
    def test_gateway_budgets_update(self, tracking_store):
        """update_budget_policy changes the amount it is given and keeps the rest."""
        policy = self._budget(tracking_store, 100.0)
        tracking_store.update_budget_policy(policy.budget_policy_id, budget_amount=250.0)
        got = tracking_store.get_budget_policy(policy.budget_policy_id)
        assert (got.budget_amount, str(got.target_scope.value)) == (250.0, "GLOBAL")

    @clause("tracking_store/gateway-budgets/delete", level="full", feature=GATEWAY_BUDGETS, since="3.11")
    def test_gateway_budgets_delete(self, tracking_store):
        """delete_budget_policy removes the policy: get_budget_policy then raises RESOURCE_DOES_NOT_EXIST."""
        policy = self._budget(tracking_store)
        tracking_store.delete_budget_policy(policy.budget_policy_id)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted budget policy"):
            tracking_store.get_budget_policy(policy.budget_policy_id)
