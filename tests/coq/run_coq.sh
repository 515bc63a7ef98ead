#!/bin/sh
# Export the small Coq test claims (and, with --h64, one h = 64 instance of a
# real preset) and check every exported file with coqc under a time limit.
# With --verify, the files come from `verify CERT --emit-coq` on the
# certificate that `check` wrote, and must equal those of `check --emit-coq`.
# Usage: run_coq.sh ROPECERT SOURCE_DIR [--h64 | --verify]
# Exit status: 0 when coqc accepts every file, 1 when one fails, 77 (skip)
# when coqc or the Interval library is missing.
set -eu
ropecert=$1
source_dir=$2
limit=${COQ_FILE_TIMEOUT:-300}  # seconds per file

if ! command -v coqc >/dev/null 2>&1; then
  echo "SKIP: coqc not found (apt-get install coq libcoq-interval)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'From Interval Require Import Tactic.\n' > "$work/probe.v"
if ! (cd "$work" && coqc probe.v >/dev/null 2>&1); then
  echo "SKIP: coqc cannot load the Interval library (apt-get install libcoq-interval)"
  exit 77
fi

claims="$source_dir/tests/coq/claims"
[ "${3:-}" = "--h64" ] && claims="$source_dir/tests/coq/h64" && export_options="--coq-max-lemmas 4"
"$ropecert" check "$claims" --certificate "$work/certificate.json" --emit-coq "$work/v" ${export_options:-} >"$work/log"
grep '^coq: [0-9]* files' "$work/log"
if [ "${3:-}" = "--verify" ]; then
  mv "$work/v" "$work/from_check"
  if ! "$ropecert" verify "$work/certificate.json" --emit-coq "$work/v" >"$work/verify_log"; then
    echo "FAIL: ropecert verify did not confirm the certificate"
    tail -20 "$work/verify_log"
    exit 1
  fi
  grep '^coq: [0-9]* files' "$work/verify_log"
  if ! diff -r "$work/from_check" "$work/v"; then
    echo "FAIL: verify --emit-coq wrote other files than check --emit-coq"
    exit 1
  fi
fi

failed=0
start=$(date +%s)
for file in "$work"/v/*.v; do
  name=$(basename "$file")
  if (cd "$work/v" && /usr/bin/time -f "%U %e" -o "$work/$name.time" \
        timeout "$limit" coqc "$name" >"$work/$name.out" 2>&1); then
    echo "ok   $name ($(cut -d' ' -f1 "$work/$name.time") s CPU, $(cut -d' ' -f2 "$work/$name.time") s wall)"
  else
    echo "FAIL $name"
    grep -v 'ambiguous-paths\|New coercion\|^Warning' "$work/$name.out" | tail -8
    failed=1
  fi
done
echo "coqc total: $(( $(date +%s) - start )) s wall"
exit $failed
