"""Family ``tags``: what ``tags()`` returns."""

from __future__ import annotations

from ..base import clause
from ..shared.providers import string_mapping
from ._helpers import MAX_TAG_VALUE, TAG_KEY


class TagsClauses:
    @clause("run_context_provider/tags/str-to-str")
    def test_tags_str_to_str(self, run_context_provider, provider_context):
        """In context, ``tags()`` returns a dict of str -> str whose keys are valid MLflow tag keys (at most 250
        characters of ``[/\\w.\\- :]``, no ``..``, no leading ``/``) and whose values fit a run tag (8000)."""
        with self.in_context(run_context_provider, provider_context):
            tags = string_mapping(run_context_provider.tags(), "tags()")
        for key, value in tags.items():
            assert key and len(key) <= 250 and TAG_KEY.match(key), f"tag key {key!r} is not a valid MLflow tag key"
            assert ".." not in key.split("/") and not key.startswith("/"), f"tag key {key!r} is not a normalised path"
            assert len(value) <= MAX_TAG_VALUE, f"tag {key!r} has a {len(value)}-character value (limit 8000)"

    @clause("run_context_provider/tags/no-reserved-clobber")
    def test_tags_no_reserved_clobber(self, run_context_provider, provider_context):
        """``tags()`` sets no ``mlflow.*`` tag (MLflow's reserved namespace: source, user, git commit, run name)
        unless the plugin documents it (``documented_reserved_tags``): plugin tags override MLflow's own."""
        with self.in_context(run_context_provider, provider_context):
            tags = run_context_provider.tags()
        clobbered = sorted(k for k in tags if str(k).startswith("mlflow.") and k not in self.documented_reserved_tags)
        assert not clobbered, (f"tags() sets MLflow's reserved tags {clobbered}: they override what MLflow records "
                               "for every run (declare them in documented_reserved_tags if intended)")
