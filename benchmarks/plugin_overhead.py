"""How much the installed plugin costs an unrelated pytest run (target: about 50 ms or less).

Runs ``pytest`` on a one-test file in fresh subprocesses, alternating with the plugin enabled and disabled
(``-p no:mlflow_plugin_conformance``), and prints the median wall times and their difference. Also checks that
the enabled run did not import MLflow. Prints numbers; asserts nothing about time.

    python benchmarks/plugin_overhead.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEST = """
import sys

def test_unrelated():
    assert "mlflow" not in sys.modules, "the conformance plugin imported MLflow in an unrelated run"
"""


def run_once(directory: Path, disabled: bool) -> float:
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_unrelated.py"]
    if disabled:
        args[3:3] = ["-p", "no:mlflow_plugin_conformance"]
    start = time.perf_counter()
    done = subprocess.run(args, cwd=directory, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"pytest failed:\n{done.stdout}\n{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        (directory / "test_unrelated.py").write_text(TEST)
        run_once(directory, False)  # warm the file system cache and bytecode
        enabled, disabled = [], []
        for _ in range(options.runs):
            enabled.append(run_once(directory, False))
            disabled.append(run_once(directory, True))
    on, off = statistics.median(enabled), statistics.median(disabled)
    print(f"runs per variant: {options.runs}")
    print(f"median wall time, plugin enabled:  {on * 1000:.1f} ms")
    print(f"median wall time, plugin disabled: {off * 1000:.1f} ms")
    print(f"overhead of the installed plugin:  {(on - off) * 1000:+.1f} ms (target: <= 50 ms)")


if __name__ == "__main__":
    main()
