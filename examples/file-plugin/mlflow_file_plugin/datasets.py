"""Dataset source and constructor ``file-plugin`` (groups ``mlflow.dataset_source``, ``mlflow.dataset_constructor``).

``FilePluginDatasetSource`` names a CSV file by a ``file-plugin-csv:///abs/path.csv`` URI; ``from_file_plugin`` reads
such a file into a ``FilePluginDataset`` (a pandas frame with an optional target column), which
``mlflow.log_input`` records with its source, digest, schema and profile.

No ``from __future__ import annotations`` here: MLflow checks the constructor's return annotation with
``issubclass`` at registration, and a string annotation makes it drop the constructor with only a warning.
The source type is not ``file-plugin``: MLflow derives a dataset source of type ``file-plugin`` from the
plugin's artifact repository scheme, and two sources of one type make ``from_json`` ambiguous.
"""

import json
from typing import Any

from mlflow.data.dataset import Dataset
from mlflow.data.dataset_source import DatasetSource

SOURCE_TYPE = "file-plugin-csv"
_PREFIX = "file-plugin-csv://"


class FilePluginDatasetSource(DatasetSource):
    """A CSV file named by ``file-plugin-csv:///abs/path.csv`` (or ``file-plugin-csv:/abs/path.csv``)."""

    def __init__(self, path: str):
        self._path = path

    @property
    def path(self) -> str:
        return self._path

    @property
    def uri(self) -> str:
        return _PREFIX + self._path if self._path.startswith("/") else f"{_PREFIX}/{self._path}"

    @staticmethod
    def _get_source_type() -> str:
        return SOURCE_TYPE

    def load(self, dst_path=None) -> str:
        """The local path of the file (it is local already; ``dst_path`` is accepted for API compatibility)."""
        return self._path

    @staticmethod
    def _can_resolve(raw_source: Any) -> bool:
        return isinstance(raw_source, str) and (raw_source.startswith(_PREFIX) or
                                                raw_source.startswith("file-plugin-csv:/"))

    @classmethod
    def _resolve(cls, raw_source: Any) -> "FilePluginDatasetSource":
        if not cls._can_resolve(raw_source):
            from mlflow.exceptions import MlflowException

            raise MlflowException.invalid_parameter_value(f"not a file-plugin-csv dataset URI: {raw_source!r}")
        rest = raw_source[len(_PREFIX):] if raw_source.startswith(_PREFIX) else raw_source[len("file-plugin-csv:"):]
        # Everything after the scheme is the path, taken literally ('#', '?' and '%' are file-name characters).
        return cls(rest if rest.startswith("/") else "/" + rest)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self._path}

    @classmethod
    def from_dict(cls, source_dict: dict[Any, Any]) -> "FilePluginDatasetSource":
        return cls(source_dict["path"])


class FilePluginDataset(Dataset):
    """A pandas frame read from a file-plugin source; ``targets`` names the label column, if any."""

    def __init__(self, df, source: FilePluginDatasetSource, targets: str | None = None, name: str | None = None,
                 digest: str | None = None):
        self._df = df
        self._targets = targets
        super().__init__(source=source, name=name, digest=digest)

    def _compute_digest(self) -> str:
        import hashlib

        import pandas as pd

        hashed = pd.util.hash_pandas_object(self._df, index=False).values.tobytes()
        return hashlib.sha256(hashed + ",".join(map(str, self._df.columns)).encode()).hexdigest()[:8]

    def to_dict(self) -> dict[str, str]:
        base = super().to_dict()
        base["schema"] = json.dumps({"columns": [str(c) for c in self._df.columns]})
        base["profile"] = json.dumps(self.profile)
        return base

    @property
    def df(self):
        return self._df

    @property
    def targets(self) -> str | None:
        return self._targets

    @property
    def profile(self) -> Any | None:
        return {"num_rows": int(len(self._df)), "num_columns": int(len(self._df.columns))}

    @property
    def schema(self) -> Any | None:
        return {"columns": [str(c) for c in self._df.columns]}


def from_file_plugin(path: str, targets: str | None = None, name: str | None = None,
                     digest: str | None = None) -> FilePluginDataset:
    """Read the CSV at ``path`` (a local path or a ``file-plugin-csv://`` URI) into a :class:`FilePluginDataset`."""
    import os

    import pandas as pd

    source = (FilePluginDatasetSource._resolve(path) if FilePluginDatasetSource._can_resolve(path)
              else FilePluginDatasetSource(os.path.abspath(os.fspath(path))))
    df = pd.read_csv(source.path)
    if targets is not None and targets not in df.columns:
        from mlflow.exceptions import MlflowException

        raise MlflowException.invalid_parameter_value(f"targets column {targets!r} is not in {list(df.columns)}")
    return FilePluginDataset(df, source, targets=targets, name=name, digest=digest)
