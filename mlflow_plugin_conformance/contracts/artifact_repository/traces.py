"""Trace data and attachments in an artifact repository.

MLflow's tracing client stores a trace's spans as ``traces.json`` in the trace's artifact repository
(``upload_trace_data`` / ``download_trace_data``) and its attachments under ``attachments/<uuid>``
(``upload_attachment`` / ``download_trace_attachment``); MLflow's server sends them with the ``*_to_file``
variants. ArtifactRepository implements all of them on ``log_artifact`` and ``_download_file``, so a repository
inherits them; one that overrides some must keep the others consistent. A repository that raises
NotImplementedError there does not support the feature (outcome: unsupported).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from ...outcomes import is_not_implemented
from .._support import unique_name
from ..base import clause
from ._helpers import TRACE_ATTACHMENTS, TRACE_DATA, mk
from ._prerequisites import FILE_AT_ROOT, ROUND_TRIP, unless_blocked

#: Trace data as MLflow's client writes it (json.dumps(..., ensure_ascii=False)): non-ASCII text, CR/LF, nesting.
TRACE_PAYLOAD = {
    "spans": [
        {"name": "prédiction 数据", "span_id": "0x1", "parent_id": None, "status_code": "OK",
         "attributes": {"mlflow.spanInputs": "\"ünïcödé\\r\\n\"", "mlflow.spanType": "\"LLM\""},
         "events": [{"name": "tick", "attributes": {"n": 1}}]},
        {"name": "child", "span_id": "0x2", "parent_id": "0x1", "status_code": "ERROR", "attributes": {}},
    ],
}
#: Every byte value, twice, with CRLF: an attachment is binary.
ATTACHMENT = bytes(range(256)) * 2 + b"\r\n"
#: The writes the default trace methods are built on: log_artifact at the root (and in a directory).
_TRACE_PREREQUISITES = (ROUND_TRIP, FILE_AT_ROOT)


def _upload_trace_data(repo):
    repo.upload_trace_data(json.dumps(TRACE_PAYLOAD, ensure_ascii=False))


class TraceClauses:
    """Clauses of the ``artifact_repository/traces/*`` family."""

    @clause("artifact_repository/traces/trace-data-round-trip", feature=TRACE_DATA)
    def test_traces_trace_data_round_trip(self, artifact_repository_factory, tmp_path):
        """upload_trace_data(json) then download_trace_data() returns the same data (non-ASCII text kept: MLflow
        writes it with ensure_ascii=False)."""
        repo = artifact_repository_factory(unique_name("trace"))
        _upload_trace_data(repo)
        with unless_blocked(repo, tmp_path, _TRACE_PREREQUISITES):
            got = repo.download_trace_data()
            assert got == TRACE_PAYLOAD, f"download_trace_data() returned {got!r}"

    @clause("artifact_repository/traces/trace-data-missing", feature=TRACE_DATA)
    def test_traces_trace_data_missing(self, artifact_repository_factory):
        """download_trace_data() on a repository holding no trace data raises MlflowTraceDataNotFound (MLflow's
        tracing client turns it into 'the trace is missing its span data'), never returns data."""
        from mlflow.exceptions import MlflowTraceDataNotFound

        repo = artifact_repository_factory(unique_name("trace-missing"))
        try:
            got = repo.download_trace_data()
        except MlflowTraceDataNotFound:
            return
        except Exception as exc:
            if is_not_implemented(exc):
                raise
            pytest.fail(f"download_trace_data() of missing trace data raised {type(exc).__name__}: {exc}; expected "
                        "MlflowTraceDataNotFound", pytrace=False)
        pytest.fail(f"download_trace_data() of missing trace data returned {got!r}; expected "
                    "MlflowTraceDataNotFound", pytrace=False)

    @clause("artifact_repository/traces/trace-data-to-file", feature=TRACE_DATA, since="3.16")
    def test_traces_trace_data_to_file(self, artifact_repository_factory, tmp_path):
        """download_trace_data_to_file(dst) writes, at dst, the trace data upload_trace_data stored (MLflow's
        server sends that file), and returns dst."""
        repo = artifact_repository_factory(unique_name("trace"))
        _upload_trace_data(repo)
        dst = mk(tmp_path / "dl") / "traces.json"
        with unless_blocked(repo, tmp_path, _TRACE_PREREQUISITES):
            returned = repo.download_trace_data_to_file(dst)
            assert Path(returned) == dst, f"returned {returned!r}, not the destination {dst}"
            assert json.loads(dst.read_text(encoding="utf-8")) == TRACE_PAYLOAD, "the file holds other trace data"

    @clause("artifact_repository/traces/attachment-round-trip", feature=TRACE_ATTACHMENTS, since="3.11")
    def test_traces_attachment_round_trip(self, artifact_repository_factory, tmp_path):
        """upload_attachment(uuid, bytes) then download_trace_attachment(uuid) returns the bytes, byte for
        byte."""
        repo = artifact_repository_factory(unique_name("attach"))
        attachment_id = str(uuid.uuid4())
        repo.upload_attachment(attachment_id, ATTACHMENT)
        with unless_blocked(repo, tmp_path, _TRACE_PREREQUISITES):
            got = repo.download_trace_attachment(attachment_id)
            assert got == ATTACHMENT, f"the attachment came back as {len(got)} bytes that differ from those stored"

    @clause("artifact_repository/traces/attachment-to-file", feature=TRACE_ATTACHMENTS, since="3.16")
    def test_traces_attachment_to_file(self, artifact_repository_factory, tmp_path):
        """download_trace_attachment_to_file(uuid, dst) writes, at dst, the bytes upload_attachment stored (MLflow's
        server sends that file), and returns dst."""
        repo = artifact_repository_factory(unique_name("attach"))
        attachment_id = str(uuid.uuid4())
        repo.upload_attachment(attachment_id, ATTACHMENT)
        dst = mk(tmp_path / "dl") / attachment_id
        with unless_blocked(repo, tmp_path, _TRACE_PREREQUISITES):
            returned = repo.download_trace_attachment_to_file(attachment_id, dst)
            assert Path(returned) == dst, f"returned {returned!r}, not the destination {dst}"
            assert dst.read_bytes() == ATTACHMENT, "the file holds other bytes than the attachment"
