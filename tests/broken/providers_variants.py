"""Deliberately broken providers, one realistic bug each, and the clause that must catch it.

``VARIANTS`` maps a variant name to ``(contract class name, provider class name, clause id expected to fail)``.
``tests/test_providers_mutations.py`` runs each contract against each variant and against the example plugin's
correct providers (the reference, which must pass every clause).
"""

from __future__ import annotations

import logging
import os
import time

import mlflow
from mlflow.tracking.context.abstract_context import RunContextProvider
from mlflow.tracking.default_experiment.abstract_context import DefaultExperimentProvider
from mlflow.tracking.request_header.abstract_request_header_provider import RequestHeaderProvider

# -- run context providers --------------------------------------------------------------------------------------


class ForgotInContext(RunContextProvider):
    """Subclasses MLflow's base but forgets in_context(): the unenforced abstract method returns None."""

    def tags(self):
        return {"team": "a"}


class IntTagValues:
    """Returns a build number as an int (MLflow tags are strings)."""

    def in_context(self):
        return True

    def tags(self):
        return {"ci.build_number": 42}


class InvalidTagKey:
    """Uses a tag key with characters MLflow rejects."""

    def in_context(self):
        return True

    def tags(self):
        return {"ci build#": "7"}


class ClobbersSourceName:
    """Overrides MLflow's reserved mlflow.source.name with its own value, undocumented."""

    def in_context(self):
        return True

    def tags(self):
        return {"mlflow.source.name": "my-ci"}


class ExportsToEnvironment:
    """Caches its answer in an environment variable: every later process sees it."""

    def in_context(self):
        return True

    def tags(self):
        os.environ["MY_PLUGIN_CACHED_BRANCH"] = "main"
        return {"git.branch": "main"}


class SetsTrackingUri:
    """Points MLflow at its own server while deciding whether it is in context."""

    def in_context(self):
        mlflow.set_tracking_uri("http://127.0.0.1:9")
        return True

    def tags(self):
        return {"team": "a"}


class RaisesOutOfContext:
    """in_context() reads a required environment variable and raises KeyError when it is missing."""

    def in_context(self):
        return os.environ["CI_JOB_ID_FOR_SURE"] != ""

    def tags(self):
        return {"ci.job": os.environ.get("CI_JOB_ID_FOR_SURE", "")}


class SlowTags:
    """Asks a remote service for its tags on every call (simulated by a 0.6 s wait)."""

    def in_context(self):
        return True

    def tags(self):
        time.sleep(0.6)
        return {"team": "a"}


class NeedsConstructorArgument:
    """Takes a configuration argument in its constructor; MLflow calls cls() with none."""

    def __init__(self, config):
        self.config = config

    def in_context(self):
        return True

    def tags(self):
        return {"team": self.config}


# -- request header providers -----------------------------------------------------------------------------------


class HeaderWithNewline:
    """Reads a token file and keeps its trailing newline in the header value."""

    def in_context(self):
        return True

    def request_headers(self):
        return {"X-Team": "analytics\n"}


class IntHeaderValue(RequestHeaderProvider):
    """Sends a numeric header value as an int."""

    def in_context(self):
        return True

    def request_headers(self):
        return {"X-Retry-Budget": 3}


class SetsAuthorizationHeader:
    """Puts credentials in a header provider (they belong in a request auth provider)."""

    def in_context(self):
        return True

    def request_headers(self):
        return {"Authorization": "Bearer hard-coded"}


class TruthyStringInContext:
    """Returns the environment variable's value (a str) instead of a bool."""

    def in_context(self):
        return os.environ.get("HOME", "")

    def request_headers(self):
        return {"X-Team": "a"}


class SlowHeaders:
    """Fetches a fresh token for every request (simulated by a 0.3 s wait)."""

    def in_context(self):
        return True

    def request_headers(self):
        time.sleep(0.3)
        return {"X-Team": "a"}


class HeaderOnlyOutsideMlflow:
    """Builds headers from a per-instance counter and forgets them on the second call."""

    def __init__(self):
        self.calls = 0

    def in_context(self):
        return True

    def request_headers(self):
        self.calls += 1
        return {"X-Session": "first"} if self.calls == 1 else {}


class RefreshRace:
    """Refreshes its token when stale, marking it fresh before the fetch finished: a concurrent caller gets None."""

    def __init__(self):
        self._fetched = 0.0
        self._token = "t0"

    def in_context(self):
        return True

    def request_headers(self):
        if time.monotonic() - self._fetched > 0.002:
            self._fetched = time.monotonic()
            self._token = None
            time.sleep(0.001)  # fetching a fresh token
            self._token = "t1"
        return {"X-Token": self._token}


# -- request auth providers -------------------------------------------------------------------------------------


class _NoReturnAuth:
    def __init__(self, token):
        self.token = token

    def __call__(self, request):
        request.headers["Authorization"] = f"Bearer {self.token}"  # forgets `return request`

    def __repr__(self):
        return "_NoReturnAuth(***)"


class AuthForgetsReturn:
    """The auth callable forgets to return the request."""

    def get_name(self):
        return "broken-no-return"

    def get_auth(self):
        return _NoReturnAuth("tok-123456")


class TupleAuth:
    """Returns a (user, password) pair: requests accepts it, but its repr shows the password."""

    def get_name(self):
        return "broken-tuple"

    def get_auth(self):
        return ("alice", "s3cret-password")


class _LeakyRepr:
    def __init__(self, token):
        self.token = token

    def __call__(self, request):
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request

    def __repr__(self):
        return f"_LeakyRepr(token={self.token!r})"


class ReprLeaksToken:
    """The auth object's repr shows the token."""

    def get_name(self):
        return "broken-repr"

    def get_auth(self):
        return _LeakyRepr("tok-abcdef123")


class _QuietAuth(_LeakyRepr):
    def __repr__(self):
        return "_QuietAuth(***)"


class LogsToken:
    """Logs the token it fetched at DEBUG level."""

    def get_name(self):
        return "broken-logs"

    def get_auth(self):
        token = "tok-logged-98765"
        logging.getLogger("broken.auth").debug("fetched token %s", token)
        return _QuietAuth(token)


class NameChangesPerInstance:
    """Derives its name from the instance: MLFLOW_TRACKING_AUTH can never match it."""

    def get_name(self):
        return f"broken-{id(self)}"

    def get_auth(self):
        return _QuietAuth("tok-abcdef123")


class NameTakenByKubernetes:
    """Reuses the name of MLflow's built-in Kubernetes auth provider."""

    def get_name(self):
        return "kubernetes"

    def get_auth(self):
        return _QuietAuth("tok-abcdef123")


class AuthReturnsNone:
    """get_auth() returns None when its token file is missing."""

    def get_name(self):
        return "broken-none"

    def get_auth(self):
        return None


class _NoOpAuth:
    def __call__(self, request):
        return request

    def __repr__(self):
        return "_NoOpAuth()"


class AuthAddsNothing:
    """The auth callable returns the request untouched (the header is set on a copy)."""

    def get_name(self):
        return "broken-noop"

    def get_auth(self):
        return _NoOpAuth()


# -- default experiment providers -------------------------------------------------------------------------------


class IntExperimentId:
    """Returns the experiment id as an int."""

    def in_context(self):
        return True

    def get_experiment_id(self):
        return 0


class HardCodedExperimentId:
    """Returns an id that exists on the author's server only."""

    def in_context(self):
        return True

    def get_experiment_id(self):
        return "424242424"


class ReturnsDeletedExperiment:
    """Creates its experiment once and returns it even after it was deleted."""

    def in_context(self):
        return True

    def get_experiment_id(self):
        from mlflow.tracking import MlflowClient

        client = MlflowClient()
        name = "broken-deleted-experiment"
        experiment = client.get_experiment_by_name(name)
        experiment_id = experiment.experiment_id if experiment else client.create_experiment(name)
        if client.get_experiment(experiment_id).lifecycle_stage == "active":
            client.delete_experiment(experiment_id)
        return experiment_id


class ForgotExperimentInContext(DefaultExperimentProvider):
    """Subclasses MLflow's base but forgets in_context()."""

    def get_experiment_id(self):
        return "0"


class SetsActiveExperiment:
    """Calls mlflow.set_experiment() to find the id, leaving it as the user's active experiment."""

    def in_context(self):
        return True

    def get_experiment_id(self):
        return mlflow.set_experiment("broken-sets-active").experiment_id


RC, RH, RA, DE = ("RunContextProviderContract", "RequestHeaderProviderContract", "RequestAuthProviderContract",
                  "DefaultExperimentProviderContract")

VARIANTS: dict[str, tuple[str, str, str]] = {
    "rc-forgot-in-context": (RC, "ForgotInContext", "run_context_provider/in-context/returns-bool"),
    "rc-int-tag-values": (RC, "IntTagValues", "run_context_provider/tags/str-to-str"),
    "rc-invalid-tag-key": (RC, "InvalidTagKey", "run_context_provider/tags/str-to-str"),
    "rc-clobbers-source-name": (RC, "ClobbersSourceName", "run_context_provider/tags/no-reserved-clobber"),
    "rc-exports-to-environment": (RC, "ExportsToEnvironment", "run_context_provider/state/no-global-changes"),
    "rc-sets-tracking-uri": (RC, "SetsTrackingUri", "run_context_provider/state/no-global-changes"),
    "rc-raises-out-of-context": (RC, "RaisesOutOfContext", "run_context_provider/in-context/returns-bool"),
    "rc-slow-tags": (RC, "SlowTags", "run_context_provider/speed/budget"),
    "rc-needs-constructor-argument": (RC, "NeedsConstructorArgument", "run_context_provider/construct/zero-args"),
    "rh-newline-in-value": (RH, "HeaderWithNewline", "request_header_provider/headers/valid-http"),
    "rh-int-header-value": (RH, "IntHeaderValue", "request_header_provider/headers/str-to-str"),
    "rh-sets-authorization": (RH, "SetsAuthorizationHeader", "request_header_provider/headers/no-reserved"),
    "rh-truthy-string-in-context": (RH, "TruthyStringInContext", "request_header_provider/in-context/returns-bool"),
    "rh-slow-headers": (RH, "SlowHeaders", "request_header_provider/speed/budget"),
    "rh-headers-only-once": (RH, "HeaderOnlyOutsideMlflow", "request_header_provider/end-to-end/rest-call"),
    "rh-token-refresh-race": (RH, "RefreshRace", "request_header_provider/concurrency/threads"),
    "ra-forgets-return": (RA, "AuthForgetsReturn", "request_auth_provider/auth/requests-accepts"),
    "ra-tuple-shows-password": (RA, "TupleAuth", "request_auth_provider/secrets/not-shown"),
    "ra-repr-leaks-token": (RA, "ReprLeaksToken", "request_auth_provider/secrets/not-shown"),
    "ra-logs-token": (RA, "LogsToken", "request_auth_provider/secrets/not-shown"),
    "ra-name-per-instance": (RA, "NameChangesPerInstance", "request_auth_provider/name/stable-str"),
    "ra-name-taken": (RA, "NameTakenByKubernetes", "request_auth_provider/name/unique"),
    "ra-returns-none": (RA, "AuthReturnsNone", "request_auth_provider/auth/requests-accepts"),
    "ra-adds-nothing": (RA, "AuthAddsNothing", "request_auth_provider/end-to-end/rest-call"),
    "de-int-id": (DE, "IntExperimentId", "default_experiment_provider/experiment-id/existing"),
    "de-hard-coded-id": (DE, "HardCodedExperimentId", "default_experiment_provider/experiment-id/existing"),
    "de-deleted-experiment": (DE, "ReturnsDeletedExperiment", "default_experiment_provider/experiment-id/existing"),
    "de-forgot-in-context": (DE, "ForgotExperimentInContext", "default_experiment_provider/in-context/returns-bool"),
    "de-sets-active-experiment": (DE, "SetsActiveExperiment", "default_experiment_provider/state/no-global-changes"),
}
