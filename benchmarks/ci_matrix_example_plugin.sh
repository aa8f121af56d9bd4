#!/usr/bin/env bash
# The local equivalent of the CI matrix, on the example plugin: MLflow 2.22, 3.0 and the newest that installs,
# one virtual environment each (kept in $WORK, outside the repository), reports merged into one matrix.
# Prints the install and suite time per version and the matrix (Markdown); writes $OUT/matrix.{json,md}.
# Usage: benchmarks/ci_matrix_example_plugin.sh [MLFLOW_VERSION ...]   (default: 2.22 3.0 latest)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${WORK:-/work/matrix-venvs}"
OUT="${OUT:-$WORK/example-plugin-matrix}"
PYTHON="${PYTHON:-python3}"
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(2.22 3.0 latest)
export MLFLOW_DISABLE_TELEMETRY=true DO_NOT_TRACK=true PIP_DISABLE_PIP_VERSION_CHECK=1
cd "$ROOT"
exec "$PYTHON" -m mlflow_plugin_conformance.matrix run \
    --scheme file-plugin --plugin "-e $ROOT/examples/file-plugin" --conformance "-e $ROOT" \
    --python "$PYTHON" --work-dir "$WORK" --out "$OUT" --mlflow "${versions[@]}"
