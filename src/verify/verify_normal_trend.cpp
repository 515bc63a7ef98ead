// Verifier of normal-prediction-trend: recomputes the ensemble mean of P_N on
// the grid M x bases and every comparison along the grid.

#include "verify/verifier.hpp"

namespace ropecert::verify {

namespace {

namespace mb = mpfi_backend;
using mb::Interval;

VerifyOutcome verify(const VerifyInput& in) {
  const json& p = in.parameters();
  std::vector<std::int64_t> Ms = lengths(p);
  std::vector<double> bases{in.schedule.base};
  if (p.contains("bases")) {
    bases = p.at("bases").is_array() ? p.at("bases").get<std::vector<double>>()
                                     : std::vector<double>{p.at("bases").get<double>()};
  }
  const std::int64_t samples = p.at("samples").get<std::int64_t>();
  const bool along_base = p.value("along", std::string("M")) == "base";

  // grid[b][i]: mean P_N at bases[b], Ms[i].
  std::vector<std::vector<Interval>> grid;
  for (double base : bases) {
    model::RopeSchedule schedule = in.schedule;
    schedule.base = base;
    std::vector<Interval> row;
    for (std::int64_t M : Ms) {
      Interval sum(128);
      for (std::int64_t s = 0; s < samples; ++s) {
        mb::Product product(schedule, in.vectors(static_cast<std::uint64_t>(s)), in.scale);
        sum = mb::add(sum, mb::normal_prediction(product, M).probability, 128);
      }
      row.push_back(mb::div(sum, Interval::integer(samples, 128), 128));
    }
    grid.push_back(row);
  }

  VerifyOutcome outcome;
  std::vector<interval::Tribool> rises;
  const json& steps = in.enclosures().at("steps");
  std::size_t step = 0;
  auto compare_step = [&](std::size_t b0, std::size_t i0, std::size_t b1, std::size_t i1) {
    rises.push_back(mb::less(grid[b0][i0], grid[b1][i1]));
    if (step >= steps.size()) {
      outcome.disagreements.push_back({"number of steps", std::to_string(steps.size()), "more"});
      return;
    }
    const json& recorded = steps[step++];
    auto where = [&](std::size_t b, std::size_t i) {
      char text[96];
      std::snprintf(text, sizeof text, "mean P_N at B = %g, M = %lld", bases[b],
                    static_cast<long long>(Ms[i]));
      return std::string(text);
    };
    compare(where(b0, i0), recorded.at("from").at("mean_P_N"), grid[b0][i0], outcome);
    compare(where(b1, i1), recorded.at("to").at("mean_P_N"), grid[b1][i1], outcome);
  };
  for (std::size_t b = 0; b < bases.size(); ++b) {
    for (std::size_t i = 0; i < Ms.size(); ++i) {
      if (!along_base && i + 1 < Ms.size()) compare_step(b, i, b, i + 1);
      if (along_base && b + 1 < bases.size()) compare_step(b, i, b + 1, i);
    }
  }
  outcome.verdict = combine(rises);
  outcome.summary = std::to_string(rises.size()) + " steps recomputed over " +
                    std::to_string(samples) + " samples";
  return outcome;
}

const RegisterVerifier kNormalTrend{"normal-prediction-trend", verify};

}  // namespace

}  // namespace ropecert::verify
