#pragma once

// Q3: position inversion. P_inv(M) is the fraction of pairs (m1, m2) with m1 in
// the near half [0, floor(M/2)) and m2 in the far half [floor(M/2), M) such
// that S(m1) < S(m2).

#include <cstdint>
#include <functional>

#include "model/rope_product.hpp"

namespace ropecert::quantities {

using interval::Ball;
using interval::Precision;

struct InversionCount {
  std::int64_t M = 0;
  std::uint64_t total_pairs = 0;
  // Pairs proven to satisfy S(m1) < S(m2), and pairs not proven to violate it.
  // The true count lies in [certain_less, possible_less].
  std::uint64_t certain_less = 0;
  std::uint64_t possible_less = 0;
  // Near-tie pairs whose double enclosures overlapped and that were compared
  // again at higher precision, and the distinct distances re-evaluated.
  std::uint64_t refined_pairs = 0;
  std::uint64_t refined_values = 0;
  bool refinement_skipped = false;  // too many overlapping pairs to refine one by one

  double fraction_lower() const;  // certain_less / total_pairs, rounded down
  double fraction_upper() const;  // possible_less / total_pairs, rounded up
};

using ProgressCallback = std::function<void(double done_fraction)>;

// O(M log M) time: sorts the bounds in place and counts by merging. Memory:
// 16 bytes per distance for the enclosures, 32 while near-ties are refined.
// Near-ties (at most 10^6 pairs) are compared with Arb at 128 to 1024 bits.
// Raises InputError unless 2 <= M <= 2^31.
// `method` selects how the window is enclosed (tests compare the paths).
InversionCount position_inversion(const model::RopeProduct& product, std::int64_t M,
                                  const ProgressCallback& progress = {},
                                  model::WindowMethod method = model::WindowMethod::Automatic);

// The largest M accepted by position_inversion (memory: 32 bytes per distance
// at most, so 64 GiB at this limit).
constexpr std::int64_t kMaxInversionLength = std::int64_t{1} << 31;

// Counts pairs (x in near, y in far) with x < y among enclosures given as
// double bounds, refining overlapping pairs with `refine` (a comparison at
// higher precision that returns True, False or Unknown). Exposed for tests.
using PairComparison = std::function<interval::Tribool(std::int64_t near_index,
                                                       std::int64_t far_index)>;
InversionCount count_less_pairs(const std::vector<double>& near_lower,
                                const std::vector<double>& near_upper,
                                const std::vector<double>& far_lower,
                                const std::vector<double>& far_upper,
                                const PairComparison& refine);

}  // namespace ropecert::quantities
