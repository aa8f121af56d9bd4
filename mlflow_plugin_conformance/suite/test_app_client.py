from mlflow_plugin_conformance.contracts.app import AppClientContract
from mlflow_plugin_conformance.suite._binding import bind_to_targets

TestAppClient = bind_to_targets(AppClientContract, "TestAppClient", __name__)
