#!/usr/bin/python3
"""Write reference roundings to the storage formats for the C++ tests.

Every expected value comes from exact rational arithmetic (fractions.Fraction)
with round-half-to-even, written here independently of the C++ code. Where a
library conversion rounds once and correctly, it is checked against the
rational result and the script stops on any disagreement:

- fp16: numpy float64 -> float16 (numpy 1.24 rounds binary64 to binary16 directly);
- fp32: numpy float64 -> float32 (a C cast);
- bf16: torch float32 -> bfloat16, only for inputs that are float32 numbers
  (torch 1.13 converts a float64 through float32, which rounds twice);
- fp8_e4m3, fp8_e5m2: no library here has them (torch 1.13 lacks float8), so
  the rational rounding is the only reference.

Regenerate with:
    /usr/bin/python3 tests/oracle/format_reference.py > tests/data/format_reference.json
"""

import json
import random
import sys
from fractions import Fraction
from math import inf, isinf, isnan, nan

import numpy as np
import torch

# name: (significant bits p, min normal exponent, max exponent, max finite, overflow is NaN)
FORMATS = {
    "bf16": (8, -126, 127, Fraction(255) * 2**120, False),
    "fp16": (11, -14, 15, Fraction(65504), False),
    "fp32": (24, -126, 127, Fraction(2**24 - 1) * 2**104, False),
    "fp8_e4m3": (4, -6, 8, Fraction(448), True),
    "fp8_e5m2": (3, -14, 15, Fraction(57344), False),
}


def floor_log2(x):
    """The integer e with 2^e <= x < 2^(e+1), for a positive Fraction."""
    e = x.numerator.bit_length() - x.denominator.bit_length()
    if Fraction(2) ** e > x:
        e -= 1
    elif Fraction(2) ** (e + 1) <= x:
        e += 1
    return e


def round_exact(x, name):
    """x (a float) rounded to the format, exactly; overflow gives +-inf or nan."""
    p, emin, _, max_finite, overflow_nan = FORMATS[name]
    if isnan(x):
        return nan
    negative = x < 0 or (x == 0 and str(x).startswith("-"))
    if isinf(x):
        return nan if overflow_nan else x
    if x == 0:
        return x
    r = abs(Fraction(x))
    quantum = Fraction(2) ** (max(floor_log2(r), emin) - (p - 1))
    units = round(r / quantum)  # Fraction.__round__ rounds half to even
    value = units * quantum
    if value > max_finite:
        result = nan if overflow_nan else inf
    else:
        result = float(value)
    return -result if negative else result


def format_values(name, limit_binades=None):
    """Non-negative finite values of the format, in increasing order."""
    p, emin, emax, max_finite, _ = FORMATS[name]
    values = [Fraction(0)]
    for e in range(emin, emax + 1):
        if limit_binades is not None and e not in limit_binades:
            continue
        start = 1 if e == emin else 2 ** (p - 1)
        quantum = Fraction(2) ** (e - (p - 1))
        if e == emin:
            # subnormals and the first normal binade share the quantum
            for units in range(1, 2**p):
                values.append(units * quantum)
            continue
        for units in range(start, 2**p):
            v = units * quantum
            if v <= max_finite:
                values.append(v)
    return sorted(set(values))


def sampled_values(name, binades, rng):
    """Values of a wide format: the ends of each binade and random units inside."""
    p, emin, _, _, _ = FORMATS[name]
    values = {Fraction(0)}
    for e in sorted(binades):
        quantum = Fraction(2) ** (e - (p - 1))
        first = 1 if e == emin else 2 ** (p - 1)
        units = {first, first + 1, 2**p - 2, 2**p - 1}
        units.update(rng.randrange(first, 2**p - 1) for _ in range(60))
        for u in units:
            values.add(u * quantum)
            values.add((u + 1) * quantum)
    return sorted(values)


def neighbours(x):
    return [np.nextafter(x, -inf), x, np.nextafter(x, inf)]


def inputs_for(name, rng):
    p, emin, emax, max_finite, _ = FORMATS[name]
    small = p <= 4
    if small:
        binades = None
    else:
        binades = {emin, emin + 1, -1, 0, 1, 3, emax - 1, emax}
    if p <= 8:
        values = format_values(name, binades)
    else:
        values = sampled_values(name, binades, rng)
    points = set()
    for a, b in zip(values, values[1:]):
        midpoint = (a + b) / 2
        for v in (a, midpoint):
            for s in neighbours(float(v)):
                points.add(float(s))
    top = max_finite
    quantum_top = Fraction(2) ** (emax - (p - 1))
    for v in (top, top + quantum_top / 2, top + quantum_top, Fraction(2) ** (emax + 1),
              Fraction(2) ** (emax + 2)):
        for s in neighbours(float(v)):
            points.add(float(s))
    smallest = Fraction(2) ** (emin - (p - 1))
    for v in (smallest / 2, smallest / 4, smallest * 3 / 2, smallest * 3 / 4):
        for s in neighbours(float(v)):
            points.add(float(s))
    points.update([5e-324, 1e-300, 1e300, 1.7976931348623157e308])
    for _ in range(500):
        points.add(rng.uniform(-1, 1) * 2.0 ** rng.randint(emin - p - 2, emax + 2))
    points.update([inf, -inf])
    signed = set()
    for x in points:
        signed.add(x)
        signed.add(-x)
    signed.add(0.0)
    signed.add(-0.0)
    return sorted(signed, key=lambda v: (v, str(v)))


def library_rounding(x, name):
    """A library conversion that rounds x once, or None where none applies."""
    if name == "fp16":
        with np.errstate(over="ignore"):
            return float(np.float64(x).astype(np.float16))
    if name == "fp32":
        with np.errstate(over="ignore"):
            return float(np.float64(x).astype(np.float32))
    if name == "bf16":
        with np.errstate(over="ignore"):
            as_f32 = np.float32(x)
        if float(as_f32) != x and not isnan(x):
            return None
        return float(torch.tensor([as_f32], dtype=torch.float32).to(torch.bfloat16).float()[0])
    return None


def same(a, b):
    if isnan(a) or isnan(b):
        return isnan(a) and isnan(b)
    return a == b and str(a).startswith("-") == str(b).startswith("-")


def encode(x):
    if isnan(x):
        return "nan"
    if isinf(x):
        return "inf" if x > 0 else "-inf"
    return x.hex()


def main():
    rng = random.Random(20260515)
    cases = []
    checked = {}
    for name in FORMATS:
        checked[name] = 0
        for x in inputs_for(name, rng):
            expected = round_exact(x, name)
            reference = library_rounding(x, name)
            if reference is not None:
                checked[name] += 1
                if not same(reference, expected):
                    sys.exit(f"{name}: library gives {reference!r} for {x!r}, exact rounding "
                             f"gives {expected!r}")
            cases.append([name, encode(x), encode(expected)])
    json.dump({
        "generator": "/usr/bin/python3 tests/oracle/format_reference.py",
        "library_checked": checked,
        "columns": ["format", "input", "expected"],
        "cases": cases,
    }, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
