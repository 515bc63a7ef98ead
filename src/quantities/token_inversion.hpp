#pragma once

// Q9: token inversion. With D(m) = S_{q,k1}(m) - S_{q,k2}(m), the keys are
// labelled so that D(0) > 0 (swapped when D(0) < 0); T_inv(M) is the fraction
// of m in [0, M) with D(m) < 0, and its normal prediction is Phi(-mu_D / sigma_D)
// with the exact moments of D for m uniform on [0, M).

#include <cstdint>

#include "model/rope_product.hpp"
#include "quantities/moments.hpp"
#include "quantities/rounded_window.hpp"

namespace ropecert::quantities {

enum class KeyLabel {
  AsGiven,   // D(0) > 0: k1 is the key preferred at m = 0
  Swapped,   // D(0) < 0: the keys are swapped, so D is replaced by -D
  Undecided  // D(0) = 0, or its sign stays unknown at 1024 bits: D is used as given
};

std::string to_string(KeyLabel label);

struct TokenInversion {
  std::int64_t M = 0;
  KeyLabel label = KeyLabel::Undecided;
  Ball d0;  // D(0) for the keys as given
  // Distances m with D(m) < 0 after labelling: the true count lies in
  // [certain_negative, possible_negative].
  std::uint64_t certain_negative = 0;
  std::uint64_t possible_negative = 0;
  std::uint64_t refined_values = 0;
  WindowMoments moments;  // of the labelled D over [0, M)
  Ball prediction;        // Phi(-mu_D / sigma_D), [0, 1] when sigma_D cannot be bounded away from 0

  double fraction_lower() const;
  double fraction_upper() const;
};

// `difference` is the product D (see make_two_key_products).
TokenInversion token_inversion(const model::RopeProduct& difference, std::int64_t M,
                               const ProgressFraction& progress = {});

}  // namespace ropecert::quantities
