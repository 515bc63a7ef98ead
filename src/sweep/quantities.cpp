#include "sweep/quantities.hpp"

#include <cmath>

#include "claims/json_encoding.hpp"
#include "claims/json_failure_modes.hpp"
#include "formats/storage_format.hpp"
#include "quantities/aliasing.hpp"
#include "quantities/inversion.hpp"
#include "quantities/normal_prediction.hpp"
#include "quantities/threshold_aliasing.hpp"
#include "quantities/token_aliasing.hpp"
#include "quantities/token_inversion.hpp"
#include "quantities/two_keys.hpp"
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

// A certified count: the true count lies in [certain, possible].
Cell count_cell(const std::string& name, std::uint64_t certain, std::uint64_t possible) {
  return {name, std::to_string(certain), std::to_string(possible)};
}

// The fraction [certain / total, possible / total], each end an exact
// rational enclosed at 128 bits and printed outward.
Cell fraction_cell(const std::string& name, std::uint64_t certain, std::uint64_t possible,
                   std::uint64_t total) {
  Ball denominator = Ball::exact(static_cast<std::int64_t>(total));
  Ball lower = interval::div(Ball::exact(static_cast<std::int64_t>(certain)), denominator, 128);
  Ball upper = interval::div(Ball::exact(static_cast<std::int64_t>(possible)), denominator, 128);
  return {name, ball_cell("", lower).lower, ball_cell("", upper).upper};
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

QuantityResult compute_position_aliasing(const model::RopeProduct& product, std::int64_t M,
                                         const QuantityOptions& options) {
  quantities::AliasingCount count =
      quantities::position_aliasing(product, M, formats::parse_format(options.format));
  const auto length = static_cast<std::uint64_t>(M);
  return {{count_cell("alias_pairs", count.certain_pairs, count.possible_pairs),
           fraction_cell("alias_pair_fraction", count.certain_pairs, count.possible_pairs,
                         count.total_pairs),
           fraction_cell("alias_partner_fraction", count.certain_with_partner,
                         count.possible_with_partner, length)},
          {{"aliasing", claims::to_json(count)}}};
}

QuantityResult compute_threshold_aliasing(const model::RopeProduct& product, std::int64_t M,
                                          const QuantityOptions& options) {
  quantities::ThresholdAliasingCount count =
      quantities::threshold_aliasing(product, M, options.eps.value());
  const auto length = static_cast<std::uint64_t>(M);
  return {{count_cell("threshold_pairs", count.certain_pairs, count.possible_pairs),
           fraction_cell("threshold_partner_fraction", count.certain_with_partner,
                         count.possible_with_partner, length)},
          {{"threshold_aliasing", claims::to_json(count)}}};
}

// S_{q,k1}, S_{q,k2} and their difference for the point's two keys.
quantities::TwoKeyProducts two_key_products(const model::RopeProduct& product,
                                            const QuantityOptions& options) {
  const model::QueryTwoKeys& keys = options.keys.value();
  return quantities::make_two_key_products(product.schedule(), keys.q, keys.k1, keys.k2,
                                           options.scale);
}

QuantityResult compute_attention_invariance(const model::RopeProduct& product, std::int64_t M,
                                            const QuantityOptions& options) {
  quantities::TwoKeyProducts products = two_key_products(product, options);
  quantities::AttentionInvariance invariance = quantities::attention_invariance(
      *products.first, *products.second, M, formats::parse_format(options.format));
  const quantities::AliasingCount& both = invariance.both;
  return {{count_cell("invariance_pairs", both.certain_pairs, both.possible_pairs),
           fraction_cell("invariance_pair_fraction", both.certain_pairs, both.possible_pairs,
                         both.total_pairs)},
          {{"invariance", claims::to_json(invariance)}}};
}

QuantityResult compute_token_inversion(const model::RopeProduct& product, std::int64_t M,
                                       const QuantityOptions& options) {
  quantities::TwoKeyProducts products = two_key_products(product, options);
  quantities::TokenInversion inversion = quantities::token_inversion(*products.difference, M);
  return {{fraction_cell("T_inv", inversion.certain_negative, inversion.possible_negative,
                         static_cast<std::uint64_t>(M)),
           ball_cell("T_N", inversion.prediction)},
          {{"token_inversion", claims::to_json(inversion)}}};
}

QuantityResult compute_token_aliasing(const model::RopeProduct& product, std::int64_t M,
                                      const QuantityOptions& options) {
  quantities::TwoKeyProducts products = two_key_products(product, options);
  quantities::TokenAliasing aliasing =
      quantities::token_aliasing(products, M, formats::parse_format(options.format));
  return {{count_cell("T_F", aliasing.certain_equal, aliasing.possible_equal),
           fraction_cell("T_F_fraction", aliasing.certain_equal, aliasing.possible_equal,
                         static_cast<std::uint64_t>(M))},
          {{"token_aliasing", claims::to_json(aliasing)}}};
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
      {"position-aliasing",
       "A_F(M): pairs m1 < m2 in [0, M) with fl_F(S(m1)) == fl_F(S(m2)), its fraction of the "
       "M (M-1) / 2 pairs, and the fraction of m with such a partner",
       {"alias_pairs", "alias_pair_fraction", "alias_partner_fraction"}, 2,
       quantities::kMaxFailureModeLength, true, linear_cost, compute_position_aliasing},
      {"threshold-aliasing",
       "A_eps(M): pairs m1 < m2 in [0, M) with |S(m1) - S(m2)| < eps, and the fraction of m "
       "with such a partner",
       {"threshold_pairs", "threshold_partner_fraction"}, 2, quantities::kMaxFailureModeLength,
       false, linear_cost, compute_threshold_aliasing, true, false},
      {"attention-invariance",
       "I_F(M): pairs m1 < m2 in [0, M) that alias under F for k1 and k2 at once, and their "
       "fraction of the M (M-1) / 2 pairs",
       {"invariance_pairs", "invariance_pair_fraction"}, 2, quantities::kMaxFailureModeLength,
       true, linear_cost, compute_attention_invariance, false, true},
      {"token-inversion",
       "T_inv(M): fraction of m in [0, M) with D(m) < 0 for D = S_{q,k1} - S_{q,k2} labelled "
       "so that D(0) > 0, and its normal prediction T_N = Phi(-mu_D / sigma_D)",
       {"T_inv", "T_N"}, 2, quantities::kMaxFailureModeLength, false, linear_cost,
       compute_token_inversion, false, true},
      {"token-aliasing",
       "T_F(M): number of m in [0, M) with fl_F(S_{q,k1}(m)) == fl_F(S_{q,k2}(m)), and T_F(M) / M",
       {"T_F", "T_F_fraction"}, 2, quantities::kMaxFailureModeLength, true, linear_cost,
       compute_token_aliasing, false, true},
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

}  // namespace ropecert::sweep
