"""The prompt registry (feature ``model_registry_store.prompts``).

MLflow's registry base class implements every prompt method as a default built on the core methods: a prompt is a
registered model tagged ``mlflow.prompt.is_prompt = true``, a prompt version is a model version whose tags hold the
template, and prompt aliases and tags are model aliases and tags. A store inherits these defaults, so a bug in a
core method (most often in tag filters) breaks the prompt registry without the store knowing. When a prompt clause
fails because a core behaviour it is built on fails, it reports ``blocked`` by the core clause that checks that
behaviour, so one bug reads as one failure; otherwise it fails naming the call MLflow's default makes.

The ``since`` of each clause is the MLflow release whose registry base class first implements what it checks:
the prompt methods appeared in 3.1, chat templates and response formats in 3.2, the ``experiment_id`` filter of
``search_prompts`` in 3.7, model configs in 3.8 and ``search_prompt_versions`` (before: "Unity Catalog only") in
3.11.
"""

from __future__ import annotations

import contextlib
import json

import pytest

from ...outcomes import blocked_by, is_not_implemented, not_run
from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ..shared.mlflow_uris import mlflow_pointed_at
from ..shared.pagination import all_pages
from ._helpers import (
    ALIAS_NOT_FOUND_CODES,
    mv_tag,
    new_model,
    new_version,
    not_none,
    rm_tag,
    search_misses_quoted_tag_key,
    versions_of,
)

PROMPTS = "model_registry_store.prompts"
IS_PROMPT = "mlflow.prompt.is_prompt"
LINKED_PROMPTS = "mlflow.linkedPrompts"
RM_QUOTED_TAG_FILTER = "model_registry_store/search-registered-models/filter-quoted-tag-key"
MV_QUOTED_TAG_FILTER = "model_registry_store/search-model-versions/filter-quoted-tag-key"
RM_TAG_LIKE_FILTER = "model_registry_store/search-registered-models/filter"
MV_TAG_VALUE_LIMIT = "model_registry_store/model-versions/tag-value-limit"


def new_prompt(store, prefix: str = "prompt", **kwargs) -> str:
    """Create a prompt with a unique name and return the name."""
    name = unique_name(prefix)
    not_none(store.create_prompt(name, **kwargs), "create_prompt")
    return name


def linked(tag_value) -> list:
    """The ``{"name", "version"}`` entries of a ``mlflow.linkedPrompts`` tag (a JSON list), [] when unset."""
    return json.loads(tag_value) if tag_value else []


@contextlib.contextmanager
def _tracking_side(tracking_uri: str, what: str):
    """The body prepares the tracking-store side of a link; when the tracking store at ``tracking_uri`` does not
    offer ``what`` (NotImplementedError), the clause cannot check the registry store: not-run."""
    try:
        yield
    except Exception as exc:
        if is_not_implemented(exc):
            not_run(f"the tracking store at {tracking_uri} has no {what} to link a prompt to "
                    f"({type(exc).__name__}); set registry_tracking_uri to one that has")
        raise


def _explain_prompt_search_miss(store, what: str, filter_used: str) -> str:
    """Why ``what`` (a prompt search) missed: blocked by the core tag filter when that is broken, else a message
    naming the call MLflow's default makes."""
    if search_misses_quoted_tag_key(store, versions=False):
        blocked_by(RM_QUOTED_TAG_FILTER, f"{what} is MLflow's search_registered_models with the filter "
                                         f"{filter_used!r}, and the store's registered-model tag filters miss a "
                                         f"quoted tag key")
    return (f"{what} missed a prompt: MLflow's default runs search_registered_models with the filter "
            f"{filter_used!r}, and the store answered without the prompt (its tag filter or its prompt handling "
            "is incomplete)")


class PromptClauses:
    """Clauses of the ``model_registry_store/prompts/*`` family."""

    @clause("model_registry_store/prompts/create-and-get", level="full", feature=PROMPTS, since="3.1")
    def test_prompts_create_and_get(self, model_registry_store):
        """create_prompt stores the name, description and tags; get_prompt returns them, with MLflow's internal
        ``mlflow.prompt.is_prompt`` tag hidden from the tags."""
        store = model_registry_store
        name = unique_name("prompt")
        created = not_none(store.create_prompt(name, description="a prompt", tags={"team": "x", "ü": "✓"}),
                           "create_prompt")
        assert (created.name, created.description) == (name, "a prompt")
        got = not_none(store.get_prompt(name), "get_prompt")
        assert (got.name, got.description) == (name, "a prompt")
        assert got.tags == {"team": "x", "ü": "✓"}, f"get_prompt returned the tags {got.tags}"

    @clause("model_registry_store/prompts/get-not-a-prompt", level="full", feature=PROMPTS, since="3.1")
    def test_prompts_get_not_a_prompt(self, model_registry_store):
        """get_prompt answers None for a name that is not a prompt: an unknown name, or a registered model."""
        store = model_registry_store
        model = new_model(store)
        assert store.get_prompt(unique_name("missing")) is None, "get_prompt of an unknown name must be None"
        found = store.get_prompt(model)
        assert found is None, f"get_prompt of the registered model {model!r} returned {found!r} instead of None"

    @clause("model_registry_store/prompts/duplicate-name", level="full", feature=PROMPTS, since="3.1")
    def test_prompts_duplicate_name(self, model_registry_store):
        """Creating a prompt whose name is taken, by a prompt or by a registered model, raises
        RESOURCE_ALREADY_EXISTS and leaves the existing entity as it was (a prompt and a model never share a
        name)."""
        store = model_registry_store
        prompt = new_prompt(store, description="first")
        model = new_model(store, description="model")
        with raises_mlflow_error("RESOURCE_ALREADY_EXISTS", doing="creating a prompt whose name is a prompt"):
            store.create_prompt(prompt, description="second")
        with raises_mlflow_error("RESOURCE_ALREADY_EXISTS", doing="creating a prompt named like a model"):
            store.create_prompt(model, description="second")
        assert store.get_prompt(prompt).description == "first"
        assert store.get_prompt(model) is None, "the registered model became a prompt"
        assert store.get_registered_model(model).description == "model"

    @clause("model_registry_store/prompts/version-round-trip", level="full", feature=PROMPTS, since="3.1")
    def test_prompts_version_round_trip(self, model_registry_store):
        """create_prompt_version numbers a prompt's versions 1, 2, ...; get_prompt_version(name, n) returns
        version n's template, commit message and version tags (MLflow's internal tags hidden)."""
        store = model_registry_store
        name = new_prompt(store)
        first = not_none(store.create_prompt_version(name, "Hello {{name}}", description="first",
                                                     tags={"author": "ü"}), "create_prompt_version")
        second = store.create_prompt_version(name, "Hi {{name}}!", description="second")
        assert (int(first.version), int(second.version)) == (1, 2), \
            f"versions numbered {first.version}, {second.version}"
        got = not_none(store.get_prompt_version(name, 1), "get_prompt_version")
        assert (got.name, int(got.version)) == (name, 1)
        assert (got.template, got.commit_message) == ("Hello {{name}}", "first")
        assert got.tags == {"author": "ü"}, f"version 1 has the tags {got.tags}"
        again = store.get_prompt_version(name, "2")
        assert (again.template, again.commit_message, again.tags) == ("Hi {{name}}!", "second", {})

    @clause("model_registry_store/prompts/long-template", level="full", feature=PROMPTS, since="3.1")
    def test_prompts_long_template(self, model_registry_store):
        """A template of 100000 characters (MLflow's limit for the version tag that holds it) comes back whole."""
        store = model_registry_store
        name = new_prompt(store)
        template = "{{question}} " + "x" * (100_000 - len("{{question}} ") - 1) + "é"
        store.create_prompt_version(name, template)
        got = store.get_prompt_version(name, 1).template
        if got != template:
            probe = new_model(store)
            new_version(store, probe, tags=[mv_tag("long", template)])
            if store.get_model_version(probe, "1").tags.get("long") != template:
                blocked_by(MV_TAG_VALUE_LIMIT, "a prompt's template is a model-version tag, and the store does "
                                               "not keep a 100000-character version tag value")
        assert got == template, f"the template came back with {len(got)} of {len(template)} characters"

    @clause("model_registry_store/prompts/chat-template", level="full", feature=PROMPTS, since="3.2")
    def test_prompts_chat_template(self, model_registry_store):
        """A chat template (a list of role/content messages) comes back as the same list, as a chat prompt."""
        store = model_registry_store
        name = new_prompt(store)
        messages = [{"role": "system", "content": "You answer in {{language}}."},
                    {"role": "user", "content": "Translate {{text}} ✓"}]
        store.create_prompt_version(name, messages)
        got = store.get_prompt_version(name, 1)
        assert got.template == messages, f"the chat template came back as {got.template!r}"
        assert not got.is_text_prompt, "a chat template came back as a text prompt"

    @clause("model_registry_store/prompts/response-format", level="full", feature=PROMPTS, since="3.2")
    def test_prompts_response_format(self, model_registry_store):
        """A version's response_format (a JSON schema) comes back unchanged from get_prompt_version."""
        store = model_registry_store
        name = new_prompt(store)
        schema = {"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]}
        store.create_prompt_version(name, "Answer {{q}}", response_format=schema)
        got = store.get_prompt_version(name, 1).response_format
        assert got == schema, f"the response format came back as {got!r}"

    @clause("model_registry_store/prompts/model-config", level="full", feature=PROMPTS, since="3.8")
    def test_prompts_model_config(self, model_registry_store):
        """A version's model_config (model name and sampling settings) comes back unchanged from
        get_prompt_version."""
        store = model_registry_store
        name = new_prompt(store)
        config = {"model_name": "gpt-x", "temperature": 0.25, "max_tokens": 128}
        store.create_prompt_version(name, "Answer {{q}}", model_config=config)
        got = store.get_prompt_version(name, 1).model_config
        assert got == config, f"the model config came back as {got!r}"

    @clause("model_registry_store/prompts/version-of-a-model-rejected", level="full", feature=PROMPTS,
            since="3.1")
    def test_prompts_version_of_a_model_rejected(self, model_registry_store):
        """get_prompt_version of a registered model's version raises INVALID_PARAMETER_VALUE: a model version is
        never served as a prompt (``load_prompt`` of a model's name fails instead of returning its source)."""
        store = model_registry_store
        model = new_model(store)
        new_version(store, model)
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="getting a registered model's version as a prompt"):
            got = store.get_prompt_version(model, 1)
            pytest.fail(f"get_prompt_version returned {got!r} for version 1 of the registered model {model!r}",
                        pytrace=False)

    @clause("model_registry_store/prompts/unknown-version", level="full", feature=PROMPTS, since="3.1")
    def test_prompts_unknown_version(self, model_registry_store):
        """get_prompt_version of a version or a prompt that does not exist raises RESOURCE_DOES_NOT_EXIST
        (``load_prompt(..., allow_missing=True)`` turns exactly that into None)."""
        store = model_registry_store
        name = new_prompt(store)
        store.create_prompt_version(name, "Hello")
        for prompt, version, what in ((name, 7, "an unknown version"),
                                      (unique_name("missing"), 1, "an unknown prompt")):
            with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing=f"getting {what}"):
                got = store.get_prompt_version(prompt, version)
                pytest.fail(f"get_prompt_version of {what} returned {got!r} instead of raising", pytrace=False)

    @clause("model_registry_store/prompts/aliases", level="full", feature=PROMPTS, since="3.1")
    def test_prompts_aliases(self, model_registry_store):
        """set_prompt_alias points an alias at a version: get_prompt_version_by_alias (``prompts:/name@alias``)
        returns it, the version lists the alias, and setting the alias again moves it."""
        store = model_registry_store
        name = new_prompt(store)
        store.create_prompt_version(name, "one")
        store.create_prompt_version(name, "two")
        store.set_prompt_alias(name, "production", 1)
        got = not_none(store.get_prompt_version_by_alias(name, "production"), "get_prompt_version_by_alias")
        assert (int(got.version), got.template) == (1, "one")
        assert "production" in got.aliases, f"version 1 lists the aliases {got.aliases}"
        store.set_prompt_alias(name, "production", "2")
        moved = store.get_prompt_version_by_alias(name, "production")
        assert (int(moved.version), moved.template) == (2, "two"), "setting the alias again did not move it"
        assert "production" not in store.get_prompt_version(name, 1).aliases

    @clause("model_registry_store/prompts/alias-delete", level="full", feature=PROMPTS, since="3.1")
    def test_prompts_alias_delete(self, model_registry_store):
        """delete_prompt_alias removes the alias: resolving it raises INVALID_PARAMETER_VALUE or
        RESOURCE_DOES_NOT_EXIST (or answers None, the base class's documented 'not found'); other aliases stay."""
        store = model_registry_store
        name = new_prompt(store)
        store.create_prompt_version(name, "one")
        store.set_prompt_alias(name, "production", 1)
        store.set_prompt_alias(name, "keep", 1)
        store.delete_prompt_alias(name, "production")
        from mlflow.exceptions import MlflowException

        try:
            gone = store.get_prompt_version_by_alias(name, "production")
        except MlflowException as exc:
            if exc.error_code == "NOT_IMPLEMENTED":
                raise
            assert exc.error_code in ALIAS_NOT_FOUND_CODES, \
                f"resolving a deleted prompt alias raised {exc.error_code}, expected one of {ALIAS_NOT_FOUND_CODES}"
        else:
            assert gone is None, f"the deleted alias still resolves to version {gone.version}"
        assert int(store.get_prompt_version_by_alias(name, "keep").version) == 1

    @clause("model_registry_store/prompts/prompt-tags", level="full", feature=PROMPTS, since="3.1")
    def test_prompts_prompt_tags(self, model_registry_store):
        """set_prompt_tag adds or overwrites a prompt tag and delete_prompt_tag removes it; get_prompt shows the
        result, and the internal is-prompt tag survives (the prompt stays a prompt)."""
        store = model_registry_store
        name = new_prompt(store, tags={"a": "1"})
        store.set_prompt_tag(name, "b", "2")
        store.set_prompt_tag(name, "a", "overwritten")
        assert store.get_prompt(name).tags == {"a": "overwritten", "b": "2"}
        store.delete_prompt_tag(name, "a")
        got = store.get_prompt(name)
        assert got is not None, "after delete_prompt_tag the name is no longer a prompt"
        assert got.tags == {"b": "2"}, f"get_prompt returned the tags {got.tags}"

    @clause("model_registry_store/prompts/version-tags", level="full", feature=PROMPTS, since="3.1")
    def test_prompts_version_tags(self, model_registry_store):
        """set_prompt_version_tag adds or overwrites a tag of one version and delete_prompt_version_tag removes
        it; the template and the other versions are untouched."""
        store = model_registry_store
        name = new_prompt(store)
        store.create_prompt_version(name, "one", tags={"shared": "v1"})
        store.create_prompt_version(name, "two", tags={"shared": "v2"})
        store.set_prompt_version_tag(name, 1, "a", "1")
        store.set_prompt_version_tag(name, "1", "a", "overwritten")
        store.delete_prompt_version_tag(name, 1, "shared")
        got = store.get_prompt_version(name, 1)
        assert got.tags == {"a": "overwritten"}, f"version 1 has the tags {got.tags}"
        assert got.template == "one"
        assert store.get_prompt_version(name, 2).tags == {"shared": "v2"}, "a tag of another version changed"

    @clause("model_registry_store/prompts/search", level="full", feature=PROMPTS, since="3.1")
    def test_prompts_search(self, model_registry_store):
        """search_prompts finds prompts by name (=, LIKE) and by prompt tag, with their description and tags.

        MLflow's default is search_registered_models with ``tags.`mlflow.prompt.is_prompt` = 'true'`` added to
        the filter: a store whose tag filters miss that quoted key loses every prompt (reported as blocked by
        search-registered-models/filter-quoted-tag-key)."""
        store = model_registry_store
        prefix = unique_name("psearch")
        red, blue = f"{prefix}-red", f"{prefix}-blue"
        store.create_prompt(red, description="red one", tags={"team": "red"})
        store.create_prompt(blue, tags={"team": "blue"})

        def found(filter_string):
            prompts, _ = all_pages(store.search_prompts, 100, filter_string=filter_string)
            return {p.name: p for p in prompts}

        scope = f"name LIKE '{prefix}-%'"
        every = found(scope)
        if sorted(every) != sorted([red, blue]):
            pytest.fail(_explain_prompt_search_miss(store, f"search_prompts({scope!r})",
                                                    f"tags.`{IS_PROMPT}` = 'true' AND {scope}")
                        + f"; found {sorted(every)}", pytrace=False)
        assert (every[red].description, every[red].tags) == ("red one", {"team": "red"}), \
            f"search_prompts returned {every[red].description!r} and the tags {every[red].tags}"
        assert sorted(found(f"name = '{blue}'")) == [blue]
        assert sorted(found(f"{scope} AND tags.team = 'red'")) == [red]

    @clause("model_registry_store/prompts/search-excludes-models", level="full", feature=PROMPTS, since="3.1")
    def test_prompts_search_excludes_models(self, model_registry_store):
        """search_prompts never returns a registered model, even one matching the filter."""
        store = model_registry_store
        prefix = unique_name("pmix")
        prompt, model = f"{prefix}-prompt", f"{prefix}-model"
        store.create_prompt(prompt)
        store.create_registered_model(model, tags=[rm_tag("team", "red")])
        prompts, _ = all_pages(store.search_prompts, 100, filter_string=f"name LIKE '{prefix}-%'")
        names = sorted(p.name for p in prompts)
        assert model not in names, f"search_prompts returned the registered model {model!r}"

    @clause("model_registry_store/prompts/not-in-model-search", level="full", feature=PROMPTS, since="3.1")
    def test_prompts_not_in_model_search(self, model_registry_store):
        """A prompt never appears in search_registered_models (without a filter on the is-prompt tag), nor its
        versions in search_model_versions: the Models page and ``models:/`` URIs never see prompts."""
        store = model_registry_store
        prefix = unique_name("phide")
        prompt, model = f"{prefix}-prompt", f"{prefix}-model"
        store.create_prompt(prompt)
        store.create_prompt_version(prompt, "Hello")
        store.create_registered_model(model)
        new_version(store, model)
        models = sorted(m.name for m in store.search_registered_models(f"name LIKE '{prefix}-%'"))
        assert models == [model], f"search_registered_models returned {models}"
        got = sorted(versions_of(store.search_model_versions(f"name LIKE '{prefix}-%'")))
        assert got == [(model, "1")], f"search_model_versions returned {got}"

    @clause("model_registry_store/prompts/search-pagination", level="full", feature=PROMPTS, since="3.1")
    def test_prompts_search_pagination(self, model_registry_store):
        """Paging search_prompts with max_results and page_token returns every matching prompt exactly once and
        ends with no token."""
        store = model_registry_store
        prefix = unique_name("ppage")
        names = [f"{prefix}-{i}" for i in range(5)]
        for name in names:
            store.create_prompt(name)
        scope = f"name LIKE '{prefix}-%'"
        for size in (1, 2, 5):
            prompts, _ = all_pages(store.search_prompts, size, filter_string=scope)
            got = [p.name for p in prompts]
            if not got:
                pytest.fail(_explain_prompt_search_miss(store, f"search_prompts({scope!r})",
                                                        f"tags.`{IS_PROMPT}` = 'true' AND {scope}"), pytrace=False)
            assert sorted(got) == names, f"pages of {size} returned {got}"

    @clause("model_registry_store/prompts/search-by-experiment", level="full", feature=PROMPTS, since="3.7")
    def test_prompts_search_by_experiment(self, model_registry_store):
        """search_prompts(filter_string="experiment_id = 'N'") finds the prompts linked to experiment N (the
        comma-separated ``_mlflow_experiment_ids`` prompt tag ``load_prompt`` maintains) and no others."""
        store = model_registry_store
        prefix = unique_name("pexp")
        linked_prompt, other = f"{prefix}-linked", f"{prefix}-other"
        store.create_prompt(linked_prompt, tags={"_mlflow_experiment_ids": ",3,17,"})
        store.create_prompt(other, tags={"_mlflow_experiment_ids": ",1,"})
        flt = f"experiment_id = '17' AND name LIKE '{prefix}-%'"
        prompts, _ = all_pages(store.search_prompts, 100, filter_string=flt)
        got = sorted(p.name for p in prompts)
        if linked_prompt not in got:
            message = _explain_prompt_search_miss(
                store, f"search_prompts({flt!r})",
                f"tags._mlflow_experiment_ids LIKE '%,17,%' AND tags.`{IS_PROMPT}` = 'true' AND name LIKE ...")
            probe = new_model(store, tags=[rm_tag("_mlflow_experiment_ids", ",3,17,")])
            hits = [m.name for m in store.search_registered_models(
                f"name = '{probe}' AND tags._mlflow_experiment_ids LIKE '%,17,%'")]
            if hits != [probe]:
                blocked_by(RM_TAG_LIKE_FILTER, "MLflow's default turns experiment_id = 'N' into the tag filter "
                                               "tags._mlflow_experiment_ids LIKE '%,N,%', which the store's "
                                               "registered-model search does not answer")
            pytest.fail(message, pytrace=False)
        assert got == [linked_prompt], f"experiment_id = '17' found {got}, expected only {linked_prompt!r}"

    @clause("model_registry_store/prompts/search-versions", level="full", feature=PROMPTS, since="3.11")
    def test_prompts_search_versions(self, model_registry_store):
        """search_prompt_versions returns every version of the prompt, newest first, page by page.

        MLflow's default is search_model_versions with ``name = '<name>' AND tag.`mlflow.prompt.is_prompt` =
        'true'``: a store whose version tag filters miss that quoted key loses them (reported as blocked by
        search-model-versions/filter-quoted-tag-key)."""
        store = model_registry_store
        name = new_prompt(store)
        for text in ("one", "two", "three"):
            store.create_prompt_version(name, text)
        for size in (1, 3):
            versions, _ = all_pages(lambda max_results, page_token: store.search_prompt_versions(
                name, max_results=max_results, page_token=page_token), size)
            got = [(int(v.version), v.template) for v in versions]
            if not got and search_misses_quoted_tag_key(store, versions=True):
                blocked_by(MV_QUOTED_TAG_FILTER, "search_prompt_versions is MLflow's search_model_versions with "
                                                 f"the filter tag.`{IS_PROMPT}` = 'true', and the store's version "
                                                 "tag filters miss a quoted tag key")
            assert got == [(3, "three"), (2, "two"), (1, "one")], f"pages of {size} returned {got}"

    @clause("model_registry_store/prompts/search-versions-of-a-model-rejected", level="full", feature=PROMPTS,
            since="3.11")
    def test_prompts_search_versions_of_a_model_rejected(self, model_registry_store):
        """search_prompt_versions of a registered model raises INVALID_PARAMETER_VALUE."""
        store = model_registry_store
        model = new_model(store)
        new_version(store, model)
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="searching a registered model's prompt versions"):
            got = store.search_prompt_versions(model)
            pytest.fail(f"search_prompt_versions of the registered model {model!r} returned {list(got)}",
                        pytrace=False)

    @clause("model_registry_store/prompts/delete-version", level="full", feature=PROMPTS, since="3.1")
    def test_prompts_delete_version(self, model_registry_store):
        """delete_prompt_version removes that version only: getting it raises RESOURCE_DOES_NOT_EXIST, the other
        versions and the prompt stay."""
        store = model_registry_store
        name = new_prompt(store)
        store.create_prompt_version(name, "one")
        store.create_prompt_version(name, "two")
        store.delete_prompt_version(name, 1)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a deleted prompt version"):
            got = store.get_prompt_version(name, 1)
            pytest.fail(f"the deleted version 1 is still returned: {got!r}", pytrace=False)
        assert store.get_prompt_version(name, 2).template == "two"
        assert store.get_prompt(name) is not None, "deleting a version deleted the prompt"

    @clause("model_registry_store/prompts/delete", level="full", feature=PROMPTS, since="3.1")
    def test_prompts_delete(self, model_registry_store):
        """delete_prompt removes the prompt with its versions and aliases: get_prompt answers None, its versions
        raise RESOURCE_DOES_NOT_EXIST, and the name can be used again."""
        store = model_registry_store
        name = new_prompt(store)
        store.create_prompt_version(name, "one")
        store.set_prompt_alias(name, "production", 1)
        store.delete_prompt(name)
        assert store.get_prompt(name) is None, "get_prompt still returns the deleted prompt"
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="getting a version of a deleted prompt"):
            store.get_prompt_version(name, 1)
        store.create_prompt(name)
        assert int(store.create_prompt_version(name, "again").version) == 1

    @clause("model_registry_store/prompts/link-to-run", level="full", feature=PROMPTS, since="3.1")
    def test_prompts_link_to_run(self, model_registry_store, registry_tracking_uri):
        """link_prompt_version_to_run records ``{"name", "version"}`` in the run's ``mlflow.linkedPrompts`` tag
        (a JSON list, which the UI reads), once per version however often it is linked.

        MLflow's default reads the prompt version from the registry store and writes the tag through the tracking
        store of MLflow's tracking URI (``registry_tracking_uri`` here)."""
        from mlflow import MlflowClient

        store = model_registry_store
        name = new_prompt(store)
        store.create_prompt_version(name, "one")
        store.create_prompt_version(name, "two")
        client = MlflowClient(tracking_uri=registry_tracking_uri)
        run_id = client.create_run(client.create_experiment(unique_name("prompt-links"))).info.run_id
        with mlflow_pointed_at(tracking_uri=registry_tracking_uri):
            store.link_prompt_version_to_run(name, "1", run_id)
            store.link_prompt_version_to_run(name, "2", run_id)
            store.link_prompt_version_to_run(name, "1", run_id)
        got = linked(client.get_run(run_id).data.tags.get(LINKED_PROMPTS))
        assert got == [{"name": name, "version": "1"}, {"name": name, "version": "2"}], \
            f"the run's {LINKED_PROMPTS} tag holds {got}"

    @clause("model_registry_store/prompts/link-to-model", level="full", feature=PROMPTS, since="3.1")
    def test_prompts_link_to_model(self, model_registry_store, registry_tracking_uri):
        """link_prompt_version_to_model records ``{"name", "version"}`` in the logged model's
        ``mlflow.linkedPrompts`` tag, once however often it is linked."""
        from mlflow import MlflowClient

        store = model_registry_store
        name = new_prompt(store)
        store.create_prompt_version(name, "one")
        client = MlflowClient(tracking_uri=registry_tracking_uri)
        experiment_id = client.create_experiment(unique_name("prompt-links"))
        with _tracking_side(registry_tracking_uri, "logged models"):
            model_id = client.create_logged_model(experiment_id).model_id
        with mlflow_pointed_at(tracking_uri=registry_tracking_uri):
            store.link_prompt_version_to_model(name, "1", model_id)
            store.link_prompt_version_to_model(name, "1", model_id)
        got = linked(client.get_logged_model(model_id).tags.get(LINKED_PROMPTS))
        assert got == [{"name": name, "version": "1"}], f"the logged model's {LINKED_PROMPTS} tag holds {got}"

    @clause("model_registry_store/prompts/link-to-trace", level="full", feature=PROMPTS, since="3.2")
    def test_prompts_link_to_trace(self, model_registry_store, registry_tracking_uri):
        """link_prompts_to_trace records each ``{"name", "version"}`` in the trace's ``mlflow.linkedPrompts``
        tag, once however often it is linked."""
        import time
        import uuid

        from mlflow import MlflowClient
        from mlflow.entities import TraceInfo, TraceLocation, TraceState
        from mlflow.tracing.client import TracingClient
        from mlflow.tracking import _get_store

        store = model_registry_store
        name = new_prompt(store)
        versions = [store.create_prompt_version(name, text) for text in ("one", "two")]
        client = MlflowClient(tracking_uri=registry_tracking_uri)
        experiment_id = client.create_experiment(unique_name("prompt-links"))
        trace_id = f"tr-{uuid.uuid4().hex}"
        with mlflow_pointed_at(tracking_uri=registry_tracking_uri):
            with _tracking_side(registry_tracking_uri, "traces"):
                _get_store().start_trace(TraceInfo(
                    trace_id=trace_id, trace_location=TraceLocation.from_experiment_id(experiment_id),
                    request_time=int(time.time() * 1000), state=TraceState.OK, execution_duration=1))
            store.link_prompts_to_trace(versions, trace_id)
            store.link_prompts_to_trace(versions[:1], trace_id)
            tags = TracingClient(registry_tracking_uri).get_trace_info(trace_id).tags
        got = linked(tags.get(LINKED_PROMPTS))
        assert got == [{"name": name, "version": "1"}, {"name": name, "version": "2"}], \
            f"the trace's {LINKED_PROMPTS} tag holds {got}"
