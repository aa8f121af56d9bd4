"""``dataset_source/resolve/*``: which raw sources the source claims, and what it resolves them to."""

from __future__ import annotations

from .._support import unique_name
from ..base import clause
from ._helpers import safe_can_resolve


class ResolveClauses:
    @clause("dataset_source/resolve/own")
    def test_resolve_own(self, dataset_source, dataset_raw_source, dataset_source_folder):
        """``_can_resolve(raw)`` is true and ``_resolve(raw)`` returns an instance of the class; MLflow's
        ``resolve_dataset_source(raw)`` resolves it to the plugin's class (no other source claims it after)."""
        from mlflow.data.dataset_source_registry import resolve_dataset_source

        raw = dataset_raw_source(dataset_source_folder / unique_name("own"), "data.csv")
        assert dataset_source._can_resolve(raw), f"_can_resolve({raw!r}) is false"
        assert isinstance(dataset_source._resolve(raw), dataset_source)
        resolved = resolve_dataset_source(raw)
        assert isinstance(resolved, dataset_source), (
            f"MLflow resolves {raw!r} to {type(resolved).__name__}, not to the plugin's {dataset_source.__name__}")

    @clause("dataset_source/resolve/foreign-objects")
    def test_resolve_foreign_objects(self, dataset_source):
        """``_can_resolve`` answers false, without raising, for objects that are not its raw sources (None, numbers,
        dicts, lists, arbitrary objects): MLflow asks every registered source about every raw source, and warns on
        every call for a source that raises (MLflow reads the answer's truth value: None counts as False)."""
        wrong = {}
        for raw in (None, 42, 3.5, {"path": "x"}, ["x"], object(), b"bytes"):
            try:
                answer = dataset_source._can_resolve(raw)
            except Exception as exc:
                wrong[repr(raw)] = f"raised {type(exc).__name__}: {exc}"
                continue
            if answer:
                wrong[repr(raw)] = f"returned {answer!r}"
        assert not wrong, f"_can_resolve must answer false for foreign objects: {wrong}"

    @clause("dataset_source/resolve/foreign-uris")
    def test_resolve_foreign_uris(self, dataset_source, dataset_source_folder):
        """``_can_resolve`` does not claim raw sources another registered source resolves (s3, gs, dbfs URIs, local
        paths, ...): entry-point sources are asked after MLflow's artifact sources and win, so a greedy
        ``_can_resolve`` hijacks every ``mlflow.data`` call with such a source."""
        from mlflow.data.dataset_source_registry import get_registered_sources

        local = (dataset_source_folder / "foreign" / "data.csv").as_posix()
        candidates = ["s3://bucket/path/data.csv", "gs://bucket/data.csv", "https://example.com/data.csv",
                      "http://example.com/data.csv", "dbfs:/tmp/data.csv", local, "relative/data.csv",
                      "file:///tmp/data.csv"]
        others = [cls for cls in get_registered_sources()
                  if not issubclass(cls, dataset_source) and not issubclass(dataset_source, cls)]
        hijacked = {}
        for uri in candidates:
            if not dataset_source._can_resolve(uri):
                continue
            owners = [cls.__name__ for cls in others if safe_can_resolve(cls, uri)]
            if owners:
                hijacked[uri] = owners
        assert not hijacked, f"_can_resolve claims raw sources other sources resolve (source: owners): {hijacked}"
