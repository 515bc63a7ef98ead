#pragma once

// Windows of distances and the Dirichlet kernel of a window.

#include <cstdint>
#include <string>

#include "interval/complex_ball.hpp"

namespace ropecert::quantities {

using interval::Ball;
using interval::ComplexBall;
using interval::Precision;

// The integers m with first <= m < end.
struct Window {
  std::int64_t first = 0;
  std::int64_t end = 0;

  std::int64_t size() const { return end - first; }
  std::string to_string() const;
};

// Raises InputError unless 0 <= first < end <= 2^53.
void check_window(const Window& window);

// K_W(t) = (1/N) sum_{m in W} exp(i m t) = exp(i c t) sin(N t / 2) / (N sin(t / 2)),
// c = first + (N - 1)/2, N = |W|. K_W(0) = 1. When the enclosure of
// sin(t / 2) contains zero and t is not exactly zero, the result is the box
// [-1, 1] + i[-1, 1], which is sound because |K_W| <= 1.
ComplexBall window_kernel(const Ball& t, const Window& window, Precision prec);

}  // namespace ropecert::quantities
