from mlflow_plugin_conformance.contracts.deployments import DeploymentsContract
from mlflow_plugin_conformance.suite._binding import bind_to_targets

TestDeployments = bind_to_targets(DeploymentsContract, "TestDeployments", __name__)
