"""Contract base classes, one module (or package) per plugin kind; the catalogue (``kinds.py``) names each.

Importing a contract changes nothing in the process: the Hypothesis profile and MLflow's telemetry switch are
set by the ``mlflow_conformance_session`` fixture every contract class requests.
"""
