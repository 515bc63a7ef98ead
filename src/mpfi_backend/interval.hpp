#pragma once

// Intervals over MPFI (MPFR endpoints, outward rounding), with value
// semantics, for the second backend. This file shares no code with the Arb
// layer in interval/: the second backend must not inherit its bugs.
//
// Every operation takes the precision of its result explicitly, in bits, and
// returns an interval that contains every exact result for inputs in the
// operand intervals.

#include <mpfi.h>

#include <cstdint>
#include <string>

#include "interval/tribool.hpp"

namespace ropecert::mpfi_backend {

using Bits = long;
using interval::Tribool;

class Interval {
 public:
  explicit Interval(Bits prec = 128);  // the point 0
  Interval(const Interval& other);
  Interval(Interval&& other) noexcept;
  Interval& operator=(const Interval& other);
  Interval& operator=(Interval&& other) noexcept;
  ~Interval();

  static Interval point(double value, Bits prec);  // exact when prec >= 53
  static Interval integer(std::int64_t value, Bits prec);  // exact when prec >= 64
  static Interval ratio(std::int64_t numerator, std::int64_t denominator, Bits prec);
  static Interval bounds(double lower, double upper, Bits prec);
  static Interval decimal(const std::string& text, Bits prec);  // encloses the decimal number
  static Interval pi(Bits prec);
  static Interval everything(Bits prec);  // [-inf, +inf]

  mpfi_ptr raw() { return value_; }
  mpfi_srcptr raw() const { return value_; }
  Bits precision() const { return mpfi_get_prec(value_); }

  // Endpoints rounded outward to doubles.
  double lower() const;
  double upper() const;
  double width() const;  // upper() - lower(), rounded up

  bool contains_zero() const;
  bool is_finite() const;  // both endpoints finite and not NaN
  bool is_point() const;   // lower == upper
  bool overlaps(const Interval& other) const;
  // True when the decimal number `text` lies in this interval (decided exactly).
  bool contains_decimal(const std::string& text) const;

  // "[lower, upper]" with `digits` significant decimal digits, rounded outward.
  std::string to_string(int digits = 20) const;

 private:
  mpfi_t value_;
};

Interval add(const Interval& a, const Interval& b, Bits prec);
Interval sub(const Interval& a, const Interval& b, Bits prec);
Interval mul(const Interval& a, const Interval& b, Bits prec);
Interval div(const Interval& a, const Interval& b, Bits prec);
Interval mul_int(const Interval& a, std::int64_t b, Bits prec);
Interval scale_2exp(const Interval& a, long exponent, Bits prec);  // a * 2^exponent
Interval neg(const Interval& a);
Interval abs(const Interval& a);
Interval sqr(const Interval& a, Bits prec);
Interval sqrt(const Interval& a, Bits prec);
Interval exp(const Interval& a, Bits prec);
Interval log(const Interval& a, Bits prec);
Interval sin(const Interval& a, Bits prec);
Interval cos(const Interval& a, Bits prec);
Interval min(const Interval& a, const Interval& b, Bits prec);
Interval max(const Interval& a, const Interval& b, Bits prec);
Interval hull(const Interval& a, const Interval& b, Bits prec);

// Phi(x) = erfc(-x / sqrt 2) / 2, the standard normal CDF. Phi increases, so
// the result is [Phi(lower), Phi(upper)] with each end from mpfr_erfc rounded
// outward: down for the lower end, up for the upper end.
Interval normal_cdf(const Interval& x, Bits prec);

// Three-valued comparisons: True or False when every pair of points in the
// two intervals agrees, Unknown otherwise.
Tribool less(const Interval& a, const Interval& b);
Tribool less_equal(const Interval& a, const Interval& b);

}  // namespace ropecert::mpfi_backend
