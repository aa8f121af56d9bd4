"""Real services for tests, started on 127.0.0.1 and stopped afterwards.

Each section is a pytest-free context manager plus, where useful, a documented pytest fixture a plugin author
imports into their ``conftest.py``.  Nothing here is a mock of a part the user really has: the S3 section runs
moto's server mode, which speaks the S3 HTTP protocol to boto3 exactly as AWS would.
"""

from __future__ import annotations


# -- S3 on moto's server mode -------------------------------------------------------------------------------------
# For plugin authors whose artifact repository sits on S3 (or an S3-compatible store):
#
#     # conftest.py
#     from mlflow_plugin_conformance.services import moto_s3  # noqa: F401  (a session fixture)
#
#     class TestMyRepo(ArtifactRepositoryContract):
#         @pytest.fixture
#         def artifact_repository(self, moto_s3):
#             return MyS3Repo(f"s3://{moto_s3.bucket}/{uuid.uuid4().hex}", endpoint_url=moto_s3.endpoint_url)
#
# ``moto_s3`` starts one ThreadedMotoServer on 127.0.0.1 (a free port) per test session (per xdist worker),
# creates a fresh bucket, and sets for the session only: dummy AWS credentials and region (never real ones; the
# values are never printed) and ``MLFLOW_S3_ENDPOINT_URL``, so MLflow's own S3ArtifactRepository talks to moto.

import contextlib
import os
import uuid
from dataclasses import dataclass
from typing import Iterator

_DUMMY_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "conformance-dummy-key",
    "AWS_SECRET_ACCESS_KEY": "conformance-dummy-secret",
    "AWS_SESSION_TOKEN": "conformance-dummy-token",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@dataclass(frozen=True)
class MotoS3:
    """A running moto S3 server: ``endpoint_url`` (http://127.0.0.1:PORT) and a fresh, empty ``bucket``."""

    endpoint_url: str
    bucket: str

    def client(self):
        """A boto3 S3 client for this server (dummy credentials), e.g. for a back door in tests."""
        import boto3

        return boto3.client(
            "s3", endpoint_url=self.endpoint_url, region_name=_DUMMY_AWS_ENV["AWS_DEFAULT_REGION"],
            aws_access_key_id=_DUMMY_AWS_ENV["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=_DUMMY_AWS_ENV["AWS_SECRET_ACCESS_KEY"],
        )

    def uri(self, prefix: str = "") -> str:
        """``s3://<bucket>/<prefix>`` for this server's bucket."""
        return f"s3://{self.bucket}/{prefix.lstrip('/')}".rstrip("/")

    def environ(self) -> dict[str, str]:
        """The environment MLflow's S3ArtifactRepository needs to reach this server."""
        return {**_DUMMY_AWS_ENV, "MLFLOW_S3_ENDPOINT_URL": self.endpoint_url}


@contextlib.contextmanager
def moto_s3_server(bucket: str | None = None) -> Iterator[MotoS3]:
    """Start moto's S3 server on 127.0.0.1 (free port), create ``bucket`` (fresh name by default), stop at exit.

    Does not touch ``os.environ``: use :meth:`MotoS3.environ` (or :func:`moto_s3_environment`) for code that reads
    credentials and the endpoint from the environment.
    """
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        service = MotoS3(endpoint_url=f"http://{host}:{port}", bucket=bucket or f"conformance-{uuid.uuid4().hex[:16]}")
        service.client().create_bucket(Bucket=service.bucket)
        yield service
    finally:
        server.stop()


@contextlib.contextmanager
def moto_s3_environment(service: MotoS3) -> Iterator[MotoS3]:
    """Set :meth:`MotoS3.environ` in ``os.environ`` for the body, and restore every variable afterwards."""
    saved = {name: os.environ.get(name) for name in service.environ()}
    os.environ.update(service.environ())
    try:
        yield service
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _moto_s3_fixture():
    import pytest

    @pytest.fixture(scope="session")
    def moto_s3() -> Iterator[MotoS3]:
        """A moto S3 server on 127.0.0.1 with a fresh bucket, and the environment MLflow's S3 client reads
        (dummy credentials, ``MLFLOW_S3_ENDPOINT_URL``) for the whole session; everything restored at the end."""
        with moto_s3_server() as service, moto_s3_environment(service):
            yield service

    return moto_s3


moto_s3 = _moto_s3_fixture()
