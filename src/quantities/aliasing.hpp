#pragma once

// Q6: position aliasing A_F(M), the number of pairs m1 < m2 in [0, M) with
// fl_F(S(m1)) == fl_F(S(m2)), and the fraction of distances m with at least
// one such partner. Q8: attention invariance I_F(M), the pairs that alias
// under F for two keys at once, so that swapping the keys between the two
// distances changes no stored logit.

#include <cstdint>
#include <vector>

#include "formats/storage_format.hpp"
#include "model/rope_product.hpp"
#include "quantities/rounded_window.hpp"

namespace ropecert::quantities {

// Certified counts: each true count lies in [certain, possible]. Equality is
// IEEE equality of the stored values (+0 == -0; an fp8_e4m3 overflow, NaN,
// equals nothing).
struct AliasingCount {
  formats::Format format = formats::Format::Bf16;
  std::int64_t M = 0;
  std::uint64_t total_pairs = 0;  // M (M - 1) / 2
  std::uint64_t certain_pairs = 0;
  std::uint64_t possible_pairs = 0;
  std::uint64_t certain_with_partner = 0;   // distances m with a partner for sure
  std::uint64_t possible_with_partner = 0;  // distances m that may have a partner
  std::uint64_t distinct_values = 0;        // distinct stored values (tuples) among decided m
  std::uint64_t refined_values = 0;    // re-evaluations at higher precision, summed over keys
  std::uint64_t undecided_values = 0;  // distances whose rounding stayed undecided (any key)
  std::uint64_t overflow_values = 0;   // decided roundings that overflow, summed over keys
  // true when so many distances were undecided that pairs among them were
  // all counted as possible without checking their ranges one by one.
  bool undecided_pairs_bounded = false;

  double pair_fraction_lower() const;
  double pair_fraction_upper() const;
  double partner_fraction_lower() const;
  double partner_fraction_upper() const;
};

// Q6 for one RoPE product. O(M log M) after the enclosures.
AliasingCount position_aliasing(const model::RopeProduct& product, std::int64_t M,
                                formats::Format format, const ProgressFraction& progress = {});

struct AttentionInvariance {
  AliasingCount first;   // Q6 for S_{q,k1}
  AliasingCount second;  // Q6 for S_{q,k2}
  AliasingCount both;    // Q8: pairs aliasing for k1 and k2 at once
};

// Q6 for each key and Q8, from the same two rounded windows.
AttentionInvariance attention_invariance(const model::RopeProduct& first,
                                         const model::RopeProduct& second, std::int64_t M,
                                         formats::Format format,
                                         const ProgressFraction& progress = {});

// Counts pairs of distances whose stored values agree in every window of
// `windows` (one window: Q6; two: Q8). All windows have the same M and
// format. Groups decided values by sorting; undecided distances are matched
// against the sorted groups by their ranges. Exposed for tests.
AliasingCount count_aliasing(const std::vector<const RoundedWindow*>& windows);

// Above this many undecided distances, pairs among them are not checked one
// by one but all counted as possible.
constexpr std::uint64_t kMaxPairwiseUndecided = 20000;

}  // namespace ropecert::quantities
