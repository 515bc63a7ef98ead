#include "quantities/window.hpp"

#include "model/rope_product.hpp"
#include "util/fault_injection.hpp"
#include "util/input_error.hpp"

namespace ropecert::quantities {

std::string Window::to_string() const {
  return "[" + std::to_string(first) + ", " + std::to_string(end) + ")";
}

void check_window(const Window& window) {
  if (window.first < 0 || window.end <= window.first || window.end > model::kMaxDistance) {
    throw InputError("window " + window.to_string() +
                     " is invalid; give integers with 0 <= first < end <= 2^53");
  }
}

ComplexBall window_kernel(const Ball& t, const Window& window, Precision prec) {
  const Ball one = Ball::exact(std::int64_t{1});
  if (t.is_exact() && t.midpoint() == 0.0) return ComplexBall(one, Ball());

  const std::int64_t size = window.size() + (fault::injected(fault::Fault::WindowOffByOne) ? 1 : 0);
  const Ball count = Ball::exact(size);
  Ball half_t = interval::mul_2exp(t, -1);
  Ball denominator = interval::mul(count, interval::sin(half_t, prec), prec);
  if (denominator.contains_zero()) {
    Ball unit = Ball::from_bounds(-1.0, 1.0);
    return ComplexBall(unit, unit);
  }
  Ball amplitude =
      interval::div(interval::sin(interval::mul(count, half_t, prec), prec), denominator, prec);

  // c = first + (N - 1)/2 is a multiple of 1/2, exact as a ball.
  Ball center = interval::add(Ball::exact(window.first),
                              interval::mul_2exp(Ball::exact(window.size() - 1), -1), prec);
  ComplexBall rotation = interval::exp_i(interval::mul(center, t, prec), prec);
  return interval::mul(rotation, amplitude, prec);
}

}  // namespace ropecert::quantities
