from mlflow_plugin_conformance.contracts.datasets import DatasetSourceContract
from mlflow_plugin_conformance.suite._binding import bind_to_targets

TestDatasetSource = bind_to_targets(DatasetSourceContract, "TestDatasetSource", __name__)
