"""MLflow's optional repository mixins: streamed, multipart and presigned uploads, presigned downloads. A
repository that does not implement a mixin gets ``unsupported`` for its clauses."""

from __future__ import annotations

import asyncio
import io
import os

from ...outcomes import unsupported
from .._support import unique_name
from ..base import clause
from ._helpers import MULTIPART, PRESIGNED_DOWNLOAD, PRESIGNED_UPLOAD, STREAM, assert_stored, files_of, http, write_file
from ._prerequisites import VIA_DOWNLOAD, VIA_LISTING, unless_blocked


def _require(repo, mixin_name: str, feature: str):
    from mlflow.store.artifact import artifact_repo

    mixin = getattr(artifact_repo, mixin_name)
    if not isinstance(repo, mixin):
        unsupported(feature, f"the repository does not implement {mixin_name}")


class MixinClauses:
    """Clauses of the ``artifact_repository/mixins/*`` family."""

    @clause("artifact_repository/mixins/stream-upload", feature=STREAM, since="3.15")
    def test_mixins_stream_upload(self, artifact_repository, tmp_path):
        """A StreamUploadMixin repository stores log_artifact_from_stream content byte for byte at
        ``<artifact_path>/<file name>``."""
        _require(artifact_repository, "StreamUploadMixin", STREAM)
        prefix = unique_name("stream")
        data = bytes(range(256)) * 64 + b"\r\n"
        artifact_repository.log_artifact_from_stream(io.BytesIO(data), "sync.bin", artifact_path=prefix)
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTING):
            assert_stored(artifact_repository, {f"{prefix}/sync.bin": data}, tmp_path, prefix)

    @clause("artifact_repository/mixins/async-stream-upload", feature=STREAM, since="3.15")
    def test_mixins_async_stream_upload(self, artifact_repository, tmp_path):
        """A StreamUploadMixin repository stores log_artifact_from_async_stream content (chunks from an async
        iterator) byte for byte at ``<artifact_path>/<file name>``."""
        _require(artifact_repository, "StreamUploadMixin", STREAM)
        prefix = unique_name("stream")
        data = bytes(range(256)) * 64 + b"\r\n"

        async def chunks():
            for start in range(0, len(data), 1000):
                yield data[start:start + 1000]

        asyncio.run(artifact_repository.log_artifact_from_async_stream(chunks(), "async.bin", artifact_path=prefix))
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTING):
            assert_stored(artifact_repository, {f"{prefix}/async.bin": data}, tmp_path, prefix)

    @clause("artifact_repository/mixins/multipart-upload", feature=MULTIPART)
    def test_mixins_multipart_upload(self, artifact_repository, tmp_path):
        """A MultipartUploadMixin repository: parts PUT to the returned URLs and completed form the file byte
        for byte."""
        from mlflow.entities.multipart_upload import MultipartUploadPart

        _require(artifact_repository, "MultipartUploadMixin", MULTIPART)
        prefix = unique_name("multipart")
        part_size = 5 * 1024 * 1024  # S3's minimum for every part but the last
        data = os.urandom(part_size) + b"tail\r\n"
        source = write_file(tmp_path / "mp.bin", data)
        created = artifact_repository.create_multipart_upload(str(source), 2, prefix)
        parts = []
        for credential in sorted(created.credentials, key=lambda c: c.part_number):
            start = (credential.part_number - 1) * part_size
            chunk = data[start:start + part_size] if credential.part_number == 1 else data[part_size:]
            _, headers, _ = http("PUT", credential.url, chunk, credential.headers)
            etag = {k.lower(): v for k, v in headers.items()}.get("etag")
            parts.append(MultipartUploadPart(part_number=credential.part_number, etag=etag, url=credential.url))
        artifact_repository.complete_multipart_upload(str(source), created.upload_id, parts, prefix)
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTING):
            assert_stored(artifact_repository, {f"{prefix}/mp.bin": data}, tmp_path, prefix)

    @clause("artifact_repository/mixins/multipart-abort", feature=MULTIPART)
    def test_mixins_multipart_abort(self, artifact_repository, tmp_path):
        """A MultipartUploadMixin repository: an upload created and then aborted leaves nothing listed."""
        _require(artifact_repository, "MultipartUploadMixin", MULTIPART)
        prefix = unique_name("multipart")
        aborted = write_file(tmp_path / "aborted.bin", b"never")
        started = artifact_repository.create_multipart_upload(str(aborted), 1, prefix)
        artifact_repository.abort_multipart_upload(str(aborted), started.upload_id, prefix)
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTING):
            left = files_of(artifact_repository, prefix)
            assert left == {}, f"after abort_multipart_upload the directory holds {left}"

    @clause("artifact_repository/mixins/presigned-upload", feature=PRESIGNED_UPLOAD, since="3.12")
    def test_mixins_presigned_upload(self, artifact_repository, tmp_path):
        """A PresignedUploadMixin repository returns a URL that, PUT with the returned headers, stores the file
        at the requested artifact path."""
        _require(artifact_repository, "PresignedUploadMixin", PRESIGNED_UPLOAD)
        prefix = unique_name("presigned")
        data = bytes(range(256)) + b"\r\n"
        created = artifact_repository.create_presigned_upload_url(f"{prefix}/up.bin")
        http("PUT", created.presigned_url, data, created.headers)
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTING):
            assert_stored(artifact_repository, {f"{prefix}/up.bin": data}, tmp_path, prefix)

    @clause("artifact_repository/mixins/presigned-download", feature=PRESIGNED_DOWNLOAD, since="3.11")
    def test_mixins_presigned_download(self, artifact_repository, tmp_path):
        """A MultipartDownloadMixin repository returns a presigned URL that GETs the artifact byte for byte."""
        _require(artifact_repository, "MultipartDownloadMixin", PRESIGNED_DOWNLOAD)
        prefix = unique_name("presigned")
        data = bytes(range(256)) * 3
        artifact_repository.log_artifact(str(write_file(tmp_path / "down.bin", data)), prefix)
        response = artifact_repository.get_download_presigned_url(f"{prefix}/down.bin")
        with unless_blocked(artifact_repository, tmp_path, VIA_DOWNLOAD):
            _, _, body = http("GET", response.url, None, response.headers)
            assert body == data, f"the presigned URL gave {len(body)} bytes that differ from the artifact's"

    @clause("artifact_repository/mixins/presigned-file-size", feature=PRESIGNED_DOWNLOAD, since="3.11")
    def test_mixins_presigned_file_size(self, artifact_repository, tmp_path):
        """The presigned download response's file_size is the artifact's size in bytes (or None)."""
        _require(artifact_repository, "MultipartDownloadMixin", PRESIGNED_DOWNLOAD)
        prefix = unique_name("presigned")
        data = bytes(range(256)) * 3
        artifact_repository.log_artifact(str(write_file(tmp_path / "down.bin", data)), prefix)
        response = artifact_repository.get_download_presigned_url(f"{prefix}/down.bin")
        assert response.file_size in (None, len(data)), f"file_size {response.file_size}, expected {len(data)}"
