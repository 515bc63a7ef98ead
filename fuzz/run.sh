#!/bin/sh
# Builds the libFuzzer targets with clang, ASan and UBSan in build-fuzz/ and
# runs each for a bounded time.
# Usage: fuzz/run.sh [SECONDS_PER_TARGET]   (default: $FUZZ_SECONDS, else 60)
# Environment: FUZZ_SECONDS, FUZZ_JOBS (make -j, default 2), FUZZ_BUILD
# (build directory, default build-fuzz), FUZZ_TARGETS (default: all four),
# FUZZ_SEED (libFuzzer's -seed; default 0, a new random seed each run).
# Needs clang and libclang-rt-14-dev (apt-get install -y clang libclang-rt-14-dev).
# Crashes, leaks and sanitizer reports are written to
# FUZZ_BUILD/findings/<target>/; the script exits 1 if any target found one,
# and 2 if the build fails.
set -eu
seconds=${1:-${FUZZ_SECONDS:-60}}
jobs=${FUZZ_JOBS:-2}
targets=${FUZZ_TARGETS:-"claim_file vector_json vector_npy hf_config"}
seed=${FUZZ_SEED:-0}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD:-"$root/build-fuzz"}
mkdir -p "$build"

# CMake keeps the compiler a build directory was configured with and ignores CC.
if [ -f "$build/CMakeCache.txt" ] &&
    ! grep -q '^CMAKE_CXX_COMPILER:.*clang' "$build/CMakeCache.txt"; then
  echo "fuzz/run.sh: $build was configured without clang; remove it and rerun" >&2
  exit 2
fi
if ! CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DROPECERT_FUZZ=ON -DBUILD_TESTING=OFF >"$build/configure.log" 2>&1; then
  tail -20 "$build/configure.log" >&2
  echo "fuzz/run.sh: configuring $build failed, see $build/configure.log" >&2
  exit 2
fi
make_targets=""
for target in $targets; do make_targets="$make_targets fuzz_$target"; done
# shellcheck disable=SC2086  # one word per target
if ! make -C "$build" -j"$jobs" $make_targets >"$build/build.log" 2>&1; then
  grep -E 'error|Error' "$build/build.log" | head -20 >&2
  echo "fuzz/run.sh: building the fuzz targets failed, see $build/build.log" >&2
  exit 2
fi

status=0
for target in $targets; do
  findings="$build/findings/$target"
  work="$build/corpus/$target"
  mkdir -p "$findings" "$work"
  echo "fuzz_$target: ${seconds} s"
  # New inputs go to a scratch corpus, which keeps the committed seeds small.
  # libFuzzer exits non-zero on a crash, a sanitizer report, a leak, a
  # timeout of one input (-timeout) or memory beyond -rss_limit_mb.
  if ! "$build/fuzz_$target" -seed="$seed" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$findings/" -print_final_stats=1 "$work" "$root/fuzz/corpus/$target" \
      2>"$build/fuzz_$target.log"; then
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$build/fuzz_$target.log" | head -5
    echo "fuzz_$target: FAILED, see $build/fuzz_$target.log and $findings/"
    status=1
  fi
  grep -E '^(stat::number_of_executed_units|stat::new_units_added)' "$build/fuzz_$target.log" || true
done
exit $status
