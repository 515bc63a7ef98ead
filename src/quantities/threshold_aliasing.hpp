#pragma once

// Q7: threshold aliasing A_eps(M), the number of pairs m1 < m2 in [0, M) with
// |S(m1) - S(m2)| < eps, and the fraction of distances with such a partner.

#include <cstdint>
#include <functional>

#include "interval/tribool.hpp"
#include "model/rope_product.hpp"
#include "quantities/rounded_window.hpp"

namespace ropecert::quantities {

struct ThresholdAliasingCount {
  std::int64_t M = 0;
  double eps = 0.0;  // the threshold, in the units of the (scaled) logit
  std::uint64_t total_pairs = 0;
  std::uint64_t certain_pairs = 0;
  std::uint64_t possible_pairs = 0;
  std::uint64_t certain_with_partner = 0;
  std::uint64_t possible_with_partner = 0;
  // Pairs that the double enclosures left open, compared again at higher
  // precision, and the distances re-evaluated for them.
  std::uint64_t refined_pairs = 0;
  std::uint64_t refined_values = 0;
  bool refinement_skipped = false;  // more than kMaxThresholdRefinedPairs open pairs

  double pair_fraction_lower() const;
  double pair_fraction_upper() const;
  double partner_fraction_lower() const;
  double partner_fraction_upper() const;
};

constexpr std::uint64_t kMaxThresholdRefinedPairs = 1'000'000;

// Q7 for one RoPE product. eps must be finite and positive (InputError).
ThresholdAliasingCount threshold_aliasing(const model::RopeProduct& product, std::int64_t M,
                                          double eps, const ProgressFraction& progress = {});

// Returns |S(a) - S(b)| < eps decided at higher precision, or Unknown.
using ThresholdComparison = std::function<interval::Tribool(std::int64_t a, std::int64_t b)>;

// Counts from double enclosures with one sort and a sweep over the sorted
// lower bounds; open pairs go to `refine`. Exposed for tests.
ThresholdAliasingCount count_threshold_pairs(const model::WindowEnclosures& bounds, double eps,
                                             const ThresholdComparison& refine);

}  // namespace ropecert::quantities
