"""Family ``registration``: the client belongs to an app."""

from __future__ import annotations

import importlib.metadata

from ..base import clause


class RegistrationClauses:
    @clause("app_client/registration/has-app")
    def test_registration_has_app(self, app_client):
        """An ``mlflow.app`` entry point has the client's name: users get the client by the app's name, so a
        client registered under another name belongs to no app."""
        apps = sorted(ep.name for ep in importlib.metadata.entry_points(group="mlflow.app"))
        assert app_client.name in apps, (f"no mlflow.app entry point is named {app_client.name!r} "
                                         f"(installed apps: {apps})")
