"""Logged models (level full, feature ``tracking_store.logged_models``).

MLflow 3's ``mlflow.<flavor>.log_model`` creates a logged model (``create_logged_model``, status PENDING), uploads
its files, then marks it READY (``finalize_logged_model``); its metrics arrive through ``log_batch`` with a
``model_id``; the run records it as an output (``log_outputs``) and the model registry tags it with the versions
made from it (``set_model_versions_tags``). ``mlflow.search_logged_models`` and the UI's model tables read them with
``search_logged_models``. Each clause checks one of these behaviours as MLflow's ``SqlAlchemyStore`` implements it.
"""

from __future__ import annotations

import uuid

from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ._genai import LOGGED_MODELS
from ._helpers import new_experiment, new_run


def _status(model) -> str:
    return str(getattr(model.status, "name", model.status)).rsplit(".", 1)[-1]


def _all_models(store, experiment_ids, page_size=100, **kwargs):
    found, token = [], None
    for _ in range(100):
        page = store.search_logged_models(experiment_ids, max_results=page_size, page_token=token, **kwargs)
        assert len(page) <= page_size, f"a page held {len(page)} models, more than max_results={page_size}"
        found.extend(page)
        token = page.token
        if not token:
            return found
    raise AssertionError("search_logged_models page tokens never ended")


def _model_metric(store, run_id, model_id, key, value, *, dataset=None, step=0):
    from mlflow.entities import Metric

    name, digest = dataset if dataset else (None, None)
    store.log_batch(run_id, metrics=[Metric(key, value, 1_700_000_000_000, step, model_id=model_id,
                                            dataset_name=name, dataset_digest=digest, run_id=run_id)],
                    params=[], tags=[])


class LoggedModelClauses:
    """Clauses of the ``tracking_store/logged-models/*`` family."""

    @clause("tracking_store/logged-models/create-get", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_create_get(self, tracking_store):
        """create_logged_model stores name, experiment, source run and model type; get_logged_model reads them
        back."""
        experiment_id = new_experiment(tracking_store)
        run_id = new_run(tracking_store, experiment_id).info.run_id
        model = tracking_store.create_logged_model(experiment_id, name="my-model", source_run_id=run_id,
                                                   model_type="agent")
        got = tracking_store.get_logged_model(model.model_id)
        view = (got.model_id, got.name, got.experiment_id, got.source_run_id, got.model_type)
        assert view == (model.model_id, "my-model", experiment_id, run_id, "agent"), f"logged model read back {view}"

    @clause("tracking_store/logged-models/create-tags-and-params", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_create_tags_and_params(self, tracking_store):
        """The tags and params given to create_logged_model are read back by get_logged_model."""
        from mlflow.entities import LoggedModelParameter, LoggedModelTag

        experiment_id = new_experiment(tracking_store)
        model = tracking_store.create_logged_model(
            experiment_id, name="m", tags=[LoggedModelTag("t", "v"), LoggedModelTag("ü", "ß")],
            params=[LoggedModelParameter("lr", "0.1"), LoggedModelParameter("layers", "3")])
        got = tracking_store.get_logged_model(model.model_id)
        user_tags = {k: v for k, v in got.tags.items() if not k.startswith("mlflow.")}
        assert (user_tags, got.params) == ({"t": "v", "ü": "ß"}, {"lr": "0.1", "layers": "3"}), (
            f"tags/params read back {(got.tags, got.params)}")

    @clause("tracking_store/logged-models/generated-name", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_generated_name(self, tracking_store):
        """create_logged_model without a name gives the model a generated, non-empty name."""
        model = tracking_store.create_logged_model(new_experiment(tracking_store))
        assert tracking_store.get_logged_model(model.model_id).name, "a logged model created without a name " \
                                                                     "has no name"

    @clause("tracking_store/logged-models/initial-status-pending", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_initial_status_pending(self, tracking_store):
        """A new logged model is PENDING (its files are not uploaded yet)."""
        model = tracking_store.create_logged_model(new_experiment(tracking_store), name="m")
        assert _status(tracking_store.get_logged_model(model.model_id)) == "PENDING"

    @clause("tracking_store/logged-models/finalize", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_finalize(self, tracking_store):
        """finalize_logged_model sets the status it is given (READY, FAILED) and returns the updated model."""
        from mlflow.entities import LoggedModelStatus

        experiment_id = new_experiment(tracking_store)
        ready = tracking_store.create_logged_model(experiment_id, name="ok").model_id
        failed = tracking_store.create_logged_model(experiment_id, name="bad").model_id
        returned = tracking_store.finalize_logged_model(ready, LoggedModelStatus.READY)
        tracking_store.finalize_logged_model(failed, LoggedModelStatus.FAILED)
        got = (_status(returned), _status(tracking_store.get_logged_model(ready)),
               _status(tracking_store.get_logged_model(failed)))
        assert got == ("READY", "READY", "FAILED"), f"(returned, stored READY, stored FAILED) statuses: {got}"

    @clause("tracking_store/logged-models/artifact-location", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_artifact_location(self, tracking_store):
        """A logged model has an artifact location of its own (where log_model uploads its files)."""
        experiment_id = new_experiment(tracking_store)
        a = tracking_store.create_logged_model(experiment_id, name="a")
        b = tracking_store.create_logged_model(experiment_id, name="b")
        assert a.artifact_location and b.artifact_location and a.artifact_location != b.artifact_location, (
            f"artifact locations {a.artifact_location!r}, {b.artifact_location!r}")

    @clause("tracking_store/logged-models/create-in-unknown-experiment", level="full", feature=LOGGED_MODELS,
            since="3.0")
    def test_logged_models_create_in_unknown_experiment(self, tracking_store):
        """create_logged_model in an experiment that does not exist raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="creating a logged model in an unknown experiment"):
            tracking_store.create_logged_model("987654321", name="m")

    @clause("tracking_store/logged-models/get-unknown", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_get_unknown(self, tracking_store):
        """get_logged_model of an unknown id raises RESOURCE_DOES_NOT_EXIST."""
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting an unknown logged model"):
            tracking_store.get_logged_model("m-" + uuid.uuid4().hex)

    # -- tags --------------------------------------------------------------------------------------------------

    @clause("tracking_store/logged-models/set-tags", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_set_tags(self, tracking_store):
        """set_logged_model_tags adds tags and overwrites existing ones."""
        from mlflow.entities import LoggedModelTag

        model_id = tracking_store.create_logged_model(new_experiment(tracking_store), name="m",
                                                      tags=[LoggedModelTag("a", "old")]).model_id
        tracking_store.set_logged_model_tags(model_id, [LoggedModelTag("a", "new"), LoggedModelTag("b", "2")])
        tags = {k: v for k, v in tracking_store.get_logged_model(model_id).tags.items() if not k.startswith("mlflow.")}
        assert tags == {"a": "new", "b": "2"}, f"tags after set_logged_model_tags: {tags}"

    @clause("tracking_store/logged-models/delete-tag", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_delete_tag(self, tracking_store):
        """delete_logged_model_tag removes one tag and keeps the others."""
        from mlflow.entities import LoggedModelTag

        model_id = tracking_store.create_logged_model(new_experiment(tracking_store), name="m").model_id
        tracking_store.set_logged_model_tags(model_id, [LoggedModelTag("a", "1"), LoggedModelTag("b", "2")])
        tracking_store.delete_logged_model_tag(model_id, "a")
        tags = {k: v for k, v in tracking_store.get_logged_model(model_id).tags.items() if not k.startswith("mlflow.")}
        assert tags == {"b": "2"}, f"tags after deleting 'a': {tags}"

    @clause("tracking_store/logged-models/delete-missing-tag", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_delete_missing_tag(self, tracking_store):
        """delete_logged_model_tag of a tag the model does not have raises RESOURCE_DOES_NOT_EXIST."""
        model_id = tracking_store.create_logged_model(new_experiment(tracking_store), name="m").model_id
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="deleting a logged-model tag that does not exist"):
            tracking_store.delete_logged_model_tag(model_id, "never-set")

    @clause("tracking_store/logged-models/model-versions-tag", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_model_versions_tag(self, tracking_store):
        """set_model_versions_tags (the registry's call when a version is made from the model) appends each
        (name, version) to the model's ``mlflow.modelVersions`` tag."""
        import json

        model_id = tracking_store.create_logged_model(new_experiment(tracking_store), name="m").model_id
        tracking_store.set_model_versions_tags("reg-model", "1", model_id)
        tracking_store.set_model_versions_tags("reg-model", "2", model_id)
        recorded = json.loads(tracking_store.get_logged_model(model_id).tags.get("mlflow.modelVersions", "[]"))
        assert recorded == [{"name": "reg-model", "version": "1"}, {"name": "reg-model", "version": "2"}], (
            f"mlflow.modelVersions tag: {recorded}")

    @clause("tracking_store/logged-models/model-versions-tag-repeated", level="full", feature=LOGGED_MODELS,
            since="3.0")
    def test_logged_models_model_versions_tag_repeated(self, tracking_store):
        """Recording a (name, version) the ``mlflow.modelVersions`` tag already holds leaves the tag as it was:
        no duplicate, and the other versions stay."""
        import json

        model_id = tracking_store.create_logged_model(new_experiment(tracking_store), name="m").model_id
        for version in ("1", "2", "1"):
            tracking_store.set_model_versions_tags("reg-model", version, model_id)
        recorded = json.loads(tracking_store.get_logged_model(model_id).tags.get("mlflow.modelVersions", "[]"))
        assert recorded == [{"name": "reg-model", "version": "1"}, {"name": "reg-model", "version": "2"}], (
            f"mlflow.modelVersions tag after recording version 1 again: {recorded}")

    # -- delete ------------------------------------------------------------------------------------------------

    @clause("tracking_store/logged-models/delete", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_delete(self, tracking_store):
        """A deleted logged model is no longer returned by get_logged_model (RESOURCE_DOES_NOT_EXIST)."""
        model_id = tracking_store.create_logged_model(new_experiment(tracking_store), name="m").model_id
        tracking_store.delete_logged_model(model_id)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted logged model"):
            tracking_store.get_logged_model(model_id)

    @clause("tracking_store/logged-models/deleted-not-searched", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_deleted_not_searched(self, tracking_store):
        """search_logged_models does not return deleted logged models."""
        experiment_id = new_experiment(tracking_store)
        kept = tracking_store.create_logged_model(experiment_id, name="kept").model_id
        gone = tracking_store.create_logged_model(experiment_id, name="gone").model_id
        tracking_store.delete_logged_model(gone)
        assert [m.model_id for m in _all_models(tracking_store, [experiment_id])] == [kept]

    # -- metrics, runs -----------------------------------------------------------------------------------------

    @clause("tracking_store/logged-models/metrics", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_metrics(self, tracking_store):
        """Metrics logged with a model_id (log_batch, as ``mlflow.log_metric(..., model_id=)`` does) are read back
        on the logged model with their value, step and dataset."""
        experiment_id = new_experiment(tracking_store)
        run_id = new_run(tracking_store, experiment_id).info.run_id
        model_id = tracking_store.create_logged_model(experiment_id, name="m", source_run_id=run_id).model_id
        _model_metric(tracking_store, run_id, model_id, "accuracy", 0.93, dataset=("eval", "d1"), step=2)
        metrics = tracking_store.get_logged_model(model_id).metrics or []
        got = [(m.key, m.value, m.step, m.dataset_name, m.dataset_digest) for m in metrics]
        assert got == [("accuracy", 0.93, 2, "eval", "d1")], f"logged-model metrics read back {got}"

    @clause("tracking_store/logged-models/log-outputs", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_log_outputs(self, tracking_store):
        """log_outputs records the model as an output of the run: get_run lists it in ``outputs.model_outputs``
        with its step."""
        from mlflow.entities import LoggedModelOutput

        experiment_id = new_experiment(tracking_store)
        run_id = new_run(tracking_store, experiment_id).info.run_id
        model_id = tracking_store.create_logged_model(experiment_id, name="m", source_run_id=run_id).model_id
        tracking_store.log_outputs(run_id, [LoggedModelOutput(model_id=model_id, step=4)])
        outputs = tracking_store.get_run(run_id).outputs
        got = [(o.model_id, o.step) for o in (outputs.model_outputs if outputs else [])]
        assert got == [(model_id, 4)], f"run outputs: {got}"

    @clause("tracking_store/logged-models/log-inputs", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_log_inputs(self, tracking_store):
        """log_inputs(models=...) records the model as an input of the run: get_run lists it in
        ``inputs.model_inputs``."""
        from mlflow.entities import LoggedModelInput

        experiment_id = new_experiment(tracking_store)
        run_id = new_run(tracking_store, experiment_id).info.run_id
        model_id = tracking_store.create_logged_model(experiment_id, name="m").model_id
        tracking_store.log_inputs(run_id, datasets=[], models=[LoggedModelInput(model_id=model_id)])
        inputs = tracking_store.get_run(run_id).inputs
        got = [i.model_id for i in (inputs.model_inputs if inputs else [])]
        assert got == [model_id], f"run model inputs: {got}"

    @clause("tracking_store/logged-models/record-logged-model", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_record_logged_model(self, tracking_store):
        """record_logged_model appends the model's description to the run's ``mlflow.log-model.history`` tag
        (each call adds one entry)."""
        import json

        from mlflow.models import Model

        run_id = new_run(tracking_store).info.run_id
        for path in ("first", "second"):
            tracking_store.record_logged_model(run_id, Model(artifact_path=path, run_id=run_id,
                                                             flavors={"python_function": {}}))
        history = json.loads(tracking_store.get_run(run_id).data.tags.get("mlflow.log-model.history", "[]"))
        assert [entry.get("artifact_path") for entry in history] == ["first", "second"], f"history tag: {history}"

    # -- search ------------------------------------------------------------------------------------------------

    @clause("tracking_store/logged-models/search-pagination", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_search_pagination(self, tracking_store):
        """search_logged_models pages through an experiment's models with page tokens: every model once, no page
        larger than max_results."""
        experiment_id = new_experiment(tracking_store)
        ids = {tracking_store.create_logged_model(experiment_id, name=f"m{i}").model_id for i in range(5)}
        seen = [m.model_id for m in _all_models(tracking_store, [experiment_id], page_size=2)]
        assert sorted(seen) == sorted(ids), f"pages held {seen}"

    @clause("tracking_store/logged-models/search-experiment-scope", level="full", feature=LOGGED_MODELS,
            since="3.0")
    def test_logged_models_search_experiment_scope(self, tracking_store):
        """search_logged_models returns only models of the experiments it is given."""
        a, b, other = (new_experiment(tracking_store) for _ in range(3))
        wanted = {tracking_store.create_logged_model(e, name="m").model_id for e in (a, b)}
        tracking_store.create_logged_model(other, name="m")
        assert {m.model_id for m in _all_models(tracking_store, [a, b])} == wanted

    @clause("tracking_store/logged-models/search-default-order", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_search_default_order(self, tracking_store):
        """Without order_by, search_logged_models returns the newest model first (creation time descending)."""
        import time

        experiment_id = new_experiment(tracking_store)
        ids = []
        for i in range(3):
            ids.append(tracking_store.create_logged_model(experiment_id, name=f"m{i}").model_id)
            time.sleep(0.005)  # distinct creation times (milliseconds)
        assert [m.model_id for m in _all_models(tracking_store, [experiment_id])] == ids[::-1]

    @clause("tracking_store/logged-models/search-filter-name", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_search_filter_name(self, tracking_store):
        """The filter ``name = '<name>'`` returns the models with that name."""
        experiment_id = new_experiment(tracking_store)
        for i in range(3):
            tracking_store.create_logged_model(experiment_id, name=f"m{i}")
        found = _all_models(tracking_store, [experiment_id], filter_string="name = 'm1'")
        assert [m.name for m in found] == ["m1"], f"name = 'm1' found {[m.name for m in found]}"

    @clause("tracking_store/logged-models/search-filter-metric", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_search_filter_metric(self, tracking_store):
        """The filter ``metrics.<key> > <value>`` returns the models with such a metric."""
        experiment_id = new_experiment(tracking_store)
        run_id = new_run(tracking_store, experiment_id).info.run_id
        good, bad = (tracking_store.create_logged_model(experiment_id, name=n).model_id for n in ("good", "bad"))
        _model_metric(tracking_store, run_id, good, "accuracy", 0.9)
        _model_metric(tracking_store, run_id, bad, "accuracy", 0.4)
        tracking_store.create_logged_model(experiment_id, name="unmeasured")
        found = _all_models(tracking_store, [experiment_id], filter_string="metrics.accuracy > 0.5")
        assert [m.model_id for m in found] == [good], f"metrics.accuracy > 0.5 found {[m.name for m in found]}"

    @clause("tracking_store/logged-models/search-filter-param", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_search_filter_param(self, tracking_store):
        """The filter ``params.<key> = '<value>'`` returns the models with that param value."""
        from mlflow.entities import LoggedModelParameter

        experiment_id = new_experiment(tracking_store)
        match = tracking_store.create_logged_model(experiment_id, name="a",
                                                   params=[LoggedModelParameter("lr", "0.1")]).model_id
        tracking_store.create_logged_model(experiment_id, name="b", params=[LoggedModelParameter("lr", "0.2")])
        found = _all_models(tracking_store, [experiment_id], filter_string="params.lr = '0.1'")
        assert [m.model_id for m in found] == [match], f"params.lr = '0.1' found {[m.name for m in found]}"

    @clause("tracking_store/logged-models/search-filter-tag", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_search_filter_tag(self, tracking_store):
        """The filter ``tags.<key> = '<value>'`` returns the models with that tag value."""
        from mlflow.entities import LoggedModelTag

        experiment_id = new_experiment(tracking_store)
        match = tracking_store.create_logged_model(experiment_id, name="a",
                                                   tags=[LoggedModelTag("stage", "prod")]).model_id
        tracking_store.create_logged_model(experiment_id, name="b", tags=[LoggedModelTag("stage", "dev")])
        found = _all_models(tracking_store, [experiment_id], filter_string="tags.stage = 'prod'")
        assert [m.model_id for m in found] == [match], f"tags.stage = 'prod' found {[m.name for m in found]}"

    @clause("tracking_store/logged-models/search-datasets", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_search_datasets(self, tracking_store):
        """``datasets=[{"dataset_name": ...}]`` restricts a metric filter to metrics logged on that dataset."""
        experiment_id = new_experiment(tracking_store)
        run_id = new_run(tracking_store, experiment_id).info.run_id
        on_eval, on_train = (tracking_store.create_logged_model(experiment_id, name=n).model_id
                             for n in ("on-eval", "on-train"))
        _model_metric(tracking_store, run_id, on_eval, "accuracy", 0.9, dataset=("eval", "d1"))
        _model_metric(tracking_store, run_id, on_train, "accuracy", 0.9, dataset=("train", "d2"))
        found = _all_models(tracking_store, [experiment_id], filter_string="metrics.accuracy > 0.5",
                            datasets=[{"dataset_name": "eval"}])
        assert [m.model_id for m in found] == [on_eval], f"dataset 'eval' found {[m.name for m in found]}"

    @clause("tracking_store/logged-models/search-order-by-metric", level="full", feature=LOGGED_MODELS,
            since="3.0")
    def test_logged_models_search_order_by_metric(self, tracking_store):
        """``order_by=[{"field_name": "metrics.<key>", "ascending": False}]`` orders by the metric, highest first,
        models without it last."""
        experiment_id = new_experiment(tracking_store)
        run_id = new_run(tracking_store, experiment_id).info.run_id
        ids = {}
        for name, value in (("mid", 0.5), ("top", 0.9), ("none", None), ("low", 0.1)):
            ids[name] = tracking_store.create_logged_model(experiment_id, name=name).model_id
            if value is not None:
                _model_metric(tracking_store, run_id, ids[name], "accuracy", value)
        found = _all_models(tracking_store, [experiment_id],
                            order_by=[{"field_name": "metrics.accuracy", "ascending": False}])
        assert [m.name for m in found] == ["top", "mid", "low", "none"], f"order: {[m.name for m in found]}"

    @clause("tracking_store/logged-models/search-order-by-name", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_search_order_by_name(self, tracking_store):
        """``order_by=[{"field_name": "name", "ascending": True}]`` orders models by name."""
        experiment_id = new_experiment(tracking_store)
        for name in ("b", "c", "a"):
            tracking_store.create_logged_model(experiment_id, name=name)
        found = _all_models(tracking_store, [experiment_id], order_by=[{"field_name": "name", "ascending": True}])
        assert [m.name for m in found] == ["a", "b", "c"], f"order: {[m.name for m in found]}"

    @clause("tracking_store/logged-models/search-invalid-filter", level="full", feature=LOGGED_MODELS, since="3.0")
    def test_logged_models_search_invalid_filter(self, tracking_store):
        """A filter on an unknown entity type is rejected with INVALID_PARAMETER_VALUE."""
        experiment_id = new_experiment(tracking_store)
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="searching logged models with an invalid filter"):
            tracking_store.search_logged_models([experiment_id], filter_string=f"nonsense.{unique_name()} = 'x'")
