"""Family ``name``: the name users select the provider by (``MLFLOW_TRACKING_AUTH``)."""

from __future__ import annotations

from ..base import clause
from ..shared.providers import registry_of
from ._helpers import name_or_none


class NameClauses:
    @clause("request_auth_provider/name/stable-str")
    def test_name_stable_str(self, request_auth_provider):
        """``get_name()`` returns the same non-empty str on every call and from every instance (users put it in
        ``MLFLOW_TRACKING_AUTH``)."""
        name = request_auth_provider.get_name()
        assert isinstance(name, str) and name.strip(), f"get_name() returned {name!r}"
        assert name == name.strip(), f"get_name() {name!r} has surrounding blanks"
        assert request_auth_provider.get_name() == name, "get_name() changes between calls"
        assert type(request_auth_provider)().get_name() == name, "get_name() differs between instances"

    @clause("request_auth_provider/name/unique")
    def test_name_unique(self, request_auth_provider):
        """No other registered auth provider uses the same name: MLflow's ``fetch_auth`` takes the first match,
        so one of the two silently never runs."""
        name = request_auth_provider.get_name()
        others = [type(p).__module__ + "." + type(p).__qualname__ for p in registry_of(self.group)
                  if type(p) is not type(request_auth_provider) and name_or_none(p) == name]
        assert not others, f"auth provider name {name!r} is also used by {others}"
