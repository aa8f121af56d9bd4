"""The dataset contracts: sources (``mlflow.dataset_source``) and constructors (``mlflow.dataset_constructor``).

Subclass :class:`DatasetSourceContract` and provide ``dataset_source`` (the ``DatasetSource`` subclass itself, what
the entry point names), or :class:`DatasetConstructorContract` and provide ``dataset_constructor`` (the function).

The source contract needs raw sources the plugin resolves. By default it writes a small CSV file and offers
``<source_type>://<path>``, ``<source_type>:<path>``, the path string and the ``Path``, and uses the first form
``_can_resolve`` accepts; override ``dataset_raw_source`` with ``(folder, file_name) -> raw source``
otherwise. The constructor contract calls the constructor with the parameters it recognises (a CSV ``path`` /
``uri`` / ``source``, or a pandas ``df`` / ``data``); override ``dataset_constructor_kwargs`` for other inputs.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from ..strategies import dataset_file_names
from ._local_mlflow import ImportOrderClauses, entry_points_of, fresh_tracking_uri, tracking_uri_set
from ._support import unique_name
from .base import ContractBase, clause, required_fixture

_SOURCE_EXAMPLE = """    @pytest.fixture
    def dataset_source(self):
        return MyDatasetSource"""

_CONSTRUCTOR_EXAMPLE = """    @pytest.fixture
    def dataset_constructor(self):
        return from_my_source"""

_CSV = "x,y\n{a},0\n{b},1\n3,1\n"


def write_csv(path: Path, variant: int = 0) -> Path:
    """A three-row CSV (``x``, ``y``); ``variant`` changes the data (so the digest must change)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_CSV.format(a=1 + variant, b=2 + 2 * variant), encoding="utf-8")
    return path


def _overrides(cls, name: str, base) -> bool:
    return any(name in vars(klass) for klass in cls.__mro__ if klass is not base and issubclass(klass, base))


# == sources ======================================================================================================


class DatasetSourceContract(ImportOrderClauses, ContractBase):
    """Contract clauses for a dataset source class. Provide the ``dataset_source`` fixture (the class)."""

    kind_key = "dataset_source"
    target_fixture = "dataset_source"

    dataset_source = required_fixture("dataset_source", "DatasetSourceContract", _SOURCE_EXAMPLE)

    @pytest.fixture
    def dataset_source_folder(self, tmp_path) -> Path:
        return tmp_path

    @pytest.fixture
    def dataset_raw_source(self, request):
        """``(folder, file_name) -> raw source`` the source resolves (see the module docstring)."""
        source_cls = request.getfixturevalue(self.target_fixture)
        source_type = source_cls._get_source_type()
        forms = [lambda p: f"{source_type}://{p.as_posix()}", lambda p: f"{source_type}:{p.as_posix()}",
                 lambda p: p.as_posix(), lambda p: p]
        probe = write_csv(request.getfixturevalue("dataset_source_folder") / "probe" / "data.csv")
        for form in forms:
            if source_cls._can_resolve(form(probe)) is True:
                return lambda folder, name: form(write_csv(folder / name))
        pytest.fail(f"{source_cls.__name__}._can_resolve accepts none of {[str(f(probe)) for f in forms]}: "
                    "override the `dataset_raw_source` fixture returning "
                    "`lambda folder, file_name: <a raw source your source resolves>`", pytrace=False)

    def _import_probe(self, subject):
        return subject.__module__, entry_points_of("mlflow.dataset_source", subject.__module__) + (
            "import mlflow.data\n"
            "from mlflow.data.dataset_source_registry import _dataset_source_registry as r\n"
            "names = [c.__qualname__ for c in r.sources]\n"
            "for e in eps:\n"
            "    assert e.value.split(':')[1].strip() in names, 'not registered in this import order: ' + e.value\n"
        )

    # -- interface -------------------------------------------------------------------------------------------------

    @clause("dataset_source/interface/methods")
    def test_interface_methods(self, dataset_source):
        """It is a ``DatasetSource`` subclass overriding every method MLflow calls (the base's abstract methods are
        not enforced and return None): _get_source_type, _can_resolve, _resolve, to_dict, from_dict, load."""
        from mlflow.data.dataset_source import DatasetSource

        assert isinstance(dataset_source, type) and issubclass(dataset_source, DatasetSource), (
            f"{dataset_source!r} is not a DatasetSource subclass")
        missing = [name for name in ("_get_source_type", "_can_resolve", "_resolve", "to_dict", "from_dict", "load")
                   if not _overrides(dataset_source, name, DatasetSource) or
                   getattr(dataset_source, name) is getattr(DatasetSource, name)]
        assert not missing, f"not overridden (the base returns None): {missing}"

    @clause("dataset_source/interface/class-level")
    def test_interface_class_level(self, dataset_source):
        """MLflow's registry calls ``_get_source_type()``, ``_can_resolve(raw)``, ``_resolve(raw)`` and
        ``from_json`` on the class, never on an instance: they work that way, and ``_resolve`` / ``from_dict`` are
        class methods (they build an instance of the class they are called on)."""
        raw = "conformance://not-a-source/data.csv"
        for name, call in (("_get_source_type", lambda: dataset_source._get_source_type()),
                           ("_can_resolve", lambda: dataset_source._can_resolve(raw))):
            try:
                call()
            except TypeError as exc:
                pytest.fail(f"{name} cannot be called on the class, as MLflow's registry does: {exc}", pytrace=False)
        for name in ("_resolve", "from_dict"):
            static = inspect.getattr_static(dataset_source, name)
            assert isinstance(static, classmethod), f"{name} is a {type(static).__name__}, not a classmethod"

    @clause("dataset_source/type/string")
    def test_type_string(self, dataset_source):
        """``_get_source_type()`` is a non-empty string."""
        source_type = dataset_source._get_source_type()
        assert isinstance(source_type, str) and source_type, f"_get_source_type() returned {source_type!r}"

    @clause("dataset_source/type/unique")
    def test_type_unique(self, dataset_source):
        """No other registered source has the same type: ``get_dataset_source_from_json`` picks one class per
        type (the last registered), so a shared type silently parses logged datasets with the other class. MLflow
        derives a source type from every artifact-repository scheme, the plugin's own included."""
        from mlflow.data.dataset_source_registry import get_registered_sources

        source_type = dataset_source._get_source_type()
        others = [cls for cls in get_registered_sources() if cls is not dataset_source
                  and not issubclass(cls, dataset_source) and not issubclass(dataset_source, cls)
                  and _type_of(cls) == source_type]
        assert not others, f"source type {source_type!r} is also the type of {[c.__name__ for c in others]}"

    # -- resolving -------------------------------------------------------------------------------------------------

    @clause("dataset_source/resolve/own")
    def test_resolve_own(self, dataset_source, dataset_raw_source, dataset_source_folder):
        """``_can_resolve(raw)`` is True and ``_resolve(raw)`` returns an instance of the class; MLflow's
        ``resolve_dataset_source(raw)`` resolves it to the plugin's class (no other source claims it after)."""
        from mlflow.data.dataset_source_registry import resolve_dataset_source

        raw = dataset_raw_source(dataset_source_folder / unique_name("own"), "data.csv")
        assert dataset_source._can_resolve(raw) is True
        assert isinstance(dataset_source._resolve(raw), dataset_source)
        resolved = resolve_dataset_source(raw)
        assert isinstance(resolved, dataset_source), (
            f"MLflow resolves {raw!r} to {type(resolved).__name__}, not to the plugin's {dataset_source.__name__}")

    @clause("dataset_source/resolve/foreign-objects")
    def test_resolve_foreign_objects(self, dataset_source):
        """``_can_resolve`` answers False, without raising, for objects that are not its raw sources (None, numbers,
        dicts, lists, arbitrary objects): MLflow asks every registered source about every raw source."""
        wrong = {}
        for raw in (None, 42, 3.5, {"path": "x"}, ["x"], object(), b"bytes"):
            try:
                answer = dataset_source._can_resolve(raw)
            except Exception as exc:
                wrong[repr(raw)] = f"raised {type(exc).__name__}: {exc}"
                continue
            if answer is not False:
                wrong[repr(raw)] = f"returned {answer!r}"
        assert not wrong, f"_can_resolve must return False for foreign objects: {wrong}"

    @clause("dataset_source/resolve/foreign-uris")
    def test_resolve_foreign_uris(self, dataset_source, dataset_source_folder):
        """``_can_resolve`` does not claim raw sources another registered source resolves (s3, gs, dbfs URIs, local
        paths, ...): entry-point sources are asked after MLflow's artifact sources and win, so a greedy
        ``_can_resolve`` hijacks every ``mlflow.data`` call with such a source."""
        from mlflow.data.dataset_source_registry import get_registered_sources

        local = (dataset_source_folder / "foreign" / "data.csv").as_posix()
        candidates = ["s3://bucket/path/data.csv", "gs://bucket/data.csv", "https://example.com/data.csv",
                      "http://example.com/data.csv", "dbfs:/tmp/data.csv", local, "relative/data.csv",
                      "file:///tmp/data.csv"]
        others = [cls for cls in get_registered_sources()
                  if not issubclass(cls, dataset_source) and not issubclass(dataset_source, cls)]
        hijacked = {}
        for uri in candidates:
            if dataset_source._can_resolve(uri) is not True:
                continue
            owners = [cls.__name__ for cls in others if _safe_can_resolve(cls, uri)]
            if owners:
                hijacked[uri] = owners
        assert not hijacked, f"_can_resolve claims raw sources other sources resolve (source: owners): {hijacked}"

    # -- JSON --------------------------------------------------------------------------------------------------------

    @clause("dataset_source/json/round-trip")
    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.differing_executors])
    @given(file_name=dataset_file_names())
    def test_json_round_trip(self, dataset_source, dataset_raw_source, dataset_source_folder, file_name):
        """For any file name (unicode, spaces, '#', '?', '%', quotes): ``to_json`` is a JSON object equal to
        ``to_dict``; ``from_json(to_json(s))`` and MLflow's ``get_dataset_source_from_json(json, type)`` give a
        source of the plugin's class with the same ``to_dict``."""
        from mlflow.data.dataset_source_registry import get_dataset_source_from_json

        source = dataset_source._resolve(dataset_raw_source(dataset_source_folder / unique_name("rt"), file_name))
        as_dict = source.to_dict()
        text = source.to_json()
        assert isinstance(text, str)
        assert json.loads(text) == as_dict, "to_json is not the JSON of to_dict"
        again = dataset_source.from_json(text)
        assert isinstance(again, dataset_source) and again.to_dict() == as_dict
        through_mlflow = get_dataset_source_from_json(text, dataset_source._get_source_type())
        assert isinstance(through_mlflow, dataset_source), (
            f"MLflow parses the source type into {type(through_mlflow).__name__}")
        assert through_mlflow.to_dict() == as_dict


def _safe_can_resolve(source_cls, raw) -> bool:
    try:
        return source_cls._can_resolve(raw) is True
    except Exception:
        return False


def _type_of(source_cls) -> str | None:
    try:
        return source_cls._get_source_type()
    except Exception:
        return None


# == constructors =================================================================================================

_PATH_NAMES = ("path", "uri", "source", "file", "file_path", "path_or_uri", "location", "url")
_FRAME_NAMES = ("df", "data", "frame", "dataframe", "pandas_df", "features")


def registered_constructor_name(constructor) -> str | None:
    """The name MLflow's dataset registry holds ``constructor`` under (``mlflow.data.<name>``), or None."""
    import mlflow.data  # noqa: F401
    from mlflow.data.dataset_registry import get_registered_constructors

    return next((name for name, fn in get_registered_constructors().items() if fn is constructor), None)


class DatasetConstructorContract(ImportOrderClauses, ContractBase):
    """Contract clauses for a dataset constructor function. Provide the ``dataset_constructor`` fixture."""

    kind_key = "dataset_constructor"
    target_fixture = "dataset_constructor"

    dataset_constructor = required_fixture("dataset_constructor", "DatasetConstructorContract", _CONSTRUCTOR_EXAMPLE)

    @pytest.fixture
    def dataset_constructor_kwargs(self, dataset_constructor, tmp_path):
        """``variant -> kwargs`` for the constructor (not name/digest); different variants hold different data."""
        import pandas as pd

        params = inspect.signature(dataset_constructor).parameters
        required = [p for p in params.values() if p.default is inspect.Parameter.empty
                    and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.name not in ("name", "digest")]
        unknown = [p.name for p in required if p.name not in _PATH_NAMES + _FRAME_NAMES]
        if unknown:
            pytest.fail(f"the contract cannot fill the constructor's required parameters {unknown}: override the "
                        "`dataset_constructor_kwargs` fixture returning `lambda variant: {...}`", pytrace=False)

        def kwargs(variant=0):
            path = write_csv(tmp_path / f"variant-{variant}" / "data.csv", variant)
            return {p.name: (str(path) if p.name in _PATH_NAMES else pd.read_csv(path)) for p in required}

        return kwargs

    @pytest.fixture(scope="class")
    @classmethod
    def dataset_tracking_uri(cls, tmp_path_factory) -> str:
        return fresh_tracking_uri(tmp_path_factory.mktemp("dataset-tracking"))

    def _import_probe(self, subject):
        return subject.__module__, entry_points_of("mlflow.dataset_constructor", subject.__module__) + (
            "import mlflow.data\n"
            "from mlflow.data.dataset_registry import get_registered_constructors\n"
            "for e in eps:\n"
            "    assert e.name in get_registered_constructors(), 'not registered in this import order: ' + e.name\n"
            "    assert getattr(mlflow.data, e.name, None) is get_registered_constructors()[e.name], e.name\n"
        )

    @clause("dataset_constructor/naming/registered")
    def test_naming_registered(self, dataset_constructor):
        """MLflow's registry holds the constructor under a name starting ``from_`` or ``load_``, and it is
        reachable as ``mlflow.data.<name>`` (MLflow drops an invalid constructor with only a warning)."""
        import mlflow.data
        from mlflow.data.dataset_registry import DatasetRegistry

        name = registered_constructor_name(dataset_constructor)
        if name is None:
            reason = "no validation error: is the entry point installed?"
            try:
                DatasetRegistry._validate_constructor(dataset_constructor, dataset_constructor.__name__)
            except Exception as exc:
                reason = f"MLflow's validation says: {exc}"
            pytest.fail(f"{dataset_constructor.__name__} is not registered ({reason})", pytrace=False)
        assert name.startswith(("from_", "load_"))
        assert getattr(mlflow.data, name, None) is dataset_constructor, f"mlflow.data.{name} is not the constructor"

    @clause("dataset_constructor/signature/name-digest")
    def test_signature_name_digest(self, dataset_constructor):
        """``name`` and ``digest`` are optional keyword-capable parameters (default None)."""
        params = inspect.signature(dataset_constructor).parameters
        for name in ("name", "digest"):
            param = params.get(name)
            assert param is not None and param.kind in (param.POSITIONAL_OR_KEYWORD, param.KEYWORD_ONLY), (
                f"the constructor has no keyword parameter {name!r}")
            assert param.default is None, f"{name} must be optional (default None), not {param.default!r}"

    @clause("dataset_constructor/signature/return-annotation")
    def test_signature_return_annotation(self, dataset_constructor):
        """The return annotation is a ``Dataset`` subclass at runtime: MLflow checks it with ``issubclass``, so a
        string annotation (``from __future__ import annotations``) makes MLflow drop the constructor."""
        from mlflow.data.dataset import Dataset

        annotation = inspect.signature(dataset_constructor).return_annotation
        assert isinstance(annotation, type) and issubclass(annotation, Dataset), (
            f"return annotation {annotation!r} is not a Dataset subclass object")

    @clause("dataset_constructor/build/dataset")
    def test_build_dataset(self, dataset_constructor, dataset_constructor_kwargs):
        """The constructor returns a ``Dataset`` with a non-empty string digest, stable for the same data; the
        source is a registered ``DatasetSource`` whose type matches the dataset's."""
        from mlflow.data.dataset import Dataset
        from mlflow.data.dataset_source_registry import get_registered_sources

        first = dataset_constructor(**dataset_constructor_kwargs(0))
        assert isinstance(first, Dataset), f"the constructor returned {type(first).__name__}"
        assert isinstance(first.digest, str) and first.digest, f"digest {first.digest!r}"
        assert dataset_constructor(**dataset_constructor_kwargs(0)).digest == first.digest, "digest not stable"
        assert any(isinstance(first.source, cls) for cls in get_registered_sources()), (
            f"the source {type(first.source).__name__} is not registered: logged datasets cannot be read back")
        if hasattr(Dataset, "_get_source_type"):  # the dataset's own source type: newer MLflow asks the dataset
            assert first._get_source_type() == first.source._get_source_type()

    @clause("dataset_constructor/build/name-digest-honoured")
    def test_build_name_digest_honoured(self, dataset_constructor, dataset_constructor_kwargs):
        """``name=`` and ``digest=`` given to the constructor are the dataset's name and digest."""
        dataset = dataset_constructor(**dataset_constructor_kwargs(0), name="conformance-name", digest="d1g35t")
        assert dataset.name == "conformance-name", f"name {dataset.name!r}"
        assert dataset.digest == "d1g35t", f"digest {dataset.digest!r}"

    @clause("dataset_constructor/build/digest-tracks-data", level="full")
    def test_build_digest_tracks_data(self, dataset_constructor, dataset_constructor_kwargs):
        """Different data give different digests (the digest identifies the data, not the constructor)."""
        a = dataset_constructor(**dataset_constructor_kwargs(0)).digest
        b = dataset_constructor(**dataset_constructor_kwargs(1)).digest
        assert a != b, f"the same digest {a!r} for different data"

    @clause("dataset_constructor/log/round-trip")
    def test_log_round_trip(self, dataset_constructor, dataset_constructor_kwargs, dataset_tracking_uri):
        """``mlflow.log_input(dataset, context=...)`` stores it; the run's dataset input reads back with the same
        name, digest, source type and source, and ``mlflow.data.get_source`` rebuilds an equal source."""
        import mlflow
        from mlflow.tracking import MlflowClient

        dataset = dataset_constructor(**dataset_constructor_kwargs(0), name=unique_name("ds"))
        expected = dataset._to_mlflow_entity()
        with tracking_uri_set(dataset_tracking_uri):
            with mlflow.start_run() as run:
                mlflow.log_input(dataset, context="training")
            inputs = MlflowClient(dataset_tracking_uri).get_run(run.info.run_id).inputs.dataset_inputs
        assert len(inputs) == 1, f"{len(inputs)} dataset inputs logged"
        got = inputs[0].dataset
        for field in ("name", "digest", "source_type", "source"):
            assert getattr(got, field) == getattr(expected, field), (
                f"{field}: logged {getattr(got, field)!r}, dataset says {getattr(expected, field)!r}")
        assert {t.key: t.value for t in inputs[0].tags}.get("mlflow.data.context") == "training"
        source = mlflow.data.get_source(inputs[0])
        assert type(source) is type(dataset.source) and source.to_dict() == dataset.source.to_dict()
