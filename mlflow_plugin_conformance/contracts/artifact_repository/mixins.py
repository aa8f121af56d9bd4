"""MLflow's optional repository mixins: streamed, multipart and presigned uploads, presigned downloads."""

from __future__ import annotations

import asyncio
import io
import os

from ...outcomes import unsupported
from .._support import unique_name
from ..base import clause
from ._helpers import MULTIPART, PRESIGNED_DOWNLOAD, PRESIGNED_UPLOAD, STREAM, download_bytes, files_of, http, write_file


class MixinClauses:
    """Clauses of the ``artifact_repository/mixins/*`` family."""

    @clause("artifact_repository/mixins/stream-upload", feature=STREAM, since="3.15")
    def test_mixins_stream_upload(self, artifact_repository, tmp_path):
        """A StreamUploadMixin repository stores log_artifact_from_stream and log_artifact_from_async_stream
        content byte for byte at ``<artifact_path>/<file name>``."""
        from mlflow.store.artifact.artifact_repo import StreamUploadMixin

        if not isinstance(artifact_repository, StreamUploadMixin):
            unsupported(STREAM, "the repository does not implement StreamUploadMixin")
        prefix = unique_name("stream")
        data = bytes(range(256)) * 64 + b"\r\n"
        artifact_repository.log_artifact_from_stream(io.BytesIO(data), "sync.bin", artifact_path=prefix)

        async def chunks():
            for start in range(0, len(data), 1000):
                yield data[start:start + 1000]

        asyncio.run(artifact_repository.log_artifact_from_async_stream(chunks(), "async.bin", artifact_path=prefix))
        assert files_of(artifact_repository, prefix) == {f"{prefix}/sync.bin": len(data),
                                                         f"{prefix}/async.bin": len(data)}
        assert download_bytes(artifact_repository, f"{prefix}/sync.bin", tmp_path / "a") == data
        assert download_bytes(artifact_repository, f"{prefix}/async.bin", tmp_path / "b") == data

    @clause("artifact_repository/mixins/multipart-upload", feature=MULTIPART)
    def test_mixins_multipart_upload(self, artifact_repository, tmp_path):
        """A MultipartUploadMixin repository: parts PUT to the returned URLs and completed form the file byte
        for byte; an aborted upload leaves nothing listed."""
        from mlflow.entities.multipart_upload import MultipartUploadPart
        from mlflow.store.artifact.artifact_repo import MultipartUploadMixin

        if not isinstance(artifact_repository, MultipartUploadMixin):
            unsupported(MULTIPART, "the repository does not implement MultipartUploadMixin")
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
        assert download_bytes(artifact_repository, f"{prefix}/mp.bin", tmp_path / "dl") == data
        aborted = write_file(tmp_path / "aborted.bin", b"never")
        started = artifact_repository.create_multipart_upload(str(aborted), 1, prefix)
        artifact_repository.abort_multipart_upload(str(aborted), started.upload_id, prefix)
        assert files_of(artifact_repository, prefix) == {f"{prefix}/mp.bin": len(data)}

    @clause("artifact_repository/mixins/presigned-upload", feature=PRESIGNED_UPLOAD, since="3.12")
    def test_mixins_presigned_upload(self, artifact_repository, tmp_path):
        """A PresignedUploadMixin repository returns a URL that, PUT with the returned headers, stores the file
        at the requested artifact path."""
        from mlflow.store.artifact.artifact_repo import PresignedUploadMixin

        if not isinstance(artifact_repository, PresignedUploadMixin):
            unsupported(PRESIGNED_UPLOAD, "the repository does not implement PresignedUploadMixin")
        prefix = unique_name("presigned")
        data = bytes(range(256)) + b"\r\n"
        created = artifact_repository.create_presigned_upload_url(f"{prefix}/up.bin")
        http("PUT", created.presigned_url, data, created.headers)
        assert files_of(artifact_repository, prefix) == {f"{prefix}/up.bin": len(data)}
        assert download_bytes(artifact_repository, f"{prefix}/up.bin", tmp_path / "dl") == data

    @clause("artifact_repository/mixins/presigned-download", feature=PRESIGNED_DOWNLOAD, since="3.11")
    def test_mixins_presigned_download(self, artifact_repository, tmp_path):
        """A MultipartDownloadMixin repository returns a presigned URL that GETs the artifact byte for byte,
        with the right file_size."""
        from mlflow.store.artifact.artifact_repo import MultipartDownloadMixin

        if not isinstance(artifact_repository, MultipartDownloadMixin):
            unsupported(PRESIGNED_DOWNLOAD, "the repository does not implement MultipartDownloadMixin")
        prefix = unique_name("presigned")
        data = bytes(range(256)) * 3
        artifact_repository.log_artifact(str(write_file(tmp_path / "down.bin", data)), prefix)
        response = artifact_repository.get_download_presigned_url(f"{prefix}/down.bin")
        _, _, body = http("GET", response.url, None, response.headers)
        assert body == data
        assert response.file_size in (None, len(data)), f"file_size {response.file_size}, expected {len(data)}"
