#pragma once

// Storage formats of attention logits (bf16, fp16, fp32, fp8) and certified
// decisions of which stored value an enclosed real number rounds to.
//
// Every format here rounds to nearest, ties to even. Its finite values are
// n * 2^q with |n| < 2^p (p significant bits) and q >= min_exponent - (p - 1),
// so subnormals are included. Every value and every rounding boundary of these
// formats is a binary64 number, so results are returned as doubles.
//
// Overflow is represented as +-infinity throughout this module, also for
// fp8_e4m3, whose stored value on overflow is NaN (see `overflow_is_nan`).

#include <arb.h>

#include <string>
#include <vector>

#include "interval/ball.hpp"

namespace ropecert::formats {

enum class Format { Bf16, Fp16, Fp32, Fp8E4M3, Fp8E5M2 };

struct FormatSpec {
  Format format;
  std::string name;
  int precision;      // p: significant bits, the implicit leading bit included
  int min_exponent;   // the smallest normal number is 2^min_exponent
  int max_exponent;   // the largest finite number lies in [2^max_exponent, 2^(max_exponent+1))
  double max_finite;  // the largest finite value
  // true when an overflowing value is stored as NaN (OCP E4M3FN has no
  // infinity), so two overflowed values never compare equal.
  bool overflow_is_nan;
};

const FormatSpec& spec(Format format);

// Parses bf16, fp16, fp32, fp8_e4m3 or fp8_e5m2. Raises InputError otherwise.
Format parse_format(const std::string& text);
std::string to_string(Format format);
std::vector<Format> all_formats();

// fl_F(x): x rounded to nearest, ties to even, with the format's subnormals.
// Magnitudes that round beyond max_finite return +-infinity. The sign of a
// zero result follows x. NaN returns NaN.
double round_to_format(double x, Format format);

// The same rounding of an exact Arb floating-point number.
double round_to_format(const arf_t x, Format format);

// The value a format stores for a rounding result: NaN for an overflow of
// fp8_e4m3, otherwise the result itself.
double stored_value(double rounded, Format format);

// Whether two rounding results are equal as stored values under IEEE
// comparison: +0 equals -0, infinity equals infinity of the same sign, and an
// fp8_e4m3 overflow (NaN) equals nothing.
bool stored_equal(double rounded_a, double rounded_b, Format format);

// Outcome of rounding an enclosure. When `decided`, every point of the
// enclosure rounds to `low` (== `high`, a zero always +0). Otherwise the
// enclosure straddles at least one rounding boundary and the true value rounds
// to some format value in [low, high], each end +-infinity for overflow.
struct RoundingDecision {
  bool decided = false;
  double low = 0.0;
  double high = 0.0;

  double value() const { return low; }
};

// Decides fl_F over the closed interval [lower, upper] of doubles.
RoundingDecision decide_rounding(double lower, double upper, Format format);

// Decides fl_F over every point of `ball`, using its exact ends. An exact ball
// (radius zero) is always decided, a tie by ties-to-even.
RoundingDecision decide_rounding(const interval::Ball& ball, Format format);

}  // namespace ropecert::formats
