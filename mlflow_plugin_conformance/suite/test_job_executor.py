from mlflow_plugin_conformance.contracts.newer import JobExecutorContract
from mlflow_plugin_conformance.suite._binding import bind_to_targets

TestJobExecutor = bind_to_targets(JobExecutorContract, "TestJobExecutor", __name__)
