#pragma once

// Q10: token aliasing T_F(M), the number of m in [0, M) with
// fl_F(S_{q,k1}(m)) == fl_F(S_{q,k2}(m)); with a threshold, the number of m
// with |D(m)| < eps for D = S_{q,k1} - S_{q,k2}, and its normal prediction
// M * Pr(|Z| < eps) for Z normal with the exact mean and variance of D on [0, M).

#include <cstdint>
#include <optional>

#include "formats/storage_format.hpp"
#include "quantities/moments.hpp"
#include "quantities/rounded_window.hpp"
#include "quantities/two_keys.hpp"

namespace ropecert::quantities {

struct TokenAliasing {
  formats::Format format = formats::Format::Bf16;
  std::int64_t M = 0;
  std::uint64_t certain_equal = 0;   // positions with equal stored logits, for sure
  std::uint64_t possible_equal = 0;  // positions whose stored logits may be equal
  std::uint64_t refined_values = 0;
  std::uint64_t undecided_values = 0;

  std::optional<double> eps;  // the threshold, when given
  std::uint64_t certain_near = 0;   // |D(m)| < eps for sure
  std::uint64_t possible_near = 0;  // |D(m)| < eps not excluded
  Ball predicted_near;              // M * Pr(|Z| < eps), Z ~ N(mu_D, sigma_D^2)
};

// Q10 for two keys. The threshold counts need `eps` (finite, > 0).
TokenAliasing token_aliasing(const TwoKeyProducts& products, std::int64_t M,
                             formats::Format format, std::optional<double> eps = std::nullopt,
                             const ProgressFraction& progress = {});

// The stored-value part from two rounded windows of equal M and format.
TokenAliasing count_token_aliasing(const RoundedWindow& first, const RoundedWindow& second);

// Adds the threshold counts and their normal prediction to `result`.
void add_token_threshold(TokenAliasing& result, const model::RopeProduct& difference, double eps,
                         const ProgressFraction& progress = {});

}  // namespace ropecert::quantities
