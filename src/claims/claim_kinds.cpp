#include "claims/claim_kind.hpp"

#include "util/input_error.hpp"

namespace ropecert::claims {

const std::vector<ClaimKind>& claim_kinds() {
  static const std::vector<ClaimKind> kinds = {
      dirichlet_bound_kind(),
      split_error_kind(),
      inversion_normal_gap_kind(),
      inversion_near_half_kind(),
      normal_prediction_trend_kind(),
      quantity_bound_kind(),
      quantity_trend_kind(),
  };
  return kinds;
}

const ClaimKind& find_claim_kind(const std::string& name) {
  std::string known;
  for (const ClaimKind& kind : claim_kinds()) {
    if (kind.name == name) return kind;
    known += (known.empty() ? "" : ", ") + kind.name;
  }
  throw InputError("unknown claim kind '" + name + "'; known kinds: " + known);
}

}  // namespace ropecert::claims
