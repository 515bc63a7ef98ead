#!/bin/sh
# Build ropecert_bench, time every method on the same inputs (llama-3.1-8b,
# h = 64, gaussian q and k with seed 0, M = 2^LOG2_M) and print one table.
# Usage: bench/run.sh [LOG2_M [INVERSION_LOG2_M]]   (defaults 20 and 24)
set -eu
cd "$(dirname "$0")/.."
LOG2_M=${1:-20}
INVERSION_LOG2_M=${2:-24}
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
make -C build -j2 ropecert_bench >/dev/null
rows=$(mktemp)
inputs=$(mktemp)
./build/ropecert_bench --log2-m "$LOG2_M" --inversion-log2-m "$INVERSION_LOG2_M" \
    --dump-inputs "$inputs" >"$rows"
/usr/bin/python3 bench/python_baselines.py "$inputs" "$LOG2_M" >>"$rows"
/usr/bin/python3 bench/table.py <"$rows"
rm -f "$rows" "$inputs"
