#!/usr/bin/python3
"""Generate tests/data/adversarial_oracle.json: random RoPE cases with S(m)
and window moments computed in mpmath at 90 digits (phases m theta_n near 2^53 use 16 of them) (written with 50).

Regenerate:  /usr/bin/python3 tests/oracle/make_adversarial_oracle.py > tests/data/adversarial_oracle.json

The cases are drawn with a fixed seed (random.Random(20260517)) over the
schedules default, linear, ntk, llama3 and yarn (exact mode), both pairings,
distances up to 2^53 - 1, tiny (1e-300) and huge (1e300) amplitudes, and
near-ties: amplitude/phase inputs with phi_n = -c theta_n rounded to binary64,
for which S(c + j) and S(c - j) differ only by the rounding of the phases.
For every pair (m1, m2) of a case the file records whether S(m1) < S(m2) is
true; a backend must never prove a comparison the oracle says is false.
This script shares no code with ropecert.
"""

import json
import random

import mpmath

mpmath.mp.dps = 90


def frequencies(s):
    d, base, h = s["dim"], mpmath.mpf(s["base"]), s["dim"] // 2
    kind = s["kind"]
    if kind == "ntk":
        base = base * mpmath.mpf(s["factor"]) ** (mpmath.mpf(d) / (d - 2))
    inv = [base ** (-mpmath.mpf(2 * i) / d) for i in range(h)]
    if kind == "linear":
        return [x / mpmath.mpf(s["factor"]) for x in inv]
    if kind == "llama3":
        L0, lo, hi, f = (mpmath.mpf(s["original_context"]), mpmath.mpf(s["low_freq_factor"]),
                         mpmath.mpf(s["high_freq_factor"]), mpmath.mpf(s["factor"]))
        out = []
        for x in inv:
            w = 2 * mpmath.pi / x
            if w > L0 / lo:
                out.append(x / f)
            elif w < L0 / hi:
                out.append(x)
            else:
                t = (L0 / w - lo) / (hi - lo)
                out.append((1 - t) * x / f + t * x)
        return out
    if kind == "yarn":
        L0, f = mpmath.mpf(s["original_context"]), mpmath.mpf(s["factor"])

        def dim(r):
            return d * mpmath.log(L0 / (2 * mpmath.pi * r)) / (2 * mpmath.log(mpmath.mpf(s["base"])))

        low, high = mpmath.floor(dim(s["beta_fast"])), mpmath.ceil(dim(s["beta_slow"]))
        low, high = max(low, 0), min(high, d - 1)
        if low == high:
            high += mpmath.mpf("0.001")
        return [x / f * min(max((i - low) / (high - low), 0), 1)
                + x * (1 - min(max((i - low) / (high - low), 0), 1)) for i, x in enumerate(inv)]
    return inv


def coefficients(case):
    h = case["schedule"]["dim"] // 2
    if "amplitude" in case:
        return [mpmath.mpf(a) * mpmath.expj(mpmath.mpf(p))
                for a, p in zip(case["amplitude"], case["phase"])]
    q, k = case["q"], case["k"]
    out = []
    for n in range(h):
        if case["schedule"]["pairing"] == "half":
            u, v = mpmath.mpc(q[n], q[n + h]), mpmath.mpc(k[n], k[n + h])
        else:
            u, v = mpmath.mpc(q[2 * n], q[2 * n + 1]), mpmath.mpc(k[2 * n], k[2 * n + 1])
        out.append(u * mpmath.conj(v))
    return out


def logit(c, theta, m):
    return sum((cn * mpmath.expj(m * t)).real for cn, t in zip(c, theta))


def text(x):
    # Scientific notation, so tiny values keep all 50 significant digits.
    return mpmath.nstr(x, 50, strip_zeros=False, min_fixed=1, max_fixed=0) if x != 0 else "0"


def random_schedule(rng):
    dim = rng.choice([2, 4, 8, 16, 32, 64])
    s = {"dim": dim, "base": rng.choice([1.5, 10.0, 10000.0, 500000.0, 1e9]),
         "pairing": rng.choice(["half", "interleaved"]), "kind": "default"}
    kind = rng.choice(["default", "default", "linear", "ntk", "llama3", "yarn"])
    if kind == "ntk" and dim == 2:
        kind = "linear"
    s["kind"] = kind
    if kind in ("linear", "ntk"):
        s["factor"] = rng.choice([2.0, 4.0, 8.0])
    if kind == "llama3":
        s.update(factor=8.0, original_context=8192, low_freq_factor=1.0, high_freq_factor=4.0)
    if kind == "yarn":
        s.update(factor=32.0, original_context=4096, beta_fast=32.0, beta_slow=1.0)
    return s


def random_distances(rng):
    ms = [0, 1, rng.randrange(2, 1 << 20), rng.randrange(1 << 40, 1 << 41),
          rng.randrange(1 << 52, 1 << 53), (1 << 53) - 1]
    return ms


def make_cases():
    rng = random.Random(20260517)
    cases = []
    for index in range(40):
        s = random_schedule(rng)
        d, h = s["dim"], s["dim"] // 2
        scale = rng.choice([1.0, 1.0, 1e-150, 1e150])
        case = {"name": f"random {index}", "schedule": s}
        if rng.random() < 0.3:
            amp_scale = rng.choice([1.0, 1e-300, 1e300])
            case["amplitude"] = [rng.uniform(0, 2) * amp_scale for _ in range(h)]
            case["phase"] = [rng.uniform(-4, 4) for _ in range(h)]
        else:
            case["q"] = [rng.gauss(0, 1) * scale for _ in range(d)]
            case["k"] = [rng.gauss(0, 1) * scale for _ in range(d)]
        case["m"] = random_distances(rng)
        cases.append(case)
    # Near-ties: phi_n = -c theta_n in binary64 makes S symmetric about c up
    # to the rounding of the phases, so S(c - j) and S(c + j) nearly tie.
    for index in range(8):
        s = {"dim": 8, "base": 10000.0, "pairing": "half", "kind": "default"}
        theta = frequencies(s)
        c = rng.randrange(100, 5000)
        case = {"name": f"near tie {index}", "schedule": s,
                "amplitude": [rng.uniform(0.5, 2) for _ in range(4)],
                "phase": [float(-c * t) for t in theta]}
        js = [rng.randrange(1, 90) for _ in range(3)]
        case["m"] = sorted({c - j for j in js} | {c + j for j in js} | {c})
        cases.append(case)
    for case in cases:
        theta = frequencies(case["schedule"])
        c = coefficients(case)
        values = [logit(c, theta, m) for m in case["m"]]
        case["S"] = [text(v) for v in values]
        case["less"] = [[bool(a < b) for b in values] for a in values]
        # Window moments by brute force on a short window.
        first = rng.randrange(0, 1 << 30) if case["name"].startswith("random") else 0
        N = 64
        window = [logit(c, theta, first + i) for i in range(N)]
        mean = sum(window) / N
        variance = sum((v - mean) ** 2 for v in window) / N
        case["window"] = {"first": first, "end": first + N, "mean": text(mean),
                          "variance": text(variance)}
    return cases


if __name__ == "__main__":
    print(json.dumps({"generator": "tests/oracle/make_adversarial_oracle.py", "digits": 50,
                      "cases": make_cases()}, indent=1))
