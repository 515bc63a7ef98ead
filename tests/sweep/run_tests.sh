#!/usr/bin/env bash
# Sweep tests, run by ctest: run_tests.sh MODE ROPECERT WORK_DIR [HAVE_MPI MPIEXEC]
#   threads    one thread, three threads and the default agree byte for byte,
#              and a row agrees with `ropecert inversion --json` and `moments --json`
#   resume     a sweep killed after K points resumes to the same outputs; a torn
#              journal line is dropped; a journal of another grid is rejected
#   failure_modes  the aliasing and token quantities of failure_modes.toml agree
#              across thread counts and with `ropecert aliasing`, `invariance` and
#              `token-inversion --json`; k2 is the next ensemble sample
#   malformed  every file in malformed/ fails with one error line and exit 2
#   mpi        mpirun -n 2 gives the same outputs as one process (exit 77 to
#              skip when the binary or mpirun lacks MPI)
set -u
mode=$1
ropecert=$2
work=$3
have_mpi=${4:-OFF}
mpiexec=${5:-}
here=$(cd "$(dirname "$0")" && pwd)
spec=$here/small.toml

rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Runs a sweep of small.toml into prefix $1 with the remaining arguments.
sweep_into() {
  local prefix=$1
  shift
  "$ropecert" sweep "$spec" --output "$prefix" --quiet "$@" || fail "sweep into $prefix exited with $?"
}

same_outputs() {
  cmp "$1.csv" "$2.csv" || fail "$1.csv and $2.csv differ"
  cmp "$1.json" "$2.json" || fail "$1.json and $2.json differ"
}

case $mode in
threads)
  sweep_into one --threads 1
  sweep_into three --threads 3
  sweep_into default
  same_outputs one three
  same_outputs one default
  [ "$(wc -l < one.csv)" -eq 37 ] || fail "one.csv should have a header and 36 rows"
  [ ! -e one.partial.jsonl ] || fail "the journal should be removed after a finished sweep"
  grep -q '"threads_per_rank": 3' three.timing.json || fail "three.timing.json lacks the thread count"
  # Row 17 is the explicit q and k with d8-default at base 500000 and M = 4096
  # (rows are ordered schedule, base, vectors, sample, M).
  python3 - "$ropecert" <<'PY' || fail "row 17 disagrees with the single-point commands"
import json, subprocess, sys
rope = sys.argv[1]
row = json.load(open("one.json"))["rows"][17]
p = row["parameters"]
assert p["M"] == 4096, p
assert p["base"] == 500000.0, p
assert "q" in p["vectors"], p
with open("qk.json", "w") as f:
    json.dump(p["vectors"], f)
common = ["--dim", "8", "--base", "500000", "--vectors", "qk.json", "--M", "4096", "--json"]
inv = json.loads(subprocess.check_output([rope, "inversion"] + common))
assert inv["inversion"] == row["enclosures"]["inversion"], "inversion counts differ"
assert inv["normal_prediction"] == row["enclosures"]["normal_prediction"], "P_N differs"
mom = json.loads(subprocess.check_output([rope, "moments"] + common))
assert mom["window_moments"] == row["enclosures"]["window_moments"], "moments differ"
assert row["cells"]["lambda"]["lower"] == str(mom["split_moments"]["lambda"]), "lambda differs"
PY
  # With lambda(1) = 0 the Berry-Esseen term is not finite: its cell is the whole line.
  printf 'quantities = ["berry-esseen", "lambda"]\nM = [1]\npresets = ["llama-2-7b"]\nvectors = { ensemble = "gaussian", seed = 1 }\n' > lambda0.toml
  "$ropecert" sweep lambda0.toml --output lambda0 --quiet || fail "the lambda = 0 sweep failed"
  [ "$(tail -n 1 lambda0.csv | cut -d, -f11-14)" = "-inf,inf,0,0" ] ||
    fail "E_BE at lambda = 0 should be -inf,inf: $(tail -n 1 lambda0.csv)"
  ;;
resume)
  sweep_into reference --threads 2
  # Killed with SIGKILL by the test hook once 7 points are journaled.
  ROPECERT_SWEEP_ABORT_AFTER=7 "$ropecert" sweep "$spec" --output killed --quiet --threads 1
  status=$?
  [ "$status" -eq 137 ] || fail "the aborted sweep exited with $status, expected 137 (SIGKILL)"
  [ ! -e killed.csv ] || fail "an aborted sweep must not write killed.csv"
  lines=$(wc -l < killed.partial.jsonl)
  [ "$lines" -eq 8 ] || fail "journal should hold a header and 7 points, has $lines lines"
  # A second interruption, then a torn last line as a crash during write leaves.
  ROPECERT_SWEEP_ABORT_AFTER=5 "$ropecert" sweep "$spec" --output killed --quiet --threads 2
  journaled=$(($(wc -l < killed.partial.jsonl) - 1))
  [ "$journaled" -ge 12 ] || fail "after two interruptions the journal holds $journaled points, expected 12 or more"
  printf '{"index": 3, "seconds": 0.1, "rank": 0, "row": {"ind' >> killed.partial.jsonl
  "$ropecert" sweep "$spec" --output killed --threads 2 2> resume.log || fail "resume failed"
  grep -q "already in killed.partial.jsonl" resume.log || fail "the resumed run did not report the journal"
  computed=$(python3 -c 'import json; print(json.load(open("killed.timing.json"))["computed_points"])')
  [ "$computed" -eq $((36 - journaled)) ] || fail "the resumed run computed $computed points, expected $((36 - journaled))"
  same_outputs reference killed
  # A journal written for another grid is rejected with exit 2 and one line.
  ROPECERT_SWEEP_ABORT_AFTER=1 "$ropecert" sweep "$spec" --output changed --quiet --threads 1
  sed 's/M = \[64, 1000, 4096\]/M = [64, 1000]/' "$spec" > changed.toml
  "$ropecert" sweep changed.toml --output changed --quiet 2> changed.log
  status=$?
  [ "$status" -eq 2 ] || fail "a changed grid exited with $status, expected 2"
  [ "$(wc -l < changed.log)" -eq 1 ] || fail "a changed grid should give one error line"
  grep -q "different grid" changed.log || fail "the changed-grid message does not say why: $(cat changed.log)"
  ;;
failure_modes)
  spec=$here/failure_modes.toml
  sweep_into one --threads 1
  sweep_into two --threads 2
  same_outputs one two
  [ "$(wc -l < one.csv)" -eq 9 ] || fail "one.csv should have a header and 8 rows"
  python3 - "$ropecert" <<'PY' || fail "a row disagrees with the single-point commands"
import json, subprocess, sys
rope = sys.argv[1]
rows = json.load(open("one.json"))["rows"]
assert sorted({r["parameters"]["vectors"]["sample"] for r in rows}) == [4, 6], \
    "two-key samples should step by 2 from sample 4"
for row in rows:
    p, e, c = row["parameters"], row["enclosures"], row["cells"]
    sample = p["vectors"]["sample"]
    assert row["inputs"]["vectors"]["k2_sample"] == sample + 1, row["inputs"]
    common = ["--dim", "16", "--base", "10000", "--ensemble", "gaussian", "--seed", "3",
              "--sample", str(sample), "--M", str(p["M"]), "--json"]
    where = f"sample {sample}, M {p['M']}, {p['format']}"
    out = json.loads(subprocess.check_output(
        [rope, "aliasing", *common, "--format", p["format"], "--eps", str(p["eps"])]))
    assert out["aliasing"] == e["aliasing"], f"{where}: position aliasing differs"
    assert out["threshold_aliasing"] == e["threshold_aliasing"], f"{where}: threshold differs"
    pairs = out["aliasing"]["pairs"]
    assert c["alias_pairs"] == {"lower": str(pairs["certain"]), "upper": str(pairs["possible"])}
    out = json.loads(subprocess.check_output([rope, "invariance", *common, "--format", p["format"]]))
    assert out["invariance"] == e["invariance"], f"{where}: attention invariance differs"
    equal = out["token_aliasing"]["equal"]
    assert e["token_aliasing"]["equal"] == equal, f"{where}: token aliasing differs"
    assert c["T_F"] == {"lower": str(equal["certain"]), "upper": str(equal["possible"])}
    out = json.loads(subprocess.check_output([rope, "token-inversion", *common]))
    assert out["token_inversion"] == e["token_inversion"], f"{where}: token inversion differs"
PY
  # key_rho mixes k1 into k2: recorded in every point and changing the token values.
  { cat "$spec"; echo 'key_rho = 0.9'; } > rho.toml
  "$ropecert" sweep rho.toml --output rho --quiet || fail "the key_rho sweep failed"
  python3 - <<'PY' || fail "key_rho is not applied"
import json
plain = json.load(open("one.json"))["rows"]
mixed = json.load(open("rho.json"))["rows"]
assert all(r["parameters"]["key_rho"] == 0.9 for r in mixed), "key_rho missing from parameters"
assert all(a["cells"]["alias_pairs"] == b["cells"]["alias_pairs"]
           for a, b in zip(plain, mixed)), "key_rho must not change the one-key quantities"
assert any(a["cells"]["T_inv"] != b["cells"]["T_inv"] for a, b in zip(plain, mixed)), \
    "key_rho = 0.9 left token inversion unchanged"
PY
  ;;
malformed)
  for file in "$here"/malformed/*.toml; do
    "$ropecert" sweep "$file" --output out --quiet > stdout.log 2> stderr.log
    status=$?
    [ "$status" -eq 2 ] || fail "$(basename "$file") exited with $status, expected 2"
    [ "$(wc -l < stderr.log)" -eq 1 ] || fail "$(basename "$file") should print one line: $(cat stderr.log)"
    grep -q "^ropecert: error: " stderr.log || fail "$(basename "$file"): $(cat stderr.log)"
    echo "$(basename "$file"): $(cat stderr.log)"
  done
  "$ropecert" sweep "$here/malformed/missing.toml" --quiet 2> stderr.log
  [ $? -eq 2 ] || fail "a missing sweep file should exit with 2"
  ;;
mpi)
  if [ "$have_mpi" != "ON" ] || [ -z "$mpiexec" ] || [ ! -x "$mpiexec" ]; then
    echo "SKIP: ropecert was built without MPI or mpirun was not found"
    exit 77
  fi
  # Keep Open MPI on this machine: shared memory between the ranks, loopback
  # for its run-time wire-up, and no network transports.
  export OMPI_MCA_btl=self,vader OMPI_MCA_pml=ob1 OMPI_MCA_oob_tcp_if_include=lo
  export OMPI_MCA_btl_tcp_if_include=lo OMPI_MCA_rmaps_base_oversubscribe=1
  mpi="$mpiexec -n 2 --allow-run-as-root --oversubscribe"
  sweep_into single --threads 1
  sweep_into threaded --threads 2
  $mpi "$ropecert" sweep "$spec" --output ranks --quiet --threads 1 || fail "mpirun -n 2 failed"
  same_outputs single threaded
  same_outputs single ranks
  grep -q '"ranks": 2' ranks.timing.json || fail "ranks.timing.json does not record 2 ranks"
  python3 -c '
import json, sys
ranks = {p["rank"] for p in json.load(open("ranks.timing.json"))["points"]}
sys.exit(0 if ranks == {0, 1} else "points were computed on ranks %s, expected 0 and 1" % ranks)
' || fail "both ranks should compute points"
  # Resume under MPI from a journal left by a killed single-process run.
  ROPECERT_SWEEP_ABORT_AFTER=9 "$ropecert" sweep "$spec" --output mixed --quiet --threads 1
  $mpi "$ropecert" sweep "$spec" --output mixed --quiet --threads 1 || fail "mpirun resume failed"
  same_outputs single mixed
  ;;
*)
  fail "unknown mode '$mode'"
  ;;
esac
echo "sweep $mode: ok"
