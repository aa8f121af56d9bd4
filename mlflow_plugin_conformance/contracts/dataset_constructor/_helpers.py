"""What only the dataset-constructor contract uses: the parameters it knows how to fill, and the registry name."""

from __future__ import annotations

#: Parameter names the contract fills with the path of a CSV file.
PATH_NAMES = ("path", "uri", "source", "file", "file_path", "path_or_uri", "location", "url")
#: Parameter names the contract fills with a pandas DataFrame read from that file.
FRAME_NAMES = ("df", "data", "frame", "dataframe", "pandas_df", "features")


def registered_constructor_name(constructor) -> str | None:
    """The name MLflow's dataset registry holds ``constructor`` under (``mlflow.data.<name>``), or None."""
    import mlflow.data  # noqa: F401
    from mlflow.data.dataset_registry import get_registered_constructors

    return next((name for name, fn in get_registered_constructors().items() if fn is constructor), None)
