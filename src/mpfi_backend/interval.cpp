#include "mpfi_backend/interval.hpp"

#include <mpfr.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace ropecert::mpfi_backend {

namespace {

// An mpfr_t with automatic clearing, for endpoint work.
struct Real {
  explicit Real(Bits prec) { mpfr_init2(value, prec); }
  ~Real() { mpfr_clear(value); }
  Real(const Real&) = delete;
  Real& operator=(const Real&) = delete;
  mpfr_t value;
};

}  // namespace

Interval::Interval(Bits prec) {
  mpfi_init2(value_, prec);
  mpfi_set_si(value_, 0);
}

Interval::Interval(const Interval& other) {
  mpfi_init2(value_, other.precision());
  mpfi_set(value_, other.value_);
}

Interval::Interval(Interval&& other) noexcept {
  mpfi_init2(value_, MPFR_PREC_MIN);
  mpfi_swap(value_, other.value_);
}

Interval& Interval::operator=(const Interval& other) {
  if (this != &other) {
    mpfi_set_prec(value_, other.precision());
    mpfi_set(value_, other.value_);
  }
  return *this;
}

Interval& Interval::operator=(Interval&& other) noexcept {
  mpfi_swap(value_, other.value_);
  return *this;
}

Interval::~Interval() { mpfi_clear(value_); }

Interval Interval::point(double value, Bits prec) {
  Interval out(prec);
  mpfi_set_d(out.value_, value);
  return out;
}

Interval Interval::integer(std::int64_t value, Bits prec) {
  Interval out(prec);
  mpfi_set_si(out.value_, static_cast<long>(value));
  return out;
}

Interval Interval::ratio(std::int64_t numerator, std::int64_t denominator, Bits prec) {
  Interval out(std::max<Bits>(prec, 64));
  mpfi_set_si(out.value_, static_cast<long>(numerator));
  Interval result(prec);
  mpfi_div_si(result.value_, out.value_, static_cast<long>(denominator));
  return result;
}

Interval Interval::bounds(double lower, double upper, Bits prec) {
  Interval out(std::max<Bits>(prec, 53));
  mpfi_interv_d(out.value_, lower, upper);
  return out;
}

Interval Interval::decimal(const std::string& text, Bits prec) {
  Interval out(prec);
  mpfi_set_str(out.value_, text.c_str(), 10);
  return out;
}

Interval Interval::pi(Bits prec) {
  Interval out(prec);
  mpfi_const_pi(out.value_);
  return out;
}

Interval Interval::everything(Bits prec) {
  Interval out(prec);
  Real lo(prec), hi(prec);
  mpfr_set_inf(lo.value, -1);
  mpfr_set_inf(hi.value, 1);
  mpfi_interv_fr(out.value_, lo.value, hi.value);
  return out;
}

double Interval::lower() const {
  Real end(precision());
  mpfi_get_left(end.value, value_);
  return mpfr_get_d(end.value, MPFR_RNDD);
}

double Interval::upper() const {
  Real end(precision());
  mpfi_get_right(end.value, value_);
  return mpfr_get_d(end.value, MPFR_RNDU);
}

double Interval::width() const {
  Real w(precision());
  mpfi_diam_abs(w.value, value_);
  return mpfr_get_d(w.value, MPFR_RNDU);
}

bool Interval::contains_zero() const { return mpfi_has_zero(value_) > 0; }

bool Interval::is_finite() const { return !mpfi_nan_p(value_) && mpfi_bounded_p(value_); }

bool Interval::is_point() const {
  Real lo(precision()), hi(precision());
  mpfi_get_left(lo.value, value_);
  mpfi_get_right(hi.value, value_);
  return mpfr_equal_p(lo.value, hi.value) != 0;
}

bool Interval::overlaps(const Interval& other) const {
  if (mpfi_nan_p(value_) || mpfi_nan_p(other.value_)) return true;
  return mpfr_lessequal_p(&value_->left, &other.value_->right) &&
         mpfr_lessequal_p(&other.value_->left, &value_->right);
}

bool Interval::contains_decimal(const std::string& text) const {
  // The decimal number lies in [a, b] when its enclosure at a precision far
  // above the endpoints' lies inside; a 50-digit value needs about 170 bits.
  Interval enclosure = decimal(text, std::max<Bits>(precision(), 64) + 256);
  return mpfi_is_inside(enclosure.value_, value_) > 0;
}

std::string Interval::to_string(int digits) const {
  Real lo(precision()), hi(precision());
  mpfi_get_left(lo.value, value_);
  mpfi_get_right(hi.value, value_);
  char lower_text[128], upper_text[128];
  mpfr_snprintf(lower_text, sizeof lower_text, "%.*RDg", digits, lo.value);
  mpfr_snprintf(upper_text, sizeof upper_text, "%.*RUg", digits, hi.value);
  return std::string("[") + lower_text + ", " + upper_text + "]";
}

#define ROPECERT_BINARY(name, mpfi_function)                             \
  Interval name(const Interval& a, const Interval& b, Bits prec) {       \
    Interval out(prec);                                                  \
    mpfi_function(out.raw(), a.raw(), b.raw());                          \
    return out;                                                          \
  }
ROPECERT_BINARY(add, mpfi_add)
ROPECERT_BINARY(sub, mpfi_sub)
ROPECERT_BINARY(mul, mpfi_mul)
ROPECERT_BINARY(div, mpfi_div)
#undef ROPECERT_BINARY

#define ROPECERT_UNARY(name, mpfi_function)          \
  Interval name(const Interval& a, Bits prec) {      \
    Interval out(prec);                              \
    mpfi_function(out.raw(), a.raw());               \
    return out;                                      \
  }
ROPECERT_UNARY(sqr, mpfi_sqr)
ROPECERT_UNARY(sqrt, mpfi_sqrt)
ROPECERT_UNARY(exp, mpfi_exp)
ROPECERT_UNARY(log, mpfi_log)
ROPECERT_UNARY(sin, mpfi_sin)
ROPECERT_UNARY(cos, mpfi_cos)
#undef ROPECERT_UNARY

Interval mul_int(const Interval& a, std::int64_t b, Bits prec) {
  Interval out(prec);
  mpfi_mul_si(out.raw(), a.raw(), static_cast<long>(b));
  return out;
}

Interval scale_2exp(const Interval& a, long exponent, Bits prec) {
  Interval out(prec);
  mpfi_mul_2si(out.raw(), a.raw(), exponent);
  return out;
}

Interval neg(const Interval& a) {
  Interval out(a.precision());
  mpfi_neg(out.raw(), a.raw());
  return out;
}

Interval abs(const Interval& a) {
  Interval out(a.precision());
  mpfi_abs(out.raw(), a.raw());
  return out;
}

// min and max act on each endpoint separately: min([a, b], [c, d]) =
// [min(a, c), min(b, d)]. Endpoints are rounded outward to `prec`.
Interval min(const Interval& a, const Interval& b, Bits prec) {
  Real lo(prec), hi(prec);
  mpfr_min(lo.value, &a.raw()->left, &b.raw()->left, MPFR_RNDD);
  mpfr_min(hi.value, &a.raw()->right, &b.raw()->right, MPFR_RNDU);
  Interval out(prec);
  mpfi_interv_fr(out.raw(), lo.value, hi.value);
  return out;
}

Interval max(const Interval& a, const Interval& b, Bits prec) {
  Real lo(prec), hi(prec);
  mpfr_max(lo.value, &a.raw()->left, &b.raw()->left, MPFR_RNDD);
  mpfr_max(hi.value, &a.raw()->right, &b.raw()->right, MPFR_RNDU);
  Interval out(prec);
  mpfi_interv_fr(out.raw(), lo.value, hi.value);
  return out;
}

Interval hull(const Interval& a, const Interval& b, Bits prec) {
  Interval out(prec);
  mpfi_union(out.raw(), a.raw(), b.raw());
  return out;
}

Interval normal_cdf(const Interval& x, Bits prec) {
  if (mpfi_nan_p(x.raw())) return Interval::bounds(0.0, 1.0, prec);
  const Bits wp = prec + 16;
  Interval root_two = sqrt(Interval::integer(2, wp), wp);

  // Each end separately: w = -x_end / sqrt 2 as an interval, then erfc,
  // which decreases, at the end of w that gives the outward bound.
  auto end_value = [&](mpfr_srcptr end, bool lower_end, mpfr_ptr result) {
    if (mpfr_inf_p(end)) {
      mpfr_set_si(result, mpfr_sgn(end) > 0 ? 2 : 0, MPFR_RNDN);
      return;
    }
    Interval point(std::max<Bits>(wp, mpfr_get_prec(end)));
    mpfi_set_fr(point.raw(), end);
    Interval w = div(neg(point), root_two, wp);
    if (lower_end) {
      mpfr_erfc(result, &w.raw()->right, MPFR_RNDD);
    } else {
      mpfr_erfc(result, &w.raw()->left, MPFR_RNDU);
    }
  };
  Real lo(prec), hi(prec);
  end_value(&x.raw()->left, true, lo.value);
  end_value(&x.raw()->right, false, hi.value);
  // Halving is exact.
  mpfr_div_2ui(lo.value, lo.value, 1, MPFR_RNDD);
  mpfr_div_2ui(hi.value, hi.value, 1, MPFR_RNDU);
  Interval out(prec);
  mpfi_interv_fr(out.raw(), lo.value, hi.value);
  return out;
}

Tribool less(const Interval& a, const Interval& b) {
  if (mpfi_nan_p(a.raw()) || mpfi_nan_p(b.raw())) return Tribool::Unknown;
  if (mpfr_less_p(&a.raw()->right, &b.raw()->left)) return Tribool::True;
  if (mpfr_greaterequal_p(&a.raw()->left, &b.raw()->right)) return Tribool::False;
  return Tribool::Unknown;
}

Tribool less_equal(const Interval& a, const Interval& b) {
  if (mpfi_nan_p(a.raw()) || mpfi_nan_p(b.raw())) return Tribool::Unknown;
  if (mpfr_lessequal_p(&a.raw()->right, &b.raw()->left)) return Tribool::True;
  if (mpfr_greater_p(&a.raw()->left, &b.raw()->right)) return Tribool::False;
  return Tribool::Unknown;
}

}  // namespace ropecert::mpfi_backend
