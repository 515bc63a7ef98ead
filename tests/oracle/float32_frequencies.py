#!/usr/bin/python3
"""Float32 inverse frequencies as reference model code computes them, in PyTorch.

Regenerate tests/data/float32_frequencies.json from the repository root with:

    /usr/bin/python3 tests/oracle/float32_frequencies.py > tests/data/float32_frequencies.json

Each schedule repeats the float32 tensor operations of Hugging Face
transformers' modeling_rope_utils (_compute_default_rope_parameters,
_compute_linear_scaling_rope_parameters, _compute_llama3_parameters,
_compute_yarn_parameters with find_correction_range and linear_ramp_factor),
rewritten here from their formulas. The output stores every frequency as the
hexadecimal bit pattern of the float32 value, which model::float32_frequencies
must reproduce bit for bit. The results depend on PyTorch's CPU float32 pow,
division and multiplication, so the script records the torch version it ran.
"""

import json
import math
import struct
import sys

import torch

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from reference import PRESETS, CUSTOM_SCHEDULES  # noqa: E402


def default_inv_freq(d, base):
    exponents = torch.arange(0, d, 2, dtype=torch.int64).float() / d
    return 1.0 / (base ** exponents)


def linear_inv_freq(d, base, factor):
    inv_freq = default_inv_freq(d, base)
    inv_freq /= factor
    return inv_freq


def ntk_inv_freq(d, base, factor):
    # The base is raised in Python double arithmetic, then used as the default.
    return default_inv_freq(d, base * factor ** (d / (d - 2)))


def llama3_inv_freq(d, base, factor, low_freq_factor, high_freq_factor, original_context):
    inv_freq = default_inv_freq(d, base)
    low_freq_wavelen = original_context / low_freq_factor
    high_freq_wavelen = original_context / high_freq_factor
    wavelen = 2 * math.pi / inv_freq
    inv_freq_llama = torch.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq)
    smooth_factor = (original_context / wavelen - low_freq_factor) / (
        high_freq_factor - low_freq_factor)
    smoothed_inv_freq = (1 - smooth_factor) * inv_freq_llama / factor + \
        smooth_factor * inv_freq_llama
    is_medium_freq = ~(wavelen < high_freq_wavelen) * ~(wavelen > low_freq_wavelen)
    return torch.where(is_medium_freq, smoothed_inv_freq, inv_freq_llama)


def find_correction_dim(num_rotations, d, base, original_context):
    return (d * math.log(original_context / (num_rotations * 2 * math.pi))) / (
        2 * math.log(base))


def find_correction_range(low_rot, high_rot, d, base, original_context, truncate):
    low = find_correction_dim(low_rot, d, base, original_context)
    high = find_correction_dim(high_rot, d, base, original_context)
    if truncate:
        low = math.floor(low)
        high = math.ceil(high)
    return max(low, 0), min(high, d - 1)


def linear_ramp_factor(low, high, length):
    if low == high:
        high += 0.001
    linear_func = (torch.arange(length, dtype=torch.float32) - low) / (high - low)
    return torch.clamp(linear_func, 0, 1)


def yarn_inv_freq(d, base, factor, beta_fast, beta_slow, original_context, truncate):
    pos_freqs = base ** (torch.arange(0, d, 2).float() / d)
    inv_freq_extrapolation = 1.0 / pos_freqs
    inv_freq_interpolation = 1.0 / (factor * pos_freqs)
    low, high = find_correction_range(beta_fast, beta_slow, d, base, original_context, truncate)
    inv_freq_extrapolation_factor = 1 - linear_ramp_factor(low, high, d // 2)
    return (inv_freq_interpolation * (1 - inv_freq_extrapolation_factor)
            + inv_freq_extrapolation * inv_freq_extrapolation_factor)


def schedule_inv_freq(schedule):
    d = schedule["rotary_dim"]
    base = schedule["base"]
    kind = schedule.get("kind", "default")
    if kind == "default":
        return default_inv_freq(d, base)
    if kind == "linear":
        return linear_inv_freq(d, base, schedule["factor"])
    if kind == "ntk":
        return ntk_inv_freq(d, base, schedule["factor"])
    if kind == "llama3":
        return llama3_inv_freq(d, base, schedule["factor"], schedule["low_freq_factor"],
                               schedule["high_freq_factor"], schedule["original_context"])
    if kind == "yarn":
        return yarn_inv_freq(d, base, schedule["factor"], schedule["beta_fast"],
                             schedule["beta_slow"], schedule["original_context"],
                             schedule.get("truncate", True))
    raise ValueError("unknown schedule kind " + kind)


def float32_bits(value):
    return "%08x" % struct.unpack("<I", struct.pack("<f", value))[0]


def main():
    out = {
        "generated_by": "/usr/bin/python3 tests/oracle/float32_frequencies.py > "
                        "tests/data/float32_frequencies.json",
        "torch_version": torch.__version__,
        "schedules": [],
    }
    for schedule in PRESETS + CUSTOM_SCHEDULES:
        inv_freq = schedule_inv_freq(schedule)
        assert inv_freq.dtype == torch.float32
        entry = dict(schedule)
        entry["inv_freq_bits"] = [float32_bits(x) for x in inv_freq.tolist()]
        out["schedules"].append(entry)
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
