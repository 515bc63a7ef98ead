#!/usr/bin/python3
"""Format the JSON lines of ropecert_bench and python_baselines.py as a table.

Ratios are against the certified sweep with all threads."""

import json
import sys

rows = [json.loads(line) for line in sys.stdin if line.strip()]
header = rows[0]
print(f"M = {header['M']}, h = {header['h']}, preset {header['preset']}, "
      f"{header['machine_threads']} hardware threads")
timed = [r for r in rows[1:] if r.get("method") != "position_inversion"]
reference = [r["seconds"] for r in timed
             if r["method"] == "certified_sweep" and r["threads"] == header["machine_threads"]][0]
print(f"| method | threads | seconds | ns per distance | time / certified sweep | note |")
print(f"|---|---|---|---|---|---|")
for r in timed:
    note = ""
    if "sampled_points" in r:
        note = f"{r['sampled_points']} points sampled ({r['sampled_seconds']:.2f} s), extrapolated"
    if "max_outside_certified" in r:
        note = f"max distance outside the certified enclosure {r['max_outside_certified']:.2g}"
    if "half_width" in r:
        note = f"half-width E = {r['half_width']:.3g}"
    print(f"| {r['method']} | {r['threads']} | {r['seconds']:.4g} | "
          f"{r['seconds'] / header['M'] * 1e9:.4g} | {r['seconds'] / reference:.3g} | {note} |")
for r in rows[1:]:
    if r.get("method") == "position_inversion":
        print(f"\nposition inversion, M = {r['M']}: {r['seconds']:.2f} s, pairs less in "
              f"[{r['certain_less']}, {r['possible_less']}], {r['refined_pairs']} near-tie pairs "
              f"refined ({r['refined_values']} values re-evaluated with Arb)"
              f"{', refinement skipped' if r['refinement_skipped'] else ''}")
