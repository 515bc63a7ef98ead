#include "model/fast_window.hpp"
#include "util/fault_injection.hpp"

#include <cfenv>
#include <cfloat>
#include <cmath>
#include <exception>
#include <limits>
#include <stdexcept>
#include <thread>

#include "model/rope_product.hpp"
#include "util/input_error.hpp"

// Error analysis of the certified sweep
// =====================================
//
// Notation. u = 2^-53 is the unit roundoff of binary64 with round-to-nearest,
// eta = 2^-1075 the largest absolute error of a product that underflows, and
// gamma_k = k u / (1 - k u). Standard model (Higham, "Accuracy and Stability
// of Numerical Algorithms", 2nd ed., sections 2.2 and 3.1): for doubles x, y
// without overflow, fl(x +- y) = (x +- y)(1 + d) with |d| <= u (a sum that
// lands in the subnormal range is exact, so addition needs no underflow
// term), and fl(x y) = x y (1 + d) + e with |d| <= u, |e| <= eta.
//
// Decomposition. m = base + k L + j (L = kFastBlock, base a multiple of
// kFastSuperblock). With b0_n = c_n exp(i base theta_n), u_kn = exp(i k L
// theta_n) and t_jn = exp(i j theta_n):
//   S(m) = sum_n Re(b_kn t_jn),  b_kn = b0_n u_kn = c_n exp(i (base + k L) theta_n).
//
// Step 1, tables from Arb. Every table entry is an Arb ball around the exact
// value. Its midpoint is rounded to the nearest double, and the error
// |double - x| for every point x of the ball is bounded in Arb and checked
// against a budget (round_checked below). The check is what makes the bound
// rigorous; the budgets are chosen so that it passes whenever the ball radius
// is below about 2^-75 of the entry's scale, which the working precisions
// below guarantee:
//   T = t_jn and U = u_kn (moduli 1): each component within tau = u (1 + 2^-20),
//     because rounding to nearest moves a value of modulus <= 1 by at most u.
//   B0 = b0_n (modulus |c_n| <= C_n): each component within
//     beta0_n = u C_n (1 + 2^-20) + 2 eta (eta covers a subnormal component).
//
// Step 2, block bases in binary64. B_k = fl(B0 * U_k) as a complex product:
// Re = fl(fl(B0r Ukr) - fl(B0i Uki)), Im = fl(fl(B0r Uki) + fl(B0i Ukr)).
// Against the exact products of the stored doubles, the rounding error of each
// component is at most gamma_2 (|B0r||Ukr| + |B0i||Uki|) + 2 eta (1 + u), and
// by Cauchy-Schwarz |B0r||Ukr| + |B0i||Uki| <= |B0||U_k| <= (C_n + sqrt2
// beta0_n)(1 + sqrt2 tau). The stored doubles differ from the exact b0, u_k
// by at most beta0_n and tau per component, so, using |ur| + |ui| <= sqrt2 |u|
// = sqrt2 and |b0r| + |b0i| <= sqrt2 C_n,
//   |B0r Ukr - B0i Uki - Re(b0 u_k)| <= sqrt2 beta0_n + sqrt2 tau C_n + 2 beta0_n tau,
// and the same for the imaginary part. The sum of both is beta1_n, a bound per
// component of |B_k - b_k|. (k = 0 multiplies by exactly 1 + 0i, which is
// exact, and beta0_n <= beta1_n.)
//
// Step 3, the dot product. s = fl(sum over the 2h products x_i y_i) with
// x = (Bkr_n, Bki_n), y = (Tr_jn, -Ti_jn), accumulated from 0. Each product
// meets one multiplication and at most 2h - 1 additions, in any order of
// summation, so (Higham, eq. 3.4, plus the underflow terms)
//   |s - X| <= gamma_2h sum_i |x_i||y_i| + 2h eta (1 + gamma_2h),
// where X is the exact dot product of the stored doubles, and
//   sum_i |x_i||y_i| <= sum_n |B_kn||T_jn| <= sum_n (C_n + sqrt2 beta1_n)(1 + sqrt2 tau) = K.
// As in step 2, |X - S(m)| <= sum_n (sqrt2 beta1_n + sqrt2 tau C_n + 2 beta1_n tau).
// Together: |s - S(m)| <= e, the sum of those three terms, for every m.
//
// Step 4, the output. |s| <= |S| + e <= sum_n C_n + e = Smax. With
// E = (e + u Smax) / (1 - u), fl(s + E) >= s + E - u (|s| + E) >= s + e >= S(m)
// and fl(s - E) <= S(m) likewise, so [fl(s - E), fl(s + E)] encloses S(m).
//
// All of e, K, Smax and E are computed once in Arb and rounded up. Overflow
// is excluded by requiring sum_n C_n <= 2^960, which bounds every
// intermediate by about 2^961. The argument needs binary64 evaluation without
// extra precision (FLT_EVAL_METHOD == 0), no contraction into FMA (the build
// passes -ffp-contract=off; an FMA would only lower the error, but the code
// should do what the comments say) and round-to-nearest, which is checked at
// run time in every thread.

static_assert(std::numeric_limits<double>::is_iec559, "binary64 doubles are required");
static_assert(FLT_EVAL_METHOD == 0, "the error bound assumes no extended-precision evaluation");

namespace ropecert::model {

namespace {

using interval::Ball;
using interval::ComplexBall;
using interval::Precision;

// Precision of the step tables (angles below 2^16 theta_n) and of the
// superblock bases (angles up to 2^53 theta_n, so the absolute error of the
// angle is about 2^(53 - 192) = 2^-139).
constexpr Precision kStepPrecision = 128;
constexpr Precision kBasePrecision = 192;
constexpr Precision kRetryPrecision = 512;
constexpr Precision kBoundPrecision = 128;

// Coefficient sums outside [2^kMinSumExponent, 2^kMaxSumExponent] go to the
// Arb path: below, the absolute underflow term is no longer negligible
// against the relative one; above, intermediates could overflow.
constexpr int kMinSumExponent = -1000;
constexpr int kMaxSumExponent = 960;

void require_round_to_nearest() {
  if (std::fegetround() != FE_TONEAREST) {
    throw std::runtime_error(
        "the floating-point rounding mode is not round-to-nearest; the certified fast window "
        "assumes it (restore it with std::fesetround(FE_TONEAREST))");
  }
}

// Rounds the midpoint of `x` to the nearest double, stores it in `out` and
// returns whether |out - y| <= budget for every y in the ball (bounded in
// Arb, for the superblock bases).
bool round_checked(arb_srcptr x, double budget, double& out, arb_t scratch, arf_t bound) {
  out = arf_get_d(arb_midref(x), ARF_RND_NEAR);
  if (!std::isfinite(out)) return false;
  arb_set_d(scratch, out);
  arb_sub(scratch, scratch, x, kBoundPrecision);
  arb_get_abs_ubound_arf(bound, scratch, kBoundPrecision);
  return arf_cmp_d(bound, budget) <= 0;
}

// The same for an entry of modulus at most 1 and the budget tau = u (1 + 2^-20),
// with a cheaper check. arf_get_d rounds correctly (Arb documentation of
// arf_get_d, including the subnormal range), so |out - mid| <= max(u |mid|,
// eta) and |out - y| <= u (1 + rad) + rad + eta, which is below tau once
// rad <= 2^-80.
bool round_unit_checked(arb_srcptr x, double& out) {
  out = arf_get_d(arb_midref(x), ARF_RND_NEAR);
  return mag_cmp_2exp_si(arb_radref(x), -80) <= 0;
}

Ball exact_power_of_two(long exponent) {
  return interval::mul_2exp(Ball::exact(std::int64_t{1}), exponent);
}

// Fills table[n * count + index] (real and imaginary parts) with
// exp(i index step theta_n) for index < count. Returns false if an entry
// misses the budget tau (see round_unit_checked). Every kDirectEvery-th entry is computed directly with
// sin and cos and the ones between by multiplying with exp(i step theta_n):
// a product of rectangular complex balls can widen the radius by a factor
// sqrt 2: after 63 products the radius is at most about 2^(31.5 - 127), well
// below the 2^-80 that round_unit_checked requires.
bool fill_rotation_table(const std::vector<Ball>& theta, std::int64_t step, int count,
                         std::vector<double>& real, std::vector<double>& imag) {
  constexpr int kDirectEvery = 64;
  const int h = static_cast<int>(theta.size());
  real.assign(static_cast<std::size_t>(h) * count, 0.0);
  imag.assign(static_cast<std::size_t>(h) * count, 0.0);
  acb_t power, factor;
  arb_t angle;
  acb_init(power);
  acb_init(factor);
  arb_init(angle);
  bool ok = true;
  for (int n = 0; n < h && ok; ++n) {
    arb_mul_si(angle, theta[n].raw(), static_cast<slong>(step), kStepPrecision);
    arb_sin_cos(acb_imagref(factor), acb_realref(factor), angle, kStepPrecision);
    for (int index = 0; index < count && ok; ++index) {
      if (index % kDirectEvery == 0) {
        arb_mul_si(angle, theta[n].raw(), static_cast<slong>(step * index), kStepPrecision);
        arb_sin_cos(acb_imagref(power), acb_realref(power), angle, kStepPrecision);
      } else {
        acb_mul(power, power, factor, kStepPrecision);
      }
      std::size_t at = static_cast<std::size_t>(n) * count + index;
      ok = round_unit_checked(acb_realref(power), real[at]) &&
           round_unit_checked(acb_imagref(power), imag[at]);
    }
  }
  arb_clear(angle);
  acb_clear(factor);
  acb_clear(power);
  return ok;
}

}  // namespace

namespace fast_window_detail {

// Tiles of kTile distances keep their accumulators in registers across the
// loop over n. Each lane runs the same IEEE operations in the same order as a
// scalar loop, so the result does not depend on the vector width chosen.
__attribute__((target_clones("avx2", "default"))) void sweep_block(
    const double* base_real, const double* base_imag, const double* step_real,
    const double* step_imag, int pairs, double* out) {
  constexpr int kTile = 16;
  static_assert(kFastBlock % kTile == 0);
  for (int j0 = 0; j0 < kFastBlock; j0 += kTile) {
    double acc[kTile] = {};
    for (int n = 0; n < pairs; ++n) {
      const double br = base_real[n];
      const double bi = base_imag[n];
      const double* tr = step_real + static_cast<std::size_t>(n) * kFastBlock + j0;
      const double* ti = step_imag + static_cast<std::size_t>(n) * kFastBlock + j0;
      for (int jj = 0; jj < kTile; ++jj) {
        acc[jj] = acc[jj] + br * tr[jj];
        acc[jj] = acc[jj] - bi * ti[jj];
      }
    }
    for (int jj = 0; jj < kTile; ++jj) out[j0 + jj] = acc[jj];
  }
}

}  // namespace fast_window_detail

FastWindow::FastWindow(const RopeProduct& product) : pairs_(product.pairs()) {
  require_round_to_nearest();
  const int h = pairs_;
  theta_ = product.frequencies(kBasePrecision).theta;
  coefficients_ = product.scaled_coefficients(kBasePrecision);
  retry_theta_ = product.frequencies(kRetryPrecision).theta;
  retry_coefficients_ = product.scaled_coefficients(kRetryPrecision);

  const Ball u = exact_power_of_two(-53);
  const Ball eta = exact_power_of_two(-1075);
  const Ball one = Ball::exact(std::int64_t{1});
  const Ball sqrt2 = interval::sqrt(Ball::exact(std::int64_t{2}), kBoundPrecision);
  const Ball slack = interval::add(one, exact_power_of_two(-20), kBoundPrecision);
  auto gamma = [&](std::int64_t k) {
    Ball ku = interval::mul(Ball::exact(k), u, kBoundPrecision);
    return interval::div(ku, interval::sub(one, ku, kBoundPrecision), kBoundPrecision);
  };
  auto add = [](const Ball& x, const Ball& y) { return interval::add(x, y, kBoundPrecision); };
  auto mul = [](const Ball& x, const Ball& y) { return interval::mul(x, y, kBoundPrecision); };

  const double tau_value = mul(u, slack).upper();
  const Ball tau = Ball::exact(tau_value);
  const Ball gamma2 = gamma(2);
  const Ball gamma2h = gamma(2 * std::int64_t{h});
  const Ball modulus_factor = add(one, mul(sqrt2, tau));  // 1 + sqrt2 tau >= |U|, |T|

  coefficient_bound_.resize(h);
  base_budget_.resize(h);
  Ball sum_c = Ball::exact(std::int64_t{0});
  Ball sum_k = Ball::exact(std::int64_t{0});
  Ball sum_table_error = Ball::exact(std::int64_t{0});
  bool finite = true;
  for (int n = 0; n < h; ++n) {
    const double c_bound = interval::abs(coefficients_[n], kBoundPrecision).upper();
    finite = finite && std::isfinite(c_bound);
    coefficient_bound_[n] = c_bound;
    const Ball c = finite ? Ball::exact(c_bound) : Ball::exact(std::int64_t{0});

    // Step 1: beta0_n = u C_n (1 + 2^-20) + 2 eta.
    const double beta0_value = add(mul(mul(u, c), slack), mul(Ball::exact(std::int64_t{2}), eta)).upper();
    base_budget_[n] = beta0_value;
    const Ball beta0 = Ball::exact(beta0_value);

    // Step 2: beta1_n = gamma_2 (C + sqrt2 beta0)(1 + sqrt2 tau) + 2 eta (1 + u)
    //                  + sqrt2 beta0 + sqrt2 tau C + 2 beta0 tau.
    const Ball product_error = add(mul(sqrt2, beta0), add(mul(mul(sqrt2, tau), c),
                                                          mul(Ball::exact(std::int64_t{2}), mul(beta0, tau))));
    const Ball beta1 =
        add(add(mul(gamma2, mul(add(c, mul(sqrt2, beta0)), modulus_factor)),
                mul(Ball::exact(std::int64_t{2}), mul(eta, add(one, u)))),
            product_error);

    // Step 3 terms for this n.
    sum_c = add(sum_c, c);
    sum_k = add(sum_k, mul(add(c, mul(sqrt2, beta1)), modulus_factor));
    sum_table_error = add(sum_table_error,
                          add(mul(sqrt2, beta1), add(mul(mul(sqrt2, tau), c),
                                                     mul(Ball::exact(std::int64_t{2}), mul(beta1, tau)))));
  }
  const Ball underflow = mul(mul(Ball::exact(2 * std::int64_t{h}), eta), add(one, gamma2h));
  const Ball e = add(add(mul(gamma2h, sum_k), underflow), sum_table_error);
  const Ball s_max = add(sum_c, e);
  const Ball error = interval::div(add(e, mul(u, s_max)), interval::sub(one, u, kBoundPrecision),
                                   kBoundPrecision);

  coefficient_sum_ = finite ? sum_c.upper() : INFINITY;
  error_bound_ = finite ? error.upper() : INFINITY;
  applicable_ = finite && std::isfinite(error_bound_) &&
                coefficient_sum_ <= std::ldexp(1.0, kMaxSumExponent) &&
                coefficient_sum_ >= std::ldexp(1.0, kMinSumExponent);

  tables_ok_ = fill_rotation_table(theta_, 1, kFastBlock, step_real_, step_imag_) &&
               fill_rotation_table(theta_, kFastBlock, kFastBlocksPerSuperblock, block_real_,
                                   block_imag_);
  applicable_ = applicable_ && tables_ok_;
}

bool FastWindow::bound_valid() const {
  return tables_ok_ && std::isfinite(error_bound_) &&
         coefficient_sum_ <= std::ldexp(1.0, kMaxSumExponent);
}

void FastWindow::shrink_error_bound_for_testing(double factor) { error_bound_ /= factor; }

bool FastWindow::evaluate_range(std::int64_t first, std::int64_t end, double* lower,
                                double* upper) const {
  require_round_to_nearest();
  const int h = pairs_;
  const double bound = error_bound_;
  std::vector<double> base_real(h), base_imag(h), block_base_real(h), block_base_imag(h);
  std::vector<double> sums(kFastBlock);

  acb_t rotation, value;
  arb_t angle, scratch;
  arf_t error;
  acb_init(rotation);
  acb_init(value);
  arb_init(angle);
  arb_init(scratch);
  arf_init(error);

  // Step 1 for one superblock: B0 = c_n exp(i base theta_n), rounded and
  // checked against beta0_n. A miss at kBasePrecision is retried once with
  // frequencies and coefficients at kRetryPrecision.
  auto superblock_bases = [&](std::int64_t base, const std::vector<Ball>& theta,
                              const std::vector<ComplexBall>& coefficients, Precision prec) {
    bool ok = true;
    for (int n = 0; n < h && ok; ++n) {
      arb_mul_si(angle, theta[n].raw(), static_cast<slong>(base), prec);
      arb_sin_cos(acb_imagref(rotation), acb_realref(rotation), angle, prec);
      acb_mul(value, coefficients[n].raw(), rotation, prec);
      ok = round_checked(acb_realref(value), base_budget_[n], base_real[n], scratch, error) &&
           round_checked(acb_imagref(value), base_budget_[n], base_imag[n], scratch, error);
    }
    return ok;
  };

  bool ok = true;
  std::int64_t m = first;
  while (m < end && ok) {
    const std::int64_t base = m - m % kFastSuperblock;
    ok = superblock_bases(base, theta_, coefficients_, kBasePrecision) ||
         superblock_bases(base, retry_theta_, retry_coefficients_, kRetryPrecision);
    if (!ok) break;
    for (int k = static_cast<int>((m - base) / kFastBlock); k < kFastBlocksPerSuperblock; ++k) {
      const std::int64_t block_start = base + std::int64_t{k} * kFastBlock;
      if (block_start >= end) break;

      // Step 2: B_k = fl(B0 * U_k).
      for (int n = 0; n < h; ++n) {
        const std::size_t at = static_cast<std::size_t>(n) * kFastBlocksPerSuperblock + k;
        const double ur = block_real_[at];
        const double ui = block_imag_[at];
        block_base_real[n] = base_real[n] * ur - base_imag[n] * ui;
        block_base_imag[n] = base_real[n] * ui + base_imag[n] * ur;
      }

      // Step 3, then step 4 for the distances of this block inside the range.
      fast_window_detail::sweep_block(block_base_real.data(), block_base_imag.data(),
                                      step_real_.data(), step_imag_.data(), h, sums.data());
      const std::int64_t from = std::max(m, block_start);
      const std::int64_t to = std::min(end, block_start + kFastBlock);
      // The injected fault drops the rounding allowance: the bounds become
      // the nearest-rounded sum itself, as if rounded inward.
      const double allowance = fault::injected(fault::Fault::FlipBoundRounding) ? 0.0 : bound;
      for (std::int64_t d = from; d < to; ++d) {
        const double s = sums[d - block_start];
        lower[d - first] = s - allowance;
        upper[d - first] = s + allowance;
      }
      m = to;
    }
  }

  arf_clear(error);
  arb_clear(scratch);
  arb_clear(angle);
  acb_clear(value);
  acb_clear(rotation);
  return ok;
}

bool FastWindow::evaluate(std::int64_t first, std::int64_t end, double* lower, double* upper,
                          int threads) const {
  if (first < 0 || end < first || end > kMaxDistance) {
    throw InputError("window [" + std::to_string(first) + ", " + std::to_string(end) +
                     ") is invalid; give 0 <= first <= end <= 2^53");
  }
  if (!bound_valid()) {
    throw std::logic_error("FastWindow::evaluate called although the error bound is not valid");
  }
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // Below a few blocks per thread, the threads cost more than they save.
  const std::int64_t count = end - first;
  const std::int64_t per_thread_min = 16 * kFastBlock;
  threads = static_cast<int>(std::max<std::int64_t>(
      1, std::min<std::int64_t>(threads, count / per_thread_min)));
  if (threads == 1) return evaluate_range(first, end, lower, upper);

  // Pieces end on block boundaries so that no block is computed twice.
  std::vector<std::int64_t> cuts(threads + 1);
  cuts[0] = first;
  cuts[threads] = end;
  for (int t = 1; t < threads; ++t) {
    std::int64_t cut = first + count / threads * t;
    cuts[t] = std::min(end, cut - cut % kFastBlock);
  }
  std::vector<char> results(threads, 0);
  std::vector<std::exception_ptr> errors(threads);
  auto work = [&](int t) {
    try {
      results[t] = evaluate_range(cuts[t], cuts[t + 1], lower + (cuts[t] - first),
                                  upper + (cuts[t] - first));
    } catch (...) {
      errors[t] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (std::thread& thread : pool) thread.join();
  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  bool ok = true;
  for (char result : results) ok = ok && result;
  return ok;
}

}  // namespace ropecert::model
