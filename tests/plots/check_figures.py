"""End-to-end check of `ropecert plot`: every figure kind at small M.

For waveform, histogram and inversion: the command writes a PNG (signature,
non-trivial size), an SVG (XML or <svg> header), a gnuplot script and CSV
files whose values equal the certified values the same command prints with
--json. The aliasing, aliasing-map and token kinds need quantities that are
not in this build yet; the command must reject them with exit status 2 and a
message naming the missing quantity.

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
}

PENDING = {
    "aliasing": ("position aliasing (Q6)", []),
    "aliasing-map": ("attention invariance (Q8)", ["--M", "256"]),
    "token": ("token inversion (Q9)", ["--M-list", "256,1024"]),
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


def main():
    if shutil.which("gnuplot") is None:
        print("gnuplot not on PATH: skipped")
        return 77
    binary, out = sys.argv[1], Path(sys.argv[2])
    shutil.rmtree(out, ignore_errors=True)
    failures = []

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
        files = figure["files"]
        check_images(files, failures, kind)
        check_csv(Path(files["data"]), figure["data"], failures, kind)
        if "summary" in figure:
            check_csv(Path(files["summary"]), figure["summary"], failures, kind)
        script = Path(files["script"]).read_text()
        if output["command"] not in script:
            failures.append(f"{kind}: the script does not record the command")
        print(f"{kind}: {len(figure['data'])} rows, {seconds:.2f} s")

    for kind, (quantity, options) in PENDING.items():
        command = [binary, "plot", kind, *MODEL, *options, "--out", str(out)]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 2 or quantity not in result.stderr:
            failures.append(f"{kind}: expected exit 2 naming {quantity}, got exit "
                            f"{result.returncode}: {result.stderr.strip()}")
        else:
            print(f"{kind}: rejected until {quantity} is in the build")

    for failure in failures:
        print("FAIL", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
