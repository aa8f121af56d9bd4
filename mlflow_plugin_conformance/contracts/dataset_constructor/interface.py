"""``dataset_constructor/interface/*``: the signature MLflow's registry validates and users call."""

from __future__ import annotations

import inspect

from ..base import clause


class InterfaceClauses:
    @clause("dataset_constructor/interface/name-digest")
    def test_interface_name_digest(self, dataset_constructor):
        """``name`` and ``digest`` are optional parameters that can be passed by keyword (MLflow's registry refuses a
        constructor without them; users call ``mlflow.data.from_...(data)`` without them)."""
        params = inspect.signature(dataset_constructor).parameters
        for name in ("name", "digest"):
            param = params.get(name)
            assert param is not None and param.kind in (param.POSITIONAL_OR_KEYWORD, param.KEYWORD_ONLY), (
                f"the constructor has no keyword parameter {name!r}")
            assert param.default is not param.empty, f"{name} must be optional (have a default, e.g. None)"

    @clause("dataset_constructor/interface/return-annotation")
    def test_interface_return_annotation(self, dataset_constructor):
        """The return annotation is a ``Dataset`` subclass at runtime: MLflow checks it with ``issubclass``, so a
        string annotation (``from __future__ import annotations``) makes MLflow drop the constructor."""
        from mlflow.data.dataset import Dataset

        annotation = inspect.signature(dataset_constructor).return_annotation
        assert isinstance(annotation, type) and issubclass(annotation, Dataset), (
            f"return annotation {annotation!r} is not a Dataset subclass object")
