#pragma once

// The RoPE product S(m) = sum_n Re(c_n exp(i m theta_n)) of one query and one
// key at relative distance m, optionally scaled.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "model/schedule.hpp"
#include "model/vectors.hpp"

namespace ropecert::model {

// The largest distance accepted: m must satisfy 0 <= m < 2^53.
constexpr std::int64_t kMaxDistance = std::int64_t{1} << 53;

// Factors applied to every logit. Neither changes an ordering, but both
// change which values round to the same storage-format number.
struct OutputScale {
  bool inverse_sqrt_dim = false;   // the 1/sqrt(d) of scaled dot-product attention
  bool attention_factor = false;   // the schedule's factor on cos and sin: logit times its square
};

class FastWindow;

// How window() encloses the values. Automatic uses the binary64 sweep with
// an a priori error bound (FastWindow) when FastWindow::applicable(), else
// Arb dot products per distance. Fast forces the sweep whenever its bound is
// valid, even for coefficient sums below 2^-1000, where it is certified but
// wide. Both paths are rigorous.
enum class WindowMethod { Automatic, Fast, Arb };

// Enclosures of S(m) for a window, as outward-rounded double bounds.
struct WindowEnclosures {
  std::int64_t first = 0;     // A: values[i] encloses S(A + i)
  std::vector<double> lower;
  std::vector<double> upper;
};

class RopeProduct {
 public:
  using CoefficientSource = std::function<std::vector<ComplexBall>(Precision)>;

  RopeProduct(RopeSchedule schedule, VectorInput input, OutputScale scale = {});
  RopeProduct(RopeSchedule schedule, CoefficientSource coefficients, OutputScale scale = {});

  const RopeSchedule& schedule() const { return schedule_; }
  int pairs() const { return schedule_.pairs(); }

  // Enclosure of S(m) with about `prec` bits of absolute accuracy relative to
  // the size of the terms. Raises InputError for m outside [0, 2^53).
  Ball value(std::int64_t m, Precision prec) const;

  // Enclosures of S(m) for every m in [first, end). The Arb path does O(h)
  // Arb multiplications per m (no cos or sin per term) and keeps about `prec`
  // bits; the fast path does 4h binary64 operations per m and its half-width
  // is the constant FastWindow::error_bound(), about (2h + 6) 2^-53 sum_n |c_n|,
  // whatever `prec` is. Raises InputError unless 0 <= first <= end <= 2^53.
  WindowEnclosures window(std::int64_t first, std::int64_t end, Precision prec,
                          WindowMethod method = WindowMethod::Automatic) const;

  // The same, written into lower[0 .. end - first) and upper[0 .. end - first)
  // without an intermediate copy. Returns the path used (Fast or Arb); the
  // fast path falls back to Arb for the range if a table entry misses its
  // error budget. Forcing Fast raises std::invalid_argument when the fast
  // bound is not valid (sum_n |c_n| above 2^960 or not finite).
  WindowMethod window_into(std::int64_t first, std::int64_t end, Precision prec, double* lower,
                           double* upper, WindowMethod method = WindowMethod::Automatic) const;

  // The binary64 sweep for this product, built on first use and kept. The
  // reference is valid only as long as this product.
  const FastWindow& fast_window() const;

  // Frequencies at working precision `prec` (cached).
  const FrequencyTable& frequencies(Precision prec) const;

  // c_n, already multiplied by the output scale (cached).
  const std::vector<ComplexBall>& scaled_coefficients(Precision prec) const;

  // The factor every value is multiplied by.
  Ball scale_factor(Precision prec) const;

 private:
  struct Cached {
    FrequencyTable frequencies;
    std::vector<ComplexBall> coefficients;
  };
  const Cached& cached(Precision prec) const;
  void arb_window_into(std::int64_t first, std::int64_t end, Precision prec, double* lower,
                       double* upper) const;

  RopeSchedule schedule_;
  CoefficientSource source_;
  OutputScale scale_;
  mutable std::mutex mutex_;
  mutable std::map<Precision, std::unique_ptr<Cached>> cache_;
  // Separate from mutex_ because building the FastWindow reads cache_.
  mutable std::mutex fast_mutex_;
  mutable std::shared_ptr<const FastWindow> fast_;
};

// Bits needed to write m, at least 1.
int distance_bits(std::int64_t m);

void check_distance(std::int64_t m);

}  // namespace ropecert::model
