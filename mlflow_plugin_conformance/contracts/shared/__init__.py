"""Mechanisms every contract uses, written once: MLflow pointed at a URI for a block (``mlflow_uris``),
following page tokens (``pagination``), the interface completeness check (``interface``), the import-order
probes in fresh interpreters (``import_order``), the base of the differential state machines (``differential``) and
the provider kinds' shared contract (``providers``). A contract package imports from here; it never grows its own
copy of one of these."""
