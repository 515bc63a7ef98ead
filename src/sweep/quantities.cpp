#include "sweep/quantities.hpp"

#include "claims/json_encoding.hpp"
#include "quantities/inversion.hpp"
#include "quantities/normal_prediction.hpp"
#include "util/input_error.hpp"

namespace ropecert::sweep {

namespace {

using interval::Ball;

// Digits of the decimal strings in the cells: enough to tell apart enclosures
// of width near 2^-53 relative.
constexpr long kCellDigits = 20;

Cell ball_cell(const std::string& name, const Ball& ball) {
  // Arb writes a ball that is not finite (such as E_BE when lambda = 0) with
  // NaN ends; the cell gives the whole real line instead, so lower <= upper holds.
  if (!ball.is_finite()) return {name, "-inf", "inf"};
  nlohmann::json bounds = claims::to_json(ball, kCellDigits);
  return {name, bounds["lower"].get<std::string>(), bounds["upper"].get<std::string>()};
}

Cell integer_cell(const std::string& name, std::int64_t value) {
  return {name, std::to_string(value), std::to_string(value)};
}

// Cost of the work linear in M (S(m) for every distance, then a sort).
double linear_cost(std::int64_t M, int pairs) { return static_cast<double>(M) * pairs; }

// Cost of the closed forms, O(h^2) whatever M.
double closed_form_cost(std::int64_t, int pairs) { return static_cast<double>(pairs) * pairs; }

QuantityResult compute_inversion(const model::RopeProduct& product, std::int64_t M,
                                 const QuantityOptions&) {
  quantities::InversionCount count = quantities::position_inversion(product, M);
  // The exact counts make the fraction's bounds exact rationals, enclosed here
  // at 128 bits and printed outward.
  Ball lower = interval::div(Ball::exact(static_cast<std::int64_t>(count.certain_less)),
                             Ball::exact(static_cast<std::int64_t>(count.total_pairs)), 128);
  Ball upper = interval::div(Ball::exact(static_cast<std::int64_t>(count.possible_less)),
                             Ball::exact(static_cast<std::int64_t>(count.total_pairs)), 128);
  Cell cell{"P_inv", ball_cell("", lower).lower, ball_cell("", upper).upper};
  return {{cell}, {{"inversion", claims::to_json(count)}}};
}

QuantityResult compute_normal_prediction(const model::RopeProduct& product, std::int64_t M,
                                         const QuantityOptions&) {
  quantities::NormalPrediction prediction = quantities::normal_prediction(product, M);
  return {{ball_cell("P_N", prediction.probability)},
          {{"normal_prediction", claims::to_json(prediction)}}};
}

QuantityResult compute_berry_esseen(const model::RopeProduct& product, std::int64_t M,
                                    const QuantityOptions&) {
  quantities::BerryEsseen term = quantities::berry_esseen(product, M);
  return {{ball_cell("E_BE", term.value)}, {{"berry_esseen", claims::to_json(term)}}};
}

QuantityResult compute_moments(const model::RopeProduct& product, std::int64_t M,
                               const QuantityOptions&) {
  quantities::WindowMoments moments = quantities::window_moments(product, {0, M});
  quantities::SplitMoments split = quantities::split_moments(product, M);
  return {{ball_cell("mean", moments.mean), ball_cell("variance", moments.variance),
           ball_cell("mean_split", split.mean), ball_cell("variance_split", split.variance)},
          {{"window_moments", claims::to_json(moments)}, {"split_moments", claims::to_json(split)}}};
}

QuantityResult compute_lambda(const model::RopeProduct& product, std::int64_t M,
                              const QuantityOptions&) {
  int lambda = quantities::split_index(product, M);
  return {{integer_cell("lambda", lambda)}, {{"lambda", lambda}}};
}

}  // namespace

const std::vector<SweepQuantity>& sweep_quantities() {
  static const std::vector<SweepQuantity> table = {
      {"inversion",
       "P_inv(M): fraction of pairs m1 in [0, floor(M/2)), m2 in [floor(M/2), M) with "
       "S(m1) < S(m2), from exact pair counts",
       {"P_inv"}, 2, quantities::kMaxInversionLength, false, linear_cost, compute_inversion},
      {"normal-prediction",
       "P_N(M) = Phi((mu_far - mu_near) / sqrt(sigma_near^2 + sigma_far^2)), exact moments of "
       "the two halves",
       {"P_N"}, 2, model::kMaxDistance, false, closed_form_cost, compute_normal_prediction},
      {"berry-esseen",
       "E_BE(M) = 0.56 sum_{fast n} a_n^3 4/(3 pi) / (1/2 sum_{fast n} a_n^2)^(3/2); infinite "
       "when lambda(M) = 0",
       {"E_BE"}, 1, model::kMaxDistance, false, closed_form_cost, compute_berry_esseen},
      {"moments",
       "mean and variance of S(m) for m uniform on [0, M), and the split moments mu_split, "
       "sigma2_split",
       {"mean", "variance", "mean_split", "variance_split"}, 1, model::kMaxDistance, false,
       closed_form_cost, compute_moments},
      {"lambda", "lambda(M) = #{n : M theta_n >= 2 pi}", {"lambda"}, 1, model::kMaxDistance,
       false, closed_form_cost, compute_lambda},
  };
  return table;
}

const SweepQuantity& find_sweep_quantity(const std::string& name) {
  std::string known;
  for (const SweepQuantity& quantity : sweep_quantities()) {
    if (quantity.name == name) return quantity;
    known += (known.empty() ? "" : ", ") + quantity.name;
  }
  throw InputError("unknown quantity '" + name + "'; known quantities: " + known);
}

const std::vector<std::string>& storage_format_names() {
  static const std::vector<std::string> names = {"bf16", "fp16", "fp32", "fp8_e4m3", "fp8_e5m2"};
  return names;
}

}  // namespace ropecert::sweep
