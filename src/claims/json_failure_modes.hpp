#pragma once

// JSON forms of the failure-mode quantities Q6-Q10, in the style of
// json_encoding.hpp. Every count is an exact integer range
// {"certain": c, "possible": p}: the true count lies in [c, p], and c == p
// when every value was decided. Fractions are doubles rounded outward.
//
// AliasingCount (Q6, and Q8 as "both"):
//   {"format", "M", "total_pairs", "pairs": range, "pair_fraction": [lo, hi],
//    "with_partner": range, "partner_fraction": [lo, hi], "distinct_values",
//    "refined_values", "undecided_values", "overflow_values",
//    "undecided_pairs_bounded"}
// AttentionInvariance: {"first": AliasingCount, "second": ..., "both": ...}
// ThresholdAliasingCount (Q7):
//   {"M", "eps", "total_pairs", "pairs": range, "pair_fraction",
//    "with_partner": range, "partner_fraction", "refined_pairs",
//    "refined_values", "refinement_skipped"}
// TokenInversion (Q9):
//   {"M", "label": "as_given"|"swapped"|"undecided", "d0": ball,
//    "negative": range, "fraction": [lo, hi], "moments": WindowMoments of the
//    labelled D, "prediction": ball, "refined_values"}
// TokenAliasing (Q10):
//   {"format", "M", "equal": range, "refined_values", "undecided_values",
//    and with a threshold "eps", "near": range, "predicted_near": ball}

#include <nlohmann/json.hpp>

#include "quantities/aliasing.hpp"
#include "quantities/threshold_aliasing.hpp"
#include "quantities/token_aliasing.hpp"
#include "quantities/token_inversion.hpp"

namespace ropecert::claims {

nlohmann::json to_json(const quantities::AliasingCount& count);
nlohmann::json to_json(const quantities::AttentionInvariance& invariance);
nlohmann::json to_json(const quantities::ThresholdAliasingCount& count);
nlohmann::json to_json(const quantities::TokenInversion& inversion);
nlohmann::json to_json(const quantities::TokenAliasing& aliasing);

}  // namespace ropecert::claims
