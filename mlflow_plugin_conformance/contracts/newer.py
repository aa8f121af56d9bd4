"""Contracts for the newer plugin groups: workspace providers (3.11), scorer stores (3.4), labeling stores (3.5),
job executors (3.17, experimental) and AI gateway providers.

Each contract checks construction through MLflow's registry (the build clause), interface completeness (every
method of MLflow's base class is overridden where the base has no behaviour, with a signature that accepts
MLflow's call) and one life cycle. Every clause carries ``since``: on an older MLflow the group does not exist and
the clause is not-applicable.
"""

from __future__ import annotations

import inspect
import uuid

import pytest

from ._local_mlflow import entry_points_of, import_order_clauses
from ._support import raises_mlflow_error, unique_name
from .shared.interface import signature_problems, unimplemented_abstracts
from .base import ContractBase, clause, required_fixture


class _CompletenessClauses:
    """``{kind}/interface/complete`` and ``{kind}/interface/signatures`` against ``_base()``."""

    def _base(self):  # pragma: no cover - every contract overrides it
        raise NotImplementedError

    def _subject_class(self, subject):
        return subject if isinstance(subject, type) else type(subject)

    def test_interface_complete(self, request):
        """The plugin is a subclass of MLflow's base class and overrides every abstract method."""
        base = self._base()
        cls = self._subject_class(request.getfixturevalue(self.target_fixture))
        assert issubclass(cls, base), f"{cls.__name__} is not a subclass of {base.__module__}.{base.__name__}"
        missing = unimplemented_abstracts(cls, base)
        assert not missing, f"abstract methods left to the base: {missing}"

    def test_interface_signatures(self, request):
        """Every method the plugin overrides accepts the parameters MLflow's base method declares (MLflow calls
        with keywords; a missing parameter is a TypeError at the first call)."""
        cls = self._subject_class(request.getfixturevalue(self.target_fixture))
        problems = signature_problems(cls, self._base())
        assert not problems, "overrides that cannot take MLflow's call:\n" + "\n".join(problems)


def _completeness(kind: str, since: str | None):
    """Bind the shared completeness clauses to ``kind`` with its ``since``."""

    class Completeness(_CompletenessClauses):
        @clause(f"{kind}/interface/complete", since=since)
        def test_interface_complete(self, request):
            """The plugin is a subclass of MLflow's base class and overrides every abstract method."""
            _CompletenessClauses.test_interface_complete(self, request)

        @clause(f"{kind}/interface/signatures", since=since)
        def test_interface_signatures(self, request):
            """Every method the plugin overrides accepts the parameters MLflow's base method declares (MLflow
            calls with keywords; a missing parameter is a TypeError at the first call)."""
            _CompletenessClauses.test_interface_signatures(self, request)

    return Completeness


# == workspace providers (3.11) ===================================================================================


def _store_probe(group: str, registry_expr: str, subject) -> tuple[str, str]:
    """Import-order probe for a store built by a builder function: MLflow's registry holds the entry point's
    object under its name after both imports."""
    module = subject.__module__ if isinstance(subject, type) else type(subject).__module__
    return module, entry_points_of(group, module) + (
        f"registry = {registry_expr}\n"
        "for e in eps:\n"
        "    assert registry.get(e.name) is e.load(), 'not registered in this import order: ' + e.name\n"
    )


class WorkspaceProviderContract(_completeness("workspace_provider", "3.11"), import_order_clauses("3.11"),
                                ContractBase):
    """Contract clauses for a workspace store. Provide the ``workspace_provider`` fixture (the store)."""

    kind_key = "workspace_provider"
    target_fixture = "workspace_provider"

    workspace_provider = required_fixture("workspace_provider", "WorkspaceProviderContract", """    @pytest.fixture
    def workspace_provider(self, tmp_path):
        return MyWorkspaceStore(f"my-scheme://{tmp_path}")""")

    def _base(self):
        from mlflow.store.workspace.abstract_store import AbstractStore

        return AbstractStore

    def _import_probe(self, subject):
        return _store_probe("mlflow.workspace_provider", "__import__('mlflow.tracking._workspace.registry', "
                            "fromlist=['x'])._get_workspace_store_registry()._registry", subject)

    @clause("workspace_provider/workspaces/list", since="3.11")
    def test_workspaces_list(self, workspace_provider):
        """``list_workspaces`` returns an iterable of ``Workspace`` entities with distinct names, each found by
        ``get_workspace``."""
        from mlflow.entities import Workspace

        listed = list(workspace_provider.list_workspaces())
        assert all(isinstance(w, Workspace) for w in listed), f"not Workspace entities: {listed!r}"
        names = [w.name for w in listed]
        assert len(names) == len(set(names)), f"duplicate workspace names: {names}"
        for name in names[:5]:
            assert workspace_provider.get_workspace(name).name == name

    @clause("workspace_provider/workspaces/get-unknown", since="3.11")
    def test_workspaces_get_unknown(self, workspace_provider):
        """``get_workspace`` of an unknown name raises RESOURCE_DOES_NOT_EXIST (the server answers 404)."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown workspace"):
            workspace_provider.get_workspace(unique_name("missing"))

    @clause("workspace_provider/workspaces/default", level="full", since="3.11")
    def test_workspaces_default(self, workspace_provider):
        """``get_default_workspace`` returns a listed workspace, or refuses with INVALID_PARAMETER_VALUE (a provider
        that requires an explicit workspace)."""
        from mlflow.exceptions import MlflowException

        try:
            default = workspace_provider.get_default_workspace()
        except MlflowException as exc:
            assert exc.error_code == "INVALID_PARAMETER_VALUE", f"error code {exc.error_code}"
            return
        assert default.name in [w.name for w in workspace_provider.list_workspaces()]

    @clause("workspace_provider/workspaces/lifecycle", feature="workspace_provider.write", since="3.11")
    def test_workspaces_lifecycle(self, workspace_provider):
        """Where writable: create returns the workspace; get and list see it; update changes the description;
        delete removes it (get then raises RESOURCE_DOES_NOT_EXIST)."""
        from mlflow.entities import Workspace

        name = unique_name("ws").replace("_", "-")
        created = workspace_provider.create_workspace(Workspace(name=name, description="first"))
        assert created.name == name and created.description == "first"
        assert workspace_provider.get_workspace(name).description == "first"
        assert name in [w.name for w in workspace_provider.list_workspaces()]
        workspace_provider.update_workspace(Workspace(name=name, description="second"))
        assert workspace_provider.get_workspace(name).description == "second"
        workspace_provider.delete_workspace(name)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted workspace"):
            workspace_provider.get_workspace(name)

    @clause("workspace_provider/workspaces/duplicate", feature="workspace_provider.write", since="3.11")
    def test_workspaces_duplicate(self, workspace_provider):
        """Where writable: creating an existing name raises RESOURCE_ALREADY_EXISTS."""
        from mlflow.entities import Workspace

        name = unique_name("ws").replace("_", "-")
        workspace_provider.create_workspace(Workspace(name=name))
        try:
            with raises_mlflow_error("RESOURCE_ALREADY_EXISTS", doing="creating a workspace that exists"):
                workspace_provider.create_workspace(Workspace(name=name))
        finally:
            workspace_provider.delete_workspace(name)

    @clause("workspace_provider/workspaces/invalid-name", feature="workspace_provider.write", since="3.11")
    def test_workspaces_invalid_name(self, workspace_provider):
        """Where writable: names outside MLflow's workspace name rule (lowercase DNS label, 2-63 characters, not
        reserved) raise INVALID_PARAMETER_VALUE and nothing is created."""
        from mlflow.entities import Workspace

        for bad in ("Bad_Name!", "a", "-lead", "workspaces", "x" * 64, "../etc"):
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"creating workspace {bad!r}"):
                workspace_provider.create_workspace(Workspace(name=bad))
        assert not {"Bad_Name!", "../etc"} & {w.name for w in workspace_provider.list_workspaces()}


# == scorer stores (3.4) ===========================================================================================


def conformance_scorer(name: str):
    """A built-in (LLM-judge) scorer: serialisable without running code, never called here (no LLM needed)."""
    from mlflow.genai.scorers import Guidelines

    return Guidelines(name=name, guidelines=["Answer in English."])


class ScorerStoreContract(_completeness("scorer_store", "3.4"), import_order_clauses("3.4"), ContractBase):
    """Contract clauses for a scorer store. Provide ``scorer_store``; ``scorer_experiment_id`` names an experiment
    of the store's tracking backend (default: a new one when the store wraps a tracking store, else '0')."""

    kind_key = "scorer_store"
    target_fixture = "scorer_store"

    scorer_store = required_fixture("scorer_store", "ScorerStoreContract", """    @pytest.fixture
    def scorer_store(self, tmp_path):
        return MyScorerStore(tracking_uri=f"my-scheme://{tmp_path}")""")

    def _base(self):
        from mlflow.genai.scorers.registry import AbstractScorerStore

        return AbstractScorerStore

    def _import_probe(self, subject):
        return _store_probe("mlflow.scorer_store", "__import__('mlflow.genai.scorers.registry', "
                            "fromlist=['x'])._scorer_store_registry._registry", subject)

    @pytest.fixture
    def scorer_experiment_id(self, scorer_store) -> str:
        tracking = getattr(scorer_store, "_tracking_store", None)
        if tracking is not None and hasattr(tracking, "create_experiment"):
            return tracking.create_experiment(unique_name("scorers"))
        return "0"

    @clause("scorer_store/scorers/get-unknown", since="3.4")
    def test_scorers_get_unknown(self, scorer_store, scorer_experiment_id):
        """``get_scorer`` of an unknown name raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown scorer"):
            scorer_store.get_scorer(scorer_experiment_id, unique_name("missing"))

    @clause("scorer_store/scorers/lifecycle", since="3.4")
    def test_scorers_lifecycle(self, scorer_store, scorer_experiment_id):
        """Registering a scorer twice makes versions 1 and 2; ``get_scorer`` returns the latest by default and a
        given version on request; ``list_scorers`` shows the name once; deleting ``version='all'`` removes it."""
        name = unique_name("scorer").replace("-", "_")
        scorer_store.register_scorer(scorer_experiment_id, conformance_scorer(name))
        second = conformance_scorer(name)
        second.guidelines = ["Answer in French."]
        scorer_store.register_scorer(scorer_experiment_id, second)
        versions = scorer_store.list_scorer_versions(scorer_experiment_id, name)
        assert sorted(v for _, v in versions) == [1, 2], f"versions {[v for _, v in versions]}"
        assert scorer_store.get_scorer(scorer_experiment_id, name).guidelines == ["Answer in French."]
        assert scorer_store.get_scorer(scorer_experiment_id, name, version=1).guidelines == ["Answer in English."]
        listed = [s.name for s in scorer_store.list_scorers(scorer_experiment_id)]
        assert listed.count(name) == 1, f"list_scorers shows {name!r} {listed.count(name)} times"
        scorer_store.delete_scorer(scorer_experiment_id, name, "all")
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted scorer"):
            scorer_store.get_scorer(scorer_experiment_id, name)


# == labeling stores (3.5) =========================================================================================


class LabelingStoreContract(_completeness("labeling_store", "3.5"), import_order_clauses("3.5"), ContractBase):
    """Contract clauses for a labeling store. Provide the ``labeling_store`` fixture."""

    kind_key = "labeling_store"
    target_fixture = "labeling_store"

    labeling_store = required_fixture("labeling_store", "LabelingStoreContract", """    @pytest.fixture
    def labeling_store(self, tmp_path):
        return MyLabelingStore(tracking_uri=f"my-scheme://{tmp_path}")""")

    def _base(self):
        from mlflow.genai.labeling.stores import AbstractLabelingStore

        return AbstractLabelingStore

    def _import_probe(self, subject):
        return _store_probe("mlflow.labeling_store", "__import__('mlflow.genai.labeling.stores', "
                            "fromlist=['x'])._labeling_store_registry._registry", subject)

    @clause("labeling_store/label-schemas/lifecycle", since="3.5")
    def test_label_schemas_lifecycle(self, labeling_store):
        """``create_label_schema`` returns the schema; ``get_label_schema`` finds it by name; creating it again
        without ``overwrite`` raises an MlflowException, with ``overwrite=True`` replaces it; after
        ``delete_label_schema`` getting it raises an MlflowException."""
        from mlflow.exceptions import MlflowException
        from mlflow.genai.label_schemas import InputText

        name = unique_name("schema")
        created = labeling_store.create_label_schema(name, type="feedback", title="Is it right?", input=InputText(),
                                                     instruction="first")
        assert created.name == name
        got = labeling_store.get_label_schema(name)
        assert got.name == name and got.instruction == "first"
        with pytest.raises(MlflowException):
            labeling_store.create_label_schema(name, type="feedback", title="again", input=InputText())
        labeling_store.create_label_schema(name, type="feedback", title="Replaced", input=InputText(),
                                           instruction="second", overwrite=True)
        assert labeling_store.get_label_schema(name).instruction == "second"
        labeling_store.delete_label_schema(name)
        with pytest.raises(MlflowException):
            labeling_store.get_label_schema(name)


# == job executors (3.17, experimental) ===========================================================================

_JOBS = "mlflow_plugin_conformance.contracts._jobs"


class JobExecutorContract(_completeness("job_executor", "3.17"), ContractBase):
    """Contract clauses for a job executor. Provide the ``job_executor`` fixture (an instance built from a
    ``JobExecutorConfig``). Jobs run a function of this package that MLflow's job decorator marks."""

    kind_key = "job_executor"
    target_fixture = "job_executor"

    job_executor = required_fixture("job_executor", "JobExecutorContract", """    @pytest.fixture
    def job_executor(self):
        from mlflow.server.jobs.executor import JobExecutorConfig
        return MyExecutor(JobExecutorConfig())""")

    def _base(self):
        from mlflow.server.jobs.executor import AbstractJobExecutor

        return AbstractJobExecutor

    @pytest.fixture
    def started_executor(self, job_executor):
        job_executor.start_executor()
        yield job_executor

    def _submit(self, executor, function, params, tmp_path):
        from mlflow.server.jobs.executor import JobExecutionContext

        job_id = uuid.uuid4().hex
        context = JobExecutionContext(job_id=job_id, tracking_uri=f"sqlite:///{(tmp_path / 'jobs.db').as_posix()}")
        executor.submit_job(job_id, function, f"{_JOBS}.{function}", params, context)
        return job_id

    @clause("job_executor/config/kept", since="3.17")
    def test_config_kept(self, job_executor):
        """The executor keeps the ``JobExecutorConfig`` MLflow built it with (``AbstractJobExecutor.__init__``
        called) and ``check_requirements`` passes on this machine."""
        from mlflow.server.jobs.executor import JobExecutorConfig

        assert isinstance(job_executor.config, JobExecutorConfig)
        assert job_executor.remote_execution in (True, False)
        job_executor.check_requirements()

    @clause("job_executor/jobs/succeed", since="3.17")
    def test_jobs_succeed(self, started_executor, tmp_path):
        """A submitted job runs with its parameters: ``wait_for_job`` returns a JobResult with status SUCCEEDED and
        the function's JSON result."""
        import json

        from mlflow.entities._job_status import JobStatus

        job_id = self._submit(started_executor, "conformance_double", {"value": 21}, tmp_path)
        result = started_executor.wait_for_job(job_id)
        assert result.status == JobStatus.SUCCEEDED, f"{result}"
        assert json.loads(result.result) == {"doubled": 42}

    @clause("job_executor/jobs/fail", since="3.17")
    def test_jobs_fail(self, started_executor, tmp_path):
        """A job that raises ends FAILED with the error in ``error_message`` (not SUCCEEDED, not a hang)."""
        from mlflow.entities._job_status import JobStatus

        job_id = self._submit(started_executor, "conformance_fail", {"message": "conformance-boom"}, tmp_path)
        result = started_executor.wait_for_job(job_id)
        assert result.status == JobStatus.FAILED, f"{result}"
        assert "conformance-boom" in (result.error_message or "")

    @clause("job_executor/jobs/recover-nothing", since="3.17")
    def test_jobs_recover_nothing(self, job_executor):
        """``recover_jobs([])`` returns an empty list (one result per job asked about)."""
        assert list(job_executor.recover_jobs([])) == []


# == AI gateway providers ==========================================================================================

_ROUTE_METHODS = {"llm/v1/chat": ("chat", "_chat"), "llm/v1/completions": ("completions", "_completions"),
                  "llm/v1/embeddings": ("embeddings", "_embeddings")}


class GatewayProviderContract(_completeness("gateway_provider", None), ContractBase):
    """Contract clauses for an AI gateway provider class. Provide ``gateway_provider`` (the class) and, when its
    ``CONFIG_TYPE`` has required fields, ``gateway_provider_config`` (a dict of them)."""

    kind_key = "gateway_provider"
    target_fixture = "gateway_provider"

    gateway_provider = required_fixture("gateway_provider", "GatewayProviderContract", """    @pytest.fixture
    def gateway_provider(self):
        return MyProvider""")

    def _base(self):
        from mlflow.gateway.providers import BaseProvider

        return BaseProvider

    @pytest.fixture
    def gateway_provider_config(self) -> dict:
        return {}

    @pytest.fixture
    def gateway_provider_name(self, gateway_provider) -> str:
        """The name the gateway knows the provider by (MLflow's global provider registry)."""
        from mlflow.gateway.provider_registry import provider_registry

        names = [getattr(n, "value", n) for n in provider_registry.keys()
                 if provider_registry._providers[n] is gateway_provider]
        own = [n for n in names if n.replace("-", "").replace("_", "") in gateway_provider.__name__.lower()]
        if own or names:
            return (own or names)[0]
        pytest.fail(f"{gateway_provider.__name__} is not in MLflow's gateway provider registry", pytrace=False)

    @clause("gateway_provider/interface/attributes")
    def test_interface_attributes(self, gateway_provider):
        """``DISPLAY_NAME`` is a non-empty string and ``CONFIG_TYPE`` a ``ConfigModel`` subclass (BaseProvider
        refuses to construct otherwise, at the first request); ``SUPPORTED_ROUTE_TYPES``, when declared, is a
        non-empty tuple of gateway route types."""
        from mlflow.gateway.base_models import ConfigModel

        assert isinstance(gateway_provider.DISPLAY_NAME, str) and gateway_provider.DISPLAY_NAME, "DISPLAY_NAME"
        config_type = getattr(gateway_provider, "CONFIG_TYPE", None)
        assert isinstance(config_type, type) and issubclass(config_type, ConfigModel), f"CONFIG_TYPE {config_type!r}"
        if hasattr(gateway_provider, "SUPPORTED_ROUTE_TYPES"):
            routes = gateway_provider.SUPPORTED_ROUTE_TYPES
            assert isinstance(routes, tuple) and routes, f"SUPPORTED_ROUTE_TYPES {routes!r}"
            unknown = [r for r in routes if r not in _ROUTE_METHODS]
            assert not unknown, f"unknown route types {unknown}; MLflow's are {sorted(_ROUTE_METHODS)}"

    @clause("gateway_provider/interface/routes-implemented")
    def test_interface_routes_implemented(self, gateway_provider):
        """Every route type in ``SUPPORTED_ROUTE_TYPES`` is implemented (``chat`` / ``_chat`` and the like is
        overridden): the base answers 501 for routes the provider claims. Without the declaration, at least one
        route is implemented."""
        claimed = getattr(gateway_provider, "SUPPORTED_ROUTE_TYPES", None)
        implemented = implemented_routes(gateway_provider)
        if claimed is None:
            assert implemented, "the provider implements no route (chat, completions, embeddings)"
            return
        missing = [route for route in claimed if route not in implemented]
        assert not missing, f"routes claimed but left to the base (501): {missing}"

    @clause("gateway_provider/lifecycle/construct")
    def test_lifecycle_construct(self, gateway_provider, gateway_provider_name, gateway_provider_config):
        """The provider constructs from an endpoint configuration of each route type it serves, as the gateway
        does (``cls(config, enable_tracing=False)``), and keeps the configuration."""
        from mlflow.gateway.config import EndpointConfig

        routes = getattr(gateway_provider, "SUPPORTED_ROUTE_TYPES", None) or implemented_routes(gateway_provider)
        for route in routes:
            config = EndpointConfig(name=unique_name("route"), endpoint_type=route,
                                    model={"provider": gateway_provider_name, "name": "conformance-model",
                                           "config": dict(gateway_provider_config)})
            provider = gateway_provider(config, enable_tracing=False)
            assert provider.config is config or provider.config == config


def implemented_routes(provider_cls) -> list[str]:
    """Route types whose methods ``provider_cls`` overrides."""
    from mlflow.gateway.providers import BaseProvider

    return [route for route, methods in _ROUTE_METHODS.items()
            if any(getattr(provider_cls, m, None) is not getattr(BaseProvider, m, None) for m in methods)]
