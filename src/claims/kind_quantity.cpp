// Claims over the named quantities of failure_quantities.hpp.
//
// quantity-bound: for every M in `M`, at_least <= Q(M) <= at_most (either
// end may be absent), for one query with one or two keys.
// quantity-trend: the mean of Q over `samples` ensemble samples strictly rises
// (or falls) along M, for each base, or along the base, for each M.
//
// Vectors come from an ensemble. Sample i of an instance uses q and k1 from
// ensemble sample vectors.sample + 2i and k2 from sample vectors.sample + 2i + 1;
// `key_rho` makes k2 = key_rho k1 + sqrt(1 - key_rho^2) k2 (similar tokens).

#include <cmath>
#include <cstdio>

#include "claims/claim_kind.hpp"
#include "claims/failure_quantities.hpp"
#include "claims/json_encoding.hpp"

namespace ropecert::claims {

namespace {

using interval::Ball;

struct QuantityParameters {
  QuantityRequest request;
  model::RopeSchedule schedule;
  model::OutputScale scale;
  model::EnsembleSpec ensemble;
  std::uint64_t first_sample = 0;
  std::optional<double> key_rho;
  std::vector<std::int64_t> lengths;
};

QuantityParameters read_quantity_parameters(const Parameters& p) {
  QuantityParameters out;
  out.request.name = p.get_string("quantity");
  out.request.format = formats::parse_format(p.get_string("format", "bf16"));
  if (p.has("eps")) {
    double eps = p.get_double("eps");
    if (!(eps > 0)) p.fail("'eps' must be a positive number");
    out.request.eps = eps;
  }
  find_quantity(out.request);

  out.schedule = read_schedule(p);
  out.scale = read_scale(p);
  VectorSource vectors = read_vectors(p);
  if (!vectors.ensemble || vectors.ensemble->kind == model::EnsembleKind::Aligned) {
    p.fail("'vectors' must be a gaussian or correlated ensemble for this kind");
  }
  out.ensemble = *vectors.ensemble;
  out.first_sample = vectors.sample;
  if (p.has("key_rho")) {
    double rho = p.get_double("key_rho");
    if (!(rho >= -1 && rho <= 1)) p.fail("'key_rho' must lie in [-1, 1]");
    out.key_rho = rho;
  }
  out.lengths = p.get_int_list("M");
  for (std::int64_t M : out.lengths) {
    if (M < 2 || M > (std::int64_t{1} << 27)) {
      p.fail("M = " + std::to_string(M) + " is out of range; give 2 <= M <= 2^27");
    }
  }
  return out;
}

Ball evaluate(const QuantityParameters& qp, const model::RopeSchedule& schedule,
              std::uint64_t sample, std::int64_t M, nlohmann::json* details) {
  model::QueryTwoKeys vectors = model::ensemble_two_keys(
      qp.ensemble, qp.first_sample + 2 * sample, schedule.rotary_dim, qp.key_rho);
  return evaluate_quantity(qp.request, schedule, qp.scale, vectors, M, details);
}

std::string range_text(const Ball& b) {
  char text[64];
  std::snprintf(text, sizeof text, "[%.6g, %.6g]", b.lower(), b.upper());
  return text;
}

InstanceResult run_bound(const QuantityParameters& qp, std::optional<double> at_least,
                         std::optional<double> at_most) {
  InstanceResult result;
  VerdictAccumulator verdict;
  nlohmann::json cases = nlohmann::json::array();
  for (std::int64_t M : qp.lengths) {
    nlohmann::json details;
    Ball value = evaluate(qp, qp.schedule, 0, M, &details);
    interval::Tribool holds = interval::Tribool::True;
    if (at_least) {
      holds = interval::tribool_and(holds, interval::greater_equal(value, Ball::exact(*at_least)));
    }
    if (at_most) {
      holds = interval::tribool_and(holds, interval::less_equal(value, Ball::exact(*at_most)));
    }
    verdict.add(holds);
    nlohmann::json entry = {{"M", M},
                            {"value", to_json(value)},
                            {"details", details},
                            {"holds", interval::to_string(holds)}};
    if (holds == interval::Tribool::False && result.witness.is_null()) result.witness = entry;
    cases.push_back(entry);
    result.summary += (result.summary.empty() ? "" : "; ") + std::string("M=") +
                      std::to_string(M) + ": " + qp.request.name + " " + range_text(value);
  }
  result.verdict = verdict.verdict();
  result.enclosures = {{"quantity", qp.request.name}, {"cases", cases}};
  return result;
}

InstanceResult run_trend(const QuantityParameters& qp, const std::vector<double>& bases,
                         std::int64_t samples, bool along_base, bool rising) {
  std::vector<std::vector<Ball>> grid;
  for (double base : bases) {
    model::RopeSchedule schedule = qp.schedule;
    schedule.base = base;
    std::vector<Ball> row;
    for (std::int64_t M : qp.lengths) {
      Ball sum;
      for (std::int64_t s = 0; s < samples; ++s) {
        sum = interval::add(sum, evaluate(qp, schedule, static_cast<std::uint64_t>(s), M, nullptr),
                            128);
      }
      row.push_back(interval::div(sum, Ball::exact(samples), 128));
    }
    grid.push_back(row);
  }

  InstanceResult result;
  VerdictAccumulator verdict;
  nlohmann::json steps = nlohmann::json::array();
  auto compare = [&](std::size_t b0, std::size_t i0, std::size_t b1, std::size_t i1) {
    const Ball& from = grid[b0][i0];
    const Ball& to = grid[b1][i1];
    interval::Tribool holds = rising ? interval::less(from, to) : interval::greater(from, to);
    verdict.add(holds);
    nlohmann::json step = {
        {"from", {{"base", bases[b0]}, {"M", qp.lengths[i0]}, {"mean", to_json(from)}}},
        {"to", {{"base", bases[b1]}, {"M", qp.lengths[i1]}, {"mean", to_json(to)}}},
        {"holds", interval::to_string(holds)}};
    if (holds == interval::Tribool::False && result.witness.is_null()) result.witness = step;
    steps.push_back(step);
  };
  for (std::size_t b = 0; b < bases.size(); ++b) {
    for (std::size_t i = 0; i < qp.lengths.size(); ++i) {
      if (!along_base && i + 1 < qp.lengths.size()) compare(b, i, b, i + 1);
      if (along_base && b + 1 < bases.size()) compare(b, i, b + 1, i);
    }
  }

  result.verdict = verdict.verdict();
  result.enclosures = {{"quantity", qp.request.name}, {"samples", samples}, {"steps", steps}};
  for (std::size_t b = 0; b < bases.size(); ++b) {
    char text[48];
    std::snprintf(text, sizeof text, "%sB=%g:", b == 0 ? "" : "; ", bases[b]);
    result.summary += text;
    for (const Ball& value : grid[b]) {
      std::snprintf(text, sizeof text, " %.4g", value.midpoint());
      result.summary += text;
    }
  }
  return result;
}

}  // namespace

ClaimKind quantity_bound_kind() {
  ClaimKind kind;
  kind.name = "quantity-bound";
  kind.statement = "for every M in `M`: at_least <= Q(M) <= at_most, Q the named `quantity`";
  kind.keys = {"quantity", "M", "at_least", "at_most", "format", "eps", "key_rho"};
  kind.prepare = [](const Parameters& p) -> InstanceRunner {
    QuantityParameters qp = read_quantity_parameters(p);
    std::optional<double> at_least, at_most;
    if (p.has("at_least")) at_least = p.get_double("at_least");
    if (p.has("at_most")) at_most = p.get_double("at_most");
    if (!at_least && !at_most) p.fail("give 'at_least', 'at_most' or both");
    return [qp, at_least, at_most] { return run_bound(qp, at_least, at_most); };
  };
  return kind;
}

ClaimKind quantity_trend_kind() {
  ClaimKind kind;
  kind.name = "quantity-trend";
  kind.statement = "the mean of the named `quantity` over `samples` samples strictly "
                   "`direction`s (rises or falls) along `along` (M or base)";
  kind.keys = {"quantity", "M", "bases", "samples", "along", "direction", "format", "eps",
               "key_rho"};
  kind.prepare = [](const Parameters& p) -> InstanceRunner {
    QuantityParameters qp = read_quantity_parameters(p);
    std::vector<double> bases =
        p.has("bases") ? p.get_double_list("bases") : std::vector<double>{qp.schedule.base};
    for (double base : bases) {
      if (!(base > 1)) p.fail("base " + std::to_string(base) + " is invalid; give bases above 1");
    }
    std::int64_t samples = p.get_int("samples");
    if (samples < 1 || samples > 10000) p.fail("'samples' must be between 1 and 10000");
    std::string along = p.get_string("along", "M");
    if (along != "M" && along != "base") p.fail("'along' must be \"M\" or \"base\"");
    std::string direction = p.get_string("direction", "rises");
    if (direction != "rises" && direction != "falls") {
      p.fail("'direction' must be \"rises\" or \"falls\"");
    }
    return [qp, bases, samples, along, direction] {
      return run_trend(qp, bases, samples, along == "base", direction == "rises");
    };
  };
  return kind;
}

}  // namespace ropecert::claims
