#include "claims/json_encoding.hpp"

#include <flint/flint.h>
#include <gmp.h>
#include <mpfr.h>

#include <variant>

namespace ropecert::claims {

using nlohmann::json;

json to_json(const interval::Ball& ball, long digits) {
  json out;
  std::string text = ball.to_interval_string(digits);
  // "[lower, upper]"
  std::size_t comma = text.find(", ");
  out["lower"] = text.substr(1, comma - 1);
  out["upper"] = text.substr(comma + 2, text.size() - comma - 3);
  out["lower_f64"] = ball.lower();
  out["upper_f64"] = ball.upper();
  out["arb"] = ball.to_string(digits);
  return out;
}

json to_json(const model::RopeSchedule& s) {
  json out;
  out["name"] = s.name;
  out["rotary_dim"] = s.rotary_dim;
  out["base"] = s.base;
  out["pairing"] = model::to_string(s.pairing);
  out["precision"] = model::to_string(s.precision);
  out["context_length"] = s.context_length;
  out["source"] = s.source;
  json sc;
  sc["kind"] = model::to_string(s.scaling.kind);
  if (s.scaling.kind != model::ScheduleKind::Default) {
    sc["factor"] = s.scaling.factor;
  }
  if (s.scaling.kind == model::ScheduleKind::Yarn || s.scaling.kind == model::ScheduleKind::Llama3) {
    sc["original_context"] = s.scaling.original_context;
  }
  if (s.scaling.kind == model::ScheduleKind::Yarn) {
    sc["beta_fast"] = s.scaling.beta_fast;
    sc["beta_slow"] = s.scaling.beta_slow;
    sc["truncate"] = s.scaling.truncate;
    if (s.scaling.mscale) sc["mscale"] = *s.scaling.mscale;
    if (s.scaling.mscale_all_dim) sc["mscale_all_dim"] = *s.scaling.mscale_all_dim;
    if (s.scaling.attention_factor) sc["attention_factor"] = *s.scaling.attention_factor;
  }
  if (s.scaling.kind == model::ScheduleKind::Llama3) {
    sc["low_freq_factor"] = s.scaling.low_freq_factor;
    sc["high_freq_factor"] = s.scaling.high_freq_factor;
  }
  out["scaling"] = sc;
  return out;
}

json to_json(const model::VectorInput& input) {
  // Doubles are written with 17 significant digits by nlohmann/json, which
  // round-trips every binary64 value exactly.
  if (const auto* qk = std::get_if<model::QueryKey>(&input)) {
    return json{{"q", qk->q}, {"k", qk->k}};
  }
  const auto& ap = std::get<model::AmplitudePhase>(input);
  return json{{"amplitude", ap.amplitude}, {"phase", ap.phase}};
}

json to_json(const quantities::WindowMoments& m) {
  return json{{"window", {m.window.first, m.window.end}},
              {"mean", to_json(m.mean)},
              {"second_moment", to_json(m.second_moment)},
              {"variance", to_json(m.variance)},
              {"precision_bits", m.precision}};
}

json to_json(const quantities::SplitMoments& s) {
  return json{{"M", s.M},
              {"lambda", s.lambda},
              {"mean", to_json(s.mean)},
              {"variance", to_json(s.variance)}};
}

json to_json(const quantities::InversionCount& c) {
  return json{{"M", c.M},
              {"total_pairs", c.total_pairs},
              {"certain_less", c.certain_less},
              {"possible_less", c.possible_less},
              {"fraction_lower", c.fraction_lower()},
              {"fraction_upper", c.fraction_upper()},
              {"refined_pairs", c.refined_pairs},
              {"refined_values", c.refined_values},
              {"refinement_skipped", c.refinement_skipped}};
}

json to_json(const quantities::NormalPrediction& p) {
  return json{{"M", p.M},
              {"near", to_json(p.near)},
              {"far", to_json(p.far)},
              {"z", to_json(p.z)},
              {"probability", to_json(p.probability)}};
}

json to_json(const quantities::BerryEsseen& b) {
  return json{{"M", b.M}, {"lambda", b.lambda}, {"value", to_json(b.value)}};
}

json library_versions() {
  json out;
  out["ropecert"] = ROPECERT_VERSION;
  out["arb"] = std::string(arb_version);
  out["flint"] = std::string(flint_version);
  out["mpfr"] = std::string(mpfr_get_version());
  out["gmp"] = std::string(gmp_version);
  return out;
}

}  // namespace ropecert::claims
