"""Broken dataset sources and constructors, one realistic bug each, built on the example plugin's datasets.
(No ``from __future__ import annotations`` here: constructors' return annotations must stay classes.)"""

import itertools
import time
from typing import Any
from urllib.parse import urlparse

from mlflow.data.dataset_source import DatasetSource
from mlflow_file_plugin.datasets import FilePluginDataset, FilePluginDatasetSource, from_file_plugin
from _mutant import Mutant


class BrokenGreedySource(FilePluginDatasetSource):
    """_can_resolve accepts every string: it hijacks s3:// URIs and local paths."""

    @staticmethod
    def _can_resolve(raw_source: Any) -> bool:
        return isinstance(raw_source, str)

    @classmethod
    def _resolve(cls, raw_source):
        if raw_source.startswith("file-plugin-csv:"):
            return super()._resolve(raw_source)
        return cls(raw_source)


class BrokenCanResolveRaises(FilePluginDatasetSource):
    """_can_resolve calls str methods on whatever it gets: AttributeError for None, numbers, dicts."""

    @staticmethod
    def _can_resolve(raw_source: Any) -> bool:
        return raw_source.startswith("file-plugin-csv:")


class BrokenUrlparseRoundTrip(FilePluginDatasetSource):
    """to_dict stores a URI and from_dict parses it with urlparse: '#...' and '?...' in file names are lost."""

    def to_dict(self):
        return {"uri": "file-plugin-csv://" + self._path}

    @classmethod
    def from_dict(cls, source_dict):
        return cls(urlparse(source_dict["uri"]).path)


class BrokenSharedType(FilePluginDatasetSource):
    """Reuses the source type 'local' (MLflow's LocalArtifactDatasetSource has it)."""

    @staticmethod
    def _get_source_type() -> str:
        return "local"


class BrokenInstanceCanResolve(FilePluginDatasetSource):
    """_can_resolve written as an instance method: MLflow's registry calls it on the class."""

    def _can_resolve(self, raw_source):
        return isinstance(raw_source, str) and raw_source.startswith("file-plugin-csv:")


class BrokenNoFromDict(DatasetSource):
    """Forgets from_dict (the base's unenforced abstract method returns None)."""

    def __init__(self, path):
        self._path = path

    @staticmethod
    def _get_source_type():
        return "broken-no-from-dict"

    def load(self, dst_path=None):
        return self._path

    @staticmethod
    def _can_resolve(raw_source):
        return isinstance(raw_source, str) and raw_source.startswith("broken-no-from-dict:")

    @classmethod
    def _resolve(cls, raw_source):
        return cls(raw_source.split(":", 1)[1])

    def to_dict(self):
        return {"path": self._path}


# -- constructors ---------------------------------------------------------------------------------------------------

_counter = itertools.count()


def from_ignoring_name(path: str, name=None, digest=None) -> FilePluginDataset:
    """Drops the name it is given."""
    return from_file_plugin(path, digest=digest)


def from_random_digest(path: str, name=None, digest=None) -> FilePluginDataset:
    """Digest from a counter, not from the data: it changes at every call."""
    return from_file_plugin(path, name=name, digest=digest or f"d{next(_counter):07d}")


def from_constant_digest(path: str, name=None, digest=None) -> FilePluginDataset:
    """Digest of the file name only: different data, same digest."""
    return from_file_plugin(path, name=name, digest=digest or "c0ffee00")


def from_required_name(path: str, name, digest=None) -> FilePluginDataset:
    """``name`` without a default: ``mlflow.data.from_...(path)`` raises TypeError."""
    return from_file_plugin(path, name=name, digest=digest)


def from_string_annotation(path: str, name=None, digest=None) -> "FilePluginDataset":
    """A string return annotation (what ``from __future__ import annotations`` produces): MLflow drops it."""
    return from_file_plugin(path, name=name, digest=digest)


class _UnregisteredSource(FilePluginDatasetSource):
    @staticmethod
    def _get_source_type() -> str:
        return "conformance-unregistered"


def from_unregistered_source(path: str, name=None, digest=None) -> FilePluginDataset:
    """Uses a source class nobody registered: logged datasets cannot be read back."""
    dataset = from_file_plugin(path, name=name, digest=digest)
    return FilePluginDataset(dataset.df, _UnregisteredSource(dataset.source.path), name=name, digest=digest)



class BrokenResolvesToBaseClass(FilePluginDatasetSource):
    """_resolve names the base class instead of ``cls``: a subclass resolves to its parent."""

    @classmethod
    def _resolve(cls, raw_source):
        return FilePluginDatasetSource._resolve(raw_source)


class BrokenBytesSourceType(FilePluginDatasetSource):
    """_get_source_type returns bytes (read from a binary config file)."""

    @staticmethod
    def _get_source_type():
        return b"file-plugin-csv"


def from_file_plugin_not_installed(path: str, name=None, digest=None) -> FilePluginDataset:
    """A correct constructor whose entry point was never declared: MLflow's registry does not hold it."""
    return from_file_plugin(path, name=name, digest=digest)


class _StampedSource(FilePluginDatasetSource):
    def to_dict(self):
        return {**super().to_dict(), "read_at": time.time_ns()}


def from_stamped_source(path: str, name=None, digest=None) -> FilePluginDataset:
    """The dataset's source records when it is described: the entity logged and the one the dataset gives later
    differ."""
    dataset = from_file_plugin(path, name=name, digest=digest)
    return FilePluginDataset(dataset.df, _StampedSource(dataset.source.path), name=name, digest=digest)

MUTANTS = [
    Mutant("dataset_source", "BrokenGreedySource", "dataset_source/resolve/foreign-uris", BrokenGreedySource),
    Mutant("dataset_source", "BrokenCanResolveRaises", "dataset_source/resolve/foreign-objects",
           BrokenCanResolveRaises),
    Mutant("dataset_source", "BrokenUrlparseRoundTrip", "dataset_source/json/round-trip", BrokenUrlparseRoundTrip),
    Mutant("dataset_source", "BrokenSharedType", "dataset_source/type/unique", BrokenSharedType),
    Mutant("dataset_source", "BrokenInstanceCanResolve", "dataset_source/interface/class-level",
           BrokenInstanceCanResolve),
    Mutant("dataset_source", "BrokenNoFromDict", "dataset_source/interface/methods", BrokenNoFromDict),
    Mutant("dataset_constructor", "from_ignoring_name", "dataset_constructor/dataset/name-honoured",
           from_ignoring_name),
    Mutant("dataset_constructor", "from_random_digest", "dataset_constructor/dataset/digest-stable", from_random_digest),
    Mutant("dataset_constructor", "from_constant_digest", "dataset_constructor/dataset/digest-tracks-data",
           from_constant_digest),
    Mutant("dataset_constructor", "from_required_name", "dataset_constructor/interface/name-digest",
           from_required_name),
    Mutant("dataset_constructor", "from_string_annotation", "dataset_constructor/interface/return-annotation",
           from_string_annotation),
    Mutant("dataset_constructor", "from_unregistered_source", "dataset_constructor/dataset/source-registered",
           from_unregistered_source),
    Mutant("dataset_source", "BrokenResolvesToBaseClass", "dataset_source/resolve/own", BrokenResolvesToBaseClass),
    Mutant("dataset_source", "BrokenBytesSourceType", "dataset_source/type/string", BrokenBytesSourceType),
    Mutant("dataset_constructor", "from_file_plugin_not_installed", "dataset_constructor/naming/registered",
           from_file_plugin_not_installed),
    Mutant("dataset_constructor", "from_stamped_source", "dataset_constructor/log/round-trip", from_stamped_source),
]
