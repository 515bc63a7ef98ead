#!/usr/bin/python3
"""Write 50-digit reference values of S(m) for tests/test_fast_window.cpp.

S(m) = sum_n Re(c_n exp(i m theta_n)) with theta_n = B^(-2n/d) (the default
schedule, exact mode) and c_n from half-split pairs of q and k, or
c_n = a_n exp(i phi_n) from amplitudes and phases. Inputs are binary64
numbers written to the JSON exactly (repr round-trips), so both sides read
the same values. mpmath works at 120 digits, enough for m up to 2^53.

Regenerate with:
    /usr/bin/python3 tests/oracle/fast_window_reference.py > tests/data/fast_window_reference.json
"""

import json
import random

import mpmath

mpmath.mp.dps = 120


def theta(dim, base):
    h = dim // 2
    return [mpmath.power(mpmath.mpf(base), -mpmath.mpf(2 * n) / dim) for n in range(h)]


def coefficients_half(q, k):
    h = len(q) // 2
    return [mpmath.mpc(q[n], q[n + h]) * mpmath.conj(mpmath.mpc(k[n], k[n + h])) for n in range(h)]


def coefficients_polar(amplitude, phase):
    return [mpmath.mpf(a) * mpmath.expj(mpmath.mpf(p)) for a, p in zip(amplitude, phase)]


def value(c, th, m):
    return mpmath.fsum(mpmath.re(cn * mpmath.expj(m * tn)) for cn, tn in zip(c, th))


def distances(rng):
    ms = [0, 1, 2, 255, 256, 65535, 65536, 65537, 1000003]
    ms += [rng.randrange(0, 1 << 20) for _ in range(6)]
    ms += [(1 << 40) + d for d in (-1, 0, 1, 12345)]
    ms += [(1 << 53) - d for d in (1, 2, 256, 65537)]
    return ms


def case(name, dim, base, c, inputs, ms):
    th = theta(dim, base)
    return {
        "name": name,
        "dim": dim,
        "base": base,
        "input": inputs,
        "values": [{"m": m, "value": mpmath.nstr(value(c, th, m), 50, min_fixed=0, max_fixed=0)}
                   for m in ms],
    }


def main():
    rng = random.Random(20260515)
    cases = []

    # The public sanity example (d = 8, B = 10000).
    q = [1, 0.5, -0.25, 2, 0.75, -1, 0.5, 0.125]
    k = [0.5, 1, 1, -0.5, 0.25, 0.5, -2, 1]
    cases.append(case("sanity d=8", 8, 10000.0, coefficients_half(q, k), {"q": q, "k": k},
                      [0, 1, 1000, 123456789] + distances(rng)))

    # Gaussian q and k, d = 128, the Llama 3 base.
    q = [rng.gauss(0, 1) for _ in range(128)]
    k = [rng.gauss(0, 1) for _ in range(128)]
    cases.append(case("gaussian d=128 B=500000", 128, 500000.0, coefficients_half(q, k),
                      {"q": q, "k": k}, distances(rng)))

    # Amplitudes spanning scales, including tiny, huge and mixed ones.
    for label, scale in (("tiny 1e-300", 1e-300), ("huge 1e250", 1e250), ("huge 1e300", 1e300),
                         ("subnormal 1e-315", 1e-315)):
        amplitude = [scale * rng.uniform(0.1, 2.0) for _ in range(64)]
        phase = [rng.uniform(-3.14, 3.14) for _ in range(64)]
        cases.append(case("amplitudes " + label, 128, 10000.0, coefficients_polar(amplitude, phase),
                          {"amplitude": amplitude, "phase": phase}, distances(rng)))

    amplitude = [10.0 ** rng.uniform(-12, 12) for _ in range(64)]
    phase = [rng.uniform(-3.14, 3.14) for _ in range(64)]
    cases.append(case("amplitudes mixed 1e-12..1e12", 128, 1000000.0,
                      coefficients_polar(amplitude, phase),
                      {"amplitude": amplitude, "phase": phase}, distances(rng)))

    print(json.dumps({"generator": "tests/oracle/fast_window_reference.py",
                      "digits": 50, "cases": cases}, indent=1))


if __name__ == "__main__":
    main()
