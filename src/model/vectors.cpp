#include "model/vectors.hpp"

#include <cmath>

#include "util/input_error.hpp"

namespace ropecert::model {

namespace {

void require_finite(const std::vector<double>& values, const std::string& what) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      throw InputError(what + "[" + std::to_string(i) + "] is " + std::to_string(values[i]) +
                       "; every entry must be a finite number");
    }
  }
}

// The pair (x, y) read as the complex number x + iy for pair n.
std::pair<double, double> pair_of(const std::vector<double>& v, int n, Pairing pairing) {
  const std::size_t h = v.size() / 2;
  if (pairing == Pairing::Half) return {v[n], v[n + h]};
  return {v[2 * n], v[2 * n + 1]};
}

}  // namespace

int input_pairs(const VectorInput& input) {
  if (const auto* qk = std::get_if<QueryKey>(&input)) return static_cast<int>(qk->q.size() / 2);
  return static_cast<int>(std::get<AmplitudePhase>(input).amplitude.size());
}

void validate(const VectorInput& input, int pairs) {
  const std::string expected = std::to_string(pairs);
  if (const auto* qk = std::get_if<QueryKey>(&input)) {
    const std::size_t d = 2 * static_cast<std::size_t>(pairs);
    if (qk->q.size() != d || qk->k.size() != d) {
      throw InputError("query has " + std::to_string(qk->q.size()) + " entries and key " +
                       std::to_string(qk->k.size()) + ", but the rotary dimension is " +
                       std::to_string(d) + "; give vectors of the rotary dimension");
    }
    require_finite(qk->q, "q");
    require_finite(qk->k, "k");
    return;
  }
  const auto& ap = std::get<AmplitudePhase>(input);
  if (ap.amplitude.size() != static_cast<std::size_t>(pairs) ||
      ap.phase.size() != static_cast<std::size_t>(pairs)) {
    throw InputError("amplitude has " + std::to_string(ap.amplitude.size()) +
                     " entries and phase " + std::to_string(ap.phase.size()) + ", but the " +
                     "schedule has " + expected + " pairs; give one amplitude and phase per pair");
  }
  require_finite(ap.amplitude, "amplitude");
  require_finite(ap.phase, "phase");
}

std::vector<ComplexBall> coefficients(const VectorInput& input, Pairing pairing, Precision prec) {
  std::vector<ComplexBall> c;
  if (const auto* qk = std::get_if<QueryKey>(&input)) {
    const int h = static_cast<int>(qk->q.size() / 2);
    // (x1 + i y1)(x2 - i y2) = (x1 x2 + y1 y2) + i (y1 x2 - x1 y2).
    // Each product of two doubles has at most 106 bits; at 256 bits the sum
    // of two is exact unless the exponents differ by more than about 150,
    // and then the ball's radius covers the rounding.
    const Precision exact_prec = std::max<Precision>(prec, 256);
    for (int n = 0; n < h; ++n) {
      auto [x1, y1] = pair_of(qk->q, n, pairing);
      auto [x2, y2] = pair_of(qk->k, n, pairing);
      Ball re = interval::add(interval::mul(Ball::exact(x1), Ball::exact(x2), exact_prec),
                              interval::mul(Ball::exact(y1), Ball::exact(y2), exact_prec),
                              exact_prec);
      Ball im = interval::sub(interval::mul(Ball::exact(y1), Ball::exact(x2), exact_prec),
                              interval::mul(Ball::exact(x1), Ball::exact(y2), exact_prec),
                              exact_prec);
      c.emplace_back(re, im);
    }
    return c;
  }

  const auto& ap = std::get<AmplitudePhase>(input);
  for (std::size_t n = 0; n < ap.amplitude.size(); ++n) {
    ComplexBall rotation = interval::exp_i(Ball::exact(ap.phase[n]), prec);
    c.push_back(interval::mul(rotation, Ball::exact(ap.amplitude[n]), prec));
  }
  return c;
}

std::vector<ComplexBall> difference_coefficients(const QueryKey& first, const QueryKey& second,
                                                 Pairing pairing, Precision prec) {
  std::vector<ComplexBall> a = coefficients(first, pairing, prec);
  std::vector<ComplexBall> b = coefficients(second, pairing, prec);
  std::vector<ComplexBall> d;
  for (std::size_t n = 0; n < a.size(); ++n) {
    ComplexBall diff;
    acb_sub(diff.raw(), a[n].raw(), b[n].raw(), std::max<Precision>(prec, 256));
    d.push_back(diff);
  }
  return d;
}

}  // namespace ropecert::model
