from mlflow_plugin_conformance.contracts.tracking_store import TrackingStoreContract
from mlflow_plugin_conformance.suite._binding import bind_to_targets

TestTrackingStore = bind_to_targets(TrackingStoreContract, "TestTrackingStore", __name__)
