#include "interval/ball.hpp"

#include <arb_hypgeom.h>

#include <cmath>
#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace ropecert::interval {

namespace {

// Frees a string that Arb allocated with flint_malloc.
struct FlintStringDeleter {
  void operator()(char* text) const { flint_free(text); }
};

// Rounds an arf value to a double in the given direction. arf_get_d rounds
// correctly in every direction mode, so the result is a bound of the input.
double arf_to_double(const arf_t x, arf_rnd_t direction) { return arf_get_d(x, direction); }

}  // namespace

Ball::Ball() { arb_init(value_); }

Ball::~Ball() { arb_clear(value_); }

Ball::Ball(const Ball& other) {
  arb_init(value_);
  arb_set(value_, other.value_);
}

Ball::Ball(Ball&& other) noexcept {
  arb_init(value_);
  arb_swap(value_, other.value_);
}

Ball& Ball::operator=(const Ball& other) {
  if (this != &other) arb_set(value_, other.value_);
  return *this;
}

Ball& Ball::operator=(Ball&& other) noexcept {
  arb_swap(value_, other.value_);
  return *this;
}

Ball Ball::exact(double value) {
  if (!std::isfinite(value)) {
    throw std::invalid_argument("non-finite number " + std::to_string(value) +
                                " cannot be enclosed; give a finite value");
  }
  Ball result;
  arb_set_d(result.value_, value);
  return result;
}

Ball Ball::exact(std::int64_t value) {
  Ball result;
  fmpz_t big;
  fmpz_init(big);
  fmpz_set_si(big, static_cast<slong>(value));
  arb_set_fmpz(result.value_, big);
  fmpz_clear(big);
  return result;
}

Ball Ball::exact_ratio(std::int64_t numerator, std::int64_t denominator, Precision prec) {
  if (denominator == 0) throw std::invalid_argument("ratio with zero denominator");
  return div(exact(numerator), exact(denominator), prec);
}

Ball Ball::from_decimal(const std::string& text, Precision prec) {
  Ball result;
  if (arb_set_str(result.value_, text.c_str(), prec) != 0 || !arb_is_finite(result.value_)) {
    throw std::invalid_argument("invalid number '" + text + "'; write a finite decimal number");
  }
  return result;
}

Ball Ball::from_bounds(double lower, double upper) {
  if (!std::isfinite(lower) || !std::isfinite(upper) || lower > upper) {
    throw std::invalid_argument("invalid interval bounds");
  }
  Ball result;
  arf_t a, b;
  arf_init(a);
  arf_init(b);
  arf_set_d(a, lower);
  arf_set_d(b, upper);
  // Precision 54 suffices for the midpoint of two doubles of close exponent;
  // arb_set_interval_arf rounds outward in any case, so the result is a superset.
  arb_set_interval_arf(result.value_, a, b, 64);
  arf_clear(a);
  arf_clear(b);
  return result;
}

double Ball::lower() const {
  arf_t bound;
  arf_init(bound);
  arb_get_lbound_arf(bound, value_, 64);
  double result = arf_to_double(bound, ARF_RND_FLOOR);
  arf_clear(bound);
  return result;
}

double Ball::upper() const {
  arf_t bound;
  arf_init(bound);
  arb_get_ubound_arf(bound, value_, 64);
  double result = arf_to_double(bound, ARF_RND_CEIL);
  arf_clear(bound);
  return result;
}

double Ball::midpoint() const { return arf_get_d(arb_midref(value_), ARF_RND_NEAR); }

double Ball::radius() const { return mag_get_d(arb_radref(value_)); }

bool Ball::is_finite() const { return arb_is_finite(value_) != 0; }

bool Ball::is_exact() const { return arb_is_exact(value_) != 0; }

bool Ball::contains(const Ball& other) const {
  return arb_contains(value_, other.value_) != 0;
}

bool Ball::contains(double value) const {
  if (!std::isfinite(value)) return false;
  arf_t point;
  arf_init(point);
  arf_set_d(point, value);
  bool inside = arb_contains_arf(value_, point) != 0;
  arf_clear(point);
  return inside;
}

bool Ball::contains_zero() const { return arb_contains_zero(value_) != 0; }

bool Ball::overlaps(const Ball& other) const { return arb_overlaps(value_, other.value_) != 0; }

long Ball::relative_accuracy_bits() const { return arb_rel_accuracy_bits(value_); }

std::string Ball::to_string(long digits) const {
  std::unique_ptr<char, FlintStringDeleter> text(arb_get_str(value_, digits, 0));
  return std::string(text.get());
}

std::string Ball::to_interval_string(long digits) const {
  arf_t lo, hi;
  arf_init(lo);
  arf_init(hi);
  arb_get_lbound_arf(lo, value_, ARF_PREC_EXACT);
  arb_get_ubound_arf(hi, value_, ARF_PREC_EXACT);

  // MPFR prints a decimal correctly rounded in a chosen direction, so the
  // lower end printed downward and the upper end upward enclose the ball.
  auto print = [digits](const arf_t x, mpfr_rnd_t direction) {
    mpfr_t m;
    mpfr_init2(m, std::max<slong>(arf_bits(x), 2));
    arf_get_mpfr(m, x, MPFR_RNDN);  // exact, because m has every bit of x
    char* buffer = nullptr;
    mpfr_asprintf(&buffer, "%.*R*g", static_cast<int>(digits), direction, m);
    std::string out(buffer);
    mpfr_free_str(buffer);
    mpfr_clear(m);
    return out;
  };
  std::string result = "[" + print(lo, MPFR_RNDD) + ", " + print(hi, MPFR_RNDU) + "]";

  arf_clear(lo);
  arf_clear(hi);
  return result;
}

Ball add(const Ball& x, const Ball& y, Precision prec) {
  Ball z;
  arb_add(z.raw(), x.raw(), y.raw(), prec);
  return z;
}

Ball sub(const Ball& x, const Ball& y, Precision prec) {
  Ball z;
  arb_sub(z.raw(), x.raw(), y.raw(), prec);
  return z;
}

Ball mul(const Ball& x, const Ball& y, Precision prec) {
  Ball z;
  arb_mul(z.raw(), x.raw(), y.raw(), prec);
  return z;
}

Ball div(const Ball& x, const Ball& y, Precision prec) {
  Ball z;
  arb_div(z.raw(), x.raw(), y.raw(), prec);
  return z;
}

Ball neg(const Ball& x) {
  Ball z;
  arb_neg(z.raw(), x.raw());
  return z;
}

Ball abs(const Ball& x) {
  Ball z;
  arb_abs(z.raw(), x.raw());
  return z;
}

Ball sqr(const Ball& x, Precision prec) {
  Ball z;
  arb_sqr(z.raw(), x.raw(), prec);
  return z;
}

Ball mul_2exp(const Ball& x, long exponent) {
  Ball z;
  arb_mul_2exp_si(z.raw(), x.raw(), exponent);
  return z;
}

Ball sqrt(const Ball& x, Precision prec) {
  Ball z;
  arb_sqrtpos(z.raw(), x.raw(), prec);
  return z;
}

Ball exp(const Ball& x, Precision prec) {
  Ball z;
  arb_exp(z.raw(), x.raw(), prec);
  return z;
}

Ball log(const Ball& x, Precision prec) {
  Ball z;
  arb_log(z.raw(), x.raw(), prec);
  return z;
}

Ball pow(const Ball& base, const Ball& exponent, Precision prec) {
  Ball z;
  arb_pow(z.raw(), base.raw(), exponent.raw(), prec);
  return z;
}

Ball cos(const Ball& x, Precision prec) {
  Ball z;
  arb_cos(z.raw(), x.raw(), prec);
  return z;
}

Ball sin(const Ball& x, Precision prec) {
  Ball z;
  arb_sin(z.raw(), x.raw(), prec);
  return z;
}

void sin_cos(Ball& sine, Ball& cosine, const Ball& x, Precision prec) {
  arb_sin_cos(sine.raw(), cosine.raw(), x.raw(), prec);
}

Ball pi(Precision prec) {
  Ball z;
  arb_const_pi(z.raw(), prec);
  return z;
}

Ball min(const Ball& x, const Ball& y, Precision prec) {
  Ball z;
  arb_min(z.raw(), x.raw(), y.raw(), prec);
  return z;
}

Ball max(const Ball& x, const Ball& y, Precision prec) {
  Ball z;
  arb_max(z.raw(), x.raw(), y.raw(), prec);
  return z;
}

Ball hull(const Ball& x, const Ball& y, Precision prec) {
  Ball z;
  arb_union(z.raw(), x.raw(), y.raw(), prec);
  return z;
}

Ball erfc(const Ball& x, Precision prec) {
  Ball z;
  arb_hypgeom_erfc(z.raw(), x.raw(), prec);
  return z;
}

Ball normal_cdf(const Ball& x, Precision prec) {
  // Phi(x) = erfc(-x / sqrt(2)) / 2. Using erfc rather than (1 + erf(x/sqrt 2))/2
  // keeps full relative accuracy in the lower tail, where 1 + erf cancels.
  Ball scaled = div(neg(x), sqrt(Ball::exact(std::int64_t{2}), prec), prec);
  return mul_2exp(erfc(scaled, prec), -1);
}

Tribool less(const Ball& x, const Ball& y) {
  if (arb_lt(x.raw(), y.raw())) return Tribool::True;
  if (arb_ge(x.raw(), y.raw())) return Tribool::False;
  return Tribool::Unknown;
}

Tribool less_equal(const Ball& x, const Ball& y) {
  if (arb_le(x.raw(), y.raw())) return Tribool::True;
  if (arb_gt(x.raw(), y.raw())) return Tribool::False;
  return Tribool::Unknown;
}

Tribool greater(const Ball& x, const Ball& y) { return less(y, x); }

Tribool greater_equal(const Ball& x, const Ball& y) { return less_equal(y, x); }

}  // namespace ropecert::interval
