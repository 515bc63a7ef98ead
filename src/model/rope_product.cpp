#include "model/rope_product.hpp"

#include <bit>
#include <stdexcept>

#include "model/fast_window.hpp"

#include "util/fault_injection.hpp"
#include "util/input_error.hpp"

namespace ropecert::model {

namespace {

// Block length of the window evaluator: S(m0 + j) for j < kBlock reuses one
// table of exp(i j theta_n).
constexpr std::int64_t kBlock = 256;

// Guard bits added to the caller's precision. The argument m * theta_n of a
// cosine has absolute error m * rad(theta_n) <= 2^(bits(m) - working), so the
// working precision is prec + bits(m) + guard to leave prec bits after it.
constexpr Precision kGuardBits = 16;

}  // namespace

int distance_bits(std::int64_t m) {
  return m <= 0 ? 1 : static_cast<int>(std::bit_width(static_cast<std::uint64_t>(m)));
}

void check_distance(std::int64_t m) {
  if (m < 0 || m >= kMaxDistance) {
    throw InputError("distance m = " + std::to_string(m) +
                     " is out of range; give an integer with 0 <= m < 2^53");
  }
}

RopeProduct::RopeProduct(RopeSchedule schedule, VectorInput input, OutputScale scale)
    : schedule_(std::move(schedule)), scale_(scale) {
  validate(schedule_);
  validate(input, schedule_.pairs());
  Pairing pairing = schedule_.pairing;
  source_ = [input = std::move(input), pairing](Precision prec) {
    return coefficients(input, pairing, prec);
  };
}

RopeProduct::RopeProduct(RopeSchedule schedule, CoefficientSource coefficients, OutputScale scale)
    : schedule_(std::move(schedule)), source_(std::move(coefficients)), scale_(scale) {
  validate(schedule_);
}

const RopeProduct::Cached& RopeProduct::cached(Precision prec) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = cache_.find(prec);
  if (found != cache_.end()) return *found->second;

  auto entry = std::make_unique<Cached>();
  entry->frequencies = compute_frequencies(schedule_, prec);
  entry->coefficients = source_(prec);
  if (static_cast<int>(entry->coefficients.size()) != schedule_.pairs()) {
    throw InputError("the input has " + std::to_string(entry->coefficients.size()) +
                     " pairs but schedule '" + schedule_.name + "' has " +
                     std::to_string(schedule_.pairs()) + "; give vectors of the rotary dimension");
  }

  Ball factor = Ball::exact(std::int64_t{1});
  if (scale_.inverse_sqrt_dim) {
    Ball root = interval::sqrt(Ball::exact(std::int64_t{schedule_.rotary_dim}), prec);
    factor = interval::div(factor, root, prec);
  }
  if (scale_.attention_factor) {
    factor = interval::mul(factor, interval::sqr(entry->frequencies.attention_factor, prec), prec);
  }
  for (ComplexBall& c : entry->coefficients) c = interval::mul(c, factor, prec);

  const Cached& result = *entry;
  cache_.emplace(prec, std::move(entry));
  return result;
}

const FrequencyTable& RopeProduct::frequencies(Precision prec) const {
  return cached(prec).frequencies;
}

const std::vector<ComplexBall>& RopeProduct::scaled_coefficients(Precision prec) const {
  return cached(prec).coefficients;
}

Ball RopeProduct::scale_factor(Precision prec) const {
  Ball factor = Ball::exact(std::int64_t{1});
  if (scale_.inverse_sqrt_dim) {
    factor = interval::div(factor, interval::sqrt(Ball::exact(std::int64_t{schedule_.rotary_dim}),
                                                  prec), prec);
  }
  if (scale_.attention_factor) {
    factor = interval::mul(factor, interval::sqr(frequencies(prec).attention_factor, prec), prec);
  }
  return factor;
}

Ball RopeProduct::value(std::int64_t m, Precision prec) const {
  check_distance(m);
  // Working precisions are rounded up to a multiple of 64 so that nearby
  // requests share one cached frequency table.
  Precision working = ((prec + distance_bits(m) + kGuardBits + 63) / 64) * 64;
  const Cached& table = cached(working);

  arb_t sum, angle, c, s, term;
  arb_init(sum);
  arb_init(angle);
  arb_init(c);
  arb_init(s);
  arb_init(term);
  for (int n = 0; n < pairs(); ++n) {
    // Re(c_n exp(i m theta_n)) = Re(c_n) cos(m theta_n) - Im(c_n) sin(m theta_n).
    arb_mul_si(angle, table.frequencies.theta[n].raw(), static_cast<slong>(m), working);
    arb_sin_cos(s, c, angle, working);
    arb_mul(term, acb_realref(table.coefficients[n].raw()), c, working);
    arb_add(sum, sum, term, working);
    arb_mul(term, acb_imagref(table.coefficients[n].raw()), s, working);
    arb_sub(sum, sum, term, working);
  }
  Ball result;
  arb_set_round(result.raw(), sum, prec + kGuardBits);
  if (fault::injected(fault::Fault::ShrinkRadius)) {
    mag_mul_2exp_si(arb_radref(result.raw()), arb_radref(result.raw()), -40);
  }
  arb_clear(sum);
  arb_clear(angle);
  arb_clear(c);
  arb_clear(s);
  arb_clear(term);
  return result;
}

const FastWindow& RopeProduct::fast_window() const {
  std::lock_guard<std::mutex> lock(fast_mutex_);
  if (!fast_) fast_ = std::make_shared<const FastWindow>(*this);
  return *fast_;
}

WindowEnclosures RopeProduct::window(std::int64_t first, std::int64_t end, Precision prec,
                                     WindowMethod method) const {
  check_distance(first);
  if (end < first || end > kMaxDistance) {
    throw InputError("window end " + std::to_string(end) + " is invalid; give first <= end <= 2^53");
  }
  WindowEnclosures out;
  out.first = first;
  out.lower.resize(end - first);
  out.upper.resize(end - first);
  window_into(first, end, prec, out.lower.data(), out.upper.data(), method);
  return out;
}

WindowMethod RopeProduct::window_into(std::int64_t first, std::int64_t end, Precision prec,
                                      double* lower, double* upper, WindowMethod method) const {
  check_distance(first);
  if (end < first || end > kMaxDistance) {
    throw InputError("window end " + std::to_string(end) + " is invalid; give first <= end <= 2^53");
  }
  if (method != WindowMethod::Arb) {
    const FastWindow& fast = fast_window();
    bool use_fast = method == WindowMethod::Fast ? fast.bound_valid() : fast.applicable();
    if (method == WindowMethod::Fast && !use_fast) {
      throw std::invalid_argument(
          "the fast window's error bound is not valid for this input (sum of |c_n| is not "
          "finite or above 2^960); use WindowMethod::Automatic or Arb");
    }
    if (use_fast && fast.evaluate(first, end, lower, upper)) return WindowMethod::Fast;
  }
  arb_window_into(first, end, prec, lower, upper);
  return WindowMethod::Arb;
}

void RopeProduct::arb_window_into(std::int64_t first, std::int64_t end, Precision prec,
                                  double* lower, double* upper) const {
  const std::int64_t count = end - first;
  const int h = pairs();
  Precision working = ((prec + distance_bits(end) + kGuardBits + 63) / 64) * 64;
  const Cached& table = cached(working);

  // Method: with m = m0 + j, c_n exp(i m theta_n) = [c_n exp(i m0 theta_n)] *
  // exp(i j theta_n). The step table exp(i j theta_n), j < kBlock, is computed
  // once; per block only the h rotated coefficients b_n = c_n exp(i m0 theta_n)
  // need cos and sin. Then S(m0 + j) = sum_n Re(b_n) Re(e_jn) - Im(b_n) Im(e_jn),
  // one real dot product of length 2h. Every step is ball arithmetic, so the
  // enclosure is rigorous; radii do not accumulate across blocks because each
  // block starts from a direct evaluation at m0.
  // The step table is stored as the dot-product operands y_j = (Re e_j,
  // -Im e_j), and x = (Re b_0 .. Re b_{h-1}, Im b_0 .. Im b_{h-1}).
  const std::int64_t steps = std::max<std::int64_t>(1, std::min<std::int64_t>(kBlock, count));
  arb_ptr step_table = _arb_vec_init(steps * 2 * h);
  arb_t angle;
  arb_init(angle);
  for (std::int64_t j = 0; j < steps; ++j) {
    arb_ptr y = step_table + j * 2 * h;
    for (int n = 0; n < h; ++n) {
      arb_mul_si(angle, table.frequencies.theta[n].raw(), static_cast<slong>(j), working);
      arb_sin_cos(y + h + n, y + n, angle, working);
      arb_neg(y + h + n, y + h + n);
    }
  }

  arb_ptr rotated = _arb_vec_init(2 * h);
  acb_t rotation, b;
  acb_init(rotation);
  acb_init(b);
  arb_t value;
  arb_init(value);
  arf_t bound;
  arf_init(bound);

  for (std::int64_t m0 = first; m0 < end; m0 += steps) {
    for (int n = 0; n < h; ++n) {
      arb_mul_si(angle, table.frequencies.theta[n].raw(), static_cast<slong>(m0), working);
      arb_sin_cos(acb_imagref(rotation), acb_realref(rotation), angle, working);
      acb_mul(b, table.coefficients[n].raw(), rotation, working);
      arb_set(rotated + n, acb_realref(b));
      arb_set(rotated + h + n, acb_imagref(b));
    }
    const std::int64_t block_end = std::min(end, m0 + steps);
    for (std::int64_t m = m0; m < block_end; ++m) {
      arb_srcptr y = step_table + (m - m0) * 2 * h;
      arb_dot(value, nullptr, 0, rotated, 1, y, 1, 2 * h, working);
      const bool flip = fault::injected(fault::Fault::FlipBoundRounding);
      arb_get_lbound_arf(bound, value, 64);
      lower[m - first] = arf_get_d(bound, flip ? ARF_RND_CEIL : ARF_RND_FLOOR);
      arb_get_ubound_arf(bound, value, 64);
      upper[m - first] = arf_get_d(bound, flip ? ARF_RND_FLOOR : ARF_RND_CEIL);
    }
  }

  arf_clear(bound);
  arb_clear(value);
  acb_clear(rotation);
  acb_clear(b);
  arb_clear(angle);
  _arb_vec_clear(rotated, 2 * h);
  _arb_vec_clear(step_table, steps * 2 * h);
}

}  // namespace ropecert::model
