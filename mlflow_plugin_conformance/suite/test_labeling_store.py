from mlflow_plugin_conformance.contracts.newer import LabelingStoreContract
from mlflow_plugin_conformance.suite._binding import bind_to_targets

TestLabelingStore = bind_to_targets(LabelingStoreContract, "TestLabelingStore", __name__)
