"""A dataset source whose class-level methods are staticmethods, as MLflow's base declares ``_get_source_type``
and ``_can_resolve`` (``_resolve`` and ``from_dict`` work on the class as staticmethods too), and whose
``_can_resolve`` answers None, which MLflow reads as False, for raw sources it does not know."""

from __future__ import annotations

from mlflow.data.dataset_source import DatasetSource

_PREFIX = "legal-patterns-csv:"


class StaticSource(DatasetSource):
    """A CSV file named ``legal-patterns-csv:<path>``."""

    def __init__(self, path: str):
        self._path = path

    @staticmethod
    def _get_source_type() -> str:
        return "legal-patterns-csv"

    def load(self, dst_path=None) -> str:
        return self._path

    @staticmethod
    def _can_resolve(raw_source):
        if isinstance(raw_source, str) and raw_source.startswith(_PREFIX):
            return True
        return None

    @staticmethod
    def _resolve(raw_source) -> "StaticSource":
        return StaticSource(raw_source[len(_PREFIX):])

    def to_dict(self) -> dict:
        return {"path": self._path}

    @staticmethod
    def from_dict(source_dict) -> "StaticSource":
        return StaticSource(source_dict["path"])
