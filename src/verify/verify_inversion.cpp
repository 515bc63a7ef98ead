// Verifiers of inversion-normal-gap and inversion-near-half: recount the
// position inversion pairs from MPFI enclosures of S(m), and recompute the
// normal prediction and the Berry-Esseen term.

#include "util/input_error.hpp"
#include "verify/verifier.hpp"

namespace ropecert::verify {

namespace {

namespace mb = mpfi_backend;
using mb::Interval;

// The true count lies in both recorded and recomputed ranges, so they must meet.
void compare_counts(const std::string& where, const json& recorded, const mb::InversionRange& mine,
                    VerifyOutcome& outcome) {
  std::uint64_t certain = recorded.at("certain_less").get<std::uint64_t>();
  std::uint64_t possible = recorded.at("possible_less").get<std::uint64_t>();
  std::uint64_t total = recorded.at("total_pairs").get<std::uint64_t>();
  if (total != mine.total_pairs || std::max(certain, mine.certain_less) >
                                       std::min(possible, mine.possible_less)) {
    outcome.disagreements.push_back(
        {where + ": inversion pair count",
         "[" + std::to_string(certain) + ", " + std::to_string(possible) + "] of " +
             std::to_string(total),
         "[" + std::to_string(mine.certain_less) + ", " + std::to_string(mine.possible_less) +
             "] of " + std::to_string(mine.total_pairs)});
  }
}

VerifyOutcome verify_cases(const VerifyInput& in, bool near_half) {
  mb::Product product(in.schedule, in.vectors(0), in.scale);
  const json& tolerance_parameter = in.parameters().at("tolerance");
  const bool berry_esseen_tolerance = tolerance_parameter.is_string();
  if (berry_esseen_tolerance && tolerance_parameter.get<std::string>() != "berry-esseen") {
    throw InputError("certificate tolerance " + tolerance_parameter.dump() +
                     " is invalid; give a number or \"berry-esseen\"");
  }
  const json& recorded_cases = in.enclosures().at("cases");
  std::vector<std::int64_t> Ms = lengths(in.parameters());
  VerifyOutcome outcome;
  std::vector<interval::Tribool> holds;
  for (std::size_t i = 0; i < Ms.size(); ++i) {
    const std::int64_t M = Ms[i];
    const std::string where = "M = " + std::to_string(M);
    const json* recorded = i < recorded_cases.size() ? &recorded_cases[i] : nullptr;
    if (recorded && recorded->at("M").get<std::int64_t>() != M) recorded = nullptr;
    if (!recorded) outcome.disagreements.push_back({where, "no matching case", "recomputed"});

    mb::InversionRange count = mb::position_inversion(product, M);
    Interval p_inv = count.fraction();
    if (recorded) compare_counts(where, recorded->at("inversion"), count, outcome);

    if (near_half) {
      Interval distance = mb::abs(mb::sub(p_inv, Interval::ratio(1, 2, 128), 128));
      Interval tolerance = Interval::point(tolerance_parameter.get<double>(), 128);
      holds.push_back(mb::less_equal(distance, tolerance));
      if (recorded) compare(where + ": |P_inv - 1/2|", recorded->at("distance_to_half"), distance, outcome);
      continue;
    }
    mb::Normal normal = mb::normal_prediction(product, M);
    Interval gap = mb::abs(mb::sub(p_inv, normal.probability, 128));
    Interval tolerance(128);
    if (berry_esseen_tolerance) {
      tolerance = mb::berry_esseen(product, M);
      if (recorded) {
        compare(where + ": Berry-Esseen term", recorded->at("berry_esseen").at("value"), tolerance,
                outcome);
      }
    } else {
      tolerance = Interval::point(tolerance_parameter.get<double>(), 128);
    }
    holds.push_back(mb::less_equal(gap, tolerance));
    if (recorded) {
      compare(where + ": P_N", recorded->at("normal_prediction"), normal.probability, outcome);
      compare(where + ": |P_inv - P_N|", recorded->at("gap"), gap, outcome);
    }
  }
  outcome.verdict = combine(holds);
  outcome.summary = std::to_string(Ms.size()) + " lengths recounted";
  return outcome;
}

const RegisterVerifier kNormalGap{"inversion-normal-gap",
                                  [](const VerifyInput& in) { return verify_cases(in, false); }};
const RegisterVerifier kNearHalf{"inversion-near-half",
                                 [](const VerifyInput& in) { return verify_cases(in, true); }};

}  // namespace

}  // namespace ropecert::verify
