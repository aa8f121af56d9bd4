"""Params and run tags: round trips, long values, immutability of params, tag overwrite and delete."""

from __future__ import annotations

from .._support import raises_mlflow_error
from ..base import clause
from ._helpers import new_run


class ParamClauses:
    """Clauses of the ``tracking_store/params/*`` family."""

    @clause("tracking_store/params/round-trip")
    def test_params_round_trip(self, tracking_store):
        """Logged params come back unchanged from get_run, including unicode, empty and 6000-character values."""
        from mlflow.entities import Param

        run_id = new_run(tracking_store).info.run_id
        values = {"lr": "0.01", "unicode": "ü ✓ 数据", "empty": "", "max_len": "v" * 6000,
                  "spaces and/slashes.ok": "x y"}
        for key, value in values.items():
            tracking_store.log_param(run_id, Param(key, value))
        assert tracking_store.get_run(run_id).data.params == values

    @clause("tracking_store/params/relog-same-value")
    def test_params_relog_same_value(self, tracking_store):
        """Logging a param again with the same value is accepted (idempotent)."""
        from mlflow.entities import Param

        run_id = new_run(tracking_store).info.run_id
        tracking_store.log_param(run_id, Param("p", "same"))
        tracking_store.log_param(run_id, Param("p", "same"))
        tracking_store.log_batch(run_id, [], [Param("p", "same")], [])
        assert tracking_store.get_run(run_id).data.params == {"p": "same"}

    @clause("tracking_store/params/relog-different-value-rejected")
    def test_params_relog_different_value_rejected(self, tracking_store):
        """Logging a param again with a different value raises INVALID_PARAMETER_VALUE (params are immutable)
        and the stored value is unchanged, through log_param and log_batch."""
        from mlflow.entities import Param

        run_id = new_run(tracking_store).info.run_id
        tracking_store.log_param(run_id, Param("p", "first"))
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="re-logging a param with a different value"):
            tracking_store.log_param(run_id, Param("p", "second"))
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="re-logging a param with a different value "
                                                                  "through log_batch"):
            tracking_store.log_batch(run_id, [], [Param("p", "third")], [])
        assert tracking_store.get_run(run_id).data.params == {"p": "first"}

    @clause("tracking_store/params/over-long-value")
    def test_params_over_long_value(self, tracking_store):
        """A param value over 6000 characters is either truncated to its first 6000 characters (MLflow's default,
        MLFLOW_TRUNCATE_LONG_VALUES) or rejected with INVALID_PARAMETER_VALUE; it is never stored longer."""
        from mlflow.entities import Param
        from mlflow.exceptions import MlflowException

        run_id = new_run(tracking_store).info.run_id
        value = "abcdef" * 1001
        try:
            tracking_store.log_param(run_id, Param("long", value))
        except MlflowException as exc:
            assert exc.error_code == "INVALID_PARAMETER_VALUE", f"rejected with {exc.error_code}"
            assert "long" not in tracking_store.get_run(run_id).data.params
            return
        assert tracking_store.get_run(run_id).data.params.get("long") == value[:6000]


class TagClauses:
    """Clauses of the ``tracking_store/tags/*`` family."""

    @clause("tracking_store/tags/set-overwrite-delete")
    def test_tags_set_overwrite_delete(self, tracking_store):
        """set_tag adds a tag, setting it again overwrites it, delete_tag removes it."""
        from mlflow.entities import RunTag

        run_id = new_run(tracking_store).info.run_id
        tracking_store.set_tag(run_id, RunTag("t", "one"))
        assert tracking_store.get_run(run_id).data.tags.get("t") == "one"
        tracking_store.set_tag(run_id, RunTag("t", "two"))
        assert tracking_store.get_run(run_id).data.tags.get("t") == "two"
        tracking_store.delete_tag(run_id, "t")
        assert "t" not in tracking_store.get_run(run_id).data.tags

    @clause("tracking_store/tags/long-and-unicode-values")
    def test_tags_long_and_unicode_values(self, tracking_store):
        """Tag values up to 8000 characters, unicode and empty values round-trip."""
        from mlflow.entities import RunTag

        run_id = new_run(tracking_store).info.run_id
        values = {"long": "t" * 8000, "unicode": "ü ✓ 数据", "empty": ""}
        for key, value in values.items():
            tracking_store.set_tag(run_id, RunTag(key, value))
        tags = tracking_store.get_run(run_id).data.tags
        for key, value in values.items():
            assert tags.get(key) == value, f"tag {key}: {tags.get(key)!r:.60}"

    @clause("tracking_store/tags/delete-missing")
    def test_tags_delete_missing(self, tracking_store):
        """Deleting a tag the run does not have raises RESOURCE_DOES_NOT_EXIST."""
        run_id = new_run(tracking_store).info.run_id
        with raises_mlflow_error("RESOURCE_DOES_NOT_EXIST", doing="deleting a tag that was never set"):
            tracking_store.delete_tag(run_id, "never-set")

    @clause("tracking_store/tags/delete-on-deleted-run-rejected")
    def test_tags_delete_on_deleted_run_rejected(self, tracking_store):
        """delete_tag on a deleted run raises INVALID_PARAMETER_VALUE and keeps the tag."""
        from mlflow.entities import RunTag

        run_id = new_run(tracking_store).info.run_id
        tracking_store.set_tag(run_id, RunTag("t", "kept"))
        tracking_store.delete_run(run_id)
        with raises_mlflow_error("INVALID_PARAMETER_VALUE", doing="deleting a tag of a deleted run"):
            tracking_store.delete_tag(run_id, "t")
        assert tracking_store.get_run(run_id).data.tags.get("t") == "kept"
