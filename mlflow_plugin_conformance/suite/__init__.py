"""Test modules collected for the command-line ways in (``--mlflow-plugin-scheme``, ``--mlflow-plugin``).

``test_<kind>.py`` binds the kind's contract class to the selected targets of that kind: the class is
parametrized with each target, and the kind's fixture is the instance built through MLflow's registry.
The plugin adds a module to the run only when a target of its kind was selected.
"""
