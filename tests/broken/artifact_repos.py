"""Deliberately broken artifact repositories, one realistic bug each, and the correct repository they break.

``SafeLocalRepository`` is MLflow's LocalArtifactRepository with its two findings fixed (deletes stay inside the
root; names are never URL-decoded): it passes every clause. Each ``Broken*`` class below changes one behaviour.
``MUTANTS`` at the end declares each for the mutation harness (tests/mutants.py).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import urllib.parse

from mlflow.entities import FileInfo
from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE, RESOURCE_DOES_NOT_EXIST
from mlflow.store.artifact.artifact_repo import ArtifactRepository
from mlflow.store.artifact.local_artifact_repo import LocalArtifactRepository
from _mutant import Mutant

KIND = "artifact_repository"


class SafeLocalRepository(LocalArtifactRepository):
    """The correct control: LocalArtifactRepository with literal names and contained deletes."""

    def _inside(self, artifact_path: str) -> str:
        parts = [p for p in artifact_path.split("/") if p not in ("", ".")]
        if artifact_path.startswith("/") or "\\" in artifact_path or ".." in parts:
            raise MlflowException(f"Invalid artifact path: {artifact_path!r}", error_code=INVALID_PARAMETER_VALUE)
        local = os.path.join(self.artifact_dir, *parts)
        # Our own containment check (mlflow.utils.uri.validate_path_within_directory only exists from MLflow 3.7).
        root = os.path.realpath(self.artifact_dir)
        if os.path.commonpath([root, os.path.realpath(local)]) != root:
            raise MlflowException(f"Invalid artifact path: {artifact_path!r}", error_code=INVALID_PARAMETER_VALUE)
        return local

    def delete_artifacts(self, artifact_path=None):
        target = self._inside(artifact_path) if artifact_path else self.artifact_dir
        if os.path.isfile(target) or os.path.islink(target):
            os.remove(target)
        elif os.path.isdir(target):
            shutil.rmtree(target)

    def list_artifacts(self, path=None):
        # MLflow < 3.7's LocalArtifactRepository.list_artifacts joins the path unchecked: the control checks it.
        if path:
            self._inside(path)
        return super().list_artifacts(path)

    def get_local_path(self, artifact_path):
        local = self._inside(artifact_path)
        if not os.path.exists(local):
            raise MlflowException(f"No such artifact: {artifact_path!r}", error_code=RESOURCE_DOES_NOT_EXIST)
        return os.path.abspath(local)

    def _download_file(self, remote_file_path, local_path):
        shutil.copy2(self.get_local_path(remote_file_path), local_path)

    def _dir(self, artifact_path):
        return self._inside(artifact_path) if artifact_path else self.artifact_dir


# -- log --------------------------------------------------------------------------------------------------------


class BrokenTextModeCopy(SafeLocalRepository):
    """Copies in text mode with universal newlines: CRLF and lone CR become LF."""

    def log_artifact(self, local_file, artifact_path=None):
        target = self._dir(artifact_path or "")
        os.makedirs(target, exist_ok=True)
        with open(local_file, encoding="latin-1") as src, open(
            os.path.join(target, os.path.basename(local_file)), "w", encoding="latin-1", newline="\n"
        ) as dst:
            dst.write(src.read())


class BrokenTruncatesLargeFiles(SafeLocalRepository):
    """Uploads one 16 MiB read: larger files are silently truncated."""

    def log_artifact(self, local_file, artifact_path=None):
        target = self._dir(artifact_path or "")
        os.makedirs(target, exist_ok=True)
        with open(local_file, "rb") as src, open(os.path.join(target, os.path.basename(local_file)), "wb") as dst:
            dst.write(src.read(16 * 1024 * 1024))


class BrokenSkipsEmptyFiles(SafeLocalRepository):
    """Treats a zero-byte file as 'nothing to upload'."""

    def log_artifact(self, local_file, artifact_path=None):
        if os.path.getsize(local_file) == 0:
            return
        super().log_artifact(local_file, artifact_path)


class BrokenNoOverwrite(SafeLocalRepository):
    """Skips files that already exist at the destination ('already uploaded' cache)."""

    def log_artifact(self, local_file, artifact_path=None):
        if os.path.exists(os.path.join(self._dir(artifact_path or ""), os.path.basename(local_file))):
            return
        super().log_artifact(local_file, artifact_path)


class BrokenFlattensTree(SafeLocalRepository):
    """log_artifacts uploads the top-level files only, dropping subdirectories."""

    def log_artifacts(self, local_dir, artifact_path=None):
        for name in os.listdir(local_dir):
            if os.path.isfile(os.path.join(local_dir, name)):
                self.log_artifact(os.path.join(local_dir, name), artifact_path)


class BrokenAsciiNames(SafeLocalRepository):
    """Drops non-ASCII characters from file names."""

    def log_artifact(self, local_file, artifact_path=None):
        target = self._dir(artifact_path or "")
        os.makedirs(target, exist_ok=True)
        name = os.path.basename(local_file).encode("ascii", "ignore").decode()
        shutil.copyfile(local_file, os.path.join(target, name))


class BrokenDefaultsArtifactPath(SafeLocalRepository):
    """Without artifact_path, files go into an 'artifacts/' directory instead of the root."""

    def log_artifact(self, local_file, artifact_path=None):
        super().log_artifact(local_file, artifact_path or "artifacts")


class BrokenSpacesInTreeDirs(SafeLocalRepository):
    """log_artifacts 'sanitises' directory names of the uploaded tree: spaces become underscores."""

    def log_artifacts(self, local_dir, artifact_path=None):
        for root, _, files in os.walk(local_dir):
            rel = os.path.relpath(root, local_dir)
            rel = "" if rel == "." else rel.replace(os.sep, "/").replace(" ", "_")
            dest = "/".join(p for p in (artifact_path or "", rel) if p)
            for name in files:
                self.log_artifact(os.path.join(root, name), dest or None)


class BrokenFlattensArtifactPath(SafeLocalRepository):
    """Keeps only the first component of artifact_path ('a/b' is stored under 'a')."""

    def log_artifact(self, local_file, artifact_path=None):
        super().log_artifact(local_file, artifact_path.split("/")[0] if artifact_path else None)


# -- list -------------------------------------------------------------------------------------------------------


class BrokenListsRecursively(SafeLocalRepository):
    """list_artifacts walks the whole subtree instead of returning direct children."""

    def list_artifacts(self, path=None):
        base = self._dir(path or "")
        if not os.path.isdir(base):
            return []
        infos = []
        for root, dirs, files in os.walk(base):
            for name in dirs + files:
                full = os.path.join(root, name)
                rel = os.path.relpath(full, self.artifact_dir).replace(os.sep, "/")
                infos.append(FileInfo(rel, os.path.isdir(full), None if os.path.isdir(full) else os.path.getsize(full)))
        return sorted(infos, key=lambda i: i.path)


class BrokenRelativeToListedDir(SafeLocalRepository):
    """Returns names relative to the listed directory, not to the repository root."""

    def list_artifacts(self, path=None):
        return [FileInfo(i.path.rsplit("/", 1)[-1], i.is_dir, i.file_size) for i in super().list_artifacts(path)]


class BrokenDirectorySizeZero(SafeLocalRepository):
    """Reports file_size 0 for directories instead of None."""

    def list_artifacts(self, path=None):
        return [FileInfo(i.path, i.is_dir, 0 if i.is_dir else i.file_size) for i in super().list_artifacts(path)]


class BrokenListFileReturnsItself(SafeLocalRepository):
    """Listing a file returns that file instead of []."""

    def list_artifacts(self, path=None):
        if path and os.path.isfile(self._dir(path)):
            return [FileInfo(path, False, os.path.getsize(self._dir(path)))]
        return super().list_artifacts(path)


class BrokenMissingPathRaises(SafeLocalRepository):
    """Listing a missing path raises instead of returning []."""

    def list_artifacts(self, path=None):
        if path and not os.path.exists(self._dir(path)):
            raise MlflowException(f"No such directory: {path}", error_code=RESOURCE_DOES_NOT_EXIST)
        return super().list_artifacts(path)


class BrokenListPrefixLeak(SafeLocalRepository):
    """Lists by string prefix (an object-store bug): 'dir' also lists the children of 'dir-2'."""

    def list_artifacts(self, path=None):
        infos = super().list_artifacts(path)
        if not path:
            return infos
        parent, _, stem = path.rstrip("/").rpartition("/")
        for sibling in super().list_artifacts(parent or None):
            name = sibling.path.rsplit("/", 1)[-1]
            if sibling.is_dir and name != stem and name.startswith(stem):
                infos += super().list_artifacts(sibling.path)
        return infos


class BrokenTrailingSlashListsNothing(SafeLocalRepository):
    """Treats 'dir/' as the name of a file: listing it returns []."""

    def list_artifacts(self, path=None):
        if path and path.endswith("/"):
            return []
        return super().list_artifacts(path)


class BrokenEmptyStringRoot(SafeLocalRepository):
    """Builds the listing prefix with `path is not None`: at the root, '' gives entries with a leading '/'."""

    def list_artifacts(self, path=None):
        infos = super().list_artifacts(path)
        if path == "":
            return [FileInfo("/" + i.path, i.is_dir, i.file_size) for i in infos]
        return infos


# -- download ---------------------------------------------------------------------------------------------------


class BrokenCreatesMissingDst(SafeLocalRepository):
    """Creates a missing dst_path instead of raising RESOURCE_DOES_NOT_EXIST."""

    def download_artifacts(self, artifact_path, dst_path=None):
        if dst_path:
            os.makedirs(dst_path, exist_ok=True)
        return super().download_artifacts(artifact_path, dst_path)


class BrokenReturnsDstRoot(SafeLocalRepository):
    """Returns dst_path itself instead of the downloaded artifact's local path."""

    def download_artifacts(self, artifact_path, dst_path=None):
        local = super().download_artifacts(artifact_path, dst_path)
        return dst_path or local


class BrokenDownloadNotRecursive(SafeLocalRepository):
    """Downloads only the files directly inside a directory, not its subdirectories."""

    def _iter_artifacts_recursive(self, path):
        yield from (info for info in self.list_artifacts(path) if not info.is_dir)


class BrokenDownloadDropsEmptyDirs(SafeLocalRepository):
    """Lists empty directories but does not recreate them on download."""

    def _iter_artifacts_recursive(self, path):
        yield from (info for info in super()._iter_artifacts_recursive(path) if not info.is_dir)


class BrokenDefaultDestinationEmpty(SafeLocalRepository):
    """Without dst_path, returns the path of a fresh temporary directory and forgets to download into it."""

    def download_artifacts(self, artifact_path, dst_path=None):
        if dst_path:
            return super().download_artifacts(artifact_path, dst_path)
        import tempfile

        return os.path.join(tempfile.mkdtemp(), artifact_path)


class BrokenReplacesDstFile(SafeLocalRepository):
    """A dst_path that is a file is deleted and replaced by a directory."""

    def download_artifacts(self, artifact_path, dst_path=None):
        if dst_path and os.path.isfile(dst_path):
            os.remove(dst_path)
            os.makedirs(dst_path)
        return super().download_artifacts(artifact_path, dst_path)


class BrokenMissingArtifactEmptyFile(SafeLocalRepository):
    """Downloading a missing file writes an empty file instead of raising."""

    def _download_file(self, remote_file_path, local_path):
        source = os.path.join(self.artifact_dir, remote_file_path)
        if not os.path.exists(source):
            open(local_path, "wb").close()
            return
        super()._download_file(remote_file_path, local_path)


# -- delete -----------------------------------------------------------------------------------------------------


class BrokenDeleteNoop(SafeLocalRepository):
    """Forgot to implement delete_artifacts: inherits ArtifactRepository's silent no-op."""

    delete_artifacts = ArtifactRepository.delete_artifacts


class BrokenDeleteMissingRaisesOSError(SafeLocalRepository):
    """Deleting a missing path leaks FileNotFoundError instead of succeeding quietly."""

    def delete_artifacts(self, artifact_path=None):
        target = self._dir(artifact_path or "")
        if os.path.isdir(target):
            shutil.rmtree(target)
        else:
            os.remove(target)


class BrokenDeleteByStringPrefix(SafeLocalRepository):
    """Deletes every sibling whose name starts with the deleted name ('dir' also deletes 'dir-2')."""

    def delete_artifacts(self, artifact_path=None):
        super().delete_artifacts(artifact_path)
        if artifact_path:
            parent, _, stem = artifact_path.rstrip("/").rpartition("/")
            base = self._dir(parent)
            for name in os.listdir(base) if os.path.isdir(base) else []:
                if name.startswith(stem):
                    super().delete_artifacts(f"{parent}/{name}" if parent else name)


class BrokenDeleteLeavesNested(SafeLocalRepository):
    """Deleting a directory removes only its direct files; nested directories survive."""

    def delete_artifacts(self, artifact_path=None):
        target = self._dir(artifact_path or "")
        if os.path.isfile(target):
            os.remove(target)
        elif os.path.isdir(target):
            for name in os.listdir(target):
                if os.path.isfile(os.path.join(target, name)):
                    os.remove(os.path.join(target, name))


# -- path safety ------------------------------------------------------------------------------------------------


class BrokenDotDotWrite(SafeLocalRepository):
    """Refuses absolute artifact paths but normalises '..' away: writes escape the root."""

    def log_artifact(self, local_file, artifact_path=None):
        if artifact_path and artifact_path.startswith("/"):
            raise MlflowException("absolute path", error_code=INVALID_PARAMETER_VALUE)
        target = os.path.normpath(os.path.join(self.artifact_dir, artifact_path or ""))
        os.makedirs(target, exist_ok=True)
        shutil.copyfile(local_file, os.path.join(target, os.path.basename(local_file)))

    def log_artifacts(self, local_dir, artifact_path=None):
        target = os.path.normpath(os.path.join(self.artifact_dir, artifact_path or ""))
        shutil.copytree(local_dir, target, dirs_exist_ok=True)


class BrokenAbsoluteWrite(SafeLocalRepository):
    """Refuses '..' but joins absolute artifact paths, which replace the root."""

    def log_artifact(self, local_file, artifact_path=None):
        if artifact_path and ".." in artifact_path.split("/"):
            raise MlflowException("'..' in path", error_code=INVALID_PARAMETER_VALUE)
        target = os.path.join(self.artifact_dir, artifact_path or "")
        os.makedirs(target, exist_ok=True)
        shutil.copyfile(local_file, os.path.join(target, os.path.basename(local_file)))


class BrokenAbsoluteWriteAndDirectorySize(BrokenAbsoluteWrite, BrokenDirectorySizeZero):
    """Two independent bugs (as on a real WebHDFS plugin): directories listed with size 0, and absolute artifact
    paths written outside the root. The wrong size must not hide the write outside behind "blocked"."""


class BrokenDecodesAfterValidation(SafeLocalRepository):
    """Validates the raw artifact_path, then URL-decodes it before writing ('%2e%2e' becomes '..')."""

    def log_artifact(self, local_file, artifact_path=None):
        if artifact_path:
            self._inside(artifact_path)
            artifact_path = urllib.parse.unquote(artifact_path)
        target = os.path.join(self.artifact_dir, artifact_path or "")
        os.makedirs(target, exist_ok=True)
        shutil.copyfile(local_file, os.path.join(target, os.path.basename(local_file)))


class BrokenReadTraversal(SafeLocalRepository):
    """Local paths of artifacts join the raw path: '../x' or an absolute path reads outside the root."""

    def get_local_path(self, artifact_path):
        return os.path.join(self.artifact_dir, artifact_path)


class BrokenMlflowLocalDelete(SafeLocalRepository):
    """MLflow 3.17.2's own LocalArtifactRepository.delete_artifacts (raw join, URL-decoded)."""

    delete_artifacts = LocalArtifactRepository.delete_artifacts


class BrokenMlflowLocalDecodedNames(SafeLocalRepository):
    """MLflow 3.17.2's own LocalArtifactRepository downloads (names URL-decoded before reading)."""

    # LocalArtifactRepository.get_local_path exists from MLflow 3.14; before, _download_file alone decodes names.
    get_local_path = getattr(LocalArtifactRepository, "get_local_path", SafeLocalRepository.get_local_path)
    _download_file = LocalArtifactRepository._download_file


class BrokenDecodingDelete(SafeLocalRepository):
    """Validates the path, then URL-decodes it before deleting (names are not encodings)."""

    def delete_artifacts(self, artifact_path=None):
        if artifact_path:
            self._inside(artifact_path)
            artifact_path = urllib.parse.unquote(artifact_path)
        super().delete_artifacts(artifact_path)


class BrokenKeepsSymlinks(SafeLocalRepository):
    """Copies uploaded trees with their symlinks; deletes then follow the links out of the root."""

    def log_artifacts(self, local_dir, artifact_path=None):
        shutil.copytree(local_dir, self._dir(artifact_path or ""), symlinks=True, dirs_exist_ok=True)

    def _inside(self, artifact_path):
        parts = [p for p in artifact_path.split("/") if p not in ("", ".")]
        if artifact_path.startswith("/") or ".." in parts:
            raise MlflowException(f"Invalid artifact path: {artifact_path!r}", error_code=INVALID_PARAMETER_VALUE)
        return os.path.join(self.artifact_dir, *parts)  # no symlink resolution

    def delete_artifacts(self, artifact_path=None):
        target = self._dir(artifact_path or "")  # 'tree/link_dir/x' goes through the stored link
        if os.path.isdir(target) and not os.path.islink(target):
            shutil.rmtree(target)
        elif os.path.lexists(target):
            os.remove(target)


# -- mixins and concurrency -------------------------------------------------------------------------------------


class BrokenStreamDropsLastChunk(SafeLocalRepository):
    """The async stream upload forgets to write the final chunk."""

    async def log_artifact_from_async_stream(self, chunks, artifact_file_name, artifact_path=None):
        collected = [chunk async for chunk in chunks]
        import io

        self.log_artifact_from_stream(io.BytesIO(b"".join(collected[:-1])), artifact_file_name, artifact_path)


class BrokenSharedUploadBuffer(SafeLocalRepository):
    """Stages every upload in one instance-wide buffer: concurrent uploads overwrite each other's content."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._staged = None
        self._lock = threading.Lock()

    def log_artifact(self, local_file, artifact_path=None):
        with open(local_file, "rb") as fh:
            self._staged = fh.read()
        time.sleep(0.02)  # the network round trip of a real backend widens the window
        target = self._dir(artifact_path or "")
        os.makedirs(target, exist_ok=True)
        with open(os.path.join(target, os.path.basename(local_file)), "wb") as out:
            out.write(self._staged)


# -- S3 mixins (control: MLflow's S3ArtifactRepository on moto) ---------------------------------------------------

from mlflow.store.artifact.s3_artifact_repo import S3ArtifactRepository  # noqa: E402


class BrokenS3MultipartDropsLastPart(S3ArtifactRepository):
    """complete_multipart_upload sends parts[:-1] (an off-by-one): the object lacks its last part."""

    def complete_multipart_upload(self, local_file, upload_id, parts=None, artifact_path=None):
        super().complete_multipart_upload(local_file, upload_id, (parts or [])[:-1] or parts, artifact_path)


class BrokenS3PresignedUploadOutsideRoot(S3ArtifactRepository):
    """The presigned upload URL is for the bare artifact path, without the repository's root prefix."""

    def create_presigned_upload_url(self, artifact_path, expiration=900):
        bucket, _ = self.parse_s3_compliant_uri(self.artifact_uri)
        saved, self.artifact_uri = self.artifact_uri, f"s3://{bucket}"
        try:
            return super().create_presigned_upload_url(artifact_path, expiration)
        finally:
            self.artifact_uri = saved


class BrokenS3PresignedDownloadWrongSize(S3ArtifactRepository):
    """Reports file_size in KiB instead of bytes."""

    def get_download_presigned_url(self, artifact_path, expiration=300):
        response = super().get_download_presigned_url(artifact_path, expiration)
        response.file_size = (response.file_size or 0) // 1024
        return response


# -- MLflow's registry (clauses end-to-end/*) -----------------------------------------------------------


def _local_uri(artifact_uri: str) -> str:
    from pathlib import Path

    return Path(urllib.parse.urlparse(artifact_uri).path).as_uri()


class SchemeRepository(SafeLocalRepository):
    """The control behind a plugin scheme (``<scheme>:///abs/dir``), built the way MLflow's registry calls it."""

    def __init__(self, artifact_uri, tracking_uri=None, registry_uri=None):
        import inspect

        # tracking_uri exists from MLflow 3.2, registry_uri later: pass what the installed MLflow accepts.
        accepted = inspect.signature(LocalArtifactRepository.__init__).parameters
        given = {"tracking_uri": tracking_uri, "registry_uri": registry_uri}
        super().__init__(_local_uri(artifact_uri), **{k: v for k, v in given.items() if k in accepted})
        self.artifact_uri = artifact_uri


class BrokenPre32Constructor(SafeLocalRepository):
    """A constructor written before MLflow 3.2: no tracking_uri / registry_uri keywords (MLflow issue 16873), so
    MLflow's registry cannot build it for a run's artifact URI."""

    def __init__(self, artifact_uri):
        super().__init__(_local_uri(artifact_uri))
        self.artifact_uri = artifact_uri


MUTANTS = [
    Mutant(KIND, "BrokenTextModeCopy", "artifact_repository/log/binary-byte-for-byte", BrokenTextModeCopy),
    Mutant(KIND, "BrokenTruncatesLargeFiles", "artifact_repository/log/large-file", BrokenTruncatesLargeFiles),
    Mutant(KIND, "BrokenSkipsEmptyFiles", "artifact_repository/log/empty-file", BrokenSkipsEmptyFiles),
    Mutant(KIND, "BrokenNoOverwrite", "artifact_repository/log/overwrite", BrokenNoOverwrite),
    Mutant(KIND, "BrokenFlattensTree", "artifact_repository/log/directory-tree", BrokenFlattensTree),
    Mutant(KIND, "BrokenAsciiNames", "artifact_repository/log/unicode-and-spaced-names", BrokenAsciiNames),
    Mutant(KIND, "BrokenDefaultsArtifactPath", "artifact_repository/log/file-at-root", BrokenDefaultsArtifactPath),
    Mutant(KIND, "BrokenFlattensArtifactPath", "artifact_repository/log/file-with-artifact-path",
           BrokenFlattensArtifactPath),
    Mutant(KIND, "BrokenTrailingSlashListsNothing", "artifact_repository/list/trailing-slash",
           BrokenTrailingSlashListsNothing),
    Mutant(KIND, "BrokenEmptyStringRoot", "artifact_repository/list/root-empty-string", BrokenEmptyStringRoot),
    Mutant(KIND, "BrokenDownloadNotRecursive", "artifact_repository/download/directory-recursive",
           BrokenDownloadNotRecursive),
    Mutant(KIND, "BrokenDownloadDropsEmptyDirs", "artifact_repository/download/empty-directories-kept",
           BrokenDownloadDropsEmptyDirs),
    Mutant(KIND, "BrokenDefaultDestinationEmpty", "artifact_repository/download/default-destination",
           BrokenDefaultDestinationEmpty),
    Mutant(KIND, "BrokenReplacesDstFile", "artifact_repository/download/dst-path-is-a-file", BrokenReplacesDstFile),
    Mutant(KIND, "BrokenMissingArtifactEmptyFile", "artifact_repository/download/missing-artifact",
           BrokenMissingArtifactEmptyFile),
    Mutant(KIND, "BrokenDeleteMissingRaisesOSError", "artifact_repository/delete/missing-path",
           BrokenDeleteMissingRaisesOSError),
    Mutant(KIND, "BrokenMlflowLocalDecodedNames", "artifact_repository/log/percent-escapes-in-names",
           BrokenMlflowLocalDecodedNames),
    Mutant(KIND, "BrokenSpacesInTreeDirs", "artifact_repository/properties/tree-round-trip", BrokenSpacesInTreeDirs),
    Mutant(KIND, "BrokenListsRecursively", "artifact_repository/list/direct-children", BrokenListsRecursively),
    Mutant(KIND, "BrokenRelativeToListedDir", "artifact_repository/list/direct-children", BrokenRelativeToListedDir),
    Mutant(KIND, "BrokenDirectorySizeZero", "artifact_repository/list/entry-types-and-sizes", BrokenDirectorySizeZero),
    Mutant(KIND, "BrokenListFileReturnsItself", "artifact_repository/list/file-path-is-empty",
           BrokenListFileReturnsItself),
    Mutant(KIND, "BrokenMissingPathRaises", "artifact_repository/list/missing-path-is-empty", BrokenMissingPathRaises),
    Mutant(KIND, "BrokenListPrefixLeak", "artifact_repository/list/no-sibling-prefix-leak", BrokenListPrefixLeak),
    Mutant(KIND, "BrokenCreatesMissingDst", "artifact_repository/download/missing-dst-path", BrokenCreatesMissingDst),
    Mutant(KIND, "BrokenReturnsDstRoot", "artifact_repository/download/file-into-dst", BrokenReturnsDstRoot),
    Mutant(KIND, "BrokenDeleteNoop", "artifact_repository/delete/file", BrokenDeleteNoop),
    Mutant(KIND, "BrokenDeleteByStringPrefix", "artifact_repository/delete/sibling-prefix-kept", BrokenDeleteByStringPrefix),
    Mutant(KIND, "BrokenDeleteLeavesNested", "artifact_repository/differential/state-machine",
           BrokenDeleteLeavesNested),
    Mutant(KIND, "BrokenDotDotWrite", "artifact_repository/safety/dotdot-write", BrokenDotDotWrite),
    Mutant(KIND, "BrokenAbsoluteWrite", "artifact_repository/safety/absolute-write", BrokenAbsoluteWrite),
    Mutant(KIND, "BrokenAbsoluteWriteAndDirectorySize", "artifact_repository/safety/absolute-write",
           BrokenAbsoluteWriteAndDirectorySize, also_caught_by=("artifact_repository/list/entry-types-and-sizes",)),
    Mutant(KIND, "BrokenDecodesAfterValidation", "artifact_repository/safety/encoded-traversal-write",
           BrokenDecodesAfterValidation),
    Mutant(KIND, "BrokenReadTraversal", "artifact_repository/safety/traversal-download", BrokenReadTraversal, since="3.14",
           notes="before 3.14, LocalArtifactRepository.download_artifacts validates and joins the path itself: it "
                 "never calls the get_local_path this mutant breaks"),
    Mutant(KIND, "BrokenMlflowLocalDelete", "artifact_repository/safety/traversal-delete", BrokenMlflowLocalDelete),
    Mutant(KIND, "BrokenDecodingDelete", "artifact_repository/delete/literal-names", BrokenDecodingDelete),
    Mutant(KIND, "BrokenKeepsSymlinks", "artifact_repository/safety/symlinks-delete", BrokenKeepsSymlinks),
    Mutant(KIND, "BrokenStreamDropsLastChunk", "artifact_repository/mixins/async-stream-upload", BrokenStreamDropsLastChunk),
    Mutant(KIND, "BrokenSharedUploadBuffer", "artifact_repository/concurrency/threaded-uploads",
           BrokenSharedUploadBuffer),
    Mutant(KIND, "BrokenS3MultipartDropsLastPart", "artifact_repository/mixins/multipart-upload",
           BrokenS3MultipartDropsLastPart, via="s3"),
    Mutant(KIND, "BrokenS3PresignedUploadOutsideRoot", "artifact_repository/mixins/presigned-upload",
           BrokenS3PresignedUploadOutsideRoot, via="s3"),
    Mutant(KIND, "BrokenS3PresignedDownloadWrongSize", "artifact_repository/mixins/presigned-file-size",
           BrokenS3PresignedDownloadWrongSize, via="s3"),
    Mutant(KIND, "BrokenPre32Constructor", "artifact_repository/end-to-end/file-artifact", BrokenPre32Constructor,
           via="scheme", since="3.2",
           notes="before 3.2, MLflow builds repositories from the URI alone: the old constructor is right there"),
]
