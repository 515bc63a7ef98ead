#include "claims/failure_quantities.hpp"

#include "claims/json_encoding.hpp"
#include "claims/json_failure_modes.hpp"
#include "quantities/aliasing.hpp"
#include "quantities/count_fraction.hpp"
#include "quantities/inversion.hpp"
#include "quantities/threshold_aliasing.hpp"
#include "quantities/token_aliasing.hpp"
#include "quantities/token_inversion.hpp"
#include "quantities/two_keys.hpp"
#include "util/input_error.hpp"

namespace ropecert::claims {

namespace {

using interval::Ball;

Ball range_ball(double lower, double upper) { return Ball::from_bounds(lower, upper); }

Ball count_ball(std::uint64_t certain, std::uint64_t possible, std::uint64_t total) {
  return range_ball(quantities::fraction_lower(certain, total),
                    quantities::fraction_upper(possible, total));
}

}  // namespace

const std::vector<QuantityInfo>& quantity_catalogue() {
  static const std::vector<QuantityInfo> catalogue = {
      {"inversion", false, false, "P_inv(M), position inversion"},
      {"inversion-distance-to-half", false, false, "|P_inv(M) - 1/2|"},
      {"alias-pair-fraction", false, false, "A_F(M) / (M (M-1) / 2)"},
      {"alias-partner-fraction", false, false,
       "fraction of m in [0, M) with an aliasing partner under F"},
      {"threshold-partner-fraction", false, true,
       "fraction of m with a partner within eps (|S(m1) - S(m2)| < eps)"},
      {"invariance-pair-fraction", true, false,
       "pairs aliasing for both keys under F, over M (M-1) / 2"},
      {"token-inversion", true, false, "T_inv(M): fraction of m with D(m) < 0, D(0) > 0"},
      {"token-inversion-prediction", true, false, "Phi(-mu_D / sigma_D) on [0, M)"},
      {"token-alias-fraction", true, false, "T_F(M) / M: positions with equal stored logits"},
      {"token-near-fraction", true, true, "fraction of m with |D(m)| < eps"},
      {"token-near-prediction", true, true, "Pr(|Z| < eps), Z normal with D's exact moments"},
      {"token-near-gap", true, true,
       "|token-near-fraction - token-near-prediction|: the normal law's error"},
  };
  return catalogue;
}

const QuantityInfo& find_quantity(const QuantityRequest& request) {
  std::string known;
  for (const QuantityInfo& info : quantity_catalogue()) {
    if (info.name == request.name) {
      if (info.needs_eps && !request.eps) {
        throw InputError("quantity '" + request.name + "' needs 'eps', a positive threshold");
      }
      return info;
    }
    known += (known.empty() ? "" : ", ") + info.name;
  }
  throw InputError("unknown quantity '" + request.name + "'; known quantities: " + known);
}

Ball evaluate_quantity(const QuantityRequest& request, const model::RopeSchedule& schedule,
                       model::OutputScale scale, const model::QueryTwoKeys& vectors,
                       std::int64_t M, nlohmann::json* details) {
  const QuantityInfo& info = find_quantity(request);
  nlohmann::json sink;
  nlohmann::json& out = details ? *details : sink;

  if (!info.two_keys) {
    model::RopeProduct product(schedule, model::QueryKey{vectors.q, vectors.k1}, scale);
    if (request.name == "inversion" || request.name == "inversion-distance-to-half") {
      quantities::InversionCount count = quantities::position_inversion(product, M);
      out = to_json(count);
      Ball p = range_ball(count.fraction_lower(), count.fraction_upper());
      if (request.name == "inversion") return p;
      return interval::abs(interval::sub(p, Ball::exact(0.5), 128));
    }
    if (request.name == "threshold-partner-fraction") {
      quantities::ThresholdAliasingCount count =
          quantities::threshold_aliasing(product, M, *request.eps);
      out = to_json(count);
      return range_ball(count.partner_fraction_lower(), count.partner_fraction_upper());
    }
    quantities::AliasingCount count = quantities::position_aliasing(product, M, request.format);
    out = to_json(count);
    if (request.name == "alias-pair-fraction") {
      return range_ball(count.pair_fraction_lower(), count.pair_fraction_upper());
    }
    return range_ball(count.partner_fraction_lower(), count.partner_fraction_upper());
  }

  quantities::TwoKeyProducts products =
      quantities::make_two_key_products(schedule, vectors.q, vectors.k1, vectors.k2, scale);
  const auto length = static_cast<std::uint64_t>(M);

  if (request.name == "invariance-pair-fraction") {
    quantities::AttentionInvariance inv =
        quantities::attention_invariance(*products.first, *products.second, M, request.format);
    out = to_json(inv);
    return range_ball(inv.both.pair_fraction_lower(), inv.both.pair_fraction_upper());
  }
  if (request.name == "token-inversion" || request.name == "token-inversion-prediction") {
    quantities::TokenInversion inv = quantities::token_inversion(*products.difference, M);
    out = to_json(inv);
    if (request.name == "token-inversion-prediction") return inv.prediction;
    return range_ball(inv.fraction_lower(), inv.fraction_upper());
  }
  quantities::TokenAliasing aliasing =
      quantities::token_aliasing(products, M, request.format, request.eps);
  out = to_json(aliasing);
  if (request.name == "token-alias-fraction") {
    return count_ball(aliasing.certain_equal, aliasing.possible_equal, length);
  }
  Ball near = count_ball(aliasing.certain_near, aliasing.possible_near, length);
  Ball predicted = interval::div(aliasing.predicted_near, Ball::exact(M), 128);
  if (request.name == "token-near-fraction") return near;
  if (request.name == "token-near-prediction") return predicted;
  return interval::abs(interval::sub(near, predicted, 128));
}

}  // namespace ropecert::claims
