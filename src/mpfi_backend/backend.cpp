#include "mpfi_backend/backend.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "util/input_error.hpp"

namespace ropecert::mpfi_backend {

namespace {

constexpr Bits kMaxBranchPrecision = 1 << 14;
constexpr Bits kMaxMomentPrecision = 4096;
constexpr long kMomentTargetBits = 40;
constexpr std::int64_t kBlock = 128;
constexpr std::uint64_t kMaxRefinedPairs = 1'000'000;

// Raised when an enclosure is too wide to take a branch of a formula.
struct Undecided {};

Bits bits_of(std::int64_t m) {
  return m <= 0 ? 1 : static_cast<Bits>(std::bit_width(static_cast<std::uint64_t>(m)));
}

bool decide(Tribool t) {
  if (t == Tribool::Unknown) throw Undecided{};
  return t == Tribool::True;
}

// floor and ceil of an interval when both ends agree.
double decided_floor(const Interval& x) {
  double lo = std::floor(x.lower());
  if (lo != std::floor(x.upper())) throw Undecided{};
  return lo;
}

double decided_ceil(const Interval& x) {
  double hi = std::ceil(x.upper());
  if (hi != std::ceil(x.lower())) throw Undecided{};
  return hi;
}

// theta_n = B^(-n/h) = exp(-n ln(B) / h).
std::vector<Interval> plain_frequencies(const Interval& base, int pairs, Bits prec) {
  Interval step = div(log(base, prec), Interval::integer(pairs, prec), prec);
  std::vector<Interval> theta;
  for (int n = 0; n < pairs; ++n) theta.push_back(exp(neg(mul_int(step, n, prec)), prec));
  return theta;
}

Interval yarn_mscale(const Interval& factor, double m, Bits prec) {
  if (decide(less_equal(factor, Interval::integer(1, prec)))) return Interval::integer(1, prec);
  Interval tenth_m = div(Interval::point(m, prec), Interval::integer(10, prec), prec);
  return add(mul(tenth_m, log(factor, prec), prec), Interval::integer(1, prec), prec);
}

// The pair index whose wavelength fits `rotations` times into the original
// context: d ln(L0 / (2 pi r)) / (2 ln B).
Interval yarn_dim(double rotations, const model::RopeSchedule& s, Bits prec) {
  Interval turns = mul(scale_2exp(Interval::pi(prec), 1, prec), Interval::point(rotations, prec),
                       prec);
  Interval ratio = div(Interval::integer(s.scaling.original_context, prec), turns, prec);
  Interval numerator = mul(Interval::integer(s.rotary_dim, prec), log(ratio, prec), prec);
  Interval denominator = scale_2exp(log(Interval::point(s.base, prec), prec), 1, prec);
  return div(numerator, denominator, prec);
}

Frequencies yarn(const model::RopeSchedule& s, Bits prec) {
  const model::Scaling& sc = s.scaling;
  Interval factor = Interval::point(sc.factor, prec);
  std::vector<Interval> plain = plain_frequencies(Interval::point(s.base, prec), s.pairs(), prec);
  Interval low = yarn_dim(sc.beta_fast, s, prec);
  Interval high = yarn_dim(sc.beta_slow, s, prec);
  if (sc.truncate) {
    low = Interval::point(decided_floor(low), prec);
    high = Interval::point(decided_ceil(high), prec);
  }
  low = max(low, Interval::integer(0, prec), prec);
  high = min(high, Interval::integer(s.rotary_dim - 1, prec), prec);
  if (low.is_point() && high.is_point() && low.lower() == high.lower()) {
    high = add(high, Interval::ratio(1, 1000, prec), prec);
  } else if (low.overlaps(high)) {
    throw Undecided{};
  }
  Interval width = sub(high, low, prec);
  Frequencies out;
  for (int i = 0; i < s.pairs(); ++i) {
    Interval ramp = div(sub(Interval::integer(i, prec), low, prec), width, prec);
    ramp = min(max(ramp, Interval::integer(0, prec), prec), Interval::integer(1, prec), prec);
    // theta = plain / s * ramp + plain * (1 - ramp) = plain * (1 - ramp (1 - 1/s))
    Interval shrink = sub(Interval::integer(1, prec), div(Interval::integer(1, prec), factor, prec),
                          prec);
    Interval weight = sub(Interval::integer(1, prec), mul(ramp, shrink, prec), prec);
    out.theta.push_back(mul(plain[i], weight, prec));
  }
  if (sc.attention_factor) {
    out.attention_factor = Interval::point(*sc.attention_factor, prec);
  } else if (sc.mscale && sc.mscale_all_dim && *sc.mscale != 0 && *sc.mscale_all_dim != 0) {
    out.attention_factor = div(yarn_mscale(factor, *sc.mscale, prec),
                               yarn_mscale(factor, *sc.mscale_all_dim, prec), prec);
  } else {
    out.attention_factor = yarn_mscale(factor, 1.0, prec);
  }
  return out;
}

Frequencies llama3(const model::RopeSchedule& s, Bits prec) {
  const model::Scaling& sc = s.scaling;
  Interval factor = Interval::point(sc.factor, prec);
  Interval context = Interval::integer(sc.original_context, prec);
  Interval low_factor = Interval::point(sc.low_freq_factor, prec);
  Interval high_factor = Interval::point(sc.high_freq_factor, prec);
  Interval long_wave = div(context, low_factor, prec);
  Interval short_wave = div(context, high_factor, prec);
  Interval two_pi = scale_2exp(Interval::pi(prec), 1, prec);
  Frequencies out;
  out.attention_factor = Interval::integer(1, prec);
  for (const Interval& inv : plain_frequencies(Interval::point(s.base, prec), s.pairs(), prec)) {
    Interval wave = div(two_pi, inv, prec);
    if (decide(less(long_wave, wave))) {
      out.theta.push_back(div(inv, factor, prec));
    } else if (decide(less(wave, short_wave))) {
      out.theta.push_back(inv);
    } else {
      // t = (L0 / w - low) / (high - low); theta = inv ((1 - t) / s + t).
      Interval t = div(sub(div(context, wave, prec), low_factor, prec),
                       sub(high_factor, low_factor, prec), prec);
      Interval weight = add(div(sub(Interval::integer(1, prec), t, prec), factor, prec), t, prec);
      out.theta.push_back(mul(inv, weight, prec));
    }
  }
  return out;
}

Frequencies exact_at(const model::RopeSchedule& s, Bits prec) {
  Interval base = Interval::point(s.base, prec);
  Frequencies out;
  out.attention_factor = Interval::integer(1, prec);
  switch (s.scaling.kind) {
    case model::ScheduleKind::Default:
      out.theta = plain_frequencies(base, s.pairs(), prec);
      return out;
    case model::ScheduleKind::Linear: {
      Interval factor = Interval::point(s.scaling.factor, prec);
      for (const Interval& t : plain_frequencies(base, s.pairs(), prec)) {
        out.theta.push_back(div(t, factor, prec));
      }
      return out;
    }
    case model::ScheduleKind::Ntk: {
      // B' = B * s^(d / (d - 2)) = B * exp(d ln(s) / (d - 2))
      Interval exponent = Interval::ratio(s.rotary_dim, s.rotary_dim - 2, prec);
      Interval power =
          exp(mul(exponent, log(Interval::point(s.scaling.factor, prec), prec), prec), prec);
      out.theta = plain_frequencies(mul(base, power, prec), s.pairs(), prec);
      return out;
    }
    case model::ScheduleKind::Yarn:
      return yarn(s, prec);
    case model::ScheduleKind::Llama3:
      return llama3(s, prec);
  }
  throw std::logic_error("unhandled schedule kind");
}

// The pair (x, y) of a vector as the complex number x + iy.
std::pair<double, double> pair_at(const std::vector<double>& v, int n, model::Pairing pairing) {
  if (pairing == model::Pairing::Interleaved) return {v[2 * n], v[2 * n + 1]};
  return {v[n], v[n + v.size() / 2]};
}

}  // namespace

Frequencies frequencies(const model::RopeSchedule& schedule, Bits prec) {
  model::validate(schedule);
  if (schedule.precision == model::PrecisionMode::Float32) {
    // Shared input: the float32 table is what reference code computes, and
    // its entries are exact dyadic numbers.
    Frequencies out;
    for (float f : model::float32_frequencies(schedule)) {
      out.theta.push_back(Interval::point(static_cast<double>(f), prec));
    }
    float factor = static_cast<float>(model::float32_mode_attention_factor(schedule));
    out.attention_factor = Interval::point(static_cast<double>(factor), prec);
    return out;
  }
  for (Bits working = prec + 32; working <= kMaxBranchPrecision; working *= 2) {
    try {
      Frequencies table = exact_at(schedule, working);
      return table;
    } catch (const Undecided&) {
    }
  }
  throw InputError("schedule '" + schedule.name + "': a branch of its formula stays undecided "
                   "at 16384 bits; use the float32 precision mode or change a scaling parameter");
}

Product::Product(model::RopeSchedule schedule, model::VectorInput input, model::OutputScale scale)
    : schedule_(std::move(schedule)), input_(std::move(input)), scale_(scale) {
  model::validate(schedule_);
  model::validate(input_, schedule_.pairs());
}

Product::Product(model::RopeSchedule schedule, const KeyDifference& keys,
                 model::OutputScale scale)
    : Product(std::move(schedule), model::QueryKey{keys.query, keys.first_key}, scale) {
  model::validate(model::VectorInput{model::QueryKey{keys.query, keys.second_key}},
                  schedule_.pairs());
  subtracted_key_ = keys.second_key;
}

const Product::Tables& Product::tables(Bits prec) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = cache_.find(prec);
  if (found != cache_.end()) return *found->second;

  auto t = std::make_unique<Tables>();
  t->frequencies = mpfi_backend::frequencies(schedule_, prec);
  Interval factor = Interval::integer(1, prec);
  if (scale_.inverse_sqrt_dim) {
    factor = div(factor, sqrt(Interval::integer(schedule_.rotary_dim, prec), prec), prec);
  }
  if (scale_.attention_factor) factor = mul(factor, sqr(t->frequencies.attention_factor, prec), prec);

  const int h = pairs();
  if (const auto* qk = std::get_if<model::QueryKey>(&input_)) {
    for (int n = 0; n < h; ++n) {
      auto [x1, y1] = pair_at(qk->q, n, schedule_.pairing);
      auto [x2, y2] = pair_at(qk->k, n, schedule_.pairing);
      auto p = [&](double a, double b) {
        return mul(Interval::point(a, prec), Interval::point(b, prec), prec);
      };
      // (x1 + i y1)(x2 - i y2)
      Interval re = add(p(x1, x2), p(y1, y2), prec);
      Interval im = sub(p(y1, x2), p(x1, y2), prec);
      if (!subtracted_key_.empty()) {
        auto [x3, y3] = pair_at(subtracted_key_, n, schedule_.pairing);
        re = sub(re, add(p(x1, x3), p(y1, y3), prec), prec);
        im = sub(im, sub(p(y1, x3), p(x1, y3), prec), prec);
      }
      t->coefficients.re.push_back(mul(re, factor, prec));
      t->coefficients.im.push_back(mul(im, factor, prec));
    }
  } else {
    const auto& ap = std::get<model::AmplitudePhase>(input_);
    for (int n = 0; n < h; ++n) {
      Interval a = mul(Interval::point(ap.amplitude[n], prec), factor, prec);
      Interval phi = Interval::point(ap.phase[n], prec);
      t->coefficients.re.push_back(mul(a, cos(phi, prec), prec));
      t->coefficients.im.push_back(mul(a, sin(phi, prec), prec));
    }
  }
  const Tables& result = *t;
  cache_.emplace(prec, std::move(t));
  return result;
}

const Frequencies& Product::frequencies(Bits prec) const { return tables(prec).frequencies; }
const Coefficients& Product::coefficients(Bits prec) const { return tables(prec).coefficients; }

Interval Product::logit(std::int64_t m, Bits prec) const {
  model::check_distance(m);
  // m theta_n loses bits(m) bits of absolute accuracy; 32 guard bits more.
  const Bits wp = ((prec + bits_of(m) + 32 + 63) / 64) * 64;
  const Tables& t = tables(wp);
  Interval sum(wp);
  for (int n = 0; n < pairs(); ++n) {
    Interval angle = mul_int(t.frequencies.theta[n], m, wp);
    sum = add(sum, mul(t.coefficients.re[n], cos(angle, wp), wp), wp);
    sum = sub(sum, mul(t.coefficients.im[n], sin(angle, wp), wp), wp);
  }
  return sum;
}

void Product::window_bounds(std::int64_t first, std::int64_t end, Bits prec,
                            std::vector<double>& lower, std::vector<double>& upper) const {
  model::check_distance(first);
  if (end < first || end > model::kMaxDistance) {
    throw InputError("window end " + std::to_string(end) + " is invalid; give first <= end <= 2^53");
  }
  const Bits wp = ((prec + bits_of(end) + 32 + 63) / 64) * 64;
  const Tables& t = tables(wp);
  const int h = pairs();
  lower.resize(end - first);
  upper.resize(end - first);

  // step[j][n] = exp(i j theta_n) for j < kBlock, as cos and sin.
  std::vector<std::vector<Interval>> step_cos(kBlock), step_sin(kBlock);
  for (std::int64_t j = 0; j < kBlock; ++j) {
    for (int n = 0; n < h; ++n) {
      Interval angle = mul_int(t.frequencies.theta[n], j, wp);
      step_cos[j].push_back(cos(angle, wp));
      step_sin[j].push_back(sin(angle, wp));
    }
  }
  std::vector<Interval> rotated_re(h), rotated_im(h);
  Interval sum(wp), term(wp);
  for (std::int64_t m0 = first; m0 < end; m0 += kBlock) {
    // b_n = c_n exp(i m0 theta_n), evaluated directly at the block start.
    for (int n = 0; n < h; ++n) {
      Interval angle = mul_int(t.frequencies.theta[n], m0, wp);
      Interval c = cos(angle, wp), s = sin(angle, wp);
      rotated_re[n] = sub(mul(t.coefficients.re[n], c, wp), mul(t.coefficients.im[n], s, wp), wp);
      rotated_im[n] = add(mul(t.coefficients.re[n], s, wp), mul(t.coefficients.im[n], c, wp), wp);
    }
    const std::int64_t stop = std::min(end, m0 + kBlock);
    for (std::int64_t m = m0; m < stop; ++m) {
      const std::int64_t j = m - m0;
      mpfi_set_si(sum.raw(), 0);
      for (int n = 0; n < h; ++n) {
        // Re(b_n exp(i j theta_n)) = Re b cos - Im b sin
        mpfi_mul(term.raw(), rotated_re[n].raw(), step_cos[j][n].raw());
        mpfi_add(sum.raw(), sum.raw(), term.raw());
        mpfi_mul(term.raw(), rotated_im[n].raw(), step_sin[j][n].raw());
        mpfi_sub(sum.raw(), sum.raw(), term.raw());
      }
      lower[m - first] = sum.lower();
      upper[m - first] = sum.upper();
    }
  }
}

KernelSums kernel_sums(const Interval& t, std::int64_t first, std::int64_t end, Bits prec) {
  const std::int64_t count = end - first;
  if (t.is_point() && t.lower() == 0.0) {
    return {Interval::integer(1, prec), Interval::integer(0, prec)};
  }
  Interval half_t = scale_2exp(t, -1, prec);
  Interval denominator = mul_int(sin(half_t, prec), count, prec);
  if (denominator.contains_zero()) {
    // |(1/N) sum exp(i m t)| <= 1, so each part lies in [-1, 1].
    return {Interval::bounds(-1.0, 1.0, prec), Interval::bounds(-1.0, 1.0, prec)};
  }
  Interval dirichlet = div(sin(mul_int(half_t, count, prec), prec), denominator, prec);
  // center = first + (count - 1) / 2, exact at prec >= 64.
  Interval center = scale_2exp(Interval::integer(2 * first + count - 1, prec), -1, prec);
  Interval phase = mul(center, t, prec);
  return {mul(cos(phase, prec), dirichlet, prec), mul(sin(phase, prec), dirichlet, prec)};
}

namespace {

// Re((u + iv)(C + iS)) = uC - vS.
Interval real_product(const Interval& u, const Interval& v, const KernelSums& k, Bits prec) {
  return sub(mul(u, k.cos_mean, prec), mul(v, k.sin_mean, prec), prec);
}

Moments moments_at(const Product& product, std::int64_t first, std::int64_t end, Bits prec) {
  const Bits wp = prec + bits_of(end) + 16;
  const auto& theta = product.frequencies(wp).theta;
  const auto& c = product.coefficients(wp);
  const int h = product.pairs();

  Interval mean(wp);
  for (int n = 0; n < h; ++n) {
    mean = add(mean, real_product(c.re[n], c.im[n], kernel_sums(theta[n], first, end, wp), wp), wp);
  }
  // E S^2 = 1/2 sum_{n,p} [Re(c_n conj(c_p) K(t_n - t_p)) + Re(c_n c_p K(t_n + t_p))],
  // with K(t) the window mean of exp(i m t). Both summands are symmetric in
  // (n, p), so the off-diagonal pairs are counted twice.
  Interval twice(wp);
  for (int n = 0; n < h; ++n) {
    for (int p = n; p < h; ++p) {
      Interval cross_re = add(mul(c.re[n], c.re[p], wp), mul(c.im[n], c.im[p], wp), wp);
      Interval cross_im = sub(mul(c.im[n], c.re[p], wp), mul(c.re[n], c.im[p], wp), wp);
      Interval prod_re = sub(mul(c.re[n], c.re[p], wp), mul(c.im[n], c.im[p], wp), wp);
      Interval prod_im = add(mul(c.re[n], c.im[p], wp), mul(c.im[n], c.re[p], wp), wp);
      KernelSums diff = n == p ? KernelSums{Interval::integer(1, wp), Interval::integer(0, wp)}
                               : kernel_sums(sub(theta[n], theta[p], wp), first, end, wp);
      KernelSums sum = kernel_sums(add(theta[n], theta[p], wp), first, end, wp);
      Interval term = add(real_product(cross_re, cross_im, diff, wp),
                          real_product(prod_re, prod_im, sum, wp), wp);
      twice = add(twice, n == p ? term : scale_2exp(term, 1, wp), wp);
    }
  }
  Moments out;
  out.first = first;
  out.end = end;
  out.mean = mean;
  out.second_moment = scale_2exp(twice, -1, wp);
  out.variance = sub(out.second_moment, sqr(mean, wp), wp);
  out.precision = wp;
  return out;
}

bool accurate(const Interval& x, double scale) {
  if (!x.is_finite()) return false;
  double size = std::max({std::abs(x.lower()), std::abs(x.upper()), std::ldexp(scale, -60)});
  return x.width() <= std::ldexp(size, -kMomentTargetBits);
}

}  // namespace

Moments window_moments(const Product& product, std::int64_t first, std::int64_t end) {
  if (first < 0 || end <= first || end > model::kMaxDistance) {
    throw InputError("window [" + std::to_string(first) + ", " + std::to_string(end) +
                     ") is invalid; give integers with 0 <= first < end <= 2^53");
  }
  double scale = 0.0;
  const auto& c = product.coefficients(128);
  for (int n = 0; n < product.pairs(); ++n) {
    scale += std::hypot(std::max(std::abs(c.re[n].lower()), std::abs(c.re[n].upper())),
                        std::max(std::abs(c.im[n].lower()), std::abs(c.im[n].upper())));
  }
  Moments out;
  for (Bits prec = 128; prec <= kMaxMomentPrecision; prec *= 2) {
    out = moments_at(product, first, end, prec);
    if (accurate(out.mean, scale) && accurate(out.variance, scale * scale)) break;
  }
  return out;
}

std::vector<bool> fast_pairs(const Product& product, std::int64_t M) {
  model::check_distance(M);
  for (Bits prec = 128; prec <= kMaxMomentPrecision; prec *= 2) {
    const auto& theta = product.frequencies(prec).theta;
    Interval two_pi = scale_2exp(Interval::pi(prec), 1, prec);
    std::vector<bool> fast;
    try {
      for (const Interval& t : theta) {
        fast.push_back(decide(less_equal(two_pi, mul_int(t, M, prec))));
      }
      return fast;
    } catch (const Undecided&) {
    }
  }
  throw InputError("cannot decide whether M theta_n >= 2 pi at M = " + std::to_string(M) +
                   "; choose a neighbouring M");
}

Split split_moments(const Product& product, std::int64_t M, Bits prec) {
  std::vector<bool> fast = fast_pairs(product, M);
  const auto& c = product.coefficients(prec);
  Split out;
  out.mean = Interval(prec);
  Interval squares(prec);
  for (int n = 0; n < product.pairs(); ++n) {
    if (fast[n]) {
      ++out.lambda;
      squares = add(squares, add(sqr(c.re[n], prec), sqr(c.im[n], prec), prec), prec);
    } else {
      out.mean = add(out.mean, c.re[n], prec);
    }
  }
  out.variance = scale_2exp(squares, -1, prec);
  return out;
}

Interval InversionRange::fraction() const {
  if (total_pairs == 0) return Interval::bounds(0.0, 1.0, 64);
  Interval lo = div(Interval::integer(static_cast<std::int64_t>(certain_less), 128),
                    Interval::integer(static_cast<std::int64_t>(total_pairs), 128), 128);
  Interval hi = div(Interval::integer(static_cast<std::int64_t>(possible_less), 128),
                    Interval::integer(static_cast<std::int64_t>(total_pairs), 128), 128);
  return hull(lo, hi, 128);
}

InversionRange count_pairs(const std::vector<double>& near_lower,
                           const std::vector<double>& near_upper,
                           const std::vector<double>& far_lower,
                           const std::vector<double>& far_upper,
                           const std::function<Tribool(std::size_t, std::size_t)>& refine) {
  InversionRange out;
  out.total_pairs = static_cast<std::uint64_t>(near_lower.size()) * far_lower.size();

  // #{(i, j) : a_i < b_j} by a merge of the two sorted lists.
  auto count_below = [](std::vector<double> a, std::vector<double> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    std::uint64_t total = 0;
    std::size_t below = 0;
    for (double value : b) {
      while (below < a.size() && a[below] < value) ++below;
      total += below;
    }
    return total;
  };
  out.certain_less = count_below(near_upper, far_lower);
  out.possible_less = count_below(near_lower, far_upper);
  const std::uint64_t undecided = out.possible_less - out.certain_less;
  if (undecided == 0 || undecided > kMaxRefinedPairs || !refine) return out;

  // Undecided pairs: near_lower < far_upper and near_upper >= far_lower. With
  // every near interval at most `widest` wide, near_lower lies in
  // [far_lower - widest, far_upper); scan that range of near sorted by lower.
  std::vector<std::size_t> order(near_lower.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return near_lower[a] < near_lower[b]; });
  std::vector<double> sorted(order.size());
  double widest = 0.0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    sorted[k] = near_lower[order[k]];
    widest = std::max(widest, near_upper[k] - near_lower[k]);
  }
  widest = std::nextafter(widest, INFINITY);
  for (std::size_t j = 0; j < far_lower.size(); ++j) {
    double from = std::nextafter(std::nextafter(far_lower[j] - widest, -INFINITY), -INFINITY);
    auto it = std::lower_bound(sorted.begin(), sorted.end(), from);
    for (; it != sorted.end() && *it < far_upper[j]; ++it) {
      std::size_t i = order[it - sorted.begin()];
      if (near_upper[i] < far_lower[j]) continue;  // already certain
      Tribool less = refine(i, j);
      if (less == Tribool::True) ++out.certain_less;
      if (less == Tribool::False) --out.possible_less;
    }
  }
  return out;
}

InversionRange position_inversion(const Product& product, std::int64_t M) {
  if (M < 2 || M > (std::int64_t{1} << 31)) {
    throw InputError("length M = " + std::to_string(M) +
                     " is out of range for position inversion; give 2 <= M <= 2^31");
  }
  const std::int64_t half = M / 2;
  std::vector<double> near_lower, near_upper, far_lower, far_upper;
  // 16 bits beyond the phase loss decide almost every pair; overlapping ones are refined.
  product.window_bounds(0, half, 16, near_lower, near_upper);
  product.window_bounds(half, M, 16, far_lower, far_upper);

  std::map<std::pair<std::int64_t, Bits>, Interval> values;
  auto value = [&](std::int64_t m, Bits prec) -> const Interval& {
    auto key = std::make_pair(m, prec);
    auto found = values.find(key);
    if (found == values.end()) found = values.emplace(key, product.logit(m, prec)).first;
    return found->second;
  };
  auto refine = [&](std::size_t i, std::size_t j) {
    for (Bits prec = 128; prec <= 1024; prec *= 2) {
      Tribool t = less(value(static_cast<std::int64_t>(i), prec),
                       value(half + static_cast<std::int64_t>(j), prec));
      if (t != Tribool::Unknown) return t;
    }
    return Tribool::Unknown;
  };
  return count_pairs(near_lower, near_upper, far_lower, far_upper, refine);
}

Normal normal_prediction(const Product& product, std::int64_t M) {
  if (M < 2 || M > model::kMaxDistance) {
    throw InputError("length M = " + std::to_string(M) +
                     " is out of range for the normal prediction; give 2 <= M <= 2^53");
  }
  Normal out;
  out.near = window_moments(product, 0, M / 2);
  out.far = window_moments(product, M / 2, M);
  const Bits prec = std::max(out.near.precision, out.far.precision);
  Interval variance = add(out.near.variance, out.far.variance, prec);
  if (!(variance.lower() > 0.0)) {
    // The spread may be zero: z is unbounded and Phi(z) anywhere in [0, 1].
    out.z = Interval::everything(prec);
    out.probability = Interval::bounds(0.0, 1.0, prec);
    return out;
  }
  out.z = div(sub(out.far.mean, out.near.mean, prec), sqrt(variance, prec), prec);
  out.probability = normal_cdf(out.z, prec);
  return out;
}

Interval berry_esseen(const Product& product, std::int64_t M, Bits prec) {
  std::vector<bool> fast = fast_pairs(product, M);
  const auto& c = product.coefficients(prec);
  Interval cubes(prec), squares(prec);
  bool any = false;
  for (int n = 0; n < product.pairs(); ++n) {
    if (!fast[n]) continue;
    any = true;
    Interval square = add(sqr(c.re[n], prec), sqr(c.im[n], prec), prec);
    squares = add(squares, square, prec);
    cubes = add(cubes, mul(square, sqrt(square, prec), prec), prec);
  }
  if (!any) return Interval::bounds(0.0, INFINITY, prec);
  Interval c0 = Interval::decimal("0.56", prec);
  Interval mean_abs_cos_cubed =
      div(Interval::integer(4, prec), mul_int(Interval::pi(prec), 3, prec), prec);
  Interval variance = scale_2exp(squares, -1, prec);
  Interval denominator = mul(variance, sqrt(variance, prec), prec);
  if (denominator.contains_zero()) return Interval::bounds(0.0, INFINITY, prec);
  return div(mul(mul(c0, cubes, prec), mean_abs_cos_cubed, prec), denominator, prec);
}

}  // namespace ropecert::mpfi_backend
