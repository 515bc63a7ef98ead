#!/usr/bin/python3
"""Independent check of the expected verdicts in proofs/.

Run:  /usr/bin/python3 tests/oracle/claims_oracle.py proofs/

For every claim instance this script recomputes the deciding quantities by a
route that shares no code with ropecert: the seeded vectors are regenerated in
mpmath (SplitMix64 + Box-Muller at 128 bits), the schedules are evaluated from
their formulas in mpmath, S(m) is evaluated in NumPy binary64 over the whole
window, window moments are brute-force sums, P_inv is counted by sorting, and
R1 and R2 are checked against brute-force window averages (mpmath closed forms
for windows beyond 2^40, where binary64 phases are too coarse).

It prints the verdict it derives next to the expected one and exits 1 when any
differs, or when a case lies too close to its threshold for binary64 to
decide (then the claim file should choose another threshold).
"""

import math
import sys
import tomllib
from pathlib import Path

import mpmath
import numpy as np

mpmath.mp.dps = 50
MASK = (1 << 64) - 1


# ---- seeded vectors -------------------------------------------------------

class SplitMix64:
    def __init__(self, state):
        self.state = state & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform_open_closed(self):
        return ((self.next() >> 11) + 1) * 2.0 ** -53

    def uniform_closed_open(self):
        return (self.next() >> 11) * 2.0 ** -53


def normal(rng):
    u1 = rng.uniform_open_closed()
    u2 = rng.uniform_closed_open()
    with mpmath.workprec(128):
        value = mpmath.sqrt(-2 * mpmath.log(mpmath.mpf(u1))) * mpmath.cos(2 * mpmath.pi * u2)
        return float(value)


def ensemble_sample(kind, seed, sample, rho, d):
    rng = SplitMix64((seed << 32) + sample)
    q = [normal(rng) for _ in range(d)]
    k = [normal(rng) for _ in range(d)]
    if kind == "correlated":
        with mpmath.workprec(128):
            s = mpmath.sqrt(1 - mpmath.mpf(rho) ** 2)
            k = [float(mpmath.mpf(rho) * x + s * z) for x, z in zip(q, k)]
    elif kind != "gaussian":
        raise SystemExit(f"oracle: ensemble {kind} not supported here")
    return q, k


# ---- schedules (exact formulas, mpmath) -----------------------------------

PRESETS = {
    "llama-2-7b": dict(d=128, base=10000, pairing="interleaved"),
    "llama-3.1-8b": dict(d=128, base=500000, pairing="interleaved",
                         llama3=dict(factor=8, low=1, high=4, original=8192)),
    "mistral-7b-v0.3": dict(d=128, base=10 ** 6, pairing="interleaved"),
    "qwen3-8b": dict(d=128, base=10 ** 6, pairing="half"),
    "qwen2.5-7b": dict(d=128, base=10 ** 6, pairing="half"),
    "gpt-oss-120b": dict(d=64, base=150000, pairing="half",
                         yarn=dict(factor=32, original=4096, fast=32, slow=1, truncate=False)),
    "deepseek-v3": dict(d=64, base=10000, pairing="interleaved",
                        yarn=dict(factor=40, original=4096, fast=32, slow=1, truncate=True)),
    "kimi-k2": dict(d=64, base=50000, pairing="interleaved",
                    yarn=dict(factor=32, original=4096, fast=1, slow=1, truncate=True)),
    "gemma-3-local": dict(d=256, base=10000, pairing="half"),
    "gemma-3-global": dict(d=256, base=10 ** 6, pairing="half", linear=8),
}


def frequencies(spec):
    d, base = spec["d"], mpmath.mpf(spec["base"])
    inv = [base ** (-mpmath.mpf(2 * i) / d) for i in range(d // 2)]
    if "linear" in spec:
        return [x / spec["linear"] for x in inv]
    if "llama3" in spec:
        p = spec["llama3"]
        lo_w, hi_w = mpmath.mpf(p["original"]) / p["low"], mpmath.mpf(p["original"]) / p["high"]
        out = []
        for x in inv:
            w = 2 * mpmath.pi / x
            if w > lo_w:
                out.append(x / p["factor"])
            elif w < hi_w:
                out.append(x)
            else:
                t = (p["original"] / w - p["low"]) / (p["high"] - p["low"])
                out.append((1 - t) * x / p["factor"] + t * x)
        return out
    if "yarn" in spec:
        p = spec["yarn"]

        def dim(r):
            return d * mpmath.log(p["original"] / (2 * mpmath.pi * r)) / (2 * mpmath.log(base))

        low, high = dim(p["fast"]), dim(p["slow"])
        if p["truncate"]:
            low, high = mpmath.floor(low), mpmath.ceil(high)
        low, high = max(low, 0), min(high, d - 1)
        if low == high:
            high += mpmath.mpf("0.001")
        out = []
        for i, x in enumerate(inv):
            ramp = min(max((i - low) / (high - low), 0), 1)
            out.append(x / p["factor"] * ramp + x * (1 - ramp))
        return out
    return inv


def schedule_of(params):
    if "preset" in params:
        spec = dict(PRESETS[params["preset"]])
    else:
        s = params["schedule"]
        spec = dict(d=s["dim"], base=s["base"], pairing=s.get("pairing", "half"))
    if "pairing" in params:
        spec["pairing"] = params["pairing"]
    return spec


def coefficients(q, k, pairing):
    h = len(q) // 2
    if pairing == "half":
        u = [complex(q[n], q[n + h]) for n in range(h)]
        v = [complex(k[n], k[n + h]) for n in range(h)]
    else:
        u = [complex(q[2 * n], q[2 * n + 1]) for n in range(h)]
        v = [complex(k[2 * n], k[2 * n + 1]) for n in range(h)]
    # Products of doubles are exact enough in binary64 for these decisions
    # (relative error 2^-52 against margins far larger).
    return np.array([a * b.conjugate() for a, b in zip(u, v)])


def vectors_of(params, spec, sample_offset=0):
    v = params["vectors"]
    return ensemble_sample(v["ensemble"], v.get("seed", 0), v.get("sample", 0) + sample_offset,
                           v.get("rho", 0.0), spec["d"])


# ---- quantities in NumPy --------------------------------------------------

def logits(c, theta, first, end):
    theta = np.array([float(t) for t in theta])
    out = np.empty(end - first)
    for start in range(first, end, 8192):
        m = np.arange(start, min(end, start + 8192), dtype=np.float64)[:, None]
        angle = m * theta[None, :]
        out[start - first:start - first + len(m)] = (np.cos(angle) @ c.real - np.sin(angle) @ c.imag)
    return out


def inversion(s):
    half = len(s) // 2
    near, far = s[:half], np.sort(s[half:])
    less = len(far) - np.searchsorted(far, near, side="right")
    return less.sum() / (half * (len(s) - half))


def normal_prediction(s):
    half = len(s) // 2
    near, far = s[:half], s[half:]
    z = (far.mean() - near.mean()) / math.sqrt(near.var() + far.var())
    return 0.5 * math.erfc(-z / math.sqrt(2))


def berry_esseen(c, theta, M):
    a = np.abs(c)
    fast = np.array([M * t >= 2 * mpmath.pi for t in theta])
    cubes, squares = (a[fast] ** 3).sum(), (a[fast] ** 2).sum()
    return 0.56 * cubes * 4 / (3 * math.pi) / (0.5 * squares) ** 1.5


class TooClose(Exception):
    pass


def at_most(value, bound, margin=1e-6):
    if abs(value - bound) <= margin:
        raise TooClose(f"{value:.9g} vs {bound:.9g}")
    return value <= bound


# ---- claim kinds ------------------------------------------------------------

def check_dirichlet(params):
    spec = schedule_of(params)
    theta = frequencies(spec)
    q, k = vectors_of(params, spec)
    c = coefficients(q, k, spec["pairing"])
    phases = [np.angle(x) if x != 0 else 0.0 for x in c]
    for first, end in params["windows"]:
        n_total = end - first
        for n, t in enumerate(theta):
            rhs = 1 / (n_total * abs(mpmath.sin(t / 2)))
            if first >= 2 ** 40:
                ct = (first + mpmath.mpf(n_total - 1) / 2) * t
                lhs = abs(mpmath.cos(ct + phases[n]) * mpmath.sin(n_total * t / 2)) * rhs
            else:
                m = np.arange(first, end, dtype=np.float64)
                lhs = abs(np.cos(m * float(t) + phases[n]).mean())
            if not at_most(float(lhs), float(rhs), 1e-9 * float(rhs)):
                return "REFUTED"
    return "PROVED"


def check_split(params):
    spec = schedule_of(params)
    theta = frequencies(spec)
    q, k = vectors_of(params, spec)
    c = coefficients(q, k, spec["pairing"])
    for M in params["M"]:
        s = logits(c, theta, 0, M)
        fast = [M * t >= 2 * mpmath.pi for t in theta]
        mu_split = sum(c[n].real for n in range(len(theta)) if not fast[n])
        bound = 0.0
        for n, t in enumerate(theta):
            a = abs(c[n])
            if fast[n]:
                bound += a / (M * abs(float(mpmath.sin(t / 2))))
            else:
                bound += a * min(2.0, M * float(t))
        if not at_most(abs(s.mean() - mu_split), bound, 1e-9 * bound):
            return "REFUTED"
    return "PROVED"


def check_gap(params):
    spec = schedule_of(params)
    theta = frequencies(spec)
    q, k = vectors_of(params, spec)
    c = coefficients(q, k, spec["pairing"])
    verdict = "PROVED"
    for M in params["M"]:
        s = logits(c, theta, 0, M)
        tol = params["tolerance"]
        tol = berry_esseen(c, theta, M) if tol == "berry-esseen" else tol
        if not at_most(abs(inversion(s) - normal_prediction(s)), tol):
            verdict = "REFUTED"
    return verdict


def check_near_half(params):
    spec = schedule_of(params)
    theta = frequencies(spec)
    q, k = vectors_of(params, spec)
    c = coefficients(q, k, spec["pairing"])
    verdict = "PROVED"
    for M in params["M"]:
        if not at_most(abs(inversion(logits(c, theta, 0, M)) - 0.5), params["tolerance"]):
            verdict = "REFUTED"
    return verdict


def check_trend(params):
    spec = schedule_of(params)
    bases = params.get("bases", [spec["base"]])
    grid = []
    for base in bases:
        theta = frequencies(dict(spec, base=base))
        row = []
        for M in params["M"]:
            total = 0.0
            for sample in range(params["samples"]):
                q, k = vectors_of(params, spec, sample)
                total += normal_prediction(logits(coefficients(q, k, spec["pairing"]), theta, 0, M))
            row.append(total / params["samples"])
        grid.append(row)
    along_base = params.get("along", "M") == "base"
    verdict = "PROVED"
    for b in range(len(bases)):
        for i in range(len(params["M"])):
            if along_base and b + 1 < len(bases):
                pair = (grid[b][i], grid[b + 1][i])
            elif not along_base and i + 1 < len(params["M"]):
                pair = (grid[b][i], grid[b][i + 1])
            else:
                continue
            if abs(pair[0] - pair[1]) < 1e-9:
                raise TooClose(f"{pair}")
            if not pair[0] < pair[1]:
                verdict = "REFUTED"
    return verdict


# ---- failure-mode quantities ---------------------------------------------

def bf16(x):
    """Round binary64 values to bf16 (8 significant bits, ties to even)."""
    mantissa, exponent = np.frexp(x)
    scaled = mantissa * 256.0
    fraction = np.abs(scaled - np.floor(scaled))
    # binary64 values of S are accurate to about 1e-12 absolute, below 1e-9 of
    # a bf16 unit for |S| > 1e-4, so a margin of 1e-9 units decides every case.
    if np.any((np.abs(fraction - 0.5) < 1e-9) & (np.abs(x) > 1e-4)):
        raise TooClose("a value lies on a bf16 rounding boundary")
    if np.any(np.abs(x) > 1e30):
        raise TooClose("value outside the range this oracle rounds")
    return np.ldexp(np.rint(scaled), exponent - 8)


def two_keys(params, spec, index):
    v = params["vectors"]
    sample = v.get("sample", 0) + 2 * index
    q, k1 = ensemble_sample(v["ensemble"], v.get("seed", 0), sample, v.get("rho", 0.0), spec["d"])
    _, k2 = ensemble_sample(v["ensemble"], v.get("seed", 0), sample + 1, v.get("rho", 0.0),
                            spec["d"])
    if "key_rho" in params:
        with mpmath.workprec(128):
            r = mpmath.mpf(params["key_rho"])
            s = mpmath.sqrt(1 - r ** 2)
            k2 = [float(r * a + s * b) for a, b in zip(k1, k2)]
    return q, k1, k2


def group_sizes(keys):
    _, counts = np.unique(keys, axis=0, return_counts=True)
    return counts


def quantity(params, spec, theta, index, M):
    name = params["quantity"]
    q, k1, k2 = two_keys(params, spec, index)
    s1 = logits(coefficients(q, k1, spec["pairing"]), theta, 0, M)
    if name == "inversion":
        return inversion(s1)
    if name == "inversion-distance-to-half":
        return abs(inversion(s1) - 0.5)
    if name in ("alias-partner-fraction", "alias-pair-fraction"):
        counts = group_sizes(bf16(s1)[:, None])
        if name == "alias-partner-fraction":
            return counts[counts >= 2].sum() / M
        return (counts * (counts - 1) // 2).sum() / (M * (M - 1) / 2)
    s2 = logits(coefficients(q, k2, spec["pairing"]), theta, 0, M)
    d = s1 - s2
    if name == "invariance-pair-fraction":
        counts = group_sizes(np.stack([bf16(s1), bf16(s2)], axis=1))
        return (counts * (counts - 1) // 2).sum() / (M * (M - 1) / 2)
    if name == "token-inversion":
        if abs(d[0]) < 1e-9:
            raise TooClose("D(0) near 0")
        d = d if d[0] > 0 else -d
        if np.any(np.abs(d) < 1e-9):
            raise TooClose("D(m) near 0")
        return (d < 0).sum() / M
    if name == "token-alias-fraction":
        return (bf16(s1) == bf16(s2)).sum() / M
    eps = params["eps"]
    if np.any(np.abs(np.abs(d) - eps) < 1e-9):
        raise TooClose("|D(m)| near eps")
    near = (np.abs(d) < eps).sum() / M
    mu, sigma = d.mean(), math.sqrt(d.var())
    cdf = lambda x: 0.5 * math.erfc(-x / math.sqrt(2))
    predicted = cdf((eps - mu) / sigma) - cdf((-eps - mu) / sigma)
    if name == "token-near-fraction":
        return near
    if name == "token-near-prediction":
        return predicted
    if name == "token-near-gap":
        return abs(near - predicted)
    raise SystemExit(f"oracle: quantity {name} not supported here")


def check_quantity_bound(params):
    spec = schedule_of(params)
    theta = frequencies(spec)
    verdict = "PROVED"
    for M in params["M"]:
        value = quantity(params, spec, theta, 0, M)
        if "at_least" in params and not at_most(params["at_least"], value):
            verdict = "REFUTED"
        if "at_most" in params and not at_most(value, params["at_most"]):
            verdict = "REFUTED"
    return verdict


def check_quantity_trend(params):
    spec = schedule_of(params)
    bases = params.get("bases", [spec["base"]])
    grid = []
    for base in bases:
        theta = frequencies(dict(spec, base=base))
        grid.append([sum(quantity(params, spec, theta, i, M) for i in range(params["samples"]))
                     / params["samples"] for M in params["M"]])
    along_base = params.get("along", "M") == "base"
    rising = params.get("direction", "rises") == "rises"
    verdict = "PROVED"
    for b in range(len(bases)):
        for i in range(len(params["M"])):
            if along_base and b + 1 < len(bases):
                first, second = grid[b][i], grid[b + 1][i]
            elif not along_base and i + 1 < len(params["M"]):
                first, second = grid[b][i], grid[b][i + 1]
            else:
                continue
            if abs(first - second) < 1e-9:
                raise TooClose(f"{first} vs {second}")
            if (first < second) != rising:
                verdict = "REFUTED"
    if "--verbose" in sys.argv:
        print("   grid:", [[round(x, 6) for x in row] for row in grid])
    return verdict


CHECKS = {
    "dirichlet-bound": check_dirichlet,
    "split-error": check_split,
    "inversion-normal-gap": check_gap,
    "inversion-near-half": check_near_half,
    "normal-prediction-trend": check_trend,
    "quantity-bound": check_quantity_bound,
    "quantity-trend": check_quantity_trend,
}


def instances(doc):
    defaults = doc.get("defaults", {})
    for instance in doc["instance"]:
        merged = dict(defaults, **instance)
        for preset in merged.pop("presets", [None]):
            one = dict(merged)
            if preset is not None:
                one["preset"] = preset
            yield one


def main(paths):
    files = []
    for p in map(Path, paths):
        files += sorted(p.glob("*.toml")) if p.is_dir() else [p]
    failures = 0
    checked = 0
    for path in files:
        doc = tomllib.loads(path.read_text())
        check = CHECKS.get(doc["kind"])
        if check is None:
            print(f"{doc['id']:10} kind {doc['kind']} has no oracle here; skipped")
            continue
        for params in instances(doc):
            label = params.get("label", params.get("preset", "instance"))
            try:
                derived = check(params)
            except TooClose as e:
                derived = f"TOO CLOSE ({e})"
            ok = derived == params["expected"]
            failures += not ok
            checked += 1
            print(f"{doc['id']:10} {label:30} oracle {derived:10} expected {params['expected']:10}"
                  f" {'ok' if ok else 'DIFFERS'}")
    print(f"{checked - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--verbose"]
    sys.exit(main(arguments or ["proofs"]))
