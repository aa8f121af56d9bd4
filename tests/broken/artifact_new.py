"""Broken artifact repositories for the clauses added with one behaviour per clause, trace data and attachments,
get_local_path and list_artifacts() with no argument: one realistic bug each, built on the correct
``SafeLocalRepository`` of ``artifact_repos`` (or MLflow's S3ArtifactRepository on moto, or the scheme-registered
``SchemeRepository``). ``tests/test_artifact_new_mutants.py`` proves each is caught by the clause in its table.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

from artifact_repos import SafeLocalRepository, SchemeRepository
from mlflow.entities import FileInfo
from mlflow.exceptions import MlflowException, MlflowTraceDataNotFound
from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE
from mlflow.store.artifact.artifact_repo import ArtifactRepository
from mlflow.store.artifact.s3_artifact_repo import S3ArtifactRepository

# -- list -------------------------------------------------------------------------------------------------------


class BrokenListNoneAsString(SafeLocalRepository):
    """Formats the listed path into the location with an f-string: None becomes the directory 'None'."""

    def list_artifacts(self, path=None):
        return super().list_artifacts(f"{path}" if path is None else path)


class BrokenListRequiresPath(SafeLocalRepository):
    """Declares ``list_artifacts(self, path)`` without the base class's default: calling it with no argument
    raises TypeError."""

    def list_artifacts(self, path):
        return super().list_artifacts(path)


class BrokenMissingRootRaises(SafeLocalRepository):
    """Lists the root with os.listdir before anything created it: a fresh repository raises FileNotFoundError."""

    def list_artifacts(self, path=None):
        if not path:
            os.listdir(self.artifact_dir)
        return super().list_artifacts(path)


class BrokenListTraversal(SafeLocalRepository):
    """Lists ``<root>/<path>`` normalised but unchecked (MLflow < 3.7's LocalArtifactRepository): '../outside'
    lists the directory next to the root."""

    def list_artifacts(self, path=None):
        directory = os.path.normpath(os.path.join(self.artifact_dir, path or ""))
        if not os.path.isdir(directory):
            return []
        infos = []
        for name in sorted(os.listdir(directory)):
            full = os.path.join(directory, name)
            relative = os.path.relpath(full, self.artifact_dir).replace(os.sep, "/")
            is_dir = os.path.isdir(full)
            infos.append(FileInfo(relative, is_dir, None if is_dir else os.path.getsize(full)))
        return infos


# -- log --------------------------------------------------------------------------------------------------------


class BrokenTreeUnderSourceName(SafeLocalRepository):
    """log_artifacts without artifact_path copies the tree like `cp -r src dst`: under a directory named after
    the local directory."""

    def log_artifacts(self, local_dir, artifact_path=None):
        super().log_artifacts(local_dir, artifact_path or os.path.basename(os.path.normpath(local_dir)))


class BrokenTreeSkipsExisting(SafeLocalRepository):
    """log_artifacts 'syncs' a tree: files already present at the destination are skipped, not replaced."""

    def log_artifacts(self, local_dir, artifact_path=None):
        target = self._dir(artifact_path or "")
        for root, _, files in os.walk(local_dir):
            relative = os.path.relpath(root, local_dir)
            for name in files:
                destination = os.path.normpath(os.path.join(target, relative, name))
                if not os.path.exists(destination):
                    os.makedirs(os.path.dirname(destination), exist_ok=True)
                    shutil.copyfile(os.path.join(root, name), destination)


# -- download: get_local_path -------------------------------------------------------------------------------------


class _SafeDownloads(SafeLocalRepository):
    """Downloads through the control's own local paths, whatever get_local_path a variant returns."""

    def _download_file(self, remote_file_path, local_path):
        shutil.copy2(SafeLocalRepository.get_local_path(self, remote_file_path), local_path)


class BrokenLocalPathIsUri(_SafeDownloads):
    """get_local_path returns a file:// URI instead of a filesystem path."""

    def get_local_path(self, artifact_path):
        return Path(super().get_local_path(artifact_path)).as_uri()


class BrokenLocalPathOfMissing(_SafeDownloads):
    """get_local_path joins and checks the path but never checks that the artifact exists."""

    def get_local_path(self, artifact_path):
        return os.path.abspath(self._inside(artifact_path))


class BrokenLocalPathUnchecked(_SafeDownloads):
    """get_local_path joins the raw path onto the root: '../x' or an absolute path names a file outside it."""

    def get_local_path(self, artifact_path):
        return os.path.join(self.artifact_dir, artifact_path)


# -- delete -----------------------------------------------------------------------------------------------------


class BrokenDeleteDirectoryWithRmdir(SafeLocalRepository):
    """Deletes directories with os.rmdir and ignores the error: a non-empty directory stays whole."""

    def delete_artifacts(self, artifact_path=None):
        target = self._dir(artifact_path or "")
        if os.path.isdir(target):
            try:
                os.rmdir(target)
            except OSError:
                pass
        elif os.path.isfile(target):
            os.remove(target)


# -- path safety ------------------------------------------------------------------------------------------------


class BrokenTreeDotDot(SafeLocalRepository):
    """log_artifacts normalises '..' away instead of refusing it (log_artifact is correct): trees escape."""

    def log_artifacts(self, local_dir, artifact_path=None):
        target = os.path.normpath(os.path.join(self.artifact_dir, artifact_path or ""))
        shutil.copytree(local_dir, target, dirs_exist_ok=True)


class BrokenSymlinkWrite(SafeLocalRepository):
    """Copies uploaded trees with their symlinks, and log_artifact joins the path without resolving links: a
    write into an uploaded link to a directory lands outside the root."""

    def log_artifacts(self, local_dir, artifact_path=None):
        shutil.copytree(local_dir, self._dir(artifact_path or ""), symlinks=True, dirs_exist_ok=True)

    def log_artifact(self, local_file, artifact_path=None):
        parts = [p for p in (artifact_path or "").split("/") if p not in ("", ".")]
        if (artifact_path or "").startswith("/") or ".." in parts:
            raise MlflowException(f"Invalid artifact path: {artifact_path!r}", error_code=INVALID_PARAMETER_VALUE)
        target = os.path.join(self.artifact_dir, *parts)
        os.makedirs(target, exist_ok=True)
        shutil.copyfile(local_file, os.path.join(target, os.path.basename(local_file)))


class BrokenAttachmentPathJoin(SafeLocalRepository):
    """Writes attachments straight to ``<root>/attachments/<id>`` without checking that the id is a UUID."""

    def upload_attachment(self, attachment_id, content_bytes):
        path = os.path.join(self.artifact_dir, "attachments", attachment_id)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(content_bytes)


# -- trace data and attachments -----------------------------------------------------------------------------------


class BrokenTraceDataInSubfolder(SafeLocalRepository):
    """upload_trace_data stores traces.json in a 'traces/' folder, where download_trace_data never looks."""

    def upload_trace_data(self, trace_data):
        from mlflow.store.artifact.artifact_repo import write_local_temp_trace_data_file

        with write_local_temp_trace_data_file(trace_data) as temp_file:
            self.log_artifact(temp_file, "traces")


class BrokenTraceDataMissingIsEmpty(SafeLocalRepository):
    """download_trace_data answers missing trace data with an empty dict instead of MlflowTraceDataNotFound."""

    def download_trace_data(self):
        try:
            return super().download_trace_data()
        except MlflowTraceDataNotFound:
            return {}


class BrokenTraceDataCustomLocation(SafeLocalRepository):
    """Keeps trace data in 'trace-data/traces.json', overriding upload_trace_data and download_trace_data but
    not download_trace_data_to_file (MLflow >= 3.16), which still reads 'traces.json' at the root."""

    def upload_trace_data(self, trace_data):
        from mlflow.store.artifact.artifact_repo import write_local_temp_trace_data_file

        with write_local_temp_trace_data_file(trace_data) as temp_file:
            self.log_artifact(temp_file, "trace-data")

    def download_trace_data(self):
        from mlflow.store.artifact.artifact_repo import try_read_trace_data

        return try_read_trace_data(os.path.join(self.artifact_dir, "trace-data", "traces.json"))


class BrokenAttachmentTextMode(SafeLocalRepository):
    """Stores attachments as text: the bytes are decoded as UTF-8 (invalid sequences replaced) and re-encoded."""

    def upload_attachment(self, attachment_id, content_bytes):
        super().upload_attachment(attachment_id, content_bytes.decode("utf-8", errors="replace").encode("utf-8"))


class BrokenAttachmentCustomLocation(SafeLocalRepository):
    """Keeps attachments in 'trace-attachments/<id>', overriding upload_attachment and download_trace_attachment
    but not download_trace_attachment_to_file (MLflow >= 3.16), which still reads 'attachments/<id>'."""

    def upload_attachment(self, attachment_id, content_bytes):
        path = os.path.join(self.artifact_dir, "trace-attachments", attachment_id)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        Path(path).write_bytes(content_bytes)

    def download_trace_attachment(self, path):
        return Path(self.artifact_dir, "trace-attachments", path).read_bytes()


# -- mixins -----------------------------------------------------------------------------------------------------


class BrokenSyncStreamTruncates(SafeLocalRepository):
    """log_artifact_from_stream stores one read(8192) of the stream: longer streams are truncated."""

    def log_artifact_from_stream(self, stream, artifact_file_name, artifact_path=None):
        super().log_artifact_from_stream(io.BytesIO(stream.read(8192)), artifact_file_name, artifact_path)


class BrokenS3MultipartPlaceholder(S3ArtifactRepository):
    """Reserves the destination key with an empty object when a multipart upload starts, and never removes it
    when the upload is aborted."""

    def create_multipart_upload(self, local_file, num_parts=1, artifact_path=None):
        import posixpath

        bucket, key = self.parse_s3_compliant_uri(self.artifact_uri)
        if artifact_path:
            key = posixpath.join(key, artifact_path)
        key = posixpath.join(key, os.path.basename(local_file))
        self._get_s3_client().put_object(Bucket=bucket, Key=key, Body=b"")
        return super().create_multipart_upload(local_file, num_parts, artifact_path)


class BrokenS3PresignedDownloadRange(S3ArtifactRepository):
    """Returns the headers of a ranged (first chunk) download with the presigned URL: a GET gets 100 bytes."""

    def get_download_presigned_url(self, artifact_path, expiration=300):
        response = super().get_download_presigned_url(artifact_path, expiration)
        response.headers = {**(response.headers or {}), "Range": "bytes=0-99"}
        return response


# -- through MLflow's registry (registered under a scheme of its own for the run) ----------------------------------


class BrokenSchemeFlattensTree(SchemeRepository):
    """log_artifacts uploads the top-level files only, dropping subdirectories (behind a plugin scheme)."""

    def log_artifacts(self, local_dir, artifact_path=None):
        for name in os.listdir(local_dir):
            if os.path.isfile(os.path.join(local_dir, name)):
                self.log_artifact(os.path.join(local_dir, name), artifact_path)


# -- interface --------------------------------------------------------------------------------------------------


class BrokenNoDownloadFile(ArtifactRepository):
    """Wraps a local repository and overrides download_artifacts, but never defines _download_file: it inherits
    ArtifactRepository's silent body (the abstract method is not enforced), so trace data and attachments, which
    MLflow downloads with _download_file, come back as nothing."""

    def __init__(self, artifact_uri, tracking_uri=None, registry_uri=None):
        super().__init__(artifact_uri)
        self._local = SafeLocalRepository(artifact_uri)

    def log_artifact(self, local_file, artifact_path=None):
        self._local.log_artifact(local_file, artifact_path)

    def log_artifacts(self, local_dir, artifact_path=None):
        self._local.log_artifacts(local_dir, artifact_path)

    def list_artifacts(self, path=None):
        return self._local.list_artifacts(path)

    def download_artifacts(self, artifact_path, dst_path=None):
        return self._local.download_artifacts(artifact_path, dst_path)

    def delete_artifacts(self, artifact_path=None):
        self._local.delete_artifacts(artifact_path)


class BrokenLogArtifactSignature(SafeLocalRepository):
    """Declares ``log_artifact(self, local_file, path=None)``: MLflow's calls by keyword
    (``artifact_path=...``) raise TypeError."""

    def log_artifact(self, local_file, path=None):
        super().log_artifact(local_file, path)
