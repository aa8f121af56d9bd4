"""The bundled suite: one test class per selected plugin kind, made from the catalogue (see ``_binding.py``)."""

from mlflow_plugin_conformance.suite._binding import bound_classes

globals().update(bound_classes(__name__))
