"""The store classes; imported only from the builders in ``__init__`` (after ``import mlflow`` finished)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from mlflow.store.artifact.local_artifact_repo import LocalArtifactRepository
from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore as RegistrySqlAlchemyStore
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

from . import local_path


def _sqlite_uri(directory: str, filename: str) -> str:
    Path(directory).mkdir(parents=True, exist_ok=True)
    return "sqlite:///" + os.path.abspath(os.path.join(directory, filename)).replace(os.sep, "/")


def _resolves_within(root: str, local: str) -> bool:
    """Whether ``local`` (a path joined under ``root``) stays inside ``root`` once symlinks are followed.

    The plugin's own guard (MLflow before 3.7 has no shared helper for it): an existing entry, or a dangling symlink, is
    resolved as a whole; a path that does not exist yet is judged by its resolved parent plus its own name.
    """
    real_root = Path(root).resolve()
    target = Path(local)
    resolved = target.resolve() if (target.is_symlink() or target.exists()) else target.parent.resolve() / target.name
    return resolved == real_root or real_root in resolved.parents


class FilePluginTrackingStore(SqlAlchemyStore):
    """MLflow's SQL tracking store on ``<dir>/tracking.db``; artifacts default to ``<dir>/artifacts``."""

    is_plugin = True

    def __init__(self, store_uri: str, artifact_uri: str | None = None):
        directory = local_path(store_uri)
        if artifact_uri is None:
            artifact_uri = Path(os.path.abspath(directory), "artifacts").as_uri()
        super().__init__(_sqlite_uri(directory, "tracking.db"), artifact_uri)
        self.plugin_uri = store_uri

    def search_logged_models(self, experiment_ids, filter_string=None, datasets=None, max_results=None,
                             order_by=None, page_token=None):
        # MLflow's server passes {"dataset_name": ..., "dataset_digest": None} when no digest was given, and MLflow's
        # SQL store (3.x) then filters on a NULL digest and finds nothing: a digest of None means any digest.
        if datasets:
            datasets = [{k: v for k, v in d.items() if not (k == "dataset_digest" and v is None)} for d in datasets]
        return super().search_logged_models(experiment_ids, filter_string=filter_string, datasets=datasets,
                                            max_results=max_results, order_by=order_by, page_token=page_token)

    def set_model_versions_tags(self, name, version, model_id):
        # MLflow's AbstractStore (3.x to 3.17.2 at least) rewrites the tag to the given version alone when that
        # version is already recorded, dropping the others (found by the conformance suite): record each
        # (name, version) once and keep the rest.
        import json

        from mlflow.entities import LoggedModelTag

        entry = {"name": name, "version": version}
        recorded = json.loads(self.get_logged_model(model_id).tags.get("mlflow.modelVersions") or "[]")
        if entry not in recorded:
            recorded.append(entry)
        self.set_logged_model_tags(model_id, [LoggedModelTag("mlflow.modelVersions", json.dumps(recorded))])

    def upsert_dataset_records(self, dataset_id, records):
        # MLflow's SqlAlchemyStore (3.17.2) lets the database's foreign key reject records of an unknown dataset:
        # BAD_REQUEST (HTTP 400) on SQLite instead of RESOURCE_DOES_NOT_EXIST (404). Check first.
        self.get_dataset(dataset_id)
        return super().upsert_dataset_records(dataset_id, records)


class FilePluginModelRegistryStore(RegistrySqlAlchemyStore):
    """MLflow's SQL model registry store on ``<dir>/registry.db``."""

    is_plugin = True

    def __init__(self, store_uri: str, tracking_uri: str | None = None):
        super().__init__(_sqlite_uri(local_path(store_uri), "registry.db"))
        self.plugin_uri = store_uri

    def delete_model_version(self, name, version):
        # MLflow < 3.17 compares the Integer alias version with the version as given, so a version given as a
        # string (as MLflow's client and REST API give it) kept its aliases: normalise it to an integer first.
        try:
            version = int(version)
        except (TypeError, ValueError):
            pass  # MLflow's store reports the invalid version with its own error code
        return super().delete_model_version(name, version)

    def test_webhook(self, webhook_id, event=None):
        # MLflow's SqlAlchemyStore leaves test_webhook to the server (the base class raises NotImplementedError);
        # the plugin tests a webhook as the server does, so MlflowClient(registry_uri=...).test_webhook works
        # on a file-plugin registry too. (Webhooks came with MLflow 3.3.)
        from mlflow.webhooks.delivery import test_webhook

        return test_webhook(self.get_webhook(webhook_id), event)


class FilePluginArtifactRepository(LocalArtifactRepository):
    """MLflow's local artifact repository on the directory the ``file-plugin`` URI names."""

    is_plugin = True

    def __init__(self, artifact_uri: str, tracking_uri: str | None = None, registry_uri: str | None = None):
        directory = os.path.abspath(local_path(artifact_uri))
        # Older MLflow (2.22, 3.0) builds repositories from the URI alone; its ArtifactRepository takes nothing else.
        given = {k: v for k, v in (("tracking_uri", tracking_uri), ("registry_uri", registry_uri)) if v is not None}
        super().__init__(Path(directory).as_uri(), **given)
        self.artifact_uri = artifact_uri

    # Two fixes over LocalArtifactRepository (found by the conformance suite, MLflow 3.17.2):
    # * its delete_artifacts joins the raw path onto the root and URL-decodes it, so '../x', '%2e%2e/x' or an
    #   absolute path deletes outside the root;
    # * its downloads URL-decode artifact names, so a file logged as 'a%20b.txt' cannot be downloaded.
    def _inside(self, artifact_path: str) -> str:
        """The local path of ``artifact_path`` (POSIX, relative, taken literally), refusing any way out of the root."""
        from mlflow.exceptions import MlflowException
        from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE

        parts = [p for p in artifact_path.split("/") if p not in ("", ".")]
        if artifact_path.startswith("/") or "\\" in artifact_path or ".." in parts or os.path.isabs(artifact_path):
            raise MlflowException(f"Invalid artifact path: {artifact_path!r}", error_code=INVALID_PARAMETER_VALUE)
        local = os.path.join(self.artifact_dir, *parts)
        if not _resolves_within(self.artifact_dir, local):
            raise MlflowException(
                f"Invalid artifact path: {artifact_path!r} resolves outside the artifact directory",
                error_code=INVALID_PARAMETER_VALUE,
            )
        return local

    def list_artifacts(self, path=None):
        # MLflow before 3.7 lists whatever directory the joined path names, '..' and absolute paths included.
        if path:
            self._inside(path)
        return super().list_artifacts(path)

    def delete_artifacts(self, artifact_path=None):
        # not super(): it URL-decodes the joined path, so '%2e%2e/x' deletes '../x' and 'a%20b' deletes 'a b'
        target = self._inside(artifact_path) if artifact_path else self.artifact_dir
        if os.path.isfile(target) or os.path.islink(target):
            os.remove(target)
        elif os.path.isdir(target):
            shutil.rmtree(target)

    def get_local_path(self, artifact_path: str) -> str:
        from mlflow.exceptions import MlflowException
        from mlflow.protos.databricks_pb2 import RESOURCE_DOES_NOT_EXIST

        local = self._inside(artifact_path)
        if not os.path.exists(local):
            raise MlflowException(f"No such artifact: {artifact_path!r}", error_code=RESOURCE_DOES_NOT_EXIST)
        return os.path.abspath(local)

    def _download_file(self, remote_file_path, local_path):
        shutil.copy2(self.get_local_path(remote_file_path), local_path)
