#pragma once

// A real ball (midpoint and radius) over Arb's arb_t, with value semantics.
//
// Contract, as in Arb: every operation returns a ball that contains the exact
// result of the operation applied to every point of its inputs. Numerical
// trouble never produces a wrong ball, only a wide one. Precision (in bits) is
// an explicit argument of every operation that rounds.

#include <arb.h>

#include <cstdint>
#include <string>

#include "interval/tribool.hpp"

namespace ropecert::interval {

using Precision = slong;

class Ball {
 public:
  Ball();
  ~Ball();
  Ball(const Ball& other);
  Ball(Ball&& other) noexcept;
  Ball& operator=(const Ball& other);
  Ball& operator=(Ball&& other) noexcept;

  // Exact conversions. A NaN or infinite double raises std::invalid_argument,
  // because no ball of finite numbers encloses it.
  static Ball exact(double value);
  static Ball exact(std::int64_t value);
  static Ball exact_ratio(std::int64_t numerator, std::int64_t denominator, Precision prec);

  // Encloses the decimal number in `text` (for example "0.1" or "1e6").
  // Raises std::invalid_argument when the text is not a number.
  static Ball from_decimal(const std::string& text, Precision prec);

  // Encloses the closed interval [lower, upper] of two doubles.
  static Ball from_bounds(double lower, double upper);

  arb_ptr raw() { return value_; }
  arb_srcptr raw() const { return value_; }

  // Bounds rounded outward to doubles: lower() <= every point <= upper().
  double lower() const;
  double upper() const;
  double midpoint() const;
  double radius() const;

  bool is_finite() const;
  bool is_exact() const;
  bool contains(const Ball& other) const;
  bool contains(double value) const;
  bool contains_zero() const;
  bool overlaps(const Ball& other) const;

  // Bits of relative accuracy (Arb's estimate), large for exact balls.
  long relative_accuracy_bits() const;

  // Decimal text with `digits` significant digits, midpoint +/- radius form.
  std::string to_string(long digits = 20) const;

  // Decimal text of a certified enclosure as "[lower, upper]" with `digits`
  // significant digits, the ends rounded outward.
  std::string to_interval_string(long digits = 17) const;

 private:
  arb_t value_;
};

// Arithmetic. Every function rounds its result at `prec` bits.
Ball add(const Ball& x, const Ball& y, Precision prec);
Ball sub(const Ball& x, const Ball& y, Precision prec);
Ball mul(const Ball& x, const Ball& y, Precision prec);
Ball div(const Ball& x, const Ball& y, Precision prec);
Ball neg(const Ball& x);
Ball abs(const Ball& x);
Ball sqr(const Ball& x, Precision prec);
Ball mul_2exp(const Ball& x, long exponent);

// Elementary functions.
Ball sqrt(const Ball& x, Precision prec);  // of the non-negative part of x
Ball exp(const Ball& x, Precision prec);
Ball log(const Ball& x, Precision prec);
Ball pow(const Ball& base, const Ball& exponent, Precision prec);
Ball cos(const Ball& x, Precision prec);
Ball sin(const Ball& x, Precision prec);
void sin_cos(Ball& sine, Ball& cosine, const Ball& x, Precision prec);
Ball pi(Precision prec);
Ball min(const Ball& x, const Ball& y, Precision prec);
Ball max(const Ball& x, const Ball& y, Precision prec);

// The smallest ball that contains both.
Ball hull(const Ball& x, const Ball& y, Precision prec);

// Special functions for probabilities.
Ball erfc(const Ball& x, Precision prec);
// Standard normal CDF Phi(x) = erfc(-x / sqrt(2)) / 2, accurate in both tails.
Ball normal_cdf(const Ball& x, Precision prec);

// Comparisons of enclosures: True or False only when every pair of points of
// the two balls agrees; Unknown when they overlap in a way that leaves both open.
Tribool less(const Ball& x, const Ball& y);
Tribool less_equal(const Ball& x, const Ball& y);
Tribool greater(const Ball& x, const Ball& y);
Tribool greater_equal(const Ball& x, const Ball& y);

}  // namespace ropecert::interval
