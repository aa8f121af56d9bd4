"""Downloading files and directories into a destination MLflow chooses or the caller gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ...outcomes import unsupported
from .._support import raises_mlflow_error, unique_name
from ..base import clause
from ._helpers import EMPTY_DIRS, LOCAL_PATH, mk, read_local_tree, walk, write_file
from ._prerequisites import VIA_DOWNLOAD, VIA_LISTING, log_listing_tree, unless_blocked


class DownloadClauses:
    """Clauses of the ``artifact_repository/download/*`` family."""

    @clause("artifact_repository/download/file-into-dst")
    def test_download_file_into_dst(self, artifact_repository, tmp_path):
        """download_artifacts(file, dst_path) writes ``dst_path/<artifact path>`` and returns that local path."""
        prefix = unique_name("dl")
        artifact_repository.log_artifact(str(write_file(tmp_path / "src" / "f.txt", b"content")), f"{prefix}/d")
        dst = mk(tmp_path / "dst")
        with unless_blocked(artifact_repository, tmp_path, VIA_DOWNLOAD):
            local = artifact_repository.download_artifacts(f"{prefix}/d/f.txt", dst_path=str(dst))
            assert os.path.abspath(local) == os.path.abspath(dst / prefix / "d" / "f.txt"), f"returned {local!r}"
            assert Path(local).read_bytes() == b"content"

    @clause("artifact_repository/download/directory-recursive")
    def test_download_directory_recursive(self, artifact_repository, tmp_path):
        """download_artifacts(directory, dst_path) downloads the whole subtree and returns ``dst_path/<dir>``."""
        prefix = log_listing_tree(artifact_repository, tmp_path)
        dst = mk(tmp_path / "dst")
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTING):
            local = artifact_repository.download_artifacts(f"{prefix}/sub", dst_path=str(dst))
            assert os.path.abspath(local) == os.path.abspath(dst / prefix / "sub"), f"returned {local!r}"
            files, _ = read_local_tree(local)
            assert files == {"deep.txt": b"1", "deeper/deepest.txt": b"12"}, f"downloaded {sorted(files)}"

    @clause("artifact_repository/download/default-destination")
    def test_download_default_destination(self, artifact_repository, tmp_path):
        """download_artifacts without dst_path returns an existing local path holding the artifact."""
        prefix = unique_name("dl")
        artifact_repository.log_artifact(str(write_file(tmp_path / "f.txt", b"xyz")), prefix)
        with unless_blocked(artifact_repository, tmp_path, VIA_DOWNLOAD):
            local = artifact_repository.download_artifacts(f"{prefix}/f.txt")
            assert Path(local).read_bytes() == b"xyz"

    @clause("artifact_repository/download/empty-directories-kept", feature=EMPTY_DIRS)
    def test_download_empty_directories_kept(self, artifact_repository, tmp_path):
        """An empty directory uploaded with log_artifacts is listed and recreated by download_artifacts.
        Optional: object stores without directory objects do not keep empty directories."""
        prefix = unique_name("emptydir")
        write_file(tmp_path / "src" / "f.txt", b"f")
        (tmp_path / "src" / "empty").mkdir()
        (tmp_path / "src" / "nested" / "empty2").mkdir(parents=True)
        artifact_repository.log_artifacts(str(tmp_path / "src"), prefix)
        with unless_blocked(artifact_repository, tmp_path, VIA_LISTING):
            if f"{prefix}/empty" not in walk(artifact_repository, prefix):
                unsupported(EMPTY_DIRS, "the repository does not keep empty directories (nothing to list or download)")
            local = artifact_repository.download_artifacts(prefix, dst_path=str(mk(tmp_path / "dst")))
            files, empty = read_local_tree(local)
            assert files == {"f.txt": b"f"}
            assert empty == {"empty", "nested/empty2"}, f"empty directories after download: {sorted(empty)}"

    @clause("artifact_repository/download/missing-dst-path")
    def test_download_missing_dst_path(self, artifact_repository, tmp_path):
        """A dst_path that does not exist raises RESOURCE_DOES_NOT_EXIST and creates nothing there."""
        prefix = unique_name("dl")
        artifact_repository.log_artifact(str(write_file(tmp_path / "f.txt", b"x")), prefix)
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="downloading into a missing dst_path"):
            artifact_repository.download_artifacts(f"{prefix}/f.txt", dst_path=str(tmp_path / "missing"))
        assert not (tmp_path / "missing").exists()

    @clause("artifact_repository/download/dst-path-is-a-file")
    def test_download_dst_path_is_a_file(self, artifact_repository, tmp_path):
        """A dst_path that is a file raises INVALID_PARAMETER_VALUE and leaves that file unchanged."""
        prefix = unique_name("dl")
        artifact_repository.log_artifact(str(write_file(tmp_path / "f.txt", b"x")), prefix)
        target = write_file(tmp_path / "a-file", b"keep")
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="downloading into a dst_path that is a file"):
            artifact_repository.download_artifacts(f"{prefix}/f.txt", dst_path=str(target))
        assert target.read_bytes() == b"keep"

    @clause("artifact_repository/download/missing-artifact")
    def test_download_missing_artifact(self, artifact_repository, tmp_path):
        """Downloading an artifact that does not exist raises an MlflowException (never returns a path to
        nothing); MLflow's own repositories say RESOURCE_DOES_NOT_EXIST or INTERNAL_ERROR."""
        from mlflow.exceptions import MlflowException

        prefix = unique_name("dl")
        dst = mk(tmp_path / "dst")
        with pytest.raises(MlflowException):
            artifact_repository.download_artifacts(f"{prefix}/no-such-file.txt", dst_path=str(dst))
        assert not (dst / prefix / "no-such-file.txt").exists(), "a file appeared for a missing artifact"

    @clause("artifact_repository/download/local-path-existing", feature=LOCAL_PATH, since="3.14")
    def test_download_local_path_existing(self, artifact_repository, tmp_path):
        """get_local_path(artifact) returns None (the repository has no local paths: MLflow's server downloads
        instead) or an absolute path of an existing local file holding the artifact's bytes, which the server
        sends as is."""
        prefix = unique_name("local")
        artifact_repository.log_artifact(str(write_file(tmp_path / "f.bin", b"local\r\n\x00")), prefix)
        with unless_blocked(artifact_repository, tmp_path, VIA_DOWNLOAD):
            local = artifact_repository.get_local_path(f"{prefix}/f.bin")
            if local is None:
                unsupported(LOCAL_PATH, "get_local_path returns None: the repository offers no local paths")
            assert isinstance(local, str) and os.path.isabs(local) and os.path.isfile(local), (
                f"get_local_path returned {local!r}: not None, and not the absolute path of an existing file")
            assert Path(local).read_bytes() == b"local\r\n\x00", f"{local!r} does not hold the artifact's bytes"

    @clause("artifact_repository/download/local-path-missing", feature=LOCAL_PATH, since="3.14")
    def test_download_local_path_missing(self, artifact_repository, tmp_path):
        """get_local_path of an artifact that does not exist raises an MlflowException (MLflow's server catches
        it and falls back to downloading, which reports the missing artifact) or returns None; it never returns
        a path to nothing, and never raises another exception type (the server would answer 500)."""
        from mlflow.exceptions import MlflowException

        prefix = unique_name("local")
        artifact_repository.log_artifact(str(write_file(tmp_path / "f.bin", b"x")), prefix)
        if artifact_repository.get_local_path(f"{prefix}/f.bin") is None:
            unsupported(LOCAL_PATH, "get_local_path returns None: the repository offers no local paths")
        try:
            local = artifact_repository.get_local_path(f"{prefix}/no-such-file.bin")
        except MlflowException:
            return
        except Exception as exc:
            pytest.fail(f"get_local_path of a missing artifact raised {type(exc).__name__}: {exc}; MLflow's server "
                        "catches MlflowException only", pytrace=False)
        assert local is None, f"get_local_path of a missing artifact returned {local!r}"
