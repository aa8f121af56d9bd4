from mlflow_plugin_conformance.contracts.newer import ScorerStoreContract
from mlflow_plugin_conformance.suite._binding import bind_to_targets

TestScorerStore = bind_to_targets(ScorerStoreContract, "TestScorerStore", __name__)
