// The float32 mode: frequencies rounded exactly as reference model code rounds
// them. Hugging Face transformers (modeling_rope_utils.py) and Meta's llama
// code compute `1.0 / (base ** (arange(0, d, 2).float() / d))` in float32
// tensors, so each step below is one IEEE binary32 operation, rounded to
// nearest. Python-level scalars are doubles and are cast to float32 where
// they meet a tensor.
//
// Two steps are library calls in the reference code: torch.pow on float32 and
// Python's math.log on doubles. PyTorch's CPU kernels compute float32 pow with
// SLEEF's powf u10 (error below 1 ulp, not correctly rounded) in their AVX2
// and AVX-512 builds. For bases 150000, 50000 and 1e6 it returns the other
// neighbour of the true value at some exponents 2i/d of real presets
// (Debian's torch 1.13 build, AVX2; tests/oracle/float32_frequencies.py), so
// this file calls the same SLEEF function when the build finds the library,
// and a correctly rounded MPFR pow otherwise. math.log is correctly rounded
// here (MPFR).
//
// NOTE: this reproduces PyTorch on x86-64 CPUs. CUDA's powf and torch builds
// without SIMD (ATEN_CPU_CAPABILITY=default) may round some values differently.
//
// The compiler must not contract or reorder these operations: the build uses
// -ffp-contract=off and no fast-math, and x86-64 evaluates float in SSE
// registers at binary32 precision.

#include <mpfr.h>

#include <cmath>
#include <stdexcept>

#include "model/schedule.hpp"
#include "util/input_error.hpp"

#ifdef ROPECERT_HAVE_SLEEF
// SLEEF's scalar powf with FMA, the same algorithm as the Sleef_powf8_u10avx2
// and Sleef_powf16_u10avx512f kernels that PyTorch calls. libsleef ships no
// header in Debian's runtime package, so the prototype is declared here.
extern "C" float Sleef_powf1_u10purecfma(float base, float exponent);
#endif

namespace ropecert::model {

namespace {

// base^exponent as torch.pow computes it on a float32 tensor.
float pow_float32(float base, float exponent) {
#ifdef ROPECERT_HAVE_SLEEF
  return Sleef_powf1_u10purecfma(base, exponent);
#else
  // Correctly rounded: the results of real schedules are normal floats, where
  // a 24-bit MPFR value is exactly the binary32 rounding.
  mpfr_t b, e, r;
  mpfr_inits2(24, b, e, r, static_cast<mpfr_ptr>(nullptr));
  mpfr_set_flt(b, base, MPFR_RNDN);
  mpfr_set_flt(e, exponent, MPFR_RNDN);
  mpfr_pow(r, b, e, MPFR_RNDN);
  float result = mpfr_get_flt(r, MPFR_RNDN);
  mpfr_clears(b, e, r, static_cast<mpfr_ptr>(nullptr));
  return result;
#endif
}

// ln(x) rounded once to binary64, standing for Python's math.log.
double log_double(double x) {
  mpfr_t v;
  mpfr_init2(v, 53);
  mpfr_set_d(v, x, MPFR_RNDN);
  mpfr_log(v, v, MPFR_RNDN);
  double result = mpfr_get_d(v, MPFR_RNDN);
  mpfr_clear(v);
  return result;
}

// x^y rounded once to binary64, standing for Python's float ** float.
double pow_double(double x, double y) {
  mpfr_t a, b;
  mpfr_inits2(53, a, b, static_cast<mpfr_ptr>(nullptr));
  mpfr_set_d(a, x, MPFR_RNDN);
  mpfr_set_d(b, y, MPFR_RNDN);
  mpfr_pow(a, a, b, MPFR_RNDN);
  double result = mpfr_get_d(a, MPFR_RNDN);
  mpfr_clears(a, b, static_cast<mpfr_ptr>(nullptr));
  return result;
}

constexpr double kPi = 3.141592653589793;  // math.pi, the double nearest to pi

// pos_freqs_i = base ** (float(2i) / d), as a float32 tensor.
std::vector<float> position_frequencies(double base, int rotary_dim) {
  std::vector<float> result;
  const float base32 = static_cast<float>(base);
  const float dim32 = static_cast<float>(rotary_dim);
  for (int i = 0; i < rotary_dim / 2; ++i) {
    float exponent = static_cast<float>(2 * i) / dim32;
    result.push_back(pow_float32(base32, exponent));
  }
  return result;
}

std::vector<float> default_inverse(double base, int rotary_dim) {
  std::vector<float> inv;
  for (float p : position_frequencies(base, rotary_dim)) inv.push_back(1.0f / p);
  return inv;
}

// find_correction_dim in double arithmetic, as Python evaluates it.
double yarn_correction_dim(double rotations, int rotary_dim, double original_context, double base) {
  double ratio = original_context / (rotations * 2 * kPi);
  return (rotary_dim * log_double(ratio)) / (2 * log_double(base));
}

double yarn_mscale(double factor, double m) {
  if (factor <= 1) return 1.0;
  return 0.1 * m * log_double(factor) + 1.0;
}

std::vector<float> yarn_inverse(const RopeSchedule& s) {
  const Scaling& sc = s.scaling;
  const double ctx = static_cast<double>(sc.original_context);
  std::vector<float> pos = position_frequencies(s.base, s.rotary_dim);

  double low = yarn_correction_dim(sc.beta_fast, s.rotary_dim, ctx, s.base);
  double high = yarn_correction_dim(sc.beta_slow, s.rotary_dim, ctx, s.base);
  if (sc.truncate) {
    low = std::floor(low);
    high = std::ceil(high);
  }
  low = std::max(low, 0.0);
  high = std::min(high, static_cast<double>(s.rotary_dim - 1));
  if (low == high) high += 0.001;

  // linear_ramp_factor: (arange(h).float() - low) / (high - low), clamped.
  const float low32 = static_cast<float>(low);
  const float width32 = static_cast<float>(high - low);
  const float factor32 = static_cast<float>(sc.factor);

  std::vector<float> inv;
  for (int i = 0; i < s.pairs(); ++i) {
    float ramp = (static_cast<float>(i) - low32) / width32;
    ramp = std::min(std::max(ramp, 0.0f), 1.0f);
    float extrapolation_factor = 1.0f - ramp;
    float extrapolation = 1.0f / pos[i];
    float interpolation = 1.0f / (factor32 * pos[i]);
    float interpolated_part = interpolation * (1.0f - extrapolation_factor);
    float extrapolated_part = extrapolation * extrapolation_factor;
    inv.push_back(interpolated_part + extrapolated_part);
  }
  return inv;
}

std::vector<float> llama3_inverse(const RopeSchedule& s) {
  const Scaling& sc = s.scaling;
  const double ctx = static_cast<double>(sc.original_context);
  const float long_wavelength = static_cast<float>(ctx / sc.low_freq_factor);
  const float short_wavelength = static_cast<float>(ctx / sc.high_freq_factor);
  const float two_pi = static_cast<float>(2 * kPi);
  const float factor = static_cast<float>(sc.factor);
  const float ctx32 = static_cast<float>(ctx);
  const float low32 = static_cast<float>(sc.low_freq_factor);
  const float band32 = static_cast<float>(sc.high_freq_factor - sc.low_freq_factor);

  std::vector<float> inv;
  for (float f : default_inverse(s.base, s.rotary_dim)) {
    // `2 * math.pi / inv_freq` is Tensor.__rtruediv__: reciprocal, then multiply.
    float wavelength = (1.0f / f) * two_pi;
    float scaled = wavelength > long_wavelength ? f / factor : f;
    bool medium = !(wavelength < short_wavelength) && !(wavelength > long_wavelength);
    if (!medium) {
      inv.push_back(scaled);
      continue;
    }
    // smooth = (L0 / wavelength - low) / (high - low); the first division is
    // again reciprocal-then-multiply.
    float smooth = ((1.0f / wavelength) * ctx32 - low32) / band32;
    float blended = (1.0f - smooth) * scaled / factor + smooth * scaled;
    inv.push_back(blended);
  }
  return inv;
}

}  // namespace

std::vector<float> float32_frequencies(const RopeSchedule& s) {
  const Scaling& sc = s.scaling;
  switch (sc.kind) {
    case ScheduleKind::Default:
      return default_inverse(s.base, s.rotary_dim);

    case ScheduleKind::Linear: {
      // `inv_freq /= factor` on the float32 tensor.
      std::vector<float> inv = default_inverse(s.base, s.rotary_dim);
      for (float& f : inv) f /= static_cast<float>(sc.factor);
      return inv;
    }

    case ScheduleKind::Ntk: {
      double exponent = static_cast<double>(s.rotary_dim) / (s.rotary_dim - 2);
      return default_inverse(s.base * pow_double(sc.factor, exponent), s.rotary_dim);
    }

    case ScheduleKind::Yarn:
      return yarn_inverse(s);

    case ScheduleKind::Llama3:
      return llama3_inverse(s);
  }
  throw std::logic_error("unhandled schedule kind");
}

double float32_mode_attention_factor(const RopeSchedule& s) {
  const Scaling& sc = s.scaling;
  if (sc.kind != ScheduleKind::Yarn) return 1.0;
  if (sc.attention_factor) return *sc.attention_factor;
  if (sc.mscale && sc.mscale_all_dim && *sc.mscale != 0 && *sc.mscale_all_dim != 0) {
    return yarn_mscale(sc.factor, *sc.mscale) / yarn_mscale(sc.factor, *sc.mscale_all_dim);
  }
  return yarn_mscale(sc.factor, 1.0);
}

}  // namespace ropecert::model
