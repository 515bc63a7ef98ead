#pragma once

// Q6-Q10 on the MPFI backend: position aliasing, threshold aliasing,
// attention invariance, token inversion and token aliasing. Every count is a
// range [certain, possible] that contains the true count, decided from MPFI
// enclosures of S(m) and refined at 128, 256, 512 and 1024 bits where an
// enclosure straddles a rounding boundary or a threshold.
//
// Stored values come from this file's own rounding of MPFR numbers
// (`round_stored`); only the format definitions (formats::spec) are shared
// with the Arb path, so a bug in its rounding or counting shows up as a
// disagreement.

#include <mpfr.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "formats/storage_format.hpp"
#include "mpfi_backend/backend.hpp"

namespace ropecert::mpfi_backend {

// fl_F(x): x rounded to nearest, ties to even, with the format's subnormals.
// Magnitudes that round beyond the largest finite value return +-infinity,
// and a zero result is +0.
double round_stored(mpfr_srcptr x, formats::Format format);

// fl_F(S(m)) for m in [0, M). low[m] == high[m] when every point of the
// enclosure rounds to one value; otherwise the rounding stayed undecided up to
// 1024 bits and fl_F(S(m)) is some format value in [low[m], high[m]].
struct StoredWindow {
  formats::Format format = formats::Format::Bf16;
  std::int64_t M = 0;
  std::vector<double> low;
  std::vector<double> high;
  std::uint64_t refined_values = 0;    // distances re-evaluated with Product::logit
  std::uint64_t undecided_values = 0;  // distances still undecided at 1024 bits

  bool decided(std::int64_t m) const { return low[m] == high[m]; }
};

StoredWindow stored_window(const Product& product, std::int64_t M, formats::Format format);

// A true count lies in [certain, possible]; `total` is the count's denominator.
struct CountRange {
  std::uint64_t certain = 0;
  std::uint64_t possible = 0;
  std::uint64_t total = 0;

  Interval fraction() const;  // [certain / total, possible / total], outward
};

// Pairs m1 < m2 in [0, M) that alias, and distances with at least one partner.
struct AliasCounts {
  CountRange pairs;
  CountRange with_partner;
  std::uint64_t refined_values = 0;
  std::uint64_t undecided_values = 0;
};

// Counts pairs of distances whose stored values are equal in every window
// (one window: Q6, two: Q8), by grouping decided values in sorted order.
// Equality is IEEE equality of stored values: +0 == -0, and an fp8_e4m3
// overflow, stored as NaN, equals nothing.
AliasCounts alias_counts(const std::vector<const StoredWindow*>& windows);

// Q6. Raises InputError unless 2 <= M <= 2^31.
AliasCounts position_aliasing(const Product& product, std::int64_t M, formats::Format format);

// Q8 (`both`), with Q6 for each key from the same stored windows.
struct Invariance {
  AliasCounts first;
  AliasCounts second;
  AliasCounts both;
};
Invariance attention_invariance(const Product& first, const Product& second, std::int64_t M,
                                formats::Format format);

// Q7: pairs with |S(m1) - S(m2)| < eps. Raises InputError unless eps is finite
// and positive.
AliasCounts threshold_aliasing(const Product& product, std::int64_t M, double eps);

// Q9 on D = S_{q,k1} - S_{q,k2} (a Product built from KeyDifference).
struct TokenInversion {
  // +1: D(0) > 0, keys as given; -1: D(0) < 0, D replaced by -D; 0: the sign
  // of D(0) stays open at 1024 bits (or D(0) = 0), D used as given.
  int label = 0;
  Interval d0;              // D(0) for the keys as given
  CountRange negative;      // m in [0, M) with labelled D(m) < 0
  Moments moments;          // of the labelled D on [0, M)
  Interval prediction;      // Phi(-mu_D / sigma_D); [0, 1] when sigma_D may be 0
};
TokenInversion token_inversion(const Product& difference, std::int64_t M);

// Q10: positions whose two stored logits are equal and, with a threshold,
// positions with |D(m)| < eps and the normal probability Pr(|Z| < eps), Z
// normal with the exact mean and variance of D on [0, M).
struct TokenAliasing {
  CountRange equal;
  std::optional<double> eps;
  CountRange near;
  Interval near_probability;  // Pr(|Z| < eps); [0, 1] when sigma_D may be 0
  Interval predicted_near;    // M Pr(|Z| < eps)
};
TokenAliasing token_aliasing(const Product& first, const Product& second,
                             const Product& difference, std::int64_t M, formats::Format format,
                             std::optional<double> eps);

}  // namespace ropecert::mpfi_backend
