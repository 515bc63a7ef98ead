#include "formats/storage_format.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "util/input_error.hpp"

namespace ropecert::formats {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Parameters from IEEE 754-2019 (binary16, binary32), the bfloat16 layout of
// binary32 with its significand cut to 8 bits, and the OCP 8-bit Floating
// Point Specification 1.0 (E4M3 without infinities, max 448; E5M2 IEEE-like).
const std::array<FormatSpec, 5> kSpecs{{
    {Format::Bf16, "bf16", 8, -126, 127, std::ldexp(255.0, 120), false},
    {Format::Fp16, "fp16", 11, -14, 15, 65504.0, false},
    {Format::Fp32, "fp32", 24, -126, 127, std::ldexp(16777215.0, 104), false},
    {Format::Fp8E4M3, "fp8_e4m3", 4, -6, 8, 448.0, true},
    {Format::Fp8E5M2, "fp8_e5m2", 3, -14, 15, 57344.0, false},
}};

double overflow(bool negative) { return negative ? -kInfinity : kInfinity; }

// Rounds y >= 0, a double, to the nearest integer, ties to even. Exact for
// every double: floor is exact, and y - floor(y) is exact (Sterbenz for
// y >= 1, trivially for y < 1). Independent of the floating-point rounding mode.
double round_half_even(double y) {
  double whole = std::floor(y);
  double fraction = y - whole;
  if (fraction > 0.5) return whole + 1.0;
  if (fraction < 0.5) return whole;
  return std::fmod(whole, 2.0) == 0.0 ? whole : whole + 1.0;
}

// Exponent of the unit in the last place of the format at magnitude 2^e:
// ulp = 2^(max(e, min_exponent) - (p - 1)). Below 2^min_exponent the spacing
// stays that of the smallest binade, which gives the subnormals.
long quantum_exponent(long e, const FormatSpec& f) {
  return std::max<long>(e, f.min_exponent) - (f.precision - 1);
}

// Every point of [a, b] rounds to one value exactly when the ends do, see
// decide_rounding. Zeros of either sign compare equal.
RoundingDecision decision_from_ends(double rounded_low, double rounded_high) {
  RoundingDecision d;
  d.low = rounded_low;
  d.high = rounded_high;
  d.decided = rounded_low == rounded_high;
  if (d.decided && d.low == 0.0) {
    d.low = 0.0;
    d.high = 0.0;
  }
  return d;
}

}  // namespace

const FormatSpec& spec(Format format) { return kSpecs[static_cast<std::size_t>(format)]; }

Format parse_format(const std::string& text) {
  for (const FormatSpec& f : kSpecs) {
    if (f.name == text) return f.format;
  }
  throw InputError("unknown storage format '" + text +
                   "'; use bf16, fp16, fp32, fp8_e4m3 or fp8_e5m2");
}

std::string to_string(Format format) { return spec(format).name; }

std::vector<Format> all_formats() {
  std::vector<Format> out;
  for (const FormatSpec& f : kSpecs) out.push_back(f.format);
  return out;
}

double round_to_format(double x, Format format) {
  const FormatSpec& f = spec(format);
  if (std::isnan(x)) return x;
  if (std::isinf(x)) return x;
  if (x == 0.0) return x;
  const bool negative = std::signbit(x);
  const double magnitude = std::fabs(x);

  int binary_exponent = 0;
  std::frexp(magnitude, &binary_exponent);  // magnitude = fraction * 2^e', fraction in [0.5, 1)
  const long e = binary_exponent - 1;       // 2^e <= magnitude < 2^(e+1)
  if (e > f.max_exponent + 1) return overflow(negative);

  // Scaling by a power of two is exact here: the result is below 2^(p+1)
  // (normal case) or below 2^p (subnormal case), and never underflows because
  // the quantum exponent is negative for very small magnitudes.
  const long quantum = quantum_exponent(e, f);
  const double units = round_half_even(std::ldexp(magnitude, static_cast<int>(-quantum)));
  const double rounded = std::ldexp(units, static_cast<int>(quantum));
  if (rounded > f.max_finite) return overflow(negative);
  return negative ? -rounded : rounded;
}

double round_to_format(const arf_t x, Format format) {
  const FormatSpec& f = spec(format);
  if (arf_is_nan(x)) return std::numeric_limits<double>::quiet_NaN();
  if (arf_is_zero(x)) return 0.0;
  const bool negative = arf_sgn(x) < 0;
  if (arf_is_inf(x)) return overflow(negative);

  // |x| < 2^bound with bound minimal, so 2^(bound-1) <= |x|. Arb returns
  // +-ARF_PREC_EXACT when the exponent does not fit in an slong.
  const slong bound = arf_abs_bound_lt_2exp_si(x);
  if (bound >= ARF_PREC_EXACT) return overflow(negative);
  if (bound <= -ARF_PREC_EXACT) return negative ? -0.0 : 0.0;
  const long e = bound - 1;
  if (e > f.max_exponent + 1) return overflow(negative);
  // Far below the smallest subnormal: |x| < 2^(quantum - 2) rounds to zero.
  const long smallest_quantum = quantum_exponent(f.min_exponent, f);
  if (e < smallest_quantum - 2) return negative ? -0.0 : 0.0;

  const long quantum = quantum_exponent(e, f);
  arf_t scaled;
  arf_init(scaled);
  arf_abs(scaled, x);
  arf_mul_2exp_si(scaled, scaled, -quantum);
  fmpz_t units;
  fmpz_init(units);
  // ARF_RND_NEAR rounds to the nearest integer, ties to the even one.
  arf_get_fmpz(units, scaled, ARF_RND_NEAR);
  // units <= 2^p <= 2^24, so the conversion and the scaling are exact.
  const double rounded =
      std::ldexp(static_cast<double>(fmpz_get_si(units)), static_cast<int>(quantum));
  fmpz_clear(units);
  arf_clear(scaled);
  if (rounded > f.max_finite) return overflow(negative);
  return negative ? -rounded : rounded;
}

double stored_value(double rounded, Format format) {
  if (std::isinf(rounded) && spec(format).overflow_is_nan) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return rounded;
}

bool stored_equal(double rounded_a, double rounded_b, Format format) {
  return stored_value(rounded_a, format) == stored_value(rounded_b, format);
}

// Why deciding from the two ends is exact.
//
// Round-to-nearest is monotone: x <= y implies fl(x) <= fl(y), with
// overflow read as +-infinity. So every point x of [a, b] has
// fl(a) <= fl(x) <= fl(b). When fl(a) == fl(b), every point rounds to that
// value, and the true value, which lies in [a, b], does too. When
// fl(a) < fl(b), the interval contains points that round to different values,
// so it straddles a rounding boundary (a midpoint between neighbours, or the
// overflow threshold) and the enclosure alone cannot show which side the true
// value is on: the result is undecided and the caller may refine the
// enclosure. An exact enclosure has a == b, so it is always decided, and a
// value exactly on a midpoint is rounded by ties-to-even like any other point.
// Zeros: fl(a) = -0 and fl(b) = +0 are equal values, so all points round to a
// zero, and the decision reports +0.
RoundingDecision decide_rounding(double lower, double upper, Format format) {
  return decision_from_ends(round_to_format(lower, format), round_to_format(upper, format));
}

RoundingDecision decide_rounding(const interval::Ball& ball, Format format) {
  if (!ball.is_finite()) {
    RoundingDecision d;
    d.low = -kInfinity;
    d.high = kInfinity;
    return d;
  }
  // The ends mid - rad and mid + rad, computed exactly (no rounding), so that
  // an exact ball stays a single point.
  arf_t lower, upper;
  arf_init(lower);
  arf_init(upper);
  arb_get_lbound_arf(lower, ball.raw(), ARF_PREC_EXACT);
  arb_get_ubound_arf(upper, ball.raw(), ARF_PREC_EXACT);
  RoundingDecision d =
      decision_from_ends(round_to_format(lower, format), round_to_format(upper, format));
  arf_clear(lower);
  arf_clear(upper);
  return d;
}

}  // namespace ropecert::formats
