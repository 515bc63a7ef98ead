#pragma once

// The second, independent backend: every RoPE quantity recomputed on MPFI
// intervals with code of its own. It shares only the input types and readers
// with the Arb path (schedules, presets, vectors, seeded ensembles), and in
// float32 mode the float32 frequency table, whose entries are exact dyadic
// inputs rather than computed enclosures. `ropecert verify` uses it to
// re-derive certificates, and the typed tests run the same checks on both.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "model/rope_product.hpp"
#include "mpfi_backend/interval.hpp"

namespace ropecert::mpfi_backend {

// theta_0 .. theta_{h-1} and the attention factor.
struct Frequencies {
  std::vector<Interval> theta;
  Interval attention_factor;
};

// Raises InputError when a branch of the schedule's formula (llama3 bands,
// yarn floor and ceil) stays undecided up to 16384 bits.
Frequencies frequencies(const model::RopeSchedule& schedule, Bits prec);

// c_n = u_n conj(v_n) as real and imaginary parts, multiplied by the output scale.
struct Coefficients {
  std::vector<Interval> re;
  std::vector<Interval> im;
};

// One query and two keys, for the product of the key difference.
struct KeyDifference {
  std::vector<double> query;
  std::vector<double> first_key;
  std::vector<double> second_key;
};

class Product {
 public:
  Product(model::RopeSchedule schedule, model::VectorInput input, model::OutputScale scale = {});

  // D = S_{q,k1} - S_{q,k2}, with coefficients u_n conj(v1_n) - u_n conj(v2_n)
  // enclosed directly, so k1 - k2 is never rounded to binary64.
  Product(model::RopeSchedule schedule, const KeyDifference& keys, model::OutputScale scale = {});

  int pairs() const { return schedule_.pairs(); }
  const model::RopeSchedule& schedule() const { return schedule_; }

  // Tables at working precision `prec` (cached).
  const Frequencies& frequencies(Bits prec) const;
  const Coefficients& coefficients(Bits prec) const;

  // S(m) with about `prec` bits beyond the size of the terms, for 0 <= m < 2^53.
  Interval logit(std::int64_t m, Bits prec) const;

  // Outward double bounds of S(m) for m in [first, end), from blocks that each
  // restart with a direct evaluation.
  void window_bounds(std::int64_t first, std::int64_t end, Bits prec, std::vector<double>& lower,
                     std::vector<double>& upper) const;

 private:
  struct Tables {
    Frequencies frequencies;
    Coefficients coefficients;
  };
  const Tables& tables(Bits prec) const;

  model::RopeSchedule schedule_;
  model::VectorInput input_;
  std::vector<double> subtracted_key_;  // k2 of a key difference, else empty
  model::OutputScale scale_;
  mutable std::mutex mutex_;
  mutable std::map<Bits, std::unique_ptr<Tables>> cache_;
};

// (1/N) sum_{m in W} cos(m t) and (1/N) sum_{m in W} sin(m t) for W = [first, end).
struct KernelSums {
  Interval cos_mean;
  Interval sin_mean;
};
KernelSums kernel_sums(const Interval& t, std::int64_t first, std::int64_t end, Bits prec);

struct Moments {
  std::int64_t first = 0, end = 0;
  Interval mean, second_moment, variance;
  Bits precision = 0;
};

// Exact mean and variance of S on [first, end); the precision doubles from
// 128 bits until both have 40 bits of accuracy or 4096 bits are reached.
Moments window_moments(const Product& product, std::int64_t first, std::int64_t end);

// Per pair: M theta_n >= 2 pi. Raises InputError when undecided at 4096 bits.
std::vector<bool> fast_pairs(const Product& product, std::int64_t M);

struct Split {
  int lambda = 0;
  Interval mean;      // sum over slow pairs of Re c_n
  Interval variance;  // 1/2 sum over fast pairs of |c_n|^2
};
Split split_moments(const Product& product, std::int64_t M, Bits prec = 192);

struct InversionRange {
  std::uint64_t total_pairs = 0;
  std::uint64_t certain_less = 0;   // pairs proven to have S(m1) < S(m2)
  std::uint64_t possible_less = 0;  // pairs not proven to have S(m1) >= S(m2)
  Interval fraction() const;        // [certain, possible] / total, outward
};
// Near half [0, floor(M/2)), far half [floor(M/2), M); 2 <= M <= 2^31.
InversionRange position_inversion(const Product& product, std::int64_t M);

// Counts pairs with near < far from double bounds by a two-pointer merge
// over sorted bounds; `refine(i, j)` re-decides overlapping pairs.
InversionRange count_pairs(const std::vector<double>& near_lower,
                           const std::vector<double>& near_upper,
                           const std::vector<double>& far_lower,
                           const std::vector<double>& far_upper,
                           const std::function<Tribool(std::size_t, std::size_t)>& refine);

struct Normal {
  Moments near, far;
  Interval z, probability;
};
Normal normal_prediction(const Product& product, std::int64_t M);

// E_BE(M) = 0.56 * 4/(3 pi) * sum_fast a_n^3 / (1/2 sum_fast a_n^2)^(3/2);
// [0, +inf] when no pair is fast.
Interval berry_esseen(const Product& product, std::int64_t M, Bits prec = 192);

}  // namespace ropecert::mpfi_backend
