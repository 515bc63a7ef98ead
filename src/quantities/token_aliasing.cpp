#include "quantities/token_aliasing.hpp"

#include <cmath>
#include <stdexcept>

#include "util/input_error.hpp"

namespace ropecert::quantities {

namespace {

using interval::Tribool;

}  // namespace

TokenAliasing count_token_aliasing(const RoundedWindow& first, const RoundedWindow& second) {
  if (first.M != second.M || first.format != second.format) {
    throw std::invalid_argument("count_token_aliasing: windows differ in M or format");
  }
  const bool overflow_is_nan = formats::spec(first.format).overflow_is_nan;
  TokenAliasing result;
  result.format = first.format;
  result.M = first.M;
  result.refined_values = first.refined_values + second.refined_values;
  for (std::int64_t m = 0; m < first.M; ++m) {
    const bool first_decided = first.decided(m);
    const bool second_decided = second.decided(m);
    if (!first_decided || !second_decided) ++result.undecided_values;
    // A decided fp8_e4m3 overflow is NaN and equals nothing.
    if (overflow_is_nan && ((first_decided && std::isinf(first.low[m])) ||
                            (second_decided && std::isinf(second.low[m])))) {
      continue;
    }
    if (first_decided && second_decided) {
      if (first.low[m] == second.low[m]) {
        ++result.certain_equal;
        ++result.possible_equal;
      }
      continue;
    }
    // Ranges of possible stored values that meet may hold the same value.
    if (first.low[m] <= second.high[m] && second.low[m] <= first.high[m]) ++result.possible_equal;
  }
  return result;
}

void add_token_threshold(TokenAliasing& result, const model::RopeProduct& difference, double eps,
                         const ProgressFraction& progress) {
  if (!std::isfinite(eps) || !(eps > 0.0)) {
    throw InputError("threshold eps = " + std::to_string(eps) +
                     " is invalid; give a finite eps > 0");
  }
  result.eps = eps;
  result.certain_near = 0;
  result.possible_near = 0;
  const std::int64_t M = result.M;
  model::WindowEnclosures bounds = window_bounds(difference, M, progress);
  const Ball threshold = Ball::exact(eps);
  for (std::int64_t m = 0; m < M; ++m) {
    const double lower = bounds.lower[m];
    const double upper = bounds.upper[m];
    // Every point within eps of zero, or every point at least eps away.
    if (lower > -eps && upper < eps) {
      ++result.certain_near;
      ++result.possible_near;
      continue;
    }
    if (lower >= eps || upper <= -eps) continue;
    Tribool near = Tribool::Unknown;
    for (Precision prec = 128; prec <= kMaxRoundingPrecision && near == Tribool::Unknown;
         prec *= 2) {
      near = interval::less(interval::abs(difference.value(m, prec)), threshold);
    }
    if (near != Tribool::False) ++result.possible_near;
    if (near == Tribool::True) ++result.certain_near;
  }

  // M * (Phi((eps - mu) / sigma) - Phi((-eps - mu) / sigma)).
  WindowMoments moments = window_moments(difference, Window{0, M});
  const Precision prec = moments.precision;
  Ball sigma = interval::sqrt(moments.variance, prec);
  Ball upper_z = interval::div(interval::sub(threshold, moments.mean, prec), sigma, prec);
  Ball lower_z =
      interval::div(interval::sub(interval::neg(threshold), moments.mean, prec), sigma, prec);
  Ball probability = interval::sub(interval::normal_cdf(upper_z, prec),
                                   interval::normal_cdf(lower_z, prec), prec);
  if (!probability.is_finite()) probability = Ball::from_bounds(0.0, 1.0);
  result.predicted_near = interval::mul(probability, Ball::exact(M), prec);
}

TokenAliasing token_aliasing(const TwoKeyProducts& products, std::int64_t M,
                             formats::Format format, std::optional<double> eps,
                             const ProgressFraction& progress) {
  check_length(M, "token aliasing");
  RoundedWindow first = round_window(*products.first, M, format, [&](double f) {
    if (progress) progress(0.4 * f);
  });
  RoundedWindow second = round_window(*products.second, M, format, [&](double f) {
    if (progress) progress(0.4 + 0.4 * f);
  });
  TokenAliasing result = count_token_aliasing(first, second);
  if (eps) {
    add_token_threshold(result, *products.difference, *eps, [&](double f) {
      if (progress) progress(0.8 + 0.2 * f);
    });
  }
  if (progress) progress(1.0);
  return result;
}

}  // namespace ropecert::quantities
