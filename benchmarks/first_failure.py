"""Time to the first failure, and full-run time, of a failing run versus a passing one, per store kind.

For each kind, a throw-away distribution registers a scheme whose builder wraps the example plugin with one
injected bug (a cheap example clause catches it); the same distribution's correct scheme is the control. Both are
run through the command-line route in fresh subprocesses (single process, like a plugin author's first run); the
time of the first ``F`` in pytest's progress output is the time to first failure. Prints numbers; asserts nothing.
Targets (issue 11): first failure within 15 s for every kind; a failing run at most twice a passing one.

    python benchmarks/first_failure.py [--kinds tracking_store artifact_repository model_registry_store]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

PLUGIN = '''
def tracking_store(store_uri, artifact_uri=None):
    from mlflow_file_plugin import tracking_store as build
    store = build("file-plugin://" + store_uri.split("://", 1)[1], artifact_uri)
    if store_uri.startswith("bench-broken"):
        store.get_experiment_by_name = lambda name: None
    return store


def artifact_repository(artifact_uri, tracking_uri=None, registry_uri=None):
    from mlflow_file_plugin import artifact_repository as build
    repo = build("file-plugin://" + artifact_uri.split("://", 1)[1], tracking_uri=tracking_uri,
                 registry_uri=registry_uri)
    if artifact_uri.startswith("bench-broken"):
        original = repo.list_artifacts
        repo.list_artifacts = lambda path=None: [f for f in original(path) if not f.is_dir]
    return repo


def model_registry_store(store_uri, tracking_uri=None):
    from mlflow_file_plugin import model_registry_store as build
    store = build("file-plugin://" + store_uri.split("://", 1)[1], tracking_uri)
    if store_uri.startswith("bench-broken"):
        store.get_latest_versions = lambda name, stages=None: []
    return store
'''

KINDS = ("tracking_store", "artifact_repository", "model_registry_store")


def write_distribution(root: Path) -> None:
    (root / "bench_plugin.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    info = root / "bench_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: bench-plugin\nVersion: 1.0\n", encoding="utf-8")
    lines = []
    for kind in KINDS:
        lines += [f"[mlflow.{kind}]", f"bench-broken = bench_plugin:{kind}", f"bench-good = bench_plugin:{kind}", ""]
    (info / "entry_points.txt").write_text("\n".join(lines), encoding="utf-8")


def run(kind: str, scheme: str, site: Path, workdir: Path) -> tuple[float | None, float, str]:
    """(seconds to the first F, seconds in all, pytest's last line)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")])),
               MLFLOW_DISABLE_TELEMETRY="true", DO_NOT_TRACK="true")
    args = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--tb=no", "--no-header",
            f"--mlflow-plugin-scheme={scheme}", f"--mlflow-conformance-clause={kind}/*"]
    start = time.perf_counter()
    first = None
    last = ""
    with subprocess.Popen(args, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, bufsize=1) as proc:
        while True:
            char = proc.stdout.read(1)
            if not char:
                break
            if char == "F" and first is None and not last.strip().startswith(("FAILED", "=")):
                first = time.perf_counter() - start
            last = "" if char == "\n" else last + char
        proc.wait()
    return first, time.perf_counter() - start, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-first-failure-") as tmp:
        site, workdir = Path(tmp) / "site", Path(tmp) / "work"
        site.mkdir()
        workdir.mkdir()
        write_distribution(site)
        print(f"{'kind':22} {'first failure (s)':>18} {'failing run (s)':>16} {'passing run (s)':>16} {'ratio':>6}")
        for kind in options.kinds:
            first, failing, _ = run(kind, "bench-broken", site, workdir)
            _, passing, _ = run(kind, "bench-good", site, workdir)
            shown = f"{first:.1f}" if first is not None else "no failure"
            print(f"{kind:22} {shown:>18} {failing:16.1f} {passing:16.1f} {failing / passing:6.2f}", flush=True)


if __name__ == "__main__":
    main()
