#include "claims/json_failure_modes.hpp"

#include "claims/json_encoding.hpp"

namespace ropecert::claims {

using nlohmann::json;

namespace {

json count_range(std::uint64_t certain, std::uint64_t possible) {
  return json{{"certain", certain}, {"possible", possible}};
}

}  // namespace

json to_json(const quantities::AliasingCount& c) {
  return json{{"format", formats::to_string(c.format)},
              {"M", c.M},
              {"total_pairs", c.total_pairs},
              {"pairs", count_range(c.certain_pairs, c.possible_pairs)},
              {"pair_fraction", {c.pair_fraction_lower(), c.pair_fraction_upper()}},
              {"with_partner", count_range(c.certain_with_partner, c.possible_with_partner)},
              {"partner_fraction", {c.partner_fraction_lower(), c.partner_fraction_upper()}},
              {"distinct_values", c.distinct_values},
              {"refined_values", c.refined_values},
              {"undecided_values", c.undecided_values},
              {"overflow_values", c.overflow_values},
              {"undecided_pairs_bounded", c.undecided_pairs_bounded}};
}

json to_json(const quantities::AttentionInvariance& i) {
  return json{{"first", to_json(i.first)}, {"second", to_json(i.second)}, {"both", to_json(i.both)}};
}

json to_json(const quantities::ThresholdAliasingCount& c) {
  return json{{"M", c.M},
              {"eps", c.eps},
              {"total_pairs", c.total_pairs},
              {"pairs", count_range(c.certain_pairs, c.possible_pairs)},
              {"pair_fraction", {c.pair_fraction_lower(), c.pair_fraction_upper()}},
              {"with_partner", count_range(c.certain_with_partner, c.possible_with_partner)},
              {"partner_fraction", {c.partner_fraction_lower(), c.partner_fraction_upper()}},
              {"refined_pairs", c.refined_pairs},
              {"refined_values", c.refined_values},
              {"refinement_skipped", c.refinement_skipped}};
}

json to_json(const quantities::TokenInversion& t) {
  return json{{"M", t.M},
              {"label", quantities::to_string(t.label)},
              {"d0", to_json(t.d0)},
              {"negative", count_range(t.certain_negative, t.possible_negative)},
              {"fraction", {t.fraction_lower(), t.fraction_upper()}},
              {"moments", to_json(t.moments)},
              {"prediction", to_json(t.prediction)},
              {"refined_values", t.refined_values}};
}

json to_json(const quantities::TokenAliasing& t) {
  json out{{"format", formats::to_string(t.format)},
           {"M", t.M},
           {"equal", count_range(t.certain_equal, t.possible_equal)},
           {"refined_values", t.refined_values},
           {"undecided_values", t.undecided_values}};
  if (t.eps) {
    out["eps"] = *t.eps;
    out["near"] = count_range(t.certain_near, t.possible_near);
    out["predicted_near"] = to_json(t.predicted_near);
  }
  return out;
}

}  // namespace ropecert::claims
