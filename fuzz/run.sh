#!/bin/sh
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for a
# bounded time. Usage: fuzz/run.sh [SECONDS_PER_TARGET] (default 60).
# Needs clang and libclang-rt-14-dev (apt-get install -y clang libclang-rt-14-dev).
# Crashes are written to build-fuzz/findings/<target>/; the script exits 1 if
# any target found one.
set -eu
seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-fuzz"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DROPECERT_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
make -C "$build" -j2 fuzz_claim_file fuzz_vector_json fuzz_vector_npy fuzz_hf_config >/dev/null
status=0
for target in claim_file vector_json vector_npy hf_config; do
  findings="$build/findings/$target"
  work="$build/corpus/$target"
  mkdir -p "$findings" "$work"
  echo "fuzz_$target: ${seconds} s"
  # A scratch corpus directory keeps new inputs out of the committed seeds.
  if ! "$build/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$findings/" -print_final_stats=1 "$work" "$root/fuzz/corpus/$target" \
      2> "$build/fuzz_$target.log"; then
    echo "fuzz_$target: FAILED, see $build/fuzz_$target.log and $findings/"
    status=1
  fi
  grep -E '^(stat::number_of_executed_units|stat::new_units_added)' "$build/fuzz_$target.log" || true
done
exit $status
