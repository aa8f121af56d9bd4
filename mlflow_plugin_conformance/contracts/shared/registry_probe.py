"""The import-order probe of the kinds MLflow builds through a registry of builders (workspace providers, scorer and
labeling stores): after both imports, MLflow's registry holds the entry point's object under its name."""

from __future__ import annotations

from .._local_mlflow import entry_points_of


def builder_registry_probe(group: str, registry_expr: str, subject) -> tuple[str, str]:
    """``(module, probe code)`` for ``subject`` (a store or its class): every entry point of ``group`` in the
    subject's module is what ``registry_expr`` (an expression evaluated in the probe) holds under its name."""
    module = subject.__module__ if isinstance(subject, type) else type(subject).__module__
    return module, entry_points_of(group, module) + (
        f"registry = {registry_expr}\n"
        "for e in eps:\n"
        "    assert registry.get(e.name) is e.load(), 'not registered in this import order: ' + e.name\n"
    )
