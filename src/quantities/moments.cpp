#include "quantities/moments.hpp"

#include <cmath>

#include "util/input_error.hpp"

namespace ropecert::quantities {

namespace {

using interval::Tribool;

constexpr Precision kMaxPrecision = 4096;

// Working precision for a window: the kernel multiplies a frequency by the
// window center, up to 2^53, so its absolute error grows by that factor.
Precision working_precision(Precision prec, const Window& w) {
  return prec + model::distance_bits(w.end) + 16;
}

WindowMoments moments_at(const model::RopeProduct& product, const Window& w, Precision prec) {
  const Precision wp = working_precision(prec, w);
  const auto& theta = product.frequencies(wp).theta;
  const auto& c = product.scaled_coefficients(wp);
  const int h = product.pairs();

  // Mean: E_W S = Re sum_n c_n K_W(theta_n).
  Ball mean;
  for (int n = 0; n < h; ++n) {
    mean = interval::add(mean, interval::mul(c[n], window_kernel(theta[n], w, wp), wp).real(), wp);
  }

  // Second moment, with S = Re z and (Re z)^2 = (|z|^2 + Re z^2) / 2:
  // E S^2 = 1/2 [ sum_n |c_n|^2 + 2 sum_{n<p} Re(c_n conj(c_p) K(theta_n - theta_p))
  //             + sum_n Re(c_n^2 K(2 theta_n)) + 2 sum_{n<p} Re(c_n c_p K(theta_n + theta_p)) ].
  // The difference terms use K(-t) = conj K(t) to fold (p, n) onto (n, p).
  Ball twice;
  for (int n = 0; n < h; ++n) {
    twice = interval::add(twice, interval::abs_squared(c[n], wp), wp);
    Ball double_theta = interval::mul_2exp(theta[n], 1);
    ComplexBall square = interval::mul(c[n], c[n], wp);
    twice = interval::add(
        twice, interval::mul(square, window_kernel(double_theta, w, wp), wp).real(), wp);

    for (int p = n + 1; p < h; ++p) {
      ComplexBall cross_diff = interval::mul(c[n], interval::conj(c[p]), wp);
      ComplexBall cross_sum = interval::mul(c[n], c[p], wp);
      Ball t_diff = interval::sub(theta[n], theta[p], wp);
      Ball t_sum = interval::add(theta[n], theta[p], wp);
      Ball diff_term = interval::mul(cross_diff, window_kernel(t_diff, w, wp), wp).real();
      Ball sum_term = interval::mul(cross_sum, window_kernel(t_sum, w, wp), wp).real();
      twice = interval::add(twice, interval::mul_2exp(interval::add(diff_term, sum_term, wp), 1),
                            wp);
    }
  }

  WindowMoments result;
  result.window = w;
  result.mean = mean;
  result.second_moment = interval::mul_2exp(twice, -1);
  result.variance = interval::sub(result.second_moment, interval::sqr(mean, wp), wp);
  result.precision = wp;
  return result;
}

// True when the radius of x is at most 2^-bits times |x|, or, for values at
// or near zero (a zero key, say), times 2^-60 of the natural scale.
bool accurate_enough(const Ball& x, double scale, long bits) {
  double magnitude = std::max(std::abs(x.lower()), std::abs(x.upper()));
  double size = std::max(magnitude, std::ldexp(scale, -60));
  return x.is_finite() && x.radius() <= std::ldexp(size, -static_cast<int>(bits));
}

}  // namespace

WindowMoments window_moments(const model::RopeProduct& product, const Window& window,
                             long target_bits) {
  check_window(window);

  // sum_n |c_n| bounds |S|, so it sets the scale of the mean, and its square
  // the scale of the variance.
  double amplitude_sum = 0.0;
  for (const ComplexBall& c : product.scaled_coefficients(128)) {
    amplitude_sum += interval::abs(c, 128).upper();
  }

  WindowMoments result;
  for (Precision prec = 128; prec <= kMaxPrecision; prec *= 2) {
    result = moments_at(product, window, prec);
    if (accurate_enough(result.mean, amplitude_sum, target_bits) &&
        accurate_enough(result.variance, amplitude_sum * amplitude_sum, target_bits)) {
      break;
    }
  }
  return result;
}

std::vector<bool> fast_components(const model::RopeProduct& product, std::int64_t M) {
  model::check_distance(M);
  std::vector<bool> fast(product.pairs());
  for (Precision prec = 128; prec <= kMaxPrecision; prec *= 2) {
    const auto& theta = product.frequencies(prec).theta;
    Ball two_pi = interval::mul_2exp(interval::pi(prec), 1);
    bool all_decided = true;
    for (int n = 0; n < product.pairs(); ++n) {
      Tribool turns = interval::greater_equal(interval::mul(theta[n], Ball::exact(M), prec), two_pi);
      if (turns == Tribool::Unknown) {
        all_decided = false;
        break;
      }
      fast[n] = turns == Tribool::True;
    }
    if (all_decided) return fast;
  }
  throw InputError("cannot decide whether M theta_n >= 2 pi at M = " + std::to_string(M) +
                   "; choose a neighbouring M");
}

int split_index(const model::RopeProduct& product, std::int64_t M) {
  int count = 0;
  for (bool f : fast_components(product, M)) count += f ? 1 : 0;
  return count;
}

SplitMoments split_moments(const model::RopeProduct& product, std::int64_t M, Precision prec) {
  std::vector<bool> fast = fast_components(product, M);
  const auto& c = product.scaled_coefficients(prec);
  SplitMoments result;
  result.M = M;
  Ball half_sum;
  for (int n = 0; n < product.pairs(); ++n) {
    if (fast[n]) {
      ++result.lambda;
      half_sum = interval::add(half_sum, interval::abs_squared(c[n], prec), prec);
    } else {
      // a_n cos(phi_n) = Re c_n
      result.mean = interval::add(result.mean, c[n].real(), prec);
    }
  }
  result.variance = interval::mul_2exp(half_sum, -1);
  return result;
}

}  // namespace ropecert::quantities
