#include "interval/complex_ball.hpp"

namespace ropecert::interval {

ComplexBall::ComplexBall() { acb_init(value_); }

ComplexBall::ComplexBall(const Ball& real, const Ball& imag) {
  acb_init(value_);
  acb_set_arb_arb(value_, real.raw(), imag.raw());
}

ComplexBall::~ComplexBall() { acb_clear(value_); }

ComplexBall::ComplexBall(const ComplexBall& other) {
  acb_init(value_);
  acb_set(value_, other.value_);
}

ComplexBall::ComplexBall(ComplexBall&& other) noexcept {
  acb_init(value_);
  acb_swap(value_, other.value_);
}

ComplexBall& ComplexBall::operator=(const ComplexBall& other) {
  if (this != &other) acb_set(value_, other.value_);
  return *this;
}

ComplexBall& ComplexBall::operator=(ComplexBall&& other) noexcept {
  acb_swap(value_, other.value_);
  return *this;
}

Ball ComplexBall::real() const {
  Ball part;
  arb_set(part.raw(), acb_realref(value_));
  return part;
}

Ball ComplexBall::imag() const {
  Ball part;
  arb_set(part.raw(), acb_imagref(value_));
  return part;
}

ComplexBall add(const ComplexBall& x, const ComplexBall& y, Precision prec) {
  ComplexBall z;
  acb_add(z.raw(), x.raw(), y.raw(), prec);
  return z;
}

ComplexBall mul(const ComplexBall& x, const ComplexBall& y, Precision prec) {
  ComplexBall z;
  acb_mul(z.raw(), x.raw(), y.raw(), prec);
  return z;
}

ComplexBall mul(const ComplexBall& x, const Ball& y, Precision prec) {
  ComplexBall z;
  acb_mul_arb(z.raw(), x.raw(), y.raw(), prec);
  return z;
}

ComplexBall conj(const ComplexBall& x) {
  ComplexBall z;
  acb_conj(z.raw(), x.raw());
  return z;
}

Ball abs(const ComplexBall& x, Precision prec) {
  Ball z;
  acb_abs(z.raw(), x.raw(), prec);
  return z;
}

Ball abs_squared(const ComplexBall& x, Precision prec) {
  return add(sqr(x.real(), prec), sqr(x.imag(), prec), prec);
}

Ball arg(const ComplexBall& x, Precision prec) {
  Ball z;
  acb_arg(z.raw(), x.raw(), prec);
  return z;
}

ComplexBall exp_i(const Ball& x, Precision prec) {
  Ball sine, cosine;
  sin_cos(sine, cosine, x, prec);
  return ComplexBall(cosine, sine);
}

}  // namespace ropecert::interval
