#include "quantities/normal_prediction.hpp"

#include "util/input_error.hpp"

namespace ropecert::quantities {

NormalPrediction normal_prediction(const model::RopeProduct& product, std::int64_t M) {
  if (M < 2 || M > model::kMaxDistance) {
    throw InputError("length M = " + std::to_string(M) +
                     " is out of range for the normal prediction; give 2 <= M <= 2^53");
  }
  NormalPrediction result;
  result.M = M;
  result.near = window_moments(product, Window{0, M / 2});
  result.far = window_moments(product, Window{M / 2, M});

  const Precision prec = std::max(result.near.precision, result.far.precision);
  Ball spread = interval::sqrt(interval::add(result.near.variance, result.far.variance, prec), prec);
  // A spread enclosure that reaches zero makes z unbounded; Arb then returns
  // an infinite ball and Phi(z) the whole of [0, 1], which is sound.
  result.z = interval::div(interval::sub(result.far.mean, result.near.mean, prec), spread, prec);
  result.probability = interval::normal_cdf(result.z, prec);
  if (!result.probability.is_finite()) result.probability = Ball::from_bounds(0.0, 1.0);
  return result;
}

BerryEsseen berry_esseen(const model::RopeProduct& product, std::int64_t M, Precision prec) {
  std::vector<bool> fast = fast_components(product, M);
  const auto& c = product.scaled_coefficients(prec);

  BerryEsseen result;
  result.M = M;
  Ball cubes, squares;
  for (int n = 0; n < product.pairs(); ++n) {
    if (!fast[n]) continue;
    ++result.lambda;
    Ball a = interval::abs(c[n], prec);
    cubes = interval::add(cubes, interval::mul(a, interval::sqr(a, prec), prec), prec);
    squares = interval::add(squares, interval::sqr(a, prec), prec);
  }

  Ball c0 = Ball::from_decimal("0.56", prec);
  Ball abs_cos_cubed = interval::div(Ball::exact(std::int64_t{4}),
                                     interval::mul(Ball::exact(std::int64_t{3}),
                                                   interval::pi(prec), prec),
                                     prec);
  Ball variance = interval::mul_2exp(squares, -1);
  Ball denominator = interval::mul(variance, interval::sqrt(variance, prec), prec);
  Ball numerator = interval::mul(interval::mul(c0, cubes, prec), abs_cos_cubed, prec);
  result.value = interval::div(numerator, denominator, prec);
  return result;
}

}  // namespace ropecert::quantities
