"""What only the model-registry-store clauses share: entity views, tag builders, creators, error-code sets."""

from __future__ import annotations

import threading

from .._support import unique_name

STAGES = ("None", "Staging", "Production", "Archived")
#: MLflow's registry answers "this alias does not exist" with INVALID_PARAMETER_VALUE; RESOURCE_DOES_NOT_EXIST
#: (what every other missing entity raises) is accepted too.
ALIAS_NOT_FOUND_CODES = ("INVALID_PARAMETER_VALUE", "RESOURCE_DOES_NOT_EXIST")
#: Every MlflowException error code except NOT_IMPLEMENTED: for errors MLflow itself raises without a code.
ANY_ERROR_CODE = ("INVALID_PARAMETER_VALUE", "BAD_REQUEST", "INVALID_STATE", "INTERNAL_ERROR",
                  "RESOURCE_DOES_NOT_EXIST", "RESOURCE_ALREADY_EXISTS")


def tags_of(entity) -> dict:
    """The tags of a registry entity as a dict (entities hold a dict; protos and some plugins a list)."""
    tags = entity.tags
    return dict(tags) if isinstance(tags, dict) else {t.key: t.value for t in tags}


def versions_of(paged) -> list[tuple[str, str]]:
    """``(name, version)`` of each model version, in the order given."""
    return [(mv.name, str(mv.version)) for mv in paged]


def not_none(value, what: str):
    """``value``, after checking it is not None (what a method inherited from AbstractStore returns)."""
    assert value is not None, f"{what} returned None: a method inherited from MLflow's AbstractStore, or a " \
                              f"store that forgets to return its result"
    return value


def rm_tag(key, value):
    from mlflow.entities.model_registry import RegisteredModelTag

    return RegisteredModelTag(key, value)


def mv_tag(key, value):
    from mlflow.entities.model_registry import ModelVersionTag

    return ModelVersionTag(key, value)


def new_model(store, prefix: str = "rm", **kwargs) -> str:
    """Create a registered model with a unique name and return the name."""
    name = unique_name(prefix)
    not_none(store.create_registered_model(name, **kwargs), "create_registered_model")
    return name


#: Where the clauses' model versions come from: a non-local URI that nothing reads (a store keeps a source as it is
#: given). MLflow's server refuses a local (``file://``) source unless it lies in the artifact directory of a run the
#: request names (``_validate_source_run`` in ``mlflow/server/handlers.py``) and accepts a non-local one, so the
#: same clauses hold in process and through a tracking server.
SOURCE_ROOT = "s3://mlflow-conformance-models"


def version_source(path: str) -> str:
    """A model-version source under :data:`SOURCE_ROOT`."""
    return f"{SOURCE_ROOT}/{path}"


def new_version(store, name: str, source: str | None = None, **kwargs):
    """Create a version of ``name`` (a per-model source under :data:`SOURCE_ROOT` unless given) and return it."""
    mv = store.create_model_version(name, source or version_source(f"{name}/artifacts"), **kwargs)
    return not_none(mv, "create_model_version")


def race(count: int, call) -> list:
    """Run ``call()`` in ``count`` threads released together; each result or exception, in no order."""
    barrier = threading.Barrier(count)
    outcomes = []

    def worker():
        barrier.wait()
        try:
            outcomes.append(call())
        except Exception as exc:  # the outcome is the data
            outcomes.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def hypothesis_settings(contract=None):
    """The Hypothesis settings of the property clauses, without a deadline (every example is a round trip through
    the store, a database or a server, whose latency says nothing about correctness).

    The loaded profile (quick, ci or thorough), unless the contract subclass pins one with ``hypothesis_profile``.
    """
    from hypothesis import settings

    from ...strategies import PROFILE_PREFIX

    pinned = getattr(contract, "hypothesis_profile", None)
    parent = settings.get_profile(PROFILE_PREFIX + pinned) if pinned else settings()
    return settings(parent, deadline=None)


#: A dotted tag key, written in backticks in filters (as MLflow's prompt registry writes ``mlflow.prompt.is_prompt``).
QUOTED_PROBE_KEY = "conformance.quoted.key"


def search_misses_quoted_tag_key(store, *, versions: bool) -> bool:
    """Whether the store's search misses a fresh probe by a backticked, dotted tag key: the check of the core
    clauses ``search-registered-models/filter-quoted-tag-key`` (``versions=False``) and
    ``search-model-versions/filter-quoted-tag-key`` (``versions=True``), which MLflow's prompt defaults rely on."""
    name = unique_name("quoted-probe")
    if versions:
        store.create_registered_model(name)
        store.create_model_version(name, version_source("quoted-probe"), tags=[mv_tag(QUOTED_PROBE_KEY, "yes")])
        try:
            found = versions_of(store.search_model_versions(f"name = '{name}' AND tag.`{QUOTED_PROBE_KEY}` = 'yes'"))
        except Exception:  # a store that refuses the filter misses it too
            return True
        return found != [(name, "1")]
    store.create_registered_model(name, tags=[rm_tag(QUOTED_PROBE_KEY, "yes")])
    try:
        found = [m.name for m in store.search_registered_models(
            f"tags.`{QUOTED_PROBE_KEY}` = 'yes' AND name = '{name}'")]
    except Exception:  # a store that refuses the filter misses it too
        return True
    return found != [name]
