#!/usr/bin/python3
"""Independent high-precision reference values for the ropecert unit tests.

Regenerate tests/data/reference.json from the repository root with:

    /usr/bin/python3 tests/oracle/reference.py > tests/data/reference.json

The script uses mpmath only. It follows the formulas of the project's
mathematical specification (RoPE product, window moments, split index,
Berry-Esseen term) and the rotary schedule formulas of Hugging Face
transformers' modeling_rope_utils, written out again here without reference to
the C++ code. Every number is stored as a decimal string of 50 significant
digits, computed at a working precision of 80 decimal digits so that phase
reduction at m < 2^53 and the cancellation in the variance cost nothing visible.
It also draws the first ensemble samples (SplitMix64 and Box-Muller) and
stores their binary64 bit patterns. The script checks its closed-form window moments against brute-force summation
and stops with an error if they disagree.
"""

import json
import struct
import sys

import mpmath
from mpmath import mp, mpf, mpc

WORKING_DPS = 80
OUTPUT_DIGITS = 50
mp.dps = WORKING_DPS


def text(x):
    """Decimal string with OUTPUT_DIGITS significant digits."""
    return mpmath.nstr(mpf(x), OUTPUT_DIGITS, min_fixed=-5, max_fixed=5, strip_zeros=False)


# ---------------------------------------------------------------------------
# Schedules (exact mode): real-number frequencies theta_n, n = 0 .. h-1.


def default_frequencies(d, base):
    base = mpf(base)
    return [base ** (-mpf(2 * n) / d) for n in range(d // 2)]


def mscale(s, m):
    s = mpf(s)
    if s <= 1:
        return mpf(1)
    return mpf("0.1") * mpf(m) * mpmath.log(s) + 1


def yarn_correction_dim(d, base, original_context, rotations):
    """Pair index (as a real dimension) that turns `rotations` times in L0."""
    return (d * mpmath.log(mpf(original_context) / (rotations * 2 * mp.pi))) / (
        2 * mpmath.log(mpf(base)))


def schedule_frequencies(schedule):
    """Return (theta list, attention factor) of a schedule dictionary."""
    d = schedule["rotary_dim"]
    base = mpf(schedule["base"])
    kind = schedule.get("kind", "default")
    factor = mpf(schedule.get("factor", 1.0))
    h = d // 2
    if kind == "default":
        return default_frequencies(d, base), mpf(1)
    if kind == "linear":
        return [t / factor for t in default_frequencies(d, base)], mpf(1)
    if kind == "ntk":
        raised = base * factor ** (mpf(d) / (d - 2))
        return default_frequencies(d, raised), mpf(1)
    if kind == "llama3":
        inv = default_frequencies(d, base)
        l0 = mpf(schedule["original_context"])
        low_ff = mpf(schedule["low_freq_factor"])
        high_ff = mpf(schedule["high_freq_factor"])
        wavelength_high = l0 / high_ff
        wavelength_low = l0 / low_ff
        out = []
        for t in inv:
            w = 2 * mp.pi / t
            if w > wavelength_low:
                out.append(t / factor)
            elif w < wavelength_high:
                out.append(t)
            else:
                blend = (l0 / w - low_ff) / (high_ff - low_ff)
                out.append((1 - blend) * t / factor + blend * t)
        return out, mpf(1)
    if kind == "yarn":
        l0 = schedule["original_context"]
        low = yarn_correction_dim(d, base, l0, mpf(schedule["beta_fast"]))
        high = yarn_correction_dim(d, base, l0, mpf(schedule["beta_slow"]))
        if schedule.get("truncate", True):
            low = mpmath.floor(low)
            high = mpmath.ceil(high)
        low = max(low, mpf(0))
        high = min(high, mpf(d - 1))
        if low == high:
            high += mpf("0.001")
        out = []
        for i, t in enumerate(default_frequencies(d, base)):
            ramp = min(max((i - low) / (high - low), mpf(0)), mpf(1))
            out.append((t / factor) * ramp + t * (1 - ramp))
        if schedule.get("attention_factor") is not None:
            attention = mpf(schedule["attention_factor"])
        elif schedule.get("mscale") is not None and schedule.get("mscale_all_dim") is not None:
            attention = mscale(factor, schedule["mscale"]) / mscale(factor,
                                                                     schedule["mscale_all_dim"])
        else:
            attention = mscale(factor, 1)
        assert len(out) == h
        return out, attention
    raise ValueError("unknown schedule kind " + kind)


# Presets, with the numbers of the model table (rotary dim, base, scaling, pairing).
PRESETS = [
    {"name": "llama-2-7b", "rotary_dim": 128, "base": 10000.0, "pairing": "interleaved"},
    {"name": "llama-3.1-8b", "rotary_dim": 128, "base": 500000.0, "pairing": "interleaved",
     "kind": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
     "original_context": 8192},
    {"name": "mistral-7b-v0.3", "rotary_dim": 128, "base": 1e6, "pairing": "interleaved"},
    {"name": "qwen3-8b", "rotary_dim": 128, "base": 1e6, "pairing": "half"},
    {"name": "qwen2.5-7b", "rotary_dim": 128, "base": 1e6, "pairing": "half"},
    {"name": "gpt-oss-120b", "rotary_dim": 64, "base": 150000.0, "pairing": "half",
     "kind": "yarn", "factor": 32.0, "beta_fast": 32.0, "beta_slow": 1.0, "truncate": False,
     "original_context": 4096},
    {"name": "gpt-oss-20b", "rotary_dim": 64, "base": 150000.0, "pairing": "half",
     "kind": "yarn", "factor": 32.0, "beta_fast": 32.0, "beta_slow": 1.0, "truncate": False,
     "original_context": 4096},
    {"name": "deepseek-v3", "rotary_dim": 64, "base": 10000.0, "pairing": "interleaved",
     "kind": "yarn", "factor": 40.0, "beta_fast": 32.0, "beta_slow": 1.0, "truncate": True,
     "mscale": 1.0, "mscale_all_dim": 1.0, "original_context": 4096},
    {"name": "kimi-k2", "rotary_dim": 64, "base": 50000.0, "pairing": "interleaved",
     "kind": "yarn", "factor": 32.0, "beta_fast": 1.0, "beta_slow": 1.0, "truncate": True,
     "mscale": 1.0, "mscale_all_dim": 1.0, "original_context": 4096},
    {"name": "gemma-3-local", "rotary_dim": 256, "base": 10000.0, "pairing": "half"},
    {"name": "gemma-3-global", "rotary_dim": 256, "base": 1e6, "pairing": "half",
     "kind": "linear", "factor": 8.0},
]

# Schedules that no preset uses: ntk, yarn with truncation on and off on the
# same numbers, an explicit yarn attention factor, and the small default case.
CUSTOM_SCHEDULES = [
    {"name": "custom-default-8", "rotary_dim": 8, "base": 10000.0, "pairing": "half"},
    {"name": "custom-linear-16", "rotary_dim": 16, "base": 10000.0, "pairing": "half",
     "kind": "linear", "factor": 4.0},
    {"name": "custom-ntk-128", "rotary_dim": 128, "base": 10000.0, "pairing": "half",
     "kind": "ntk", "factor": 4.0},
    {"name": "custom-yarn-truncate", "rotary_dim": 128, "base": 1e6, "pairing": "half",
     "kind": "yarn", "factor": 4.0, "beta_fast": 32.0, "beta_slow": 1.0, "truncate": True,
     "original_context": 32768},
    {"name": "custom-yarn-no-truncate", "rotary_dim": 128, "base": 1e6, "pairing": "half",
     "kind": "yarn", "factor": 4.0, "beta_fast": 32.0, "beta_slow": 1.0, "truncate": False,
     "original_context": 32768},
    {"name": "custom-yarn-attention", "rotary_dim": 64, "base": 10000.0, "pairing": "half",
     "kind": "yarn", "factor": 16.0, "beta_fast": 32.0, "beta_slow": 1.0, "truncate": True,
     "attention_factor": 1.25, "original_context": 2048},
    {"name": "custom-llama3-64", "rotary_dim": 64, "base": 10000.0, "pairing": "half",
     "kind": "llama3", "factor": 4.0, "low_freq_factor": 2.0, "high_freq_factor": 8.0,
     "original_context": 1024},
]


# ---------------------------------------------------------------------------
# Vectors and the RoPE product.


def pair_coefficients(q, k, pairing):
    """c_n = u_n conj(v_n) with u_n, v_n the n-th pairs of q and k."""
    h = len(q) // 2
    out = []
    for n in range(h):
        if pairing == "half":
            u = mpc(mpf(q[n]), mpf(q[n + h]))
            v = mpc(mpf(k[n]), mpf(k[n + h]))
        else:
            u = mpc(mpf(q[2 * n]), mpf(q[2 * n + 1]))
            v = mpc(mpf(k[2 * n]), mpf(k[2 * n + 1]))
        out.append(u * mpmath.conj(v))
    return out


def rope_value(coeffs, theta, m):
    m = mpf(m)
    return sum(((c * mpmath.expj(m * t)).real for c, t in zip(coeffs, theta)), mpf(0))


def kernel_sum(t, first, size):
    """sum_{m = first}^{first + size - 1} exp(i m t), closed form."""
    if t == 0:
        return mpc(size)
    centre = mpf(first) + mpf(size - 1) / 2
    return mpmath.expj(centre * t) * mpmath.sin(size * t / 2) / mpmath.sin(t / 2)


def kernel_tables(theta, first, end):
    """Kernel sums at theta_n, theta_n - theta_p and theta_n + theta_p for one window.

    The tables depend on the schedule only, so both pairings share them. The
    sum at -t is the conjugate of the sum at t, which halves the work.
    """
    size = end - first
    h = len(theta)
    single = [kernel_sum(t, first, size) for t in theta]
    difference = [[None] * h for _ in range(h)]
    total = [[None] * h for _ in range(h)]
    for n in range(h):
        for p in range(n, h):
            difference[n][p] = kernel_sum(theta[n] - theta[p], first, size)
            difference[p][n] = mpmath.conj(difference[n][p])
            total[n][p] = total[p][n] = kernel_sum(theta[n] + theta[p], first, size)
    return single, difference, total


def closed_form_moments(coeffs, tables, first, end):
    """Mean, second moment and variance of S(m) for m uniform on [first, end)."""
    size = end - first
    single, difference, total = tables
    mean = sum(((c * kernel).real for c, kernel in zip(coeffs, single)), mpf(0)) / size
    second = mpf(0)
    for n, cn in enumerate(coeffs):
        for p, cp in enumerate(coeffs):
            second += (cn * mpmath.conj(cp) * difference[n][p]).real
            second += (cn * cp * total[n][p]).real
    second /= 2 * size
    return mean, second, second - mean * mean


def brute_force_moments(coeffs, theta, first, end):
    """Mean and variance by summing S(m) over the window, m by m.

    exp(i m theta) advances by one complex multiplication per m. At 80 digits
    the rounding error of 10^5 steps stays far below the 50 digits reported.
    """
    size = end - first
    rotations = [mpmath.expj(mpf(first) * t) for t in theta]
    steps = [mpmath.expj(t) for t in theta]
    values = []
    for _ in range(size):
        s = mpf(0)
        for n, c in enumerate(coeffs):
            s += (c * rotations[n]).real
            rotations[n] *= steps[n]
        values.append(s)
    mean = mpmath.fsum(values) / size
    variance = mpmath.fsum((v - mean) ** 2 for v in values) / size
    return mean, variance


def split_quantities(coeffs, theta, M):
    """lambda(M), split mean and variance, and the Berry-Esseen term E_BE(M)."""
    two_pi = 2 * mp.pi
    fast = [M * t >= two_pi for t in theta]
    amplitudes = [abs(c) for c in coeffs]
    lam = sum(fast)
    mean = sum((c.real for c, f in zip(coeffs, fast) if not f), mpf(0))
    sum_squares = sum((a * a for a, f in zip(amplitudes, fast) if f), mpf(0))
    variance = sum_squares / 2
    out = {"M": M, "lambda": lam, "mean": text(mean), "variance": text(variance)}
    if lam > 0 and sum_squares > 0:
        sum_cubes = sum((a ** 3 for a, f in zip(amplitudes, fast) if f), mpf(0))
        berry_esseen = mpf("0.56") * sum_cubes * 4 / (3 * mp.pi) / variance ** mpf(1.5)
        out["berry_esseen"] = text(berry_esseen)
    return out


# ---------------------------------------------------------------------------
# Cases.

SPEC_Q = [1, 0.5, -0.25, 2, 0.75, -1, 0.5, 0.125]
SPEC_K = [0.5, 1, 1, -0.5, 0.25, 0.5, -2, 1]

# Small explicit vectors of dimension 8 (exact binary64 values).
SMALL_VECTORS = [
    ([0.75, -1.5, 2.25, 0.5, -0.125, 1.0, -2.0, 0.375],
     [1.25, 0.25, -0.75, -1.0, 2.0, -0.5, 0.625, 1.5]),
    ([3.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0], [0.0, 1.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0]),
]

P40 = 2 ** 40
DISTANCES = [0, 1, 1000, 123456789, P40 - 1, P40, P40 + 1, P40 + 12345, 2 ** 53 - 1]
WINDOWS = [(0, 4096), (1000, 9000), (P40, P40 + 100000)]


def patterned_vector(d, multiplier, offset):
    """Deterministic entries in {-2, -1.75, ..., 2}, exact in binary64."""
    return [float(((j * multiplier + offset) % 17) - 8) / 4 for j in range(d)]


KERNEL_CACHE = {}


def product_case(label, schedule, pairing, q, k, brute_windows, split_lengths):
    theta, _ = schedule_frequencies(schedule)
    coeffs = pair_coefficients(q, k, pairing)
    case = {
        "label": label,
        "schedule": schedule["name"],
        "pairing": pairing,
        "q": q,
        "k": k,
        "sum_abs_coefficients": text(sum(abs(c) for c in coeffs)),
        "values": [{"m": m, "S": text(rope_value(coeffs, theta, m))} for m in DISTANCES],
        "windows": [],
        "split": [split_quantities(coeffs, theta, M) for M in split_lengths],
    }
    for first, end in WINDOWS:
        key = (schedule["name"], first, end)
        if key not in KERNEL_CACHE:
            KERNEL_CACHE[key] = kernel_tables(theta, first, end)
        mean, second, variance = closed_form_moments(coeffs, KERNEL_CACHE[key], first, end)
        window = {"first": first, "end": end, "mean": text(mean),
                  "second_moment": text(second), "variance": text(variance)}
        if (first, end) in brute_windows:
            brute_mean, brute_variance = brute_force_moments(coeffs, theta, first, end)
            scale = sum(abs(c) for c in coeffs) ** 2 + 1
            if abs(brute_mean - mean) > mpf(10) ** -60 * scale or \
                    abs(brute_variance - variance) > mpf(10) ** -60 * scale:
                sys.exit("closed form and brute force disagree in %s window [%d, %d)"
                         % (label, first, end))
            window["brute_force_mean"] = text(brute_mean)
            window["brute_force_variance"] = text(brute_variance)
        case["windows"].append(window)
    return case


def scaled(vector, factor):
    return [x * factor for x in vector]


# ---------------------------------------------------------------------------
# Ensemble check: SplitMix64 and Box-Muller, evaluated in mpmath.

MASK = 2 ** 64 - 1


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
        """k / 2^53 with k in [1, 2^53], so the logarithm is finite."""
        return mpf((self.next() >> 11) + 1) / 2 ** 53

    def uniform_closed_open(self):
        """k / 2^53 with k in [0, 2^53)."""
        return mpf(self.next() >> 11) / 2 ** 53


def to_binary64(x):
    """Round x to the nearest binary64 number, ties to even."""
    with mp.workprec(53):
        return float(+x)


def bits(value):
    return "%016x" % struct.unpack("<Q", struct.pack("<d", value))[0]


def normal_vector(rng, length):
    """Box-Muller, cosine branch only: one normal per two uniforms."""
    out = []
    for _ in range(length):
        u1 = rng.uniform_open_closed()
        u2 = rng.uniform_closed_open()
        out.append(to_binary64(mpmath.sqrt(-2 * mpmath.log(u1)) * mpmath.cos(2 * mp.pi * u2)))
    return out


def ensemble_case(seed, sample, d, rho):
    """Gaussian, correlated and aligned samples as binary64 bit patterns.

    The state is seed * 2^32 + sample; q takes the first d normals, k the next d.
    """
    rng = SplitMix64((seed << 32) + sample)
    q = normal_vector(rng, d)
    z = normal_vector(rng, d)
    rho = mpf(rho)
    correlated = [to_binary64(rho * mpf(x) + mpmath.sqrt(1 - rho * rho) * mpf(y))
                  for x, y in zip(q, z)]
    h = d // 2
    aligned = [to_binary64(mpmath.sqrt((mpf(q[n]) ** 2 + mpf(q[n + h]) ** 2) *
                                       (mpf(z[n]) ** 2 + mpf(z[n + h]) ** 2)))
               for n in range(h)]
    return {"seed": seed, "sample": sample, "rotary_dim": d, "rho": float(rho),
            "q_bits": [bits(x) for x in q], "k_bits": [bits(x) for x in z],
            "correlated_k_bits": [bits(x) for x in correlated],
            "aligned_amplitude_bits": [bits(x) for x in aligned]}


def main():
    schedules = PRESETS + CUSTOM_SCHEDULES
    out = {
        "generated_by": "/usr/bin/python3 tests/oracle/reference.py > tests/data/reference.json",
        "mpmath_version": mpmath.__version__,
        "working_decimal_digits": WORKING_DPS,
        "output_digits": OUTPUT_DIGITS,
        "schedules": [],
        "products": [],
        "ensembles": [ensemble_case(1, 0, 8, 0.5), ensemble_case(1, 3, 8, -0.25),
                      ensemble_case(7, 0, 16, 0.9)],
    }
    by_name = {}
    for schedule in schedules:
        theta, attention = schedule_frequencies(schedule)
        entry = dict(schedule)
        entry["theta"] = [text(t) for t in theta]
        entry["expected_attention_factor"] = text(attention)
        out["schedules"].append(entry)
        by_name[schedule["name"]] = schedule

    small = by_name["custom-default-8"]
    all_windows = set(WINDOWS)
    splits = [2, 100, 4096, 131072, P40]
    for pairing in ("half", "interleaved"):
        out["products"].append(product_case("spec-" + pairing, small, pairing, SPEC_Q, SPEC_K,
                                            all_windows, splits))
    for i, (q, k) in enumerate(SMALL_VECTORS):
        out["products"].append(product_case("small-%d" % i, small, "interleaved", q, k,
                                            {(0, 4096)}, splits))
    for exponent_label, factor in (("tiny", 1e-30), ("huge", 1e30)):
        out["products"].append(product_case(
            "spec-" + exponent_label, small, "half", scaled(SPEC_Q, factor), SPEC_K,
            {(0, 4096)}, splits))
    out["products"].append(product_case(
        "linear-16", by_name["custom-linear-16"], "half",
        patterned_vector(16, 5, 3), patterned_vector(16, 7, 1), {(0, 4096)}, splits))

    # Every preset and custom schedule of dimension > 8, with both pairings.
    # Brute force is limited to [0, 4096) for one dimension-64 schedule to
    # keep the script under a few minutes without gmpy.
    for schedule in schedules:
        if schedule["rotary_dim"] <= 16:
            continue
        d = schedule["rotary_dim"]
        q = patterned_vector(d, 5, 3)
        k = patterned_vector(d, 11, 6)
        for pairing in ("half", "interleaved"):
            brute = {(0, 4096)} if schedule["name"] == "deepseek-v3" else set()
            out["products"].append(product_case(
                schedule["name"] + "-" + pairing, schedule, pairing, q, k, brute,
                [4096, 32768, 131072]))

    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
