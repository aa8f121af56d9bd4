"""A differential state machine: the registry store under test and MLflow's reference registry ``SqlAlchemyStore``
(SQLite) receive the same generated operations, and every observable result is compared.

Names are mapped (each store gets the same model names under its own prefix, stripped before comparing),
timestamps are not compared. Outcomes are compared as values or as MLflow error codes, so a store that accepts
what MLflow rejects (or the reverse) is caught too. A failure shrinks to a short sequence of calls the author can
replay; each step's call is noted.

Reuse: ``ModelRegistryStoreDifferentialMachine.bind(lambda: MyStore(...))`` returns a machine class; run it with
``hypothesis.stateful.run_state_machine_as_test`` or take its ``TestCase`` for unittest/pytest collection.
"""

from __future__ import annotations

import uuid

from hypothesis import note
from hypothesis import strategies as st
from hypothesis.stateful import initialize, rule, run_state_machine_as_test

from ... import strategies as ms
from ..base import clause
from ..shared.differential import DifferentialMachine
from ..shared.pagination import all_pages
from ._helpers import ALIAS_NOT_FOUND_CODES, hypothesis_settings, tags_of, version_source

MODEL_NAMES = ("m0", "m1", "m2")
ALIASES = ("champion", "challenger")
TAG_KEYS = ("a", "b/c")

names = st.sampled_from(MODEL_NAMES)
versions = st.integers(min_value=1, max_value=4)
aliases = st.sampled_from(ALIASES)
tag_keys = st.sampled_from(TAG_KEYS)
texts = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=8)


class ModelRegistryStoreDifferentialMachine(DifferentialMachine):
    """Drive a plugin registry store and MLflow's reference registry store with the same operations; compare.

    Set ``plugin_store_factory`` (via :meth:`bind`). The plugin store may be shared with other tests: the machine
    isolates itself with a unique model-name prefix and only ever reads its own models.
    """

    reference_directory_prefix = "mlflow-registry-differential-"
    plugin_not_implemented_propagates = True

    def __init__(self):
        super().__init__()
        tag = uuid.uuid4().hex[:10]
        # equal-length prefixes keep name orderings identical in both stores; no LIKE wildcards in them
        self.prefixes = {"plugin": f"dm-{tag}-s-", "reference": f"dm-{tag}-r-"}

    def fresh_reference(self, directory):
        from ...reference import fresh_registry_store

        return fresh_registry_store(directory)

    def codes_agree(self, plugin_code, reference_code, tolerate):
        """Equal codes agree, and anything agrees with an INTERNAL_ERROR of the reference."""
        return reference_code == "INTERNAL_ERROR" or super().codes_agree(plugin_code, reference_code, tolerate)

    # -- running one operation on both stores and comparing ----------------------------------------------------

    def on_both(self, what: str, operation, observe=lambda result, prefix: result, alias_lookup=False):
        """Run ``operation(store, prefix)`` on each store; compare the observed results or the error codes (a
        missing alias may be either code MLflow uses for it when ``alias_lookup``)."""
        note(what)

        def call(store, role):
            prefix = self.prefixes[role]
            return lambda: observe(operation(store, prefix), prefix)

        self.both(what, call(self.plugin, "plugin"), call(self.reference, "reference"),
                  tolerate=ALIAS_NOT_FOUND_CODES if alias_lookup else ())

    # -- observations: everything a caller sees, minus clocks, with names mapped back --------------------------

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

    # -- rules -------------------------------------------------------------------------------------------------

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
        self.on_both(f"create_registered_model({name!r}, description={description!r}, tags={given_tags})",
                  lambda s, p: s.create_registered_model(p + name, tags=tags, description=description),
                  self.model_view)

    @rule(name=names, run=st.sampled_from([None, "run-1", "run-2"]), description=st.one_of(st.none(), texts))
    def create_version(self, name, run, description):
        self.on_both(f"create_model_version({name!r}, run_id={run!r})",
                  lambda s, p: s.create_model_version(p + name, version_source(f"dm/{name}"), run_id=run,
                                                      description=description),
                  self.version_view)

    @rule(name=names, version=versions, stage=ms.model_version_stages(), archive=st.booleans())
    def transition(self, name, version, stage, archive):
        self.on_both(f"transition_model_version_stage({name!r}, {version}, {stage!r}, {archive})",
                  lambda s, p: s.transition_model_version_stage(p + name, str(version), stage, archive),
                  self.version_view)

    @rule(name=names, alias=aliases, version=versions)
    def set_alias(self, name, alias, version):
        self.on_both(f"set_registered_model_alias({name!r}, {alias!r}, {version})",
                  lambda s, p: s.set_registered_model_alias(p + name, alias, str(version)))

    @rule(name=names, alias=aliases)
    def delete_alias(self, name, alias):
        self.on_both(f"delete_registered_model_alias({name!r}, {alias!r})",
                  lambda s, p: s.delete_registered_model_alias(p + name, alias))

    @rule(name=names, alias=aliases)
    def get_by_alias(self, name, alias):
        self.on_both(f"get_model_version_by_alias({name!r}, {alias!r})",
                  lambda s, p: s.get_model_version_by_alias(p + name, alias), self.version_view,
                  alias_lookup=True)

    @rule(name=names, new_name=names)
    def rename(self, name, new_name):
        self.on_both(f"rename_registered_model({name!r}, {new_name!r})",
                  lambda s, p: s.rename_registered_model(p + name, p + new_name), self.model_view)

    @rule(name=names)
    def delete_model(self, name):
        self.on_both(f"delete_registered_model({name!r})", lambda s, p: s.delete_registered_model(p + name))

    @rule(name=names, version=versions)
    def delete_version(self, name, version):
        self.on_both(f"delete_model_version({name!r}, {version})",
                  lambda s, p: s.delete_model_version(p + name, str(version)))

    @rule(name=names, description=texts)
    def update_model(self, name, description):
        self.on_both(f"update_registered_model({name!r}, {description!r})",
                  lambda s, p: s.update_registered_model(p + name, description), self.model_view)

    @rule(name=names, version=versions, key=tag_keys, value=st.one_of(st.none(), texts))
    def version_tag(self, name, version, key, value):
        from mlflow.entities.model_registry import ModelVersionTag

        if value is None:
            self.on_both(f"delete_model_version_tag({name!r}, {version}, {key!r})",
                      lambda s, p: s.delete_model_version_tag(p + name, str(version), key))
        else:
            self.on_both(f"set_model_version_tag({name!r}, {version}, {key!r}, {value!r})",
                      lambda s, p: s.set_model_version_tag(p + name, str(version), ModelVersionTag(key, value)))

    @rule(name=names, key=tag_keys, value=st.one_of(st.none(), texts))
    def model_tag(self, name, key, value):
        from mlflow.entities.model_registry import RegisteredModelTag

        if value is None:
            self.on_both(f"delete_registered_model_tag({name!r}, {key!r})",
                      lambda s, p: s.delete_registered_model_tag(p + name, key))
        else:
            self.on_both(f"set_registered_model_tag({name!r}, {key!r}, {value!r})",
                      lambda s, p: s.set_registered_model_tag(p + name, RegisteredModelTag(key, value)))

    @rule(name=names)
    def get_model(self, name):
        self.on_both(f"get_registered_model({name!r})", lambda s, p: s.get_registered_model(p + name),
                  self.model_view)

    @rule(name=names, version=versions)
    def get_version(self, name, version):
        self.on_both(f"get_model_version({name!r}, {version})",
                  lambda s, p: s.get_model_version(p + name, str(version)), self.version_view)

    @rule(name=names, stages=st.one_of(st.none(), st.lists(ms.model_version_stages(), max_size=2)))
    def latest_versions(self, name, stages):
        self.on_both(f"get_latest_versions({name!r}, {stages!r})",
                  lambda s, p: s.get_latest_versions(p + name, stages),
                  lambda mvs, p: self.versions_view(mvs, p))

    @rule(tag_filter=st.one_of(st.none(), st.tuples(tag_keys, texts.filter(lambda t: "'" not in t))))
    def search_models(self, tag_filter):
        extra = f" AND tags.`{tag_filter[0]}` = '{tag_filter[1]}'" if tag_filter else ""
        self.on_both(f"search_registered_models(name LIKE '<prefix>%'{extra})",
                  lambda s, p: all_pages(s.search_registered_models, 2, filter_string=f"name LIKE '{p}%'{extra}")[0],
                  lambda rms, p: [self.model_view(rm, p) for rm in rms])

    @rule(run=st.one_of(st.none(), st.sampled_from(["run-1", "run-2"])))
    def search_versions(self, run):
        extra = f" AND run_id = '{run}'" if run else ""
        self.on_both(f"search_model_versions(name LIKE '<prefix>%'{extra})",
                  lambda s, p: all_pages(s.search_model_versions, 3, filter_string=f"name LIKE '{p}%'{extra}",
                                         order_by=["name ASC", "version_number ASC"])[0],
                  lambda mvs, p: [self.version_view(mv, p) for mv in mvs])


class DifferentialClauses:
    """Clauses of the ``model_registry_store/differential/*`` family."""

    @clause("model_registry_store/differential/state-machine")
    def test_differential_state_machine(self, model_registry_store, tmp_path):
        """Any sequence of create, version, stage transition, alias, rename, tag, delete and search calls gives
        the same results and the same error codes as MLflow's registry SqlAlchemyStore (timestamps ignored)."""
        from ...reference import close_tracking_store, fresh_registry_store

        reference = fresh_registry_store(tmp_path / "reference")
        try:
            machine = ModelRegistryStoreDifferentialMachine.bind(lambda: model_registry_store, lambda: reference)
            run_state_machine_as_test(machine, settings=hypothesis_settings(self))
        finally:
            close_tracking_store(reference)
