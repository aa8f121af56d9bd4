"""``dataset_constructor/dataset/*``: the dataset the constructor returns."""

from __future__ import annotations

from ..base import clause


class DatasetClauses:
    @clause("dataset_constructor/dataset/returned")
    def test_dataset_returned(self, dataset_constructor, dataset_constructor_kwargs):
        """The constructor returns a ``Dataset`` with a non-empty string digest, stable for the same data; the
        source is a registered ``DatasetSource`` whose type matches the dataset's."""
        from mlflow.data.dataset import Dataset
        from mlflow.data.dataset_source_registry import get_registered_sources

        first = dataset_constructor(**dataset_constructor_kwargs(0))
        assert isinstance(first, Dataset), f"the constructor returned {type(first).__name__}"
        assert isinstance(first.digest, str) and first.digest, f"digest {first.digest!r}"
        assert dataset_constructor(**dataset_constructor_kwargs(0)).digest == first.digest, "digest not stable"
        assert any(isinstance(first.source, cls) for cls in get_registered_sources()), (
            f"the source {type(first.source).__name__} is not registered: logged datasets cannot be read back")
        if hasattr(Dataset, "_get_source_type"):  # the dataset's own source type: newer MLflow asks the dataset
            assert first._get_source_type() == first.source._get_source_type()

    @clause("dataset_constructor/dataset/name-digest-honoured")
    def test_dataset_name_digest_honoured(self, dataset_constructor, dataset_constructor_kwargs):
        """``name=`` and ``digest=`` given to the constructor are the dataset's name and digest."""
        dataset = dataset_constructor(**dataset_constructor_kwargs(0), name="conformance-name", digest="d1g35t")
        assert dataset.name == "conformance-name", f"name {dataset.name!r}"
        assert dataset.digest == "d1g35t", f"digest {dataset.digest!r}"

    @clause("dataset_constructor/dataset/digest-tracks-data", level="full")
    def test_dataset_digest_tracks_data(self, dataset_constructor, dataset_constructor_kwargs):
        """Different data give different digests (the digest identifies the data, not the constructor)."""
        a = dataset_constructor(**dataset_constructor_kwargs(0)).digest
        b = dataset_constructor(**dataset_constructor_kwargs(1)).digest
        assert a != b, f"the same digest {a!r} for different data"
