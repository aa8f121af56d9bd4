"""The server route's parts, without starting an MLflow server: route selection and labels, route declarations
on clauses and known failures, the bundled suite's classes per route, the server's log excerpt and worker lookup,
the paused time limit, and the route option of the matrix tool."""

from __future__ import annotations

import http.server
import os
import socket
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from mlflow_plugin_conformance import routes
from mlflow_plugin_conformance.capabilities import Capabilities, Clause, split_route
from mlflow_plugin_conformance.kinds import KINDS_BY_KEY
from mlflow_plugin_conformance.outcomes import NOT_APPLICABLE


def test_via_selects_routes_and_only_served_kinds_go_through_the_server():
    assert routes.routes_for("both") == ("in-process", "server")
    with pytest.raises(ValueError, match="choose one of"):
        routes.routes_for("http")
    assert routes.kind_routes(KINDS_BY_KEY["tracking_store"], "server") == ("server",)
    assert routes.kind_routes(KINDS_BY_KEY["artifact_repository"], "both") == ("in-process", "server")
    assert routes.kind_routes(KINDS_BY_KEY["run_context_provider"], "server") == ("in-process",)
    assert {k.key for k in routes.served_kinds()} == {"tracking_store", "model_registry_store",
                                                       "artifact_repository"}


def test_targets_are_labelled_by_route():
    assert routes.route_label("tracking_store:my-scheme", "in-process") == "tracking_store:my-scheme"
    assert routes.route_label("tracking_store:my-scheme", "server") == "tracking_store:my-scheme (server)"
    assert routes.class_suffix("server") == "Server" and routes.class_suffix("in-process") == ""


def test_kinds_the_plugin_lacks_are_stood_in_for_so_the_server_starts(tmp_path):
    options = routes.server_options({"--artifacts-destination": "my-scheme:///a"}, tmp_path)
    assert options["--artifacts-destination"] == "my-scheme:///a"
    assert options["--backend-store-uri"] == options["--registry-store-uri"]
    assert options["--backend-store-uri"].startswith("sqlite:///") and (tmp_path / "stand-in.db").exists()
    only_tracking = routes.server_options({"--backend-store-uri": "my-scheme:///t"}, tmp_path)
    assert only_tracking["--registry-store-uri"].startswith("sqlite:///")
    assert only_tracking["--artifacts-destination"] == (tmp_path / "stand-in-artifacts").as_posix()


def test_a_clause_declared_for_one_route_is_not_applicable_on_the_other():
    in_process_only = Clause("tracking_store/interface/x", routes=("in-process",))
    server_only = Clause("tracking_store/server/x", routes=("server",))
    both = Clause("tracking_store/runs/x")
    caps = Capabilities()
    assert caps.verdict(in_process_only, "3.17.2", "server").action == NOT_APPLICABLE
    assert "in-process route only" in caps.verdict(in_process_only, "3.17.2", "server").reason
    assert caps.verdict(in_process_only, "3.17.2", "in-process").action == "run"
    assert caps.verdict(server_only, "3.17.2", "in-process").action == NOT_APPLICABLE
    assert caps.verdict(both, "3.17.2", "server").action == "run"
    with pytest.raises(ValueError, match="routes must be some of"):
        Clause("tracking_store/runs/x", routes=("http",))
    with pytest.raises(ValueError, match="routes must be some of"):
        Clause("tracking_store/runs/x", routes=())


def test_the_clause_decorator_rejects_an_unknown_route_when_the_contract_is_imported():
    from mlflow_plugin_conformance.contracts.base import clause

    with pytest.raises(ValueError, match="routes must be some of"):
        clause("{kind}/runs/x", routes=("in_process",))


def test_a_declaration_with_a_route_suffix_applies_on_that_route_only():
    assert split_route("tracking_store/errors/*@server") == ("tracking_store/errors/*", "server")
    assert split_route("tracking_store/errors/*") == ("tracking_store/errors/*", None)
    caps = Capabilities(known_failures={"tracking_store/runs/x@server": "MLflow's server loses it"})
    clause = Clause("tracking_store/runs/x")
    assert caps.verdict(clause, "3.17.2", "server").action == "xfail"
    assert caps.verdict(clause, "3.17.2", "in-process").action == "run"
    problems = Capabilities(known_failures={"tracking_store/runs/x@http": "r", "tracking_store/runs/y@server": "r"}
                            ).declaration_problems(["tracking_store/runs/x"], [], ["tracking_store"],
                                                   ["tracking_store"])
    assert any("names no route 'http'" in p for p in problems)
    assert any("'tracking_store/runs/y' matches no clause" in p for p in problems)


def test_mlflow_server_path_findings_are_declared_for_the_server_route_and_name_real_clauses():
    import fnmatch

    from mlflow_plugin_conformance.contracts.base import declared_clauses
    from mlflow_plugin_conformance.findings import FINDINGS

    for kind in routes.served_kinds():
        findings = routes.server_findings(kind.key, "3.17.2")
        assert findings and all(key.endswith("@server") for key in findings)
        ids = {c.id for _, c in declared_clauses(kind.contract_class())}
        client = routes.REST_CLIENTS[kind.served_as]
        for finding in (f for f in FINDINGS if f.implementation == client):
            assert any(fnmatch.fnmatchcase(i, finding.clause) for i in ids), f"{finding.clause} names no clause"
    assert routes.server_findings("run_context_provider", "3.17.2") == {}
    machine = routes.server_uncheckable("tracking_store", "tracking_store/differential/state-machine", "3.17.2")
    assert machine and "INVALID_STATE" in machine
    assert "tracking_store/differential/state-machine@server" not in routes.server_findings("tracking_store", "3.17.2")


def test_each_store_contract_has_the_server_family_declared_for_the_server_only():
    from mlflow_plugin_conformance.contracts.base import declared_clauses

    for kind in routes.served_kinds():
        server = {c.id: c.routes for _, c in declared_clauses(kind.contract_class()) if "/server/" in c.id}
        assert set(server) == {f"{kind.key}/server/{name}" for name in
                               ("workers-consistent", "error-codes", "large-payloads", "ui-read-paths")}
        assert set(server.values()) == {("server",)}


def test_the_bundled_suite_binds_one_class_per_kind_and_route(monkeypatch):
    from mlflow_plugin_conformance.suite import _binding

    monkeypatch.setattr(_binding, "selected_kind_keys", {"tracking_store", "run_context_provider"})
    monkeypatch.setattr(_binding, "selected_via", "both")
    classes = _binding.bound_classes("m")
    assert set(classes) == {"TestTrackingStore", "TestTrackingStoreServer", "TestRunContextProvider"}
    assert classes["TestTrackingStoreServer"].mlflow_route == "server"
    assert classes["TestTrackingStore"].mlflow_route == "in-process"
    monkeypatch.setattr(_binding, "selected_via", "server")
    assert set(_binding.bound_classes("m")) == {"TestTrackingStoreServer", "TestRunContextProvider"}


def _server_with_log(tmp_path: Path, text: str):
    from mlflow_plugin_conformance.services import MlflowServer

    log = tmp_path / "server.log"
    log.write_text(text)
    return MlflowServer("http://127.0.0.1:1", SimpleNamespace(pid=os.getpid(), poll=lambda: None), log)


def test_the_log_excerpt_keeps_messages_and_only_the_last_request_lines(tmp_path):
    before = "old line\n"
    requests = "".join(f'INFO:     127.0.0.1:5{i:04d} - "GET /api/2.0/x{i} HTTP/1.1" 200 OK\n' for i in range(40))
    server = _server_with_log(tmp_path, before + requests + "ERROR mlflow.server.handlers: boom\n")
    excerpt = server.log_excerpt(len(before), requests=5)
    assert "old line" not in excerpt and "ERROR mlflow.server.handlers: boom" in excerpt
    assert excerpt.splitlines()[0] == "(35 earlier request lines left out)"
    assert "/api/2.0/x39" in excerpt and "/api/2.0/x34" not in excerpt


def test_the_process_holding_a_connection_is_found_in_proc(tmp_path):
    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("no /proc here")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        server = _server_with_log(tmp_path, "")
        server.url = f"http://127.0.0.1:{httpd.server_address[1]}"
        with socket.create_connection(("127.0.0.1", httpd.server_address[1])) as sock:
            deadline = time.monotonic() + 5
            found = None
            while found is None and time.monotonic() < deadline:  # accepted by the server thread
                found = server.worker_serving(sock)
                time.sleep(0.05)
        assert found == os.getpid()
        assert os.getpid() in server.worker_pids()
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.skipif(not hasattr(__import__("signal"), "SIGALRM"), reason="needs SIGALRM")
def test_a_paused_time_limit_resumes_with_the_time_it_had_left():
    from mlflow_plugin_conformance.timeouts import ConformanceTimeout, suspended, time_limit

    with time_limit(0.5, "outer"):
        with suspended():
            time.sleep(0.7)  # a shared server starting: not the clause's time
    with pytest.raises(ConformanceTimeout):
        with time_limit(0.3, "outer"):
            with suspended():
                time.sleep(0.1)
            time.sleep(1.0)


def test_the_matrix_tool_passes_the_route_to_the_suite():
    from mlflow_plugin_conformance import matrix

    cmd = matrix.suite_command("py", ["s"], [], "/out", "ci", "", "both")
    ns = matrix.build_parser().parse_args(cmd[3:])
    assert ns.via == "both"
    args = matrix.suite_pytest_args(ns.scheme, ns.dist, ns.out, ns.profile, ns.pytest_args, ns.via)
    assert "--mlflow-conformance-via=both" in args
    assert not any(a.startswith("--mlflow-conformance-via") for a in matrix.suite_pytest_args(["s"]))
    with pytest.raises(SystemExit):
        matrix.build_parser().parse_args(["suite", "--scheme=s", "--via=http"])


def test_the_rerun_command_of_a_server_target_goes_through_the_server():
    from mlflow_plugin_conformance import report

    target = {"dist": "my-plugin", "name": "my-scheme", "kind": "tracking_store", "route": "server"}
    command = report.rerun_command({"clause": "tracking_store/runs/x", "nodeid": "n"}, target,
                                   {"schemes": ["my-scheme"]})
    assert command == ("pytest -p no:cacheprovider --mlflow-plugin-scheme=my-scheme --mlflow-conformance-via=server "
                       "--mlflow-conformance-clause=tracking_store/runs/x")
    assert "--mlflow-conformance-via" not in report.rerun_command(
        {"clause": "tracking_store/runs/x", "nodeid": "n"}, {**target, "route": "in-process"}, {"schemes": []})
