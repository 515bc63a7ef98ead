// Position inversion claims (T1-gap and T1-limit in proofs/).
//
// inversion-normal-gap: for every M in `M`, |P_inv(M) - P_N(M)| <= tolerance,
// where tolerance is a number or "berry-esseen" (the term E_BE(M)).
// inversion-near-half: for every M in `M`, |P_inv(M) - 1/2| <= tolerance.
//
// P_inv is certified as a range from exact pair counts, and that range is
// turned into a ball, so both statements are decided by ball comparisons.

#include <cstdio>

#include "claims/claim_kind.hpp"
#include "claims/json_encoding.hpp"
#include "quantities/inversion.hpp"
#include "quantities/normal_prediction.hpp"

namespace ropecert::claims {

namespace {

using interval::Ball;

struct InversionParameters {
  model::RopeSchedule schedule;
  model::VectorInput input;
  model::OutputScale scale;
  std::vector<std::int64_t> lengths;
  bool berry_esseen_tolerance = false;
  double tolerance = 0.0;
};

InversionParameters read_inversion_parameters(const Parameters& p) {
  InversionParameters out;
  out.schedule = read_schedule(p);
  VectorSource vectors = read_vectors(p);
  out.scale = read_scale(p);
  out.lengths = p.get_int_list("M");
  for (std::int64_t M : out.lengths) {
    if (M < 2 || M > quantities::kMaxInversionLength) {
      p.fail("M = " + std::to_string(M) + " is out of range; give 2 <= M <= 2^31");
    }
  }
  const toml::node* tolerance = p.table().get("tolerance");
  p.touch("tolerance");
  if (tolerance == nullptr) p.fail("missing key 'tolerance'");
  if (tolerance->is_string() && *tolerance->value<std::string>() == "berry-esseen") {
    out.berry_esseen_tolerance = true;
  } else if (tolerance->is_number() && *tolerance->value<double>() >= 0) {
    out.tolerance = *tolerance->value<double>();
  } else {
    p.fail("'tolerance' must be a non-negative number or \"berry-esseen\"");
  }
  out.input = vectors.get(out.schedule.rotary_dim);
  model::validate(out.input, out.schedule.pairs());
  return out;
}

Ball inversion_ball(const quantities::InversionCount& count) {
  return Ball::from_bounds(count.fraction_lower(), count.fraction_upper());
}

std::string format_range(const Ball& b) {
  char text[96];
  std::snprintf(text, sizeof text, "[%.6f, %.6f]", b.lower(), b.upper());
  return text;
}

InstanceResult run_gap(const InversionParameters& ip) {
  model::RopeProduct product(ip.schedule, ip.input, ip.scale);
  InstanceResult result;
  VerdictAccumulator verdict;
  nlohmann::json cases = nlohmann::json::array();
  for (std::int64_t M : ip.lengths) {
    quantities::InversionCount count = quantities::position_inversion(product, M);
    quantities::NormalPrediction prediction = quantities::normal_prediction(product, M);
    Ball p_inv = inversion_ball(count);
    Ball gap = interval::abs(interval::sub(p_inv, prediction.probability, 128));

    nlohmann::json entry = {{"M", M},
                            {"inversion", to_json(count)},
                            {"normal_prediction", to_json(prediction.probability)},
                            {"gap", to_json(gap)}};
    Ball tolerance = Ball::exact(ip.tolerance);
    if (ip.berry_esseen_tolerance) {
      quantities::BerryEsseen be = quantities::berry_esseen(product, M);
      tolerance = be.value;
      entry["berry_esseen"] = to_json(be);
    }
    entry["tolerance"] = to_json(tolerance);
    interval::Tribool holds = interval::less_equal(gap, tolerance);
    entry["holds"] = interval::to_string(holds);
    verdict.add(holds);
    if (holds == interval::Tribool::False && result.witness.is_null()) result.witness = entry;
    cases.push_back(entry);
    result.summary += (result.summary.empty() ? "" : "; ") + std::string("M=") +
                      std::to_string(M) + ": P_inv " + format_range(p_inv) + ", P_N " +
                      format_range(prediction.probability) + ", tol " + format_range(tolerance);
  }
  result.verdict = verdict.verdict();
  result.enclosures = {{"cases", cases}};
  return result;
}

InstanceResult run_near_half(const InversionParameters& ip) {
  model::RopeProduct product(ip.schedule, ip.input, ip.scale);
  InstanceResult result;
  VerdictAccumulator verdict;
  nlohmann::json cases = nlohmann::json::array();
  const Ball half = Ball::exact(0.5);
  const Ball tolerance = Ball::exact(ip.tolerance);
  for (std::int64_t M : ip.lengths) {
    quantities::InversionCount count = quantities::position_inversion(product, M);
    Ball p_inv = inversion_ball(count);
    Ball distance = interval::abs(interval::sub(p_inv, half, 128));
    interval::Tribool holds = interval::less_equal(distance, tolerance);
    nlohmann::json entry = {{"M", M},
                            {"inversion", to_json(count)},
                            {"distance_to_half", to_json(distance)},
                            {"tolerance", ip.tolerance},
                            {"holds", interval::to_string(holds)}};
    verdict.add(holds);
    if (holds == interval::Tribool::False && result.witness.is_null()) result.witness = entry;
    cases.push_back(entry);
    result.summary += (result.summary.empty() ? "" : "; ") + std::string("M=") +
                      std::to_string(M) + ": P_inv " + format_range(p_inv);
  }
  result.verdict = verdict.verdict();
  result.enclosures = {{"cases", cases}};
  return result;
}

}  // namespace

ClaimKind inversion_normal_gap_kind() {
  ClaimKind kind;
  kind.name = "inversion-normal-gap";
  kind.statement = "for every M in `M`: |P_inv(M) - P_N(M)| <= tolerance (a number, or "
                   "\"berry-esseen\" for E_BE(M))";
  kind.keys = {"M", "tolerance"};
  kind.prepare = [](const Parameters& p) -> InstanceRunner {
    InversionParameters ip = read_inversion_parameters(p);
    return [ip] { return run_gap(ip); };
  };
  return kind;
}

ClaimKind inversion_near_half_kind() {
  ClaimKind kind;
  kind.name = "inversion-near-half";
  kind.statement = "for every M in `M`: |P_inv(M) - 1/2| <= tolerance";
  kind.keys = {"M", "tolerance"};
  kind.prepare = [](const Parameters& p) -> InstanceRunner {
    InversionParameters ip = read_inversion_parameters(p);
    if (ip.berry_esseen_tolerance) p.fail("'tolerance' must be a number for this kind");
    return [ip] { return run_near_half(ip); };
  };
  return kind;
}

}  // namespace ropecert::claims
