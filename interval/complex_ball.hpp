#pragma once

// A complex ball (a real ball for each part) over Arb's acb_t, with value
// semantics. Same contract as Ball: results always contain the exact value.

#include <acb.h>

#include "interval/ball.hpp"

namespace ropecert::interval {

class ComplexBall {
 public:
  ComplexBall();
  ComplexBall(const Ball& real, const Ball& imag);
  ~ComplexBall();
  ComplexBall(const ComplexBall& other);
  ComplexBall(ComplexBall&& other) noexcept;
  ComplexBall& operator=(const ComplexBall& other);
  ComplexBall& operator=(ComplexBall&& other) noexcept;

  acb_ptr raw() { return value_; }
  acb_srcptr raw() const { return value_; }

  Ball real() const;
  Ball imag() const;

 private:
  acb_t value_;
};

ComplexBall add(const ComplexBall& x, const ComplexBall& y, Precision prec);
ComplexBall mul(const ComplexBall& x, const ComplexBall& y, Precision prec);
ComplexBall mul(const ComplexBall& x, const Ball& y, Precision prec);
ComplexBall conj(const ComplexBall& x);
Ball abs(const ComplexBall& x, Precision prec);
Ball abs_squared(const ComplexBall& x, Precision prec);
Ball arg(const ComplexBall& x, Precision prec);

// exp(i * x) = cos(x) + i sin(x) for a real ball x.
ComplexBall exp_i(const Ball& x, Precision prec);

}  // namespace ropecert::interval
