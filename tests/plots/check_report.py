"""End-to-end check of `ropecert report`: a small claim file is checked, the
report is written from its certificate, and headless Chromium loads the page
from a file:// URL. The rendered DOM must hold the claim table with every
instance, the embedded figures and the command of each figure.

Usage: check_report.py ROPECERT OUTPUT_DIR. Exits 77 (skipped) without gnuplot
or chromium.
"""

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLAIMS = """
id = "P1"
title = "Dirichlet bound, for the report test"
kind = "dirichlet-bound"
informal = "A fast component averages out over a window."
formal = "|E_W cos(m theta_n + phi_n)| <= 1 / (N |sin(theta_n / 2)|)"
justification = "True for every theta_n that is not a multiple of 2 pi."

[defaults]
vectors = { ensemble = "gaussian", seed = 1 }
windows = [[0, 4096]]
expected = "PROVED"

[[instance]]
presets = ["llama-2-7b", "llama-3.1-8b"]

[[instance]]
label = "llama-2-7b correlated"
preset = "llama-2-7b"
vectors = { ensemble = "correlated", rho = 0.5, seed = 2 }
"""

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def main():
    chromium = find_chromium()
    if shutil.which("gnuplot") is None or chromium is None:
        print("gnuplot or chromium not on PATH: skipped")
        return 77
    binary, out = sys.argv[1], Path(sys.argv[2])
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    (out / "P1.toml").write_text(CLAIMS)
    certificate = out / "certificate.json"
    check = subprocess.run([binary, "check", str(out / "P1.toml"), "--certificate",
                            str(certificate)], capture_output=True, text=True)
    if check.returncode != 0:
        print("FAIL check exited", check.returncode, check.stdout, check.stderr)
        return 1

    report = out / "report.html"
    start = time.monotonic()
    made = subprocess.run([binary, "report", str(certificate), "--out", str(report),
                           "--sweep-max", "4096", "--waveform-M", "2048"],
                          capture_output=True, text=True)
    print(f"report: {time.monotonic() - start:.2f} s")
    if made.returncode != 0:
        print("FAIL report exited", made.returncode, made.stderr)
        return 1

    with tempfile.TemporaryDirectory() as profile:
        start = time.monotonic()
        dom = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                              "--dump-dom", report.resolve().as_uri()],
                             capture_output=True, text=True, timeout=120)
        print(f"chromium --dump-dom: {time.monotonic() - start:.2f} s")
    html = dom.stdout
    failures = []
    if dom.returncode != 0:
        failures.append(f"chromium exited {dom.returncode}: {dom.stderr[-2000:]}")
    if '<table id="claims">' not in html:
        failures.append("the rendered DOM has no claim table")
    # One row per instance: three instances, each PROVED.
    if html.count('<td class="PROVED">PROVED</td>') != 3:
        failures.append("the claim table does not show three PROVED instances")
    # Two inversion sweeps (gaussian and correlated vectors), and a waveform and
    # a histogram for each of the two presets.
    images = html.count('src="data:image/png;base64,iVBORw0KGgo')
    if images != 6:
        failures.append(f"expected 6 embedded PNG figures, found {images}")
    if html.count("ropecert plot inversion --presets llama-2-7b,llama-3.1-8b") != 1:
        failures.append("the inversion figure's command is missing")
    if "Library versions" not in html:
        failures.append("the library versions are missing")
    for failure in failures:
        print("FAIL", failure)
    if not failures:
        print(f"rendered DOM: {len(html)} characters, {images} figures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
