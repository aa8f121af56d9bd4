"""Hypothesis properties and the differential state machine of the model-registry-store contract.

:class:`ModelRegistryStoreProperties` is a mixin of :class:`ModelRegistryStoreContract`; use the contract class.
The differential machine drives the store under test and a fresh MLflow registry ``SqlAlchemyStore`` on SQLite
with the same operations and compares every observable result (names mapped, timestamps ignored), so a
divergence shrinks to a short sequence of calls the author can replay.
"""

from __future__ import annotations

import uuid

import pytest

from ._support import error_code_of, raises_mlflow_error, unique_name
from .base import clause


def tags_of(entity) -> dict:
    """The tags of a registry entity as a dict (entities hold a dict; protos and some plugins a list)."""
    tags = entity.tags
    return dict(tags) if isinstance(tags, dict) else {t.key: t.value for t in tags}


def collect_pages(search, page_size: int, **kwargs) -> list:
    """Every result of a paged search (``search(max_results=, page_token=, **kwargs)``), page by page.

    Fails when a page is larger than asked, or when a token comes back twice (pagination that never ends).
    """
    results, token, seen_tokens = [], None, set()
    for _ in range(1000):
        page = search(max_results=page_size, page_token=token, **kwargs)
        assert page is not None, "the search returned None instead of a (possibly empty) PagedList"
        assert len(page) <= page_size, f"asked for max_results={page_size}, got a page of {len(page)}"
        results.extend(page)
        token = page.token
        if not token:
            return results
        assert token not in seen_tokens, f"page token {token!r} came back twice: pagination never ends"
        seen_tokens.add(token)
    pytest.fail("pagination did not end after 1000 pages", pytrace=False)


def _settings(contract=None):
    """The Hypothesis settings of the property clauses, without a deadline (every example is a round trip through
    the store, a database or a server, whose latency says nothing about correctness).

    The loaded profile (quick, ci or thorough), unless the contract subclass pins one with ``hypothesis_profile``.
    """
    from hypothesis import settings

    from ..strategies import PROFILE_PREFIX

    pinned = getattr(contract, "hypothesis_profile", None)
    parent = settings.get_profile(PROFILE_PREFIX + pinned) if pinned else settings()
    return settings(parent, deadline=None)


# -- the differential machine ----------------------------------------------------------------------------------

MODEL_NAMES = ("m0", "m1", "m2")
ALIASES = ("champion", "challenger")
TAG_KEYS = ("a", "b/c")


class _Raised:
    """What a store raised, reduced to what callers can observe: the MLflow error code (or the type)."""

    def __init__(self, exc: BaseException):
        self.code = error_code_of(exc)
        self.type = type(exc).__name__
        self.message = str(exc).splitlines()[0][:300] if str(exc) else ""

    def __repr__(self):
        return f"raised {self.code or self.type}: {self.message}"


def _mlflow_error(raised) -> bool:
    return isinstance(raised, _Raised) and raised.code is not None


def build_registry_machine(subject, reference):
    """A ``RuleBasedStateMachine`` class comparing ``subject`` with ``reference`` (both registry stores)."""
    from hypothesis import strategies as st
    from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

    from ..strategies import model_version_stages

    names = st.sampled_from(MODEL_NAMES)
    versions = st.integers(min_value=1, max_value=4)
    aliases = st.sampled_from(ALIASES)
    tag_keys = st.sampled_from(TAG_KEYS)
    texts = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=8)

    class RegistryDifferentialMachine(RuleBasedStateMachine):
        """Same operations on the store under test and on MLflow's registry SqlAlchemyStore; same observations."""

        def __init__(self):
            super().__init__()
            tag = uuid.uuid4().hex[:10]
            # equal-length prefixes keep name orderings identical in both stores; no LIKE wildcards in them
            self.prefixes = {"subject": f"dm-{tag}-s-", "reference": f"dm-{tag}-r-"}

        # -- running one operation on both stores and comparing --------------------------------------------

        def both(self, what: str, operation, observe=lambda result, prefix: result, alias_lookup=False):
            outcomes = {}
            for role, store in (("subject", subject), ("reference", reference)):
                prefix = self.prefixes[role]
                try:
                    outcomes[role] = observe(operation(store, prefix), prefix)
                except NotImplementedError:
                    if role == "subject":
                        raise
                    outcomes[role] = _Raised(NotImplementedError())
                except Exception as exc:  # compared below; the reference's own errors are data too
                    outcomes[role] = _Raised(exc)
            mine, theirs = outcomes["subject"], outcomes["reference"]
            if isinstance(theirs, _Raised) or isinstance(mine, _Raised):
                if _mlflow_error(theirs) and _mlflow_error(mine):
                    if mine.code == theirs.code or theirs.code == "INTERNAL_ERROR":
                        return
                    if alias_lookup and {mine.code, theirs.code} <= {"INVALID_PARAMETER_VALUE",
                                                                     "RESOURCE_DOES_NOT_EXIST"}:
                        return
                raise AssertionError(f"{what}: the store under test {self._say(mine)}, "
                                     f"MLflow's SqlAlchemyStore {self._say(theirs)}")
            assert mine == theirs, (f"{what}: the store under test returned\n  {mine!r}\n"
                                    f"MLflow's SqlAlchemyStore returned\n  {theirs!r}")

        @staticmethod
        def _say(outcome) -> str:
            return repr(outcome) if isinstance(outcome, _Raised) else f"returned {outcome!r}"

        # -- observations: everything a caller sees, minus clocks, with names mapped back ----------------

        @staticmethod
        def model_view(rm, prefix):
            if rm is None:
                return None
            return {
                "name": rm.name[len(prefix):] if rm.name.startswith(prefix) else rm.name,
                "description": rm.description or None,
                "tags": tags_of(rm),
                "aliases": {a: str(v) for a, v in (rm.aliases or {}).items()},
                "latest": sorted((mv.current_stage, str(mv.version)) for mv in (rm.latest_versions or [])),
            }

        @staticmethod
        def version_view(mv, prefix):
            if mv is None:
                return None
            return {
                "name": mv.name[len(prefix):] if mv.name.startswith(prefix) else mv.name,
                "version": str(mv.version),
                "stage": mv.current_stage,
                "description": mv.description or None,
                "source": mv.source,
                "run_id": mv.run_id,
                "tags": tags_of(mv),
                "aliases": sorted(mv.aliases or []),
            }

        def versions_view(self, mvs, prefix):
            return sorted(((v["name"], int(v["version"])), v) for v in (self.version_view(mv, prefix) for mv in mvs))

        # -- rules -----------------------------------------------------------------------------------------

        @initialize(tags=st.dictionaries(tag_keys, texts, min_size=1, max_size=len(TAG_KEYS)),
                    counts=st.lists(st.integers(min_value=1, max_value=3), min_size=2, max_size=2))
        def populate(self, tags, counts):
            """Start from two models with tags and versions, so most operations meet something that exists."""
            for name, count in zip(MODEL_NAMES, counts):
                self.create_model(name, None, tags)
                for _ in range(count):
                    self.create_version(name, "run-1", None)

        @rule(name=names, description=st.one_of(st.none(), texts),
              tags=st.dictionaries(tag_keys, texts, max_size=len(TAG_KEYS)))
        def create_model(self, name, description, tags):
            from mlflow.entities.model_registry import RegisteredModelTag

            given_tags = tags
            tags = [RegisteredModelTag(k, v) for k, v in given_tags.items()]
            self.both(f"create_registered_model({name!r}, description={description!r}, tags={given_tags})",
                      lambda s, p: s.create_registered_model(p + name, tags=tags, description=description),
                      self.model_view)

        @rule(name=names, run=st.sampled_from([None, "run-1", "run-2"]), description=st.one_of(st.none(), texts))
        def create_version(self, name, run, description):
            self.both(f"create_model_version({name!r}, run_id={run!r})",
                      lambda s, p: s.create_model_version(p + name, f"file:///dm/{name}", run_id=run,
                                                          description=description),
                      self.version_view)

        @rule(name=names, version=versions, stage=model_version_stages(), archive=st.booleans())
        def transition(self, name, version, stage, archive):
            self.both(f"transition_model_version_stage({name!r}, {version}, {stage!r}, {archive})",
                      lambda s, p: s.transition_model_version_stage(p + name, str(version), stage, archive),
                      self.version_view)

        @rule(name=names, alias=aliases, version=versions)
        def set_alias(self, name, alias, version):
            self.both(f"set_registered_model_alias({name!r}, {alias!r}, {version})",
                      lambda s, p: s.set_registered_model_alias(p + name, alias, str(version)))

        @rule(name=names, alias=aliases)
        def delete_alias(self, name, alias):
            self.both(f"delete_registered_model_alias({name!r}, {alias!r})",
                      lambda s, p: s.delete_registered_model_alias(p + name, alias))

        @rule(name=names, alias=aliases)
        def get_by_alias(self, name, alias):
            self.both(f"get_model_version_by_alias({name!r}, {alias!r})",
                      lambda s, p: s.get_model_version_by_alias(p + name, alias), self.version_view,
                      alias_lookup=True)

        @rule(name=names, new_name=names)
        def rename(self, name, new_name):
            self.both(f"rename_registered_model({name!r}, {new_name!r})",
                      lambda s, p: s.rename_registered_model(p + name, p + new_name), self.model_view)

        @rule(name=names)
        def delete_model(self, name):
            self.both(f"delete_registered_model({name!r})", lambda s, p: s.delete_registered_model(p + name))

        @rule(name=names, version=versions)
        def delete_version(self, name, version):
            self.both(f"delete_model_version({name!r}, {version})",
                      lambda s, p: s.delete_model_version(p + name, str(version)))

        @rule(name=names, description=texts)
        def update_model(self, name, description):
            self.both(f"update_registered_model({name!r}, {description!r})",
                      lambda s, p: s.update_registered_model(p + name, description), self.model_view)

        @rule(name=names, version=versions, key=tag_keys, value=st.one_of(st.none(), texts))
        def version_tag(self, name, version, key, value):
            from mlflow.entities.model_registry import ModelVersionTag

            if value is None:
                self.both(f"delete_model_version_tag({name!r}, {version}, {key!r})",
                          lambda s, p: s.delete_model_version_tag(p + name, str(version), key))
            else:
                self.both(f"set_model_version_tag({name!r}, {version}, {key!r}, {value!r})",
                          lambda s, p: s.set_model_version_tag(p + name, str(version), ModelVersionTag(key, value)))

        @rule(name=names, key=tag_keys, value=st.one_of(st.none(), texts))
        def model_tag(self, name, key, value):
            from mlflow.entities.model_registry import RegisteredModelTag

            if value is None:
                self.both(f"delete_registered_model_tag({name!r}, {key!r})",
                          lambda s, p: s.delete_registered_model_tag(p + name, key))
            else:
                self.both(f"set_registered_model_tag({name!r}, {key!r}, {value!r})",
                          lambda s, p: s.set_registered_model_tag(p + name, RegisteredModelTag(key, value)))

        @rule(name=names)
        def get_model(self, name):
            self.both(f"get_registered_model({name!r})", lambda s, p: s.get_registered_model(p + name),
                      self.model_view)

        @rule(name=names, version=versions)
        def get_version(self, name, version):
            self.both(f"get_model_version({name!r}, {version})",
                      lambda s, p: s.get_model_version(p + name, str(version)), self.version_view)

        @rule(name=names, stages=st.one_of(st.none(), st.lists(model_version_stages(), max_size=2)))
        def latest_versions(self, name, stages):
            self.both(f"get_latest_versions({name!r}, {stages!r})",
                      lambda s, p: s.get_latest_versions(p + name, stages),
                      lambda mvs, p: self.versions_view(mvs, p))

        @rule(tag_filter=st.one_of(st.none(), st.tuples(tag_keys, texts.filter(lambda t: "'" not in t))))
        def search_models(self, tag_filter):
            extra = f" AND tags.`{tag_filter[0]}` = '{tag_filter[1]}'" if tag_filter else ""
            self.both(f"search_registered_models(name LIKE '<prefix>%'{extra})",
                      lambda s, p: collect_pages(s.search_registered_models, 2,
                                                 filter_string=f"name LIKE '{p}%'{extra}"),
                      lambda rms, p: [self.model_view(rm, p) for rm in rms])

        @rule(run=st.one_of(st.none(), st.sampled_from(["run-1", "run-2"])))
        def search_versions(self, run):
            extra = f" AND run_id = '{run}'" if run else ""
            self.both(f"search_model_versions(name LIKE '<prefix>%'{extra})",
                      lambda s, p: collect_pages(s.search_model_versions, 3, filter_string=f"name LIKE '{p}%'{extra}",
                                                 order_by=["name ASC", "version_number ASC"]),
                      lambda mvs, p: [self.version_view(mv, p) for mv in mvs])

    return RegistryDifferentialMachine


# -- the clauses -----------------------------------------------------------------------------------------------


class ModelRegistryStoreProperties:
    """Property and state-machine clauses; mixed into ModelRegistryStoreContract (use that class)."""

    #: Pin a Hypothesis profile ("quick", "ci", "thorough") for this class's properties; None follows the run's.
    hypothesis_profile: str | None = None

    @clause("model_registry_store/properties/registered-model-round-trip")
    def test_properties_registered_model_round_trip(self, model_registry_store):
        """Any valid name (unicode, spaces, punctuation other than '/' and ':'), tags and description stored with
        create_registered_model come back unchanged from get_registered_model and from a search by name."""
        from hypothesis import example, given

        from mlflow.entities.model_registry import RegisteredModelTag

        from ..strategies import registered_model_names, registry_descriptions, registry_tags

        store = model_registry_store

        @given(name=registered_model_names(), tags=registry_tags(), description=registry_descriptions())
        @example(name=" padded name\t", tags={"a/b c:d": ""}, description="")
        @example(name="模型 ü.v1 (copy) %_'", tags={"k": "ü ✓ \n"}, description="multi\nline")
        @_settings(self)
        def round_trip(name, tags, description):
            full = f"{name}-{uuid.uuid4().hex[:8]}"
            store.create_registered_model(full, tags=[RegisteredModelTag(k, v) for k, v in tags.items()],
                                          description=description)
            model = store.get_registered_model(full)
            assert model is not None, "get_registered_model returned None"
            assert model.name == full
            assert tags_of(model) == tags
            assert (model.description or None) == (description or None), \
                f"description {description!r} came back as {model.description!r}"
            if "'" not in full and "\\" not in full:
                found = [m.name for m in store.search_registered_models(f"name = '{full}'")]
                assert found == [full], f"search by name found {found}"

        round_trip()

    @clause("model_registry_store/properties/model-version-round-trip")
    def test_properties_model_version_round_trip(self, model_registry_store):
        """Any valid version tags, description, source and run id stored with create_model_version come back
        unchanged from get_model_version; the download URI is the source."""
        from hypothesis import given
        from hypothesis import strategies as st

        from mlflow.entities.model_registry import ModelVersionTag

        from ..strategies import registry_descriptions, registry_tag_values, registry_tags

        store = model_registry_store
        name = unique_name("mv-round-trip")
        store.create_registered_model(name)

        @given(tags=registry_tags(), description=registry_descriptions(),
               path=registry_tag_values(max_size=60), run_id=st.one_of(st.none(), st.from_regex(r"[a-f0-9]{32}",
                                                                                            fullmatch=True)))
        @_settings(self)
        def round_trip(tags, description, path, run_id):
            source = f"file:///round-trip/{path}"
            mv = store.create_model_version(name, source, run_id=run_id,
                                            tags=[ModelVersionTag(k, v) for k, v in tags.items()],
                                            description=description)
            assert mv is not None, "create_model_version returned None"
            got = store.get_model_version(name, mv.version)
            assert tags_of(got) == tags
            assert (got.description or None) == (description or None)
            assert got.source == source
            assert (got.run_id or None) == run_id
            assert store.get_model_version_download_uri(name, mv.version) == source

        round_trip()

    # MLflow 3.11 (mlflow.utils.validation._validate_model_name) rejects blank names and '/' or ':'.
    @clause("model_registry_store/properties/invalid-names-rejected", since="3.11")
    def test_properties_invalid_names_rejected(self, model_registry_store):
        """Every blank name, and every name containing '/' or ':', is rejected with INVALID_PARAMETER_VALUE by
        create_registered_model and by rename, and nothing is stored."""
        from hypothesis import given

        from ..strategies import invalid_registered_model_names

        store = model_registry_store
        existing = unique_name("rename-source")
        store.create_registered_model(existing)

        @given(bad=invalid_registered_model_names())
        @_settings(self)
        def rejected(bad):
            prefix = unique_name("invalid")
            name = bad if bad.strip() == "" else prefix + bad
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"creating a model named {name!r}"):
                store.create_registered_model(name)
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"renaming a model to {name!r}"):
                store.rename_registered_model(existing, name)
            assert not list(store.search_registered_models(f"name LIKE '{prefix}%'")), "a rejected name was stored"
            assert store.get_registered_model(existing).name == existing

        rejected()

    @clause("model_registry_store/properties/aliases-round-trip")
    def test_properties_aliases_round_trip(self, model_registry_store):
        """Any valid alias resolves to the version it was set to; every reserved alias ('latest' in any case,
        'v<digits>') is rejected with INVALID_PARAMETER_VALUE."""
        from hypothesis import given

        from ..strategies import model_aliases, reserved_model_aliases

        store = model_registry_store
        name = unique_name("alias-prop")
        store.create_registered_model(name)
        for _ in range(2):
            store.create_model_version(name, "file:///alias-prop")

        @given(alias=model_aliases(), reserved=reserved_model_aliases())
        @_settings(self)
        def aliases(alias, reserved):
            store.set_registered_model_alias(name, alias, "2")
            got = store.get_model_version_by_alias(name, alias)
            assert got is not None and str(got.version) == "2", f"alias {alias!r} resolved to {got}"
            store.delete_registered_model_alias(name, alias)
            with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing=f"setting the reserved alias {reserved!r}"):
                store.set_registered_model_alias(name, reserved, "1")
            assert reserved not in store.get_registered_model(name).aliases

        aliases()

    @clause("model_registry_store/properties/differential-machine")
    def test_properties_differential_machine(self, model_registry_store, tmp_path):
        """Any sequence of create, version, stage transition, alias, rename, tag, delete and search calls gives
        the same results and the same error codes as MLflow's registry SqlAlchemyStore (timestamps ignored)."""
        from hypothesis.stateful import run_state_machine_as_test

        from ..reference import fresh_registry_store

        reference = fresh_registry_store(tmp_path / "reference")
        machine = build_registry_machine(model_registry_store, reference)
        run_state_machine_as_test(machine, settings=_settings(self))
