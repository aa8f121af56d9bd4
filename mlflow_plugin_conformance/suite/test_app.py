from mlflow_plugin_conformance.contracts.app import AppContract
from mlflow_plugin_conformance.suite._binding import bind_to_targets

TestApp = bind_to_targets(AppContract, "TestApp", __name__)
