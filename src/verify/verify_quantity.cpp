// Verifiers of quantity-bound and quantity-trend: recompute every named
// quantity (position inversion and Q6-Q10) with the MPFI backend from the
// certificate's ensemble, and compare the recorded counts and enclosures.
//
// The vectors follow the claim kind's rule: sample i of an instance takes q
// and k1 from ensemble sample `vectors.sample + 2i` and k2 from sample
// `vectors.sample + 2i + 1`, through model::ensemble_two_keys with `key_rho`.

#include <cstdio>
#include <optional>

#include "formats/storage_format.hpp"
#include "model/ensemble.hpp"
#include "mpfi_backend/failure_modes.hpp"
#include "util/input_error.hpp"
#include "verify/verifier.hpp"

namespace ropecert::verify {

namespace {

namespace mb = mpfi_backend;
using mb::Interval;

struct QuantitySetup {
  std::string name;
  formats::Format format = formats::Format::Bf16;
  std::optional<double> eps;
  std::optional<double> key_rho;
  model::EnsembleSpec ensemble;
  std::uint64_t first_sample = 0;
};

QuantitySetup read_setup(const VerifyInput& in) {
  const json& p = in.parameters();
  QuantitySetup out;
  out.name = p.at("quantity").get<std::string>();
  out.format = formats::parse_format(p.value("format", std::string("bf16")));
  if (p.contains("eps")) out.eps = p.at("eps").get<double>();
  if (p.contains("key_rho")) out.key_rho = p.at("key_rho").get<double>();
  const json& v = in.instance.at("inputs").at("vectors");
  if (!v.contains("ensemble")) {
    throw InputError("certificate instance of kind " + in.claim.at("kind").dump() +
                     " has no ensemble in 'inputs.vectors'; give a certificate written by "
                     "'ropecert check'");
  }
  out.ensemble.kind = model::parse_ensemble_kind(v.at("ensemble").get<std::string>());
  out.ensemble.seed = v.at("seed").get<std::uint64_t>();
  out.ensemble.rho = v.at("rho").get<double>();
  out.first_sample = v.at("sample").get<std::uint64_t>();
  return out;
}

// A recorded count range {"certain", "possible"} and ours must meet, because
// both contain the true count.
void compare_range(const std::string& what, const json& recorded, const mb::CountRange& mine,
                   VerifyOutcome& outcome) {
  const auto certain = recorded.at("certain").get<std::uint64_t>();
  const auto possible = recorded.at("possible").get<std::uint64_t>();
  if (std::max(certain, mine.certain) > std::min(possible, mine.possible)) {
    outcome.disagreements.push_back(
        {what + ": count ranges are disjoint",
         "[" + std::to_string(certain) + ", " + std::to_string(possible) + "]",
         "[" + std::to_string(mine.certain) + ", " + std::to_string(mine.possible) + "]"});
  }
}

void compare_alias(const std::string& where, const json& recorded, const mb::AliasCounts& mine,
                   VerifyOutcome& outcome) {
  compare_range(where + ": aliasing pairs", recorded.at("pairs"), mine.pairs, outcome);
  compare_range(where + ": distances with a partner", recorded.at("with_partner"),
                mine.with_partner, outcome);
}

// One evaluation of the named quantity; with `recorded` details, their counts
// and enclosures are compared with ours.
Interval evaluate(const QuantitySetup& setup, const VerifyInput& in,
                  const model::RopeSchedule& schedule, std::uint64_t sample, std::int64_t M,
                  const std::string& where, const json* recorded, VerifyOutcome& outcome) {
  model::QueryTwoKeys vectors = model::ensemble_two_keys(
      setup.ensemble, setup.first_sample + 2 * sample, schedule.rotary_dim, setup.key_rho);
  const std::string& name = setup.name;
  mb::Product first(schedule, model::QueryKey{vectors.q, vectors.k1}, in.scale);

  if (name == "inversion" || name == "inversion-distance-to-half") {
    mb::InversionRange count = mb::position_inversion(first, M);
    if (recorded) {
      mb::CountRange range{count.certain_less, count.possible_less, count.total_pairs};
      compare_range(where + ": inversion pairs",
                    {{"certain", recorded->at("certain_less")},
                     {"possible", recorded->at("possible_less")}},
                    range, outcome);
    }
    Interval p = count.fraction();
    if (name == "inversion") return p;
    return mb::abs(mb::sub(p, Interval::ratio(1, 2, 128), 128));
  }
  if (name == "alias-pair-fraction" || name == "alias-partner-fraction") {
    mb::AliasCounts count = mb::position_aliasing(first, M, setup.format);
    if (recorded) compare_alias(where, *recorded, count, outcome);
    return name == "alias-pair-fraction" ? count.pairs.fraction() : count.with_partner.fraction();
  }
  if (name == "threshold-partner-fraction") {
    mb::AliasCounts count = mb::threshold_aliasing(first, M, *setup.eps);
    if (recorded) compare_alias(where, *recorded, count, outcome);
    return count.with_partner.fraction();
  }

  mb::Product second(schedule, model::QueryKey{vectors.q, vectors.k2}, in.scale);
  mb::Product difference(schedule, mb::KeyDifference{vectors.q, vectors.k1, vectors.k2},
                         in.scale);
  if (name == "invariance-pair-fraction") {
    mb::Invariance inv = mb::attention_invariance(first, second, M, setup.format);
    if (recorded) {
      compare_alias(where + ", key 1", recorded->at("first"), inv.first, outcome);
      compare_alias(where + ", key 2", recorded->at("second"), inv.second, outcome);
      compare_alias(where + ", both keys", recorded->at("both"), inv.both, outcome);
    }
    return inv.both.pairs.fraction();
  }
  if (name == "token-inversion" || name == "token-inversion-prediction") {
    mb::TokenInversion inv = mb::token_inversion(difference, M);
    if (recorded) {
      compare(where + ": D(0)", recorded->at("d0"), inv.d0, outcome);
      compare_range(where + ": distances with D(m) < 0", recorded->at("negative"), inv.negative,
                    outcome);
      compare(where + ": Phi(-mu_D / sigma_D)", recorded->at("prediction"), inv.prediction,
              outcome);
      std::string label;
      if (inv.label == 1) label = "as_given";
      if (inv.label == -1) label = "swapped";
      const std::string recorded_label = recorded->at("label").get<std::string>();
      if (!label.empty() && recorded_label != "undecided" && recorded_label != label) {
        outcome.disagreements.push_back({where + ": key label", recorded_label, label});
      }
    }
    return name == "token-inversion" ? inv.negative.fraction() : inv.prediction;
  }
  if (name == "token-alias-fraction" || name == "token-near-fraction" ||
      name == "token-near-prediction" || name == "token-near-gap") {
    mb::TokenAliasing aliasing =
        mb::token_aliasing(first, second, difference, M, setup.format, setup.eps);
    if (recorded) {
      compare_range(where + ": positions with equal stored logits", recorded->at("equal"),
                    aliasing.equal, outcome);
      if (aliasing.eps && recorded->contains("near")) {
        compare_range(where + ": positions with |D(m)| < eps", recorded->at("near"),
                      aliasing.near, outcome);
        compare(where + ": M Pr(|Z| < eps)", recorded->at("predicted_near"),
                aliasing.predicted_near, outcome);
      }
    }
    if (name == "token-alias-fraction") return aliasing.equal.fraction();
    Interval near = aliasing.near.fraction();
    if (name == "token-near-fraction") return near;
    if (name == "token-near-prediction") return aliasing.near_probability;
    return mb::abs(mb::sub(near, aliasing.near_probability, 256));
  }
  throw InputError("certificate quantity '" + name +
                   "' is unknown to the verifier; give a certificate written by 'ropecert check'");
}

std::string case_name(const std::string& quantity, double base, std::int64_t M) {
  char text[160];
  std::snprintf(text, sizeof text, "%s at B = %g, M = %lld", quantity.c_str(), base,
                static_cast<long long>(M));
  return text;
}

VerifyOutcome verify_bound(const VerifyInput& in) {
  const QuantitySetup setup = read_setup(in);
  const json& p = in.parameters();
  std::optional<Interval> at_least, at_most;
  if (p.contains("at_least")) at_least = Interval::point(p.at("at_least").get<double>(), 64);
  if (p.contains("at_most")) at_most = Interval::point(p.at("at_most").get<double>(), 64);

  const json& recorded_cases = in.enclosures().at("cases");
  std::vector<std::int64_t> Ms = lengths(p);
  VerifyOutcome outcome;
  std::vector<interval::Tribool> holds;
  for (std::size_t i = 0; i < Ms.size(); ++i) {
    const std::int64_t M = Ms[i];
    const std::string where = case_name(setup.name, in.schedule.base, M);
    const json* recorded = i < recorded_cases.size() ? &recorded_cases[i] : nullptr;
    if (recorded && recorded->at("M").get<std::int64_t>() != M) recorded = nullptr;
    if (!recorded) outcome.disagreements.push_back({where, "no matching case", "recomputed"});

    Interval value = evaluate(setup, in, in.schedule, 0, M, where,
                              recorded ? &recorded->at("details") : nullptr, outcome);
    if (recorded) compare(where, recorded->at("value"), value, outcome);
    interval::Tribool ok = interval::Tribool::True;
    if (at_least) ok = interval::tribool_and(ok, mb::less_equal(*at_least, value));
    if (at_most) ok = interval::tribool_and(ok, mb::less_equal(value, *at_most));
    holds.push_back(ok);
  }
  outcome.verdict = combine(holds);
  outcome.summary = std::to_string(Ms.size()) + " lengths of " + setup.name + " recomputed";
  return outcome;
}

VerifyOutcome verify_trend(const VerifyInput& in) {
  const QuantitySetup setup = read_setup(in);
  const json& p = in.parameters();
  std::vector<std::int64_t> Ms = lengths(p);
  std::vector<double> bases{in.schedule.base};
  if (p.contains("bases")) {
    bases = p.at("bases").is_array() ? p.at("bases").get<std::vector<double>>()
                                     : std::vector<double>{p.at("bases").get<double>()};
  }
  const std::int64_t samples = p.at("samples").get<std::int64_t>();
  const bool along_base = p.value("along", std::string("M")) == "base";
  const bool rising = p.value("direction", std::string("rises")) == "rises";

  // grid[b][i]: the sample mean at bases[b], Ms[i]. Trend certificates record
  // only the means, so no per-sample details are compared.
  VerifyOutcome outcome;
  std::vector<std::vector<Interval>> grid;
  for (double base : bases) {
    model::RopeSchedule schedule = in.schedule;
    schedule.base = base;
    std::vector<Interval> row;
    for (std::int64_t M : Ms) {
      Interval sum(256);
      for (std::int64_t s = 0; s < samples; ++s) {
        sum = mb::add(sum,
                      evaluate(setup, in, schedule, static_cast<std::uint64_t>(s), M,
                               case_name(setup.name, base, M), nullptr, outcome),
                      256);
      }
      row.push_back(mb::div(sum, Interval::integer(samples, 256), 256));
    }
    grid.push_back(row);
  }

  std::vector<interval::Tribool> holds;
  const json& steps = in.enclosures().at("steps");
  std::size_t step = 0;
  auto compare_step = [&](std::size_t b0, std::size_t i0, std::size_t b1, std::size_t i1) {
    holds.push_back(rising ? mb::less(grid[b0][i0], grid[b1][i1])
                           : mb::less(grid[b1][i1], grid[b0][i0]));
    if (step >= steps.size()) {
      outcome.disagreements.push_back({"number of steps", std::to_string(steps.size()), "more"});
      return;
    }
    const json& recorded = steps[step++];
    compare("mean " + case_name(setup.name, bases[b0], Ms[i0]), recorded.at("from").at("mean"),
            grid[b0][i0], outcome);
    compare("mean " + case_name(setup.name, bases[b1], Ms[i1]), recorded.at("to").at("mean"),
            grid[b1][i1], outcome);
  };
  for (std::size_t b = 0; b < bases.size(); ++b) {
    for (std::size_t i = 0; i < Ms.size(); ++i) {
      if (!along_base && i + 1 < Ms.size()) compare_step(b, i, b, i + 1);
      if (along_base && b + 1 < bases.size()) compare_step(b, i, b + 1, i);
    }
  }
  outcome.verdict = combine(holds);
  outcome.summary = std::to_string(holds.size()) + " steps of the mean " + setup.name +
                    " recomputed over " + std::to_string(samples) + " samples";
  return outcome;
}

const RegisterVerifier kQuantityBound{"quantity-bound", verify_bound};
const RegisterVerifier kQuantityTrend{"quantity-trend", verify_trend};

}  // namespace

}  // namespace ropecert::verify
