#pragma once

// Certified sweep of S(m) over a window in plain binary64 arithmetic.
//
// Every value S(m) is computed as one binary64 dot product of length 2h from
// tables that Arb rounds to nearest binary64, and enclosed as [s - E, s + E]
// with one constant E that bounds all rounding errors a priori. E does not
// depend on m or on the order of summation. The derivation is in
// fast_window.cpp, next to the code it bounds.

#include <cstdint>
#include <vector>

#include "interval/complex_ball.hpp"

namespace ropecert::model {

class RopeProduct;

// Distances are split as m = base + k * kFastBlock + j with base a multiple
// of kFastSuperblock (an absolute grid, so that results never depend on how a
// caller cuts a range), k < kFastBlocksPerSuperblock and j < kFastBlock.
constexpr int kFastBlock = 256;
constexpr int kFastBlocksPerSuperblock = 256;
constexpr std::int64_t kFastSuperblock = std::int64_t{kFastBlock} * kFastBlocksPerSuperblock;

class FastWindow {
 public:
  // Builds the step tables and the error bound from the scaled coefficients
  // and frequencies of `product`. Raises std::runtime_error when the rounding
  // mode is not round-to-nearest, because the bound assumes it.
  explicit FastWindow(const RopeProduct& product);

  // Whether the enclosures are certified: the bound is finite, sum_n |c_n| <=
  // 2^960 (so no intermediate overflows) and every step-table entry met its
  // error budget. evaluate() raises std::logic_error otherwise.
  bool bound_valid() const;

  // Whether the fast path is worth using: bound_valid() and sum_n |c_n| >=
  // 2^-1000. Below that (a zero product included) products underflow and the
  // absolute underflow term 2h 2^-1075 dominates the bound, so callers use
  // the Arb path, whose enclosures stay relative to the values.
  bool applicable() const { return applicable_; }

  // E: every output satisfies lower <= S(m) <= upper with lower = fl(s - E),
  // upper = fl(s + E). Rounded up. Finite only when applicable().
  double error_bound() const { return error_bound_; }

  // sum_n |c_n|, rounded up: the scale the bound is relative to.
  double coefficient_sum() const { return coefficient_sum_; }

  // Writes enclosures of S(m) for m in [first, end) into lower[m - first] and
  // upper[m - first], using `threads` threads (0: all hardware threads).
  // Returns false, leaving some entries unwritten, only if a table entry
  // could not be rounded within its error budget even at 1024 bits; the
  // caller must then use the Arb path for the range.
  bool evaluate(std::int64_t first, std::int64_t end, double* lower, double* upper,
                int threads = 0) const;

  int pairs() const { return pairs_; }

  // Test hook: divides the error bound by `factor` so that tests can show
  // the containment check fails without the full bound. Never call it
  // outside tests; the enclosures are no longer certified afterwards.
  void shrink_error_bound_for_testing(double factor);

 private:
  bool evaluate_range(std::int64_t first, std::int64_t end, double* lower, double* upper) const;

  int pairs_ = 0;
  bool applicable_ = false;
  bool tables_ok_ = false;
  double error_bound_ = 0.0;
  double coefficient_sum_ = 0.0;

  // Per-pair budgets for the table entries, see fast_window.cpp.
  std::vector<double> coefficient_bound_;  // C_n >= |c_n|
  std::vector<double> base_budget_;        // beta0_n

  // Step tables, layout [n][j]: exp(i j theta_n) for j < kFastBlock and
  // exp(i k kFastBlock theta_n) for k < kFastBlocksPerSuperblock.
  std::vector<double> step_real_, step_imag_;
  std::vector<double> block_real_, block_imag_;

  // Coefficients and frequencies as balls at 192 bits, and at 512 bits for
  // the rare superblock base that misses its budget at 192.
  std::vector<interval::ComplexBall> coefficients_;
  std::vector<interval::Ball> theta_;
  std::vector<interval::ComplexBall> retry_coefficients_;
  std::vector<interval::Ball> retry_theta_;
};

namespace fast_window_detail {

// The binary64 kernel shared by the certified sweep and the unverified
// benchmark kernel: out[j] = sum_n (br[n] tr[n][j] - bi[n] ti[n][j]) for
// j < kFastBlock, summed over n in increasing order, the real-part product
// added before the imaginary-part product is subtracted.
void sweep_block(const double* base_real, const double* base_imag, const double* step_real,
                 const double* step_imag, int pairs, double* out);

}  // namespace fast_window_detail

}  // namespace ropecert::model
