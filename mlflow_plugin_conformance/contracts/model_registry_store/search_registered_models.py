"""search_registered_models: filters, order_by, pagination and bounds."""

from __future__ import annotations

from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ..shared.pagination import all_pages
from ._helpers import rm_tag


def search_fixture(store):
    """Models ``<p>-a-1``, ``<p>-a-2``, ``<p>-b-1`` with tags team and env; returns the prefix and the names."""
    prefix = unique_name("search")
    names = {}
    for suffix, tags in (("a-1", {"team": "red", "env": "prod"}), ("a-2", {"team": "blue", "env": "prod"}),
                         ("b-1", {"team": "red", "env": "dev"})):
        name = f"{prefix}-{suffix}"
        store.create_registered_model(name, tags=[rm_tag(k, v) for k, v in tags.items()])
        names[suffix] = name
    return prefix, names


class SearchRegisteredModelClauses:
    """Clauses of the ``model_registry_store/search-registered-models/*`` family."""

    @clause("model_registry_store/search-registered-models/filter")
    def test_search_registered_models_filter(self, model_registry_store):
        """search_registered_models filters on name (=, !=, LIKE, ILIKE) and tags (=, !=, LIKE), clauses joined
        by AND."""
        store = model_registry_store
        prefix, n = search_fixture(store)

        def found(filter_string):
            return sorted(m.name for m in store.search_registered_models(filter_string=filter_string))

        scope = f"name LIKE '{prefix}-%'"
        assert found(f"name = '{n['a-1']}'") == [n["a-1"]]
        assert found(f"name LIKE '{prefix}-a-%'") == [n["a-1"], n["a-2"]]
        assert found(f"name ILIKE '{prefix.upper()}-A-%'") == [n["a-1"], n["a-2"]], "ILIKE ignores letter case"
        assert found(f"name LIKE '{prefix.upper()}-A-%'") == [], "LIKE is case-sensitive"
        assert found(f"{scope} AND name != '{n['a-1']}'") == [n["a-2"], n["b-1"]]
        assert found(f"{scope} AND tags.team = 'red'") == [n["a-1"], n["b-1"]]
        assert found(f"{scope} AND tags.team = 'red' AND tags.env = 'prod'") == [n["a-1"]]
        assert found(f"{scope} AND tags.env LIKE 'pr%'") == [n["a-1"], n["a-2"]]
        assert found(f"{scope} AND tags.team != 'red'") == [n["a-2"]]

    # MLflow 3.17: SearchModelUtils.LIST_SUPPORTED_KEYS = {"name"}; before, only run_id took a list.
    @clause("model_registry_store/search-registered-models/filter-name-in", since="3.17")
    def test_search_registered_models_filter_name_in(self, model_registry_store):
        """search_registered_models filters on ``name IN (...)``, alone and joined by AND with other clauses."""
        store = model_registry_store
        prefix, n = search_fixture(store)

        def found(filter_string):
            return sorted(m.name for m in store.search_registered_models(filter_string=filter_string))

        assert found(f"name IN ('{n['a-1']}', '{n['b-1']}')") == [n["a-1"], n["b-1"]]
        assert found(f"name IN ('{n['a-1']}', '{n['b-1']}') AND tags.env = 'prod'") == [n["a-1"]]
        assert found(f"name IN ('{prefix}-missing')") == []

    @clause("model_registry_store/search-registered-models/order-by")
    def test_search_registered_models_order_by(self, model_registry_store):
        """Results are ordered by name ascending by default; order_by accepts 'name DESC' and
        'last_updated_timestamp' (ties broken by name)."""
        store = model_registry_store
        prefix, n = search_fixture(store)
        scope = f"name LIKE '{prefix}-%'"
        default = [m.name for m in store.search_registered_models(scope)]
        assert default == sorted(n.values()), f"default order must be name ASC, got {default}"
        desc = [m.name for m in store.search_registered_models(scope, order_by=["name DESC"])]
        assert desc == sorted(n.values(), reverse=True)
        store.update_registered_model(n["a-1"], "touched last")
        by_time = store.search_registered_models(scope, order_by=["last_updated_timestamp DESC"])
        stamps = [m.last_updated_timestamp for m in by_time]
        assert stamps == sorted(stamps, reverse=True), f"not ordered by last_updated_timestamp DESC: {stamps}"
        assert by_time[0].name == n["a-1"]

    @clause("model_registry_store/search-registered-models/pagination")
    def test_search_registered_models_pagination(self, model_registry_store):
        """Paging with max_results and page_token returns every match exactly once, in order, and the last page
        has no token."""
        store = model_registry_store
        prefix = unique_name("page")
        names = [f"{prefix}-{i:02d}" for i in range(7)]
        for name in names:
            store.create_registered_model(name)
        for size in (1, 3, 7, 8):
            found, _ = all_pages(store.search_registered_models, size, filter_string=f"name LIKE '{prefix}-%'")
            got = [m.name for m in found]
            assert got == names, f"pages of {size} returned {got}"

    @clause("model_registry_store/search-registered-models/bounds-and-errors")
    def test_search_registered_models_bounds_and_errors(self, model_registry_store):
        """max_results above 1000, a page token the store did not issue, an unknown attribute or malformed
        filter, and an unknown order_by key raise INVALID_PARAMETER_VALUE."""
        store = model_registry_store
        cases = {
            "max_results=1001": lambda: store.search_registered_models(max_results=1001),
            "a bad page token": lambda: store.search_registered_models(page_token="not-a-token"),
            "an unknown attribute": lambda: store.search_registered_models("attributes.color = 'red'"),
            "a malformed filter": lambda: store.search_registered_models("name = "),
            "an unknown order_by key": lambda: store.search_registered_models(order_by=["color ASC"]),
        }
        for what, call in cases.items():
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"searching registered models with {what}"):
                call()

    @clause("model_registry_store/search-registered-models/filter-quoted-tag-key")
    def test_search_registered_models_filter_quoted_tag_key(self, model_registry_store):
        """A tag key in backticks may contain dots: search_registered_models filters on ``tags.`team.name```
        (=, LIKE) exactly as on any other key (MLflow's prompt registry finds prompts with
        ``tags.`mlflow.prompt.is_prompt` = 'true'``)."""
        store = model_registry_store
        prefix = unique_name("quoted")
        first, second = f"{prefix}-1", f"{prefix}-2"
        store.create_registered_model(first, tags=[rm_tag("team.name", "red"), rm_tag("team", "blue")])
        store.create_registered_model(second, tags=[rm_tag("team.name", "blue")])

        def found(filter_string):
            return sorted(m.name for m in store.search_registered_models(filter_string=filter_string))

        scope = f"name LIKE '{prefix}-%'"
        assert found(f"{scope} AND tags.`team.name` = 'red'") == [first]
        assert found(f"tags.`team.name` = 'blue' AND {scope}") == [second]
        assert found(f"{scope} AND tags.`team.name` LIKE '%e%'") == [first, second]
