#!/bin/sh
# Export a small claim, make one lemma false by raising the lower bound of the
# window mean by 1/1000, and require coqc to accept the original file and to
# reject the changed one. Usage: reject_wrong.sh ROPECERT SOURCE_DIR
# Exit status: 0 on success, 1 on failure, 77 (skip) when coqc is missing.
set -eu
ropecert=$1
source_dir=$2
if ! command -v coqc >/dev/null 2>&1; then
  echo "SKIP: coqc not found (apt-get install coq libcoq-interval)"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$ropecert" check "$source_dir/tests/coq/claims/r2_small.toml" --certificate "$work/c.json" \
  --emit-coq "$work" >/dev/null
cd "$work"
file=coq_R2_01_d8_float32.v
if ! coqc "$file" >original.out 2>&1; then
  echo "FAIL: coqc rejected the unchanged $file"
  tail -5 original.out
  exit 1
fi
sed 's|^\(  .*\) <= mean_W 0 4096 <= |\1 + 1 / 1000 <= mean_W 0 4096 <= |' "$file" >wrong.v
if cmp -s "$file" wrong.v; then
  echo "FAIL: the lemma mean_4096 was not found in $file"
  exit 1
fi
grep -A1 'Lemma mean_4096' wrong.v
if coqc wrong.v >wrong.out 2>&1; then
  echo "FAIL: coqc accepted a false lemma"
  exit 1
fi
grep -q 'Numerical evaluation failed' wrong.out || { echo "FAIL: unexpected coqc error"; cat wrong.out; exit 1; }
echo "ok: coqc accepts $file and rejects it with the lower bound raised by 1/1000"
