#pragma once

// A claim kind turns the parameters of one instance into a verdict. Each kind
// lives in its own file (kind_*.cpp) and is listed in claim_kinds.cpp.

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

#include "claims/parameters.hpp"
#include "claims/verdict.hpp"

namespace ropecert::claims {

struct InstanceResult {
  Verdict verdict = Verdict::Undecided;
  std::string summary;          // one line with the deciding numbers, for the table
  nlohmann::json enclosures;    // every enclosure that entered the decision
  nlohmann::json witness;       // for REFUTED: the parameters and enclosures that refute
  long precision_bits = 0;      // largest working precision used
};

using InstanceRunner = std::function<InstanceResult()>;

struct ClaimKind {
  std::string name;
  std::string statement;  // the formal statement with its parameters named
  std::vector<std::string> keys;  // parameter keys, for the documentation
  // Reads and checks every parameter, raising InputError, and returns the
  // computation. All instances are prepared before any runs, so bad input is
  // reported before work starts and no partial certificate is written.
  std::function<InstanceRunner(const Parameters&)> prepare;
};

const std::vector<ClaimKind>& claim_kinds();

// Raises InputError listing the known kinds.
const ClaimKind& find_claim_kind(const std::string& name);

// Combines per-case outcomes: every case True gives PROVED, any False gives
// REFUTED, otherwise UNDECIDED.
class VerdictAccumulator {
 public:
  void add(interval::Tribool outcome) {
    if (outcome == interval::Tribool::False) any_false_ = true;
    if (outcome == interval::Tribool::Unknown) any_unknown_ = true;
  }
  Verdict verdict() const {
    if (any_false_) return Verdict::Refuted;
    return any_unknown_ ? Verdict::Undecided : Verdict::Proved;
  }

 private:
  bool any_false_ = false;
  bool any_unknown_ = false;
};

// Kinds, one factory per file.
ClaimKind dirichlet_bound_kind();
ClaimKind split_error_kind();
ClaimKind inversion_normal_gap_kind();
ClaimKind inversion_near_half_kind();
ClaimKind normal_prediction_trend_kind();
ClaimKind quantity_bound_kind();
ClaimKind quantity_trend_kind();

}  // namespace ropecert::claims
