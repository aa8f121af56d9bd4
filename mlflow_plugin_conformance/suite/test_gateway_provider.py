from mlflow_plugin_conformance.contracts.newer import GatewayProviderContract
from mlflow_plugin_conformance.suite._binding import bind_to_targets

TestGatewayProvider = bind_to_targets(GatewayProviderContract, "TestGatewayProvider", __name__)
