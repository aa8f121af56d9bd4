"""Broken dataset constructors for the clauses split out with issue 11 (one realistic bug each), built on the
example plugin's constructor. ``tests/test_kinds_new_mutants.py`` runs them.
(No ``from __future__ import annotations`` here: constructors' return annotations must stay classes.)"""

import json

from mlflow_file_plugin.datasets import FilePluginDataset, from_file_plugin


def from_returns_frame(path: str, name=None, digest=None) -> FilePluginDataset:
    """Returns the pandas frame instead of a Dataset."""
    return from_file_plugin(path, name=name, digest=digest).df


class _EmptyDigestDataset(FilePluginDataset):
    def _compute_digest(self) -> str:
        return ""


def from_empty_digest(path: str, name=None, digest=None) -> FilePluginDataset:
    """Its dataset computes an empty digest."""
    dataset = from_file_plugin(path)
    return _EmptyDigestDataset(dataset.df, dataset.source, name=name, digest=digest)


class _OtherSourceTypeDataset(FilePluginDataset):
    def _get_source_type(self) -> str:
        return "local"


def from_other_source_type(path: str, name=None, digest=None) -> FilePluginDataset:
    """Its dataset reports the source type 'local' while its source is a file-plugin-csv source."""
    dataset = from_file_plugin(path)
    return _OtherSourceTypeDataset(dataset.df, dataset.source, name=name, digest=digest)


def from_ignoring_digest(path: str, name=None, digest=None) -> FilePluginDataset:
    """Drops the digest it is given."""
    return from_file_plugin(path, name=name)


class _SourceUriDataset(FilePluginDataset):
    def to_dict(self):
        record = super().to_dict()
        record["source"] = json.dumps({"uri": self.source.uri})
        return record


def from_source_uri_in_record(path: str, name=None, digest=None) -> FilePluginDataset:
    """Its dataset records the source as ``{"uri": ...}``, which the source's from_dict cannot read back."""
    dataset = from_file_plugin(path)
    return _SourceUriDataset(dataset.df, dataset.source, name=name, digest=digest)
