"""End-to-end check of `ropecert plot`: every figure kind at small M.

For every kind the command writes a PNG (signature, non-trivial size), an SVG
(XML or <svg> header), a gnuplot script and CSV files whose values equal the
certified values the same command prints with --json. The aliasing, map and
token values are also compared with the `aliasing`, `invariance` and
`token-inversion` commands on the same inputs, and the second key's default
(the next ensemble sample) with an explicit --sample-k2.

Usage: check_figures.py ROPECERT OUTPUT_DIR. Exits 77 (skipped) without gnuplot.
"""

import csv
import json
import math
import shutil
import subprocess
import sys
import time
from pathlib import Path

MODEL = ["--preset", "llama-2-7b", "--ensemble", "gaussian", "--seed", "1"]

CASES = {
    "waveform": ["--M", "3000", "--bins", "500"],
    "histogram": ["--M", "4096", "--bins", "30"],
    "inversion": ["--presets", "llama-2-7b,llama-3.1-8b", "--M-list", "256,1024,4096"],
    "aliasing": ["--presets", "llama-2-7b,llama-3.1-8b", "--formats", "bf16,fp16",
                 "--M-list", "256,1024,4096"],
    "aliasing-map": ["--M", "1024", "--cell", "32"],
    "token": ["--M-list", "256,1024,4096"],
}


def same_value(text, expected):
    """A CSV field equals its JSON value: numbers bit for bit, strings exactly."""
    if isinstance(expected, str):
        return text == expected
    value = float(text)
    if isinstance(expected, int):
        return value == expected and text == str(expected)
    return value == expected or (math.isnan(value) and math.isnan(expected))


def check_csv(path, rows, failures, label):
    with open(path, newline="") as file:
        table = list(csv.DictReader(file))
    if len(table) != len(rows):
        failures.append(f"{label}: {path.name} has {len(table)} rows, --json has {len(rows)}")
        return
    for index, (line, row) in enumerate(zip(table, rows)):
        for column, expected in row.items():
            if not same_value(line[column], expected):
                failures.append(f"{label}: {path.name} row {index} column {column}: "
                                f"CSV {line[column]!r} != JSON {expected!r}")
                return


def check_images(files, failures, label):
    png = Path(files["png"]).read_bytes()
    if not png.startswith(b"\x89PNG\r\n\x1a\n"):
        failures.append(f"{label}: {files['png']} lacks the PNG signature")
    if len(png) < 8000:
        failures.append(f"{label}: {files['png']} is only {len(png)} bytes")
    svg = Path(files["svg"]).read_text()
    if not (svg.startswith("<?xml") or svg.startswith("<svg")):
        failures.append(f"{label}: {files['svg']} does not start with <?xml or <svg")
    if len(svg) < 4000:
        failures.append(f"{label}: {files['svg']} is only {len(svg)} bytes")


def run_json(command, failures, label):
    """Runs a command with --json and returns its parsed output, or None on failure."""
    result = subprocess.run([*command, "--json"], capture_output=True, text=True)
    if result.returncode != 0:
        failures.append(f"{label}: exit {result.returncode}: {result.stderr.strip()}")
        return None
    return json.loads(result.stdout)


def check_against_commands(binary, out, figures, failures):
    """Compares plotted values with the commands that compute the same quantity."""
    model = [*MODEL, "--M", "1024"]
    rows = figures["aliasing"]["data"]
    row = next(r for r in rows if r["curve"] == "llama-2-7b fp16" and r["M"] == 1024)
    direct = run_json([binary, "aliasing", *model, "--format", "fp16"], failures, "aliasing")
    if direct is not None:
        counts = direct["aliasing"]
        expected = [counts["partner_fraction"][0], counts["partner_fraction"][1],
                    counts["pairs"]["certain"], counts["pairs"]["possible"]]
        plotted = [row["partner_fraction_lower"], row["partner_fraction_upper"],
                   row["pairs_lower"], row["pairs_upper"]]
        if plotted != expected:
            failures.append(f"aliasing: plot {plotted} != `ropecert aliasing` {expected}")

    direct = run_json([binary, "invariance", *model, "--format", "bf16"], failures, "invariance")
    if direct is not None:
        for panel, key in (("first key", "first"), ("second key", "second"),
                           ("both keys", "both")):
            cells = [r for r in figures["aliasing-map"]["data"] if r["map"] == panel]
            certain = sum(r["pairs"] for r in cells)
            possible = certain + sum(r["undecided"] for r in cells)
            pairs = direct["invariance"][key]["pairs"]
            if (certain, possible) != (pairs["certain"], pairs["possible"]):
                failures.append(f"aliasing-map: {panel} sums to {certain}..{possible} pairs, "
                                f"`ropecert invariance` has {pairs}")

    row = next(r for r in figures["token"]["data"] if r["M"] == 1024)
    direct = run_json([binary, "token-inversion", *model], failures, "token-inversion")
    if direct is not None:
        expected = direct["token_inversion"]["fraction"]
        if [row["T_inv_lower"], row["T_inv_upper"]] != expected:
            failures.append(f"token: T_inv {row['T_inv_lower']}..{row['T_inv_upper']} != "
                            f"`ropecert token-inversion` {expected}")

    # The default second key is sample --sample + 1; another sample changes the values.
    token = [binary, "plot", "token", *MODEL, "--M-list", "256,1024,4096", "--out", str(out),
             "--no-render"]
    same = run_json([*token, "--name", "token_sample_1", "--sample-k2", "1"], failures, "token")
    other = run_json([*token, "--name", "token_sample_5", "--sample-k2", "5"], failures, "token")
    if same is not None and same["figure"]["data"] != figures["token"]["data"]:
        failures.append("token: --sample-k2 1 differs from the default second key")
    if other is not None and other["figure"]["data"] == figures["token"]["data"]:
        failures.append("token: --sample-k2 5 gives the same values as the default")


def main():
    if shutil.which("gnuplot") is None:
        print("gnuplot not on PATH: skipped")
        return 77
    binary, out = sys.argv[1], Path(sys.argv[2])
    shutil.rmtree(out, ignore_errors=True)
    failures = []
    figures = {}

    for kind, options in CASES.items():
        model = [] if "--presets" in options else MODEL[:2]
        command = [binary, "plot", kind, *model, *MODEL[2:], *options, "--out", str(out), "--json"]
        start = time.monotonic()
        result = subprocess.run(command, capture_output=True, text=True)
        seconds = time.monotonic() - start
        if result.returncode != 0:
            failures.append(f"{kind}: exit {result.returncode}: {result.stderr.strip()}")
            continue
        output = json.loads(result.stdout)
        figure = output["figure"]
        figures[kind] = figure
        files = figure["files"]
        check_images(files, failures, kind)
        check_csv(Path(files["data"]), figure["data"], failures, kind)
        if "summary" in figure:
            check_csv(Path(files["summary"]), figure["summary"], failures, kind)
        script = Path(files["script"]).read_text()
        if output["command"] not in script:
            failures.append(f"{kind}: the script does not record the command")
        print(f"{kind}: {len(figure['data'])} rows, {seconds:.2f} s")

    if all(kind in figures for kind in ("aliasing", "aliasing-map", "token")):
        check_against_commands(binary, out, figures, failures)

    for failure in failures:
        print("FAIL", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
