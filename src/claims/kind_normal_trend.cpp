// normal-prediction-trend (claim T1-trend in proofs/): the ensemble mean of the normal prediction
// P_N(M) over seeded samples rises along a grid, either with M (for each base)
// or with the base B (for each M). This is a statement about the finite set of
// samples named in the claim; each P_N is certified, so is their mean, and so
// is every comparison.

#include <cstdio>

#include "claims/claim_kind.hpp"
#include "claims/json_encoding.hpp"
#include "quantities/normal_prediction.hpp"

namespace ropecert::claims {

namespace {

using interval::Ball;

struct TrendParameters {
  model::RopeSchedule schedule;
  VectorSource vectors;
  model::OutputScale scale;
  std::vector<std::int64_t> lengths;
  std::vector<double> bases;
  std::int64_t samples = 0;
  bool along_base = false;
};

Ball mean_prediction(const TrendParameters& tp, double base, std::int64_t M) {
  model::RopeSchedule schedule = tp.schedule;
  schedule.base = base;
  Ball sum;
  for (std::int64_t s = 0; s < tp.samples; ++s) {
    model::RopeProduct product(schedule, tp.vectors.get(schedule.rotary_dim, s), tp.scale);
    sum = interval::add(sum, quantities::normal_prediction(product, M).probability, 128);
  }
  return interval::div(sum, Ball::exact(tp.samples), 128);
}

InstanceResult run(const TrendParameters& tp) {
  // grid[b][i]: mean P_N at bases[b], lengths[i].
  std::vector<std::vector<Ball>> grid;
  for (double base : tp.bases) {
    std::vector<Ball> row;
    for (std::int64_t M : tp.lengths) row.push_back(mean_prediction(tp, base, M));
    grid.push_back(row);
  }

  InstanceResult result;
  VerdictAccumulator verdict;
  nlohmann::json steps = nlohmann::json::array();
  auto compare = [&](std::size_t b0, std::size_t i0, std::size_t b1, std::size_t i1) {
    interval::Tribool rises = interval::less(grid[b0][i0], grid[b1][i1]);
    verdict.add(rises);
    nlohmann::json step = {{"from", {{"base", tp.bases[b0]}, {"M", tp.lengths[i0]},
                                     {"mean_P_N", to_json(grid[b0][i0])}}},
                           {"to", {{"base", tp.bases[b1]}, {"M", tp.lengths[i1]},
                                   {"mean_P_N", to_json(grid[b1][i1])}}},
                           {"rises", interval::to_string(rises)}};
    if (rises == interval::Tribool::False && result.witness.is_null()) result.witness = step;
    steps.push_back(step);
  };
  for (std::size_t b = 0; b < tp.bases.size(); ++b) {
    for (std::size_t i = 0; i < tp.lengths.size(); ++i) {
      if (!tp.along_base && i + 1 < tp.lengths.size()) compare(b, i, b, i + 1);
      if (tp.along_base && b + 1 < tp.bases.size()) compare(b, i, b + 1, i);
    }
  }

  result.verdict = verdict.verdict();
  result.enclosures = {{"samples", tp.samples}, {"steps", steps}};
  for (std::size_t b = 0; b < tp.bases.size(); ++b) {
    char text[64];
    std::snprintf(text, sizeof text, "%sB=%g:", b == 0 ? "" : "; ", tp.bases[b]);
    result.summary += text;
    for (const Ball& value : grid[b]) {
      std::snprintf(text, sizeof text, " %.4f", value.midpoint());
      result.summary += text;
    }
  }
  return result;
}

}  // namespace

ClaimKind normal_prediction_trend_kind() {
  ClaimKind kind;
  kind.name = "normal-prediction-trend";
  kind.statement = "the mean of P_N(M) over `samples` ensemble samples strictly rises along "
                   "`along` = \"M\" (each base) or \"base\" (each M) on the grid `M` x `bases`";
  kind.keys = {"M", "bases", "samples", "along"};
  kind.prepare = [](const Parameters& p) -> InstanceRunner {
    TrendParameters tp;
    tp.schedule = read_schedule(p);
    tp.vectors = read_vectors(p);
    if (!tp.vectors.ensemble) p.fail("this kind needs an ensemble in 'vectors'");
    tp.scale = read_scale(p);
    tp.lengths = p.get_int_list("M");
    for (std::int64_t M : tp.lengths) {
      if (M < 2 || M > model::kMaxDistance) {
        p.fail("M = " + std::to_string(M) + " is out of range; give 2 <= M <= 2^53");
      }
    }
    tp.bases = p.has("bases") ? p.get_double_list("bases") : std::vector<double>{tp.schedule.base};
    for (double base : tp.bases) {
      if (!(base > 1)) p.fail("base " + std::to_string(base) + " is invalid; give bases above 1");
    }
    tp.samples = p.get_int("samples");
    if (tp.samples < 1 || tp.samples > 100000) p.fail("'samples' must be between 1 and 100000");
    std::string along = p.get_string("along", "M");
    if (along != "M" && along != "base") p.fail("'along' must be \"M\" or \"base\"");
    tp.along_base = along == "base";
    return [tp] { return run(tp); };
  };
  return kind;
}

}  // namespace ropecert::claims
