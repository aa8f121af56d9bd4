"""search_model_versions: filters, order_by, pagination and bounds."""

from __future__ import annotations

from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ..shared.pagination import all_pages
from ._helpers import mv_tag, new_model, new_version, version_source, versions_of


class SearchModelVersionClauses:
    """Clauses of the ``model_registry_store/search-model-versions/*`` family."""

    @clause("model_registry_store/search-model-versions/filter")
    def test_search_model_versions_filter(self, model_registry_store):
        """search_model_versions filters on name (=, LIKE, ILIKE), version_number (numeric comparisons),
        run_id (=, IN), source_path and tags; deleted versions are never returned."""
        store = model_registry_store
        prefix = unique_name("mvsearch")
        first, second = f"{prefix}-one", f"{prefix}-two"
        for name in (first, second):
            store.create_registered_model(name)
        new_version(store, first, source=version_source("s/1"), run_id="run-a", tags=[mv_tag("env", "prod")])
        new_version(store, first, source=version_source("s/2"), run_id="run-b", tags=[mv_tag("env", "dev")])
        new_version(store, first, source=version_source("s/3"), run_id="run-c")
        new_version(store, second, source=version_source("s/4"), run_id="run-a", tags=[mv_tag("env", "prod")])
        store.delete_model_version(first, "3")

        def found(filter_string):
            return sorted(versions_of(store.search_model_versions(filter_string)))

        scope = f"name LIKE '{prefix}-%'"
        assert found(f"name = '{first}'") == [(first, "1"), (first, "2")], "a deleted version was returned"
        assert found(f"name ILIKE '{prefix.upper()}-T%'") == [(second, "1")]
        assert found(f"{scope} AND version_number = 1") == [(first, "1"), (second, "1")]
        assert found(f"{scope} AND version_number >= 2") == [(first, "2")]
        assert found(f"{scope} AND version_number < 2") == [(first, "1"), (second, "1")]
        assert found(f"{scope} AND run_id = 'run-a'") == [(first, "1"), (second, "1")]
        assert found(f"{scope} AND run_id IN ('run-b', 'run-c')") == [(first, "2")]
        assert found(f"{scope} AND source_path = '{version_source('s/2')}'") == [(first, "2")]
        assert found(f"{scope} AND tags.env = 'prod'") == [(first, "1"), (second, "1")]
        assert found(f"{scope} AND tags.env LIKE 'd%'") == [(first, "2")]

    # MLflow 3.17: SearchModelVersionUtils.LIST_SUPPORTED_KEYS = {"name", "run_id"}; before, only run_id.
    @clause("model_registry_store/search-model-versions/filter-name-in", since="3.17")
    def test_search_model_versions_filter_name_in(self, model_registry_store):
        """search_model_versions filters on ``name IN (...)``; deleted versions are never returned."""
        store = model_registry_store
        prefix = unique_name("mvsearch-in")
        first, second, third = f"{prefix}-one", f"{prefix}-two", f"{prefix}-three"
        for name in (first, second, third):
            store.create_registered_model(name)
            new_version(store, name)
        new_version(store, first)
        store.delete_model_version(first, "2")
        got = sorted(versions_of(store.search_model_versions(f"name IN ('{first}', '{second}')")))
        assert got == [(first, "1"), (second, "1")]
        got = sorted(versions_of(store.search_model_versions(f"name IN ('{first}', '{third}') AND version_number = 1")))
        assert got == [(first, "1"), (third, "1")]

    @clause("model_registry_store/search-model-versions/order-by")
    def test_search_model_versions_order_by(self, model_registry_store):
        """order_by accepts name, version_number, creation_timestamp and last_updated_timestamp with ASC/DESC;
        version_number orders numerically (10 after 9)."""
        store = model_registry_store
        name = new_model(store)
        for _ in range(11):
            new_version(store, name)
        asc = [int(mv.version) for mv in store.search_model_versions(f"name = '{name}'",
                                                                      order_by=["version_number ASC"])]
        assert asc == list(range(1, 12)), f"version_number ASC gave {asc}"
        desc = [int(mv.version) for mv in store.search_model_versions(f"name = '{name}'",
                                                                       order_by=["version_number DESC"])]
        assert desc == list(range(11, 0, -1)), f"version_number DESC gave {desc}"
        created = [mv.creation_timestamp for mv in store.search_model_versions(
            f"name = '{name}'", order_by=["creation_timestamp ASC"])]
        assert created == sorted(created)

    @clause("model_registry_store/search-model-versions/pagination")
    def test_search_model_versions_pagination(self, model_registry_store):
        """Paging search_model_versions returns every match exactly once, in order, and ends with no token."""
        store = model_registry_store
        name = new_model(store)
        for _ in range(7):
            new_version(store, name)
        expected = [(name, str(v)) for v in range(1, 8)]
        for size in (1, 2, 7, 10):
            found, _ = all_pages(store.search_model_versions, size, filter_string=f"name = '{name}'",
                                 order_by=["version_number ASC"])
            got = versions_of(found)
            assert got == expected, f"pages of {size} returned {got}"

    @clause("model_registry_store/search-model-versions/bounds-and-errors")
    def test_search_model_versions_bounds_and_errors(self, model_registry_store):
        """max_results below 1 or above 200000, a bad page token, an unknown attribute and an unknown order_by
        key raise INVALID_PARAMETER_VALUE."""
        store = model_registry_store
        cases = {
            "max_results=0": lambda: store.search_model_versions(max_results=0),
            "max_results=200001": lambda: store.search_model_versions(max_results=200_001),
            "a bad page token": lambda: store.search_model_versions(page_token="not-a-token"),
            "an unknown attribute": lambda: store.search_model_versions("color = 'red'"),
            "an unknown order_by key": lambda: store.search_model_versions(order_by=["color ASC"]),
        }
        for what, call in cases.items():
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"searching model versions with {what}"):
                call()

    # MLflow 3.17: SqlAlchemyStore._get_search_model_versions_filter_clauses converts numeric attribute values
    # with int() and raises INVALID_PARAMETER_VALUE ("Invalid value for numeric attribute").
    @clause("model_registry_store/search-model-versions/non-integer-version-number", since="3.17")
    def test_search_model_versions_non_integer_version_number(self, model_registry_store):
        """A version_number compared with a non-integer value raises INVALID_PARAMETER_VALUE."""
        store = model_registry_store
        for value in ("'abc'", "'1.5'"):
            with raises_mlflow_error("INVALID_PARAMETER_VALUE",
                                     doing=f"searching model versions with version_number = {value}"):
                store.search_model_versions(f"version_number = {value}")

    @clause("model_registry_store/search-model-versions/filter-quoted-tag-key")
    def test_search_model_versions_filter_quoted_tag_key(self, model_registry_store):
        """A tag key in backticks may contain dots: search_model_versions filters on ``tag.`team.name``` and
        ``tags.`team.name``` exactly as on any other key (MLflow's prompt registry lists a prompt's versions with
        ``tag.`mlflow.prompt.is_prompt` = 'true'``)."""
        store = model_registry_store
        name = new_model(store)
        new_version(store, name, tags=[mv_tag("team.name", "red"), mv_tag("team", "blue")])
        new_version(store, name, tags=[mv_tag("team.name", "blue")])

        def found(filter_string):
            return sorted(versions_of(store.search_model_versions(filter_string)))

        assert found(f"name = '{name}' AND tag.`team.name` = 'red'") == [(name, "1")]
        assert found(f"tags.`team.name` = 'blue' AND name = '{name}'") == [(name, "2")]
        assert found(f"name = '{name}' AND tag.`team.name` LIKE '%e%'") == [(name, "1"), (name, "2")]
