#!/usr/bin/python3
"""Time the uncertified Python baselines on the inputs ropecert_bench dumped.

Prints one JSON object per line, like ropecert_bench:
  numpy_float64  sum_n a_n cos(m theta_n + phi_n) over chunks of m, as a researcher writes it;
  torch_float32  a cos/sin cache and rotate_half, then a dot product, as model code does;
  mpmath_iv      mpmath interval arithmetic per point, sampled and extrapolated.
Usage: python_baselines.py INPUTS.json LOG2_M [--mpmath-samples N]
"""

import json
import sys
import time

import mpmath
import numpy as np
import torch


def pairs(x, pairing):
    x = np.asarray(x, dtype=np.float64)
    h = len(x) // 2
    if pairing == "interleaved":
        return x[0::2] + 1j * x[1::2]
    return x[:h] + 1j * x[h:]


def numpy_float64(a, phi, theta, M, chunk=1 << 14):
    out = np.empty(M)
    for start in range(0, M, chunk):
        m = np.arange(start, min(M, start + chunk), dtype=np.float64)[:, None]
        out[start:start + chunk] = (a * np.cos(m * theta + phi)).sum(axis=1)
    return out


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def torch_float32(q, k, inv_freq, M, pairing, chunk=1 << 14):
    q = torch.tensor(q, dtype=torch.float32)
    k = torch.tensor(k, dtype=torch.float32)
    if pairing == "interleaved":  # the same logits with pairs moved to half-split order
        q = torch.cat((q[0::2], q[1::2]))
        k = torch.cat((k[0::2], k[1::2]))
    inv_freq = torch.tensor(inv_freq, dtype=torch.float32)
    out = torch.empty(M, dtype=torch.float32)
    with torch.no_grad():
        for start in range(0, M, chunk):
            t = torch.arange(start, min(M, start + chunk), dtype=torch.float32)
            freqs = torch.outer(t, inv_freq)
            emb = torch.cat((freqs, freqs), dim=-1)
            cos, sin = emb.cos(), emb.sin()
            q_rot = q * cos + rotate_half(q) * sin  # query at position m, key at 0
            out[start:start + len(t)] = q_rot @ k
    return out


def mpmath_iv(a, phi, theta, ms):
    iv = mpmath.iv
    iv.prec = 53
    a_iv = [iv.mpf(x) for x in a]
    phi_iv = [iv.mpf(x) for x in phi]
    theta_iv = [iv.mpf(x) for x in theta]
    for m in ms:
        total = iv.mpf(0)
        for an, pn, tn in zip(a_iv, phi_iv, theta_iv):
            total += an * iv.cos(m * tn + pn)


def main():
    inputs = json.load(open(sys.argv[1]))
    M = 1 << int(sys.argv[2])
    samples = 256
    if "--mpmath-samples" in sys.argv:
        samples = int(sys.argv[sys.argv.index("--mpmath-samples") + 1])
    c = pairs(inputs["q"], inputs["pairing"]) * np.conj(pairs(inputs["k"], inputs["pairing"]))
    a, phi = np.abs(c), np.angle(c)
    theta = np.asarray(inputs["theta"])
    torch.set_num_threads(2)

    for name, run in (("numpy_float64", lambda: numpy_float64(a, phi, theta, M)),
                      ("torch_float32", lambda: torch_float32(inputs["q"], inputs["k"],
                                                              inputs["theta_float32"], M,
                                                              inputs["pairing"]))):
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - start)
        threads = 1 if name == "numpy_float64" else torch.get_num_threads()
        print(json.dumps({"method": name, "threads": threads, "seconds": best}), flush=True)

    ms = [i * (M // samples) for i in range(samples)]
    start = time.perf_counter()
    mpmath_iv(a, phi, theta, ms)
    sampled = time.perf_counter() - start
    print(json.dumps({"method": "mpmath_iv", "threads": 1, "sampled_points": samples,
                      "sampled_seconds": sampled, "seconds": sampled * M / samples}), flush=True)


if __name__ == "__main__":
    main()
