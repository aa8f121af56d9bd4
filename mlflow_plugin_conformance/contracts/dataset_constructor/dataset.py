"""``dataset_constructor/dataset/*``: the dataset the constructor returns, one property per clause. When the
constructor does not even return a ``Dataset``, the other clauses report themselves blocked by
``dataset_constructor/dataset/returned``."""

from __future__ import annotations

from ...outcomes import blocked_by
from ..base import clause


def built(dataset_constructor, kwargs):
    """``dataset_constructor(**kwargs)`` when it returns a ``Dataset``; blocked otherwise."""
    from mlflow.data.dataset import Dataset

    try:
        dataset = dataset_constructor(**kwargs)
    except Exception as exc:
        blocked_by("dataset_constructor/dataset/returned", f"the constructor raised {type(exc).__name__}: {exc}")
    if not isinstance(dataset, Dataset):
        blocked_by("dataset_constructor/dataset/returned", f"the constructor returned {type(dataset).__name__}")
    return dataset


def registered_source_type(source_type: str) -> bool:
    """True when a registered ``DatasetSource`` has ``source_type`` (what MLflow parses logged sources by)."""
    from mlflow.data.dataset_source_registry import get_registered_sources

    def type_of(cls):
        try:
            return cls._get_source_type()
        except Exception:
            return None

    return any(type_of(cls) == source_type for cls in get_registered_sources())


class DatasetClauses:
    @clause("dataset_constructor/dataset/returned")
    def test_dataset_returned(self, dataset_constructor, dataset_constructor_kwargs):
        """The constructor returns a ``Dataset`` (what ``mlflow.log_input`` takes)."""
        from mlflow.data.dataset import Dataset

        dataset = dataset_constructor(**dataset_constructor_kwargs(0))
        assert isinstance(dataset, Dataset), f"the constructor returned {type(dataset).__name__}"

    @clause("dataset_constructor/dataset/digest")
    def test_dataset_digest(self, dataset_constructor, dataset_constructor_kwargs):
        """The dataset's digest is a non-empty string (MLflow logs it as the dataset's identity)."""
        digest = built(dataset_constructor, dataset_constructor_kwargs(0)).digest
        assert isinstance(digest, str) and digest, f"digest {digest!r}"

    @clause("dataset_constructor/dataset/digest-stable")
    def test_dataset_digest_stable(self, dataset_constructor, dataset_constructor_kwargs):
        """The same data give the same digest (MLflow deduplicates logged datasets by name and digest)."""
        first = built(dataset_constructor, dataset_constructor_kwargs(0)).digest
        again = built(dataset_constructor, dataset_constructor_kwargs(0)).digest
        assert first == again, f"digests {first!r} and {again!r} for the same data"

    @clause("dataset_constructor/dataset/source-registered")
    def test_dataset_source_registered(self, dataset_constructor, dataset_constructor_kwargs):
        """The dataset's source type is the type of a registered ``DatasetSource``: MLflow reads a logged dataset's
        source back by its type (``get_dataset_source_from_json``), so a source of an unregistered type cannot be
        read back."""
        source = built(dataset_constructor, dataset_constructor_kwargs(0)).source
        source_type = source._get_source_type()
        assert registered_source_type(source_type), (
            f"no registered DatasetSource has the type {source_type!r} of the source {type(source).__name__}: "
            "logged datasets cannot be read back")

    @clause("dataset_constructor/dataset/source-type")
    def test_dataset_source_type(self, dataset_constructor, dataset_constructor_kwargs):
        """Where MLflow's ``Dataset`` has its own ``_get_source_type``, it equals the source's type."""
        from mlflow.data.dataset import Dataset

        dataset = built(dataset_constructor, dataset_constructor_kwargs(0))
        if not hasattr(Dataset, "_get_source_type"):  # the dataset's own source type: later MLflow asks the dataset
            return
        assert dataset._get_source_type() == dataset.source._get_source_type(), (
            f"the dataset says source type {dataset._get_source_type()!r}, its source "
            f"{dataset.source._get_source_type()!r}")

    @clause("dataset_constructor/dataset/name-honoured")
    def test_dataset_name_honoured(self, dataset_constructor, dataset_constructor_kwargs):
        """``name=`` given to the constructor is the dataset's name."""
        dataset = built(dataset_constructor, {**dataset_constructor_kwargs(0), "name": "conformance-name"})
        assert dataset.name == "conformance-name", f"name {dataset.name!r}"

    @clause("dataset_constructor/dataset/digest-honoured")
    def test_dataset_digest_honoured(self, dataset_constructor, dataset_constructor_kwargs):
        """``digest=`` given to the constructor is the dataset's digest."""
        dataset = built(dataset_constructor, {**dataset_constructor_kwargs(0), "digest": "d1g35t"})
        assert dataset.digest == "d1g35t", f"digest {dataset.digest!r}"

    @clause("dataset_constructor/dataset/digest-tracks-data", level="full")
    def test_dataset_digest_tracks_data(self, dataset_constructor, dataset_constructor_kwargs):
        """Different data give different digests (the digest identifies the data, not the constructor)."""
        a = built(dataset_constructor, dataset_constructor_kwargs(0)).digest
        b = built(dataset_constructor, dataset_constructor_kwargs(1)).digest
        assert a != b, f"the same digest {a!r} for different data"
