"""Deliberately broken providers, one realistic bug each.

``MUTANTS`` at the end declares each for the mutation harness (tests/mutants.py), which also runs the example
plugin's correct providers (and MLflow's built-ins) on every clause.
"""

from __future__ import annotations

import logging
import os
import time

import mlflow
from mlflow.tracking.context.abstract_context import RunContextProvider
from mlflow.tracking.default_experiment.abstract_context import DefaultExperimentProvider
from mlflow.tracking.request_header.abstract_request_header_provider import RequestHeaderProvider
from mlflow_file_plugin.providers import (
    PluginDefaultExperimentProvider,
    PluginRequestAuthProvider,
    PluginRequestHeaderProvider,
    PluginRunContextProvider,
)
from _mutant import Control, Mutant

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


def needs_constructor_argument():
    """The plugin's own code builds it with its configuration (MLflow, which calls cls(), cannot)."""
    return NeedsConstructorArgument("config")


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


class _ServiceClientThatLogsResponses:
    """Stands for a cloud SDK (boto3's botocore logs every response body at DEBUG, the secret value included)."""

    def fetch_token(self) -> str:
        token = "tok-from-service-4f9a2c"
        logging.getLogger("botocore.parsers").debug("Response body: b'{\"SecretString\": \"%s\"}'", token)
        return token


class TokenFromLoggingServiceClient:
    """Correct: fetches its token through a client library whose DEBUG log holds the response; the provider's own
    code logs nothing secret (mlflow-secrets-auth with boto3 did this and was failed by the secrets clause)."""

    def get_name(self):
        return "correct-secrets-service"

    def get_auth(self):
        return _QuietAuth(_ServiceClientThatLogsResponses().fetch_token())


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



# -- every kind: the shared clauses ----------------------------------------------------------------------------------


class _Configured:
    """Takes a configuration argument in its constructor; MLflow calls cls() with none."""

    def __init__(self, config):
        self.config = config

    def in_context(self):
        return True


class HeaderProviderNeedsConfig(_Configured):
    def request_headers(self):
        return {"X-Team": self.config}


class AuthProviderNeedsConfig(_Configured):
    def get_name(self):
        return "broken-needs-config"

    def get_auth(self):
        return None


class ExperimentProviderNeedsConfig(_Configured):
    def get_experiment_id(self):
        return "0"


def header_provider_needs_config():
    return HeaderProviderNeedsConfig("config")


def auth_provider_needs_config():
    return AuthProviderNeedsConfig("config")


def experiment_provider_needs_config():
    return ExperimentProviderNeedsConfig("config")


class RunContextNotInstalled(PluginRunContextProvider):
    """A correct provider whose entry point was never declared (MLflow never loads it)."""


class HeaderProviderNotInstalled(PluginRequestHeaderProvider):
    """A correct provider whose entry point was never declared."""


class AuthProviderNotInstalled(PluginRequestAuthProvider):
    """A correct provider whose entry point was never declared."""


class ExperimentProviderNotInstalled(PluginDefaultExperimentProvider):
    """A correct provider whose entry point was never declared."""


class HeaderExportsToEnvironment:
    """Caches its token in an environment variable: every later process sees it."""

    def in_context(self):
        return True

    def request_headers(self):
        os.environ["MY_PLUGIN_CACHED_TOKEN"] = "tok-123"
        return {"X-Team": "analytics"}


class TagsChangePerCall:
    """Tags a run with the time of the call: the tags MLflow stores are not the ones the provider answered."""

    def in_context(self):
        return True

    def tags(self):
        return {"build.checked_at": str(time.time_ns())}


class NewExperimentPerCall:
    """Creates a fresh experiment each time it is asked, so no two answers agree."""

    def in_context(self):
        return True

    def get_experiment_id(self):
        from mlflow.tracking import MlflowClient

        return MlflowClient().create_experiment(f"broken-per-call-{time.time_ns()}")

RC, RH = "run_context_provider", "request_header_provider"
RA, DE = "request_auth_provider", "default_experiment_provider"

MUTANTS = [
    Mutant(RC, "rc-forgot-in-context", "run_context_provider/in-context/returns-bool", ForgotInContext),
    Mutant(RC, "rc-int-tag-values", "run_context_provider/tags/str-to-str", IntTagValues),
    Mutant(RC, "rc-invalid-tag-key", "run_context_provider/tags/str-to-str", InvalidTagKey),
    Mutant(RC, "rc-clobbers-source-name", "run_context_provider/tags/no-reserved-clobber", ClobbersSourceName),
    Mutant(RC, "rc-exports-to-environment", "run_context_provider/state/no-global-changes", ExportsToEnvironment),
    Mutant(RC, "rc-sets-tracking-uri", "run_context_provider/state/no-global-changes", SetsTrackingUri),
    Mutant(RC, "rc-raises-out-of-context", "run_context_provider/in-context/returns-bool", RaisesOutOfContext),
    Mutant(RC, "rc-slow-tags", "run_context_provider/speed/budget", SlowTags),
    Mutant(RC, "rc-needs-constructor-argument", "run_context_provider/construct/zero-args", needs_constructor_argument),
    Mutant(RH, "rh-newline-in-value", "request_header_provider/headers/valid-http", HeaderWithNewline),
    Mutant(RH, "rh-int-header-value", "request_header_provider/headers/str-to-str", IntHeaderValue),
    Mutant(RH, "rh-sets-authorization", "request_header_provider/headers/no-reserved", SetsAuthorizationHeader),
    Mutant(RH, "rh-truthy-string-in-context", "request_header_provider/in-context/returns-bool", TruthyStringInContext),
    Mutant(RH, "rh-slow-headers", "request_header_provider/speed/budget", SlowHeaders),
    Mutant(RH, "rh-headers-only-once", "request_header_provider/end-to-end/rest-call", HeaderOnlyOutsideMlflow),
    Mutant(RH, "rh-token-refresh-race", "request_header_provider/concurrency/threads", RefreshRace),
    Mutant(RA, "ra-forgets-return", "request_auth_provider/auth/requests-accepts", AuthForgetsReturn),
    Mutant(RA, "ra-tuple-shows-password", "request_auth_provider/secrets/not-shown", TupleAuth),
    Mutant(RA, "ra-repr-leaks-token", "request_auth_provider/secrets/not-shown", ReprLeaksToken),
    Mutant(RA, "ra-logs-token", "request_auth_provider/secrets/not-shown", LogsToken),
    Mutant(RA, "ra-name-per-instance", "request_auth_provider/name/stable-str", NameChangesPerInstance),
    Mutant(RA, "ra-name-taken", "request_auth_provider/name/unique", NameTakenByKubernetes, since="3.11",
           notes="MLflow registers its built-in 'kubernetes' auth provider from 3.11"),
    Mutant(RA, "ra-returns-none", "request_auth_provider/auth/requests-accepts", AuthReturnsNone),
    Mutant(RA, "ra-adds-nothing", "request_auth_provider/end-to-end/rest-call", AuthAddsNothing),
    Mutant(DE, "de-int-id", "default_experiment_provider/experiment-id/existing", IntExperimentId),
    Mutant(DE, "de-hard-coded-id", "default_experiment_provider/experiment-id/existing", HardCodedExperimentId),
    Mutant(DE, "de-deleted-experiment", "default_experiment_provider/experiment-id/existing", ReturnsDeletedExperiment),
    Mutant(DE, "de-forgot-in-context", "default_experiment_provider/in-context/returns-bool",
           ForgotExperimentInContext),
    Mutant(DE, "de-sets-active-experiment", "default_experiment_provider/state/no-global-changes",
           SetsActiveExperiment),
    Mutant(RH, "rh-needs-constructor-argument", "request_header_provider/construct/zero-args",
           header_provider_needs_config),
    Mutant(RA, "ra-needs-constructor-argument", "request_auth_provider/construct/zero-args",
           auth_provider_needs_config),
    Mutant(DE, "de-needs-constructor-argument", "default_experiment_provider/construct/zero-args",
           experiment_provider_needs_config),
    Mutant(RC, "rc-not-installed", "run_context_provider/registration/entry-point", RunContextNotInstalled),
    Mutant(RH, "rh-not-installed", "request_header_provider/registration/entry-point", HeaderProviderNotInstalled),
    Mutant(RA, "ra-not-installed", "request_auth_provider/registration/entry-point", AuthProviderNotInstalled),
    Mutant(DE, "de-not-installed", "default_experiment_provider/registration/entry-point",
           ExperimentProviderNotInstalled),
    Mutant(RH, "rh-exports-to-environment", "request_header_provider/state/no-global-changes",
           HeaderExportsToEnvironment),
    Mutant(RC, "rc-tags-change-per-call", "run_context_provider/end-to-end/start-run", TagsChangePerCall),
    Mutant(DE, "de-new-experiment-per-call", "default_experiment_provider/end-to-end/start-run", NewExperimentPerCall),
]

CONTROLS = [
    Control(RA, "ra-token-via-logging-client-library", TokenFromLoggingServiceClient,
            ("request_auth_provider/secrets/not-shown", "request_auth_provider/auth/requests-accepts",
             "request_auth_provider/end-to-end/rest-call")),
]
