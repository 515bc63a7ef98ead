#include "mpfi_backend/failure_modes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "util/input_error.hpp"

namespace ropecert::mpfi_backend {

namespace {

constexpr Bits kFirstRefinement = 128;
constexpr Bits kLastRefinement = 1024;
// Above this many open threshold pairs, the rest stay open without refinement.
constexpr std::uint64_t kMaxRefinedThresholdPairs = 1'000'000;
// Above this many intersection tests among undecided distances, every pair of
// them is counted as possible.
constexpr std::uint64_t kMaxUndecidedTests = 50'000'000;
constexpr double kInfinity = std::numeric_limits<double>::infinity();

std::uint64_t pairs_of(std::uint64_t n) { return n < 2 ? 0 : n * (n - 1) / 2; }

void check_length(std::int64_t M, const char* quantity) {
  if (M < 2 || M > (std::int64_t{1} << 31)) {
    throw InputError("length M = " + std::to_string(M) + " is out of range for " + quantity +
                     "; give 2 <= M <= 2^31");
  }
}

void check_eps(double eps) {
  if (!std::isfinite(eps) || !(eps > 0.0)) {
    throw InputError("threshold eps = " + std::to_string(eps) +
                     " is invalid; give a finite eps > 0");
  }
}

double round_double(double x, formats::Format format) {
  mpfr_t value;
  mpfr_init2(value, 53);
  mpfr_set_d(value, x, MPFR_RNDN);  // exact
  double out = round_stored(value, format);
  mpfr_clear(value);
  return out;
}

// Logits of one product at the refinement precisions, computed once each.
class LogitCache {
 public:
  explicit LogitCache(const Product& product) : product_(product) {}
  const Interval& at(std::int64_t m, Bits prec) {
    auto key = std::make_pair(m, prec);
    auto found = values_.find(key);
    if (found == values_.end()) found = values_.emplace(key, product_.logit(m, prec)).first;
    return found->second;
  }
  std::uint64_t size() const { return values_.size(); }

 private:
  const Product& product_;
  std::map<std::pair<std::int64_t, Bits>, Interval> values_;
};

// Pr(lower < Z < upper) for Z normal with the given moments, or [0, 1] when
// the variance may be zero.
Interval normal_mass(const Interval& lower, const Interval& upper, const Moments& moments) {
  const Bits prec = moments.precision;
  if (!(moments.variance.lower() > 0.0)) return Interval::bounds(0.0, 1.0, prec);
  Interval sigma = sqrt(moments.variance, prec);
  Interval high = normal_cdf(div(sub(upper, moments.mean, prec), sigma, prec), prec);
  Interval low = normal_cdf(div(sub(lower, moments.mean, prec), sigma, prec), prec);
  return sub(high, low, prec);
}

// The stored values of one distance in every window (at most two); unused
// coordinates are 0 in both ends.
struct Box {
  std::pair<double, double> low{0.0, 0.0};
  std::pair<double, double> high{0.0, 0.0};
};

bool intersect(const Box& a, const Box& b) {
  return a.low.first <= b.high.first && b.low.first <= a.high.first &&
         a.low.second <= b.high.second && b.low.second <= a.high.second;
}

}  // namespace

double round_stored(mpfr_srcptr x, formats::Format format) {
  const formats::FormatSpec& f = formats::spec(format);
  if (mpfr_nan_p(x)) return std::numeric_limits<double>::quiet_NaN();
  if (mpfr_zero_p(x)) return 0.0;
  const bool negative = mpfr_sgn(x) < 0;
  const double overflow = negative ? -kInfinity : kInfinity;
  if (mpfr_inf_p(x)) return overflow;

  // |x| = frac 2^exp with frac in [1/2, 1), so the leading bit weighs 2^(exp - 1).
  const long leading = static_cast<long>(mpfr_get_exp(x)) - 1;
  if (leading > f.max_exponent + 1) return overflow;
  // Below the smallest normal the quantum stays that of the subnormals.
  const long quantum = std::max<long>(leading, f.min_exponent) - (f.precision - 1);
  // Far below half the smallest subnormal, |x| rounds to zero.
  if (leading < quantum - 2) return 0.0;

  mpfr_t units;
  mpfr_init2(units, std::max<mpfr_prec_t>(mpfr_get_prec(x), 64));
  mpfr_abs(units, x, MPFR_RNDN);                // exact: same or larger precision
  mpfr_mul_2si(units, units, -quantum, MPFR_RNDN);  // exact: a power of two
  // The nearest integer, halfway cases to the even one. It is below 2^(p+1),
  // so it is exact in `units` and in a double.
  mpfr_roundeven(units, units);
  const double rounded = std::ldexp(mpfr_get_d(units, MPFR_RNDN), static_cast<int>(quantum));
  mpfr_clear(units);
  if (rounded == 0.0) return 0.0;
  if (rounded > f.max_finite) return overflow;
  return negative ? -rounded : rounded;
}

Interval CountRange::fraction() const {
  if (total == 0) return Interval::bounds(0.0, 1.0, 64);
  Interval denominator = Interval::integer(static_cast<std::int64_t>(total), 128);
  Interval lo = div(Interval::integer(static_cast<std::int64_t>(certain), 128), denominator, 128);
  Interval hi = div(Interval::integer(static_cast<std::int64_t>(possible), 128), denominator, 128);
  return hull(lo, hi, 128);
}

StoredWindow stored_window(const Product& product, std::int64_t M, formats::Format format) {
  StoredWindow out;
  out.format = format;
  out.M = M;
  std::vector<double> lower, upper;
  // 16 bits beyond the phase loss decide almost every rounding.
  product.window_bounds(0, M, 16, lower, upper);
  out.low.resize(M);
  out.high.resize(M);
  for (std::int64_t m = 0; m < M; ++m) {
    double lo = round_double(lower[m], format);
    double hi = round_double(upper[m], format);
    if (lo != hi) {
      // fl_F is monotone, so the enclosure contains points rounding to both
      // ends. It straddles a boundary, so refine until both ends round alike.
      ++out.refined_values;
      for (Bits prec = kFirstRefinement; prec <= kLastRefinement && lo != hi; prec *= 2) {
        Interval value = product.logit(m, prec);
        lo = round_stored(&value.raw()->left, format);
        hi = round_stored(&value.raw()->right, format);
      }
      if (lo != hi) ++out.undecided_values;
    }
    if (lo == hi && lo == 0.0) lo = hi = 0.0;  // -0 and +0 are one stored value
    out.low[m] = lo;
    out.high[m] = hi;
  }
  return out;
}

AliasCounts alias_counts(const std::vector<const StoredWindow*>& windows) {
  if (windows.empty() || windows.size() > 2) {
    throw std::invalid_argument("alias_counts takes one or two stored windows");
  }
  const std::int64_t M = windows[0]->M;
  const formats::Format format = windows[0]->format;
  for (const StoredWindow* w : windows) {
    if (w->M != M || w->format != format) {
      throw std::invalid_argument("alias_counts: the windows differ in M or format");
    }
  }
  const bool overflow_is_nan = formats::spec(format).overflow_is_nan;

  AliasCounts out;
  out.pairs.total = pairs_of(static_cast<std::uint64_t>(M));
  out.with_partner.total = static_cast<std::uint64_t>(M);
  for (const StoredWindow* w : windows) {
    out.refined_values += w->refined_values;
    out.undecided_values += w->undecided_values;
  }

  using Key = std::pair<double, double>;
  std::vector<Key> decided;
  std::vector<Box> undecided;
  for (std::int64_t m = 0; m < M; ++m) {
    Box box;
    bool all_decided = true;
    bool is_nan = false;
    for (std::size_t k = 0; k < windows.size(); ++k) {
      const double lo = windows[k]->low[m];
      const double hi = windows[k]->high[m];
      (k == 0 ? box.low.first : box.low.second) = lo;
      (k == 0 ? box.high.first : box.high.second) = hi;
      if (lo != hi) all_decided = false;
      if (lo == hi && overflow_is_nan && std::isinf(lo)) is_nan = true;
    }
    if (is_nan) continue;  // a NaN stored value has no partner
    if (all_decided) {
      decided.push_back(box.low);
    } else {
      undecided.push_back(box);
    }
  }

  // Decided distances: groups of equal keys after sorting.
  std::sort(decided.begin(), decided.end());
  std::vector<Key> group_key;
  std::vector<std::uint64_t> group_size;
  for (const Key& key : decided) {
    if (group_key.empty() || group_key.back() != key) {
      group_key.push_back(key);
      group_size.push_back(0);
    }
    ++group_size.back();
  }
  for (std::uint64_t size : group_size) {
    out.pairs.certain += pairs_of(size);
    if (size >= 2) out.with_partner.certain += size;
  }
  out.pairs.possible = out.pairs.certain;

  // Undecided against decided: the groups inside each box, found by binary
  // search per first coordinate.
  std::vector<bool> group_reached(group_key.size(), false);
  std::vector<bool> undecided_partner(undecided.size(), false);
  for (std::size_t u = 0; u < undecided.size(); ++u) {
    const Box& box = undecided[u];
    auto it = std::lower_bound(group_key.begin(), group_key.end(), box.low);
    while (it != group_key.end() && it->first <= box.high.first) {
      if (it->second < box.low.second) {
        it = std::lower_bound(it, group_key.end(), Key{it->first, box.low.second});
        continue;
      }
      if (it->second > box.high.second) {
        it = std::upper_bound(it, group_key.end(), Key{it->first, kInfinity});
        continue;
      }
      const std::size_t g = static_cast<std::size_t>(it - group_key.begin());
      out.pairs.possible += group_size[g];
      group_reached[g] = true;
      undecided_partner[u] = true;
      ++it;
    }
  }

  // Undecided against undecided: a sweep over boxes sorted by their first
  // lower end tests only boxes whose first ranges meet.
  std::vector<std::size_t> order(undecided.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return undecided[a].low.first < undecided[b].low.first;
  });
  std::uint64_t tests = 0;
  bool bounded = false;
  for (std::size_t i = 0; i < order.size() && !bounded; ++i) {
    const Box& a = undecided[order[i]];
    for (std::size_t j = i + 1; j < order.size(); ++j) {
      const Box& b = undecided[order[j]];
      if (b.low.first > a.high.first) break;
      if (++tests > kMaxUndecidedTests) {
        bounded = true;
        break;
      }
      if (!intersect(a, b)) continue;
      ++out.pairs.possible;
      undecided_partner[order[i]] = true;
      undecided_partner[order[j]] = true;
    }
  }
  if (bounded) {
    // Too many boxes meet: count every pair with an undecided distance as
    // possible instead, which includes the pairs counted so far.
    out.pairs.possible = out.pairs.certain + pairs_of(undecided.size()) +
                         static_cast<std::uint64_t>(undecided.size()) * decided.size();
    std::fill(undecided_partner.begin(), undecided_partner.end(), true);
    std::fill(group_reached.begin(), group_reached.end(), true);
  }

  out.with_partner.possible = out.with_partner.certain;
  for (std::size_t g = 0; g < group_key.size(); ++g) {
    if (group_size[g] == 1 && group_reached[g]) ++out.with_partner.possible;
  }
  out.with_partner.possible += static_cast<std::uint64_t>(
      std::count(undecided_partner.begin(), undecided_partner.end(), true));
  return out;
}

AliasCounts position_aliasing(const Product& product, std::int64_t M, formats::Format format) {
  check_length(M, "position aliasing");
  StoredWindow window = stored_window(product, M, format);
  return alias_counts({&window});
}

Invariance attention_invariance(const Product& first, const Product& second, std::int64_t M,
                                formats::Format format) {
  check_length(M, "attention invariance");
  StoredWindow one = stored_window(first, M, format);
  StoredWindow two = stored_window(second, M, format);
  return {alias_counts({&one}), alias_counts({&two}), alias_counts({&one, &two})};
}

AliasCounts threshold_aliasing(const Product& product, std::int64_t M, double eps) {
  check_length(M, "threshold aliasing");
  check_eps(eps);
  std::vector<double> lower, upper;
  product.window_bounds(0, M, 16, lower, upper);

  AliasCounts out;
  out.pairs.total = pairs_of(static_cast<std::uint64_t>(M));
  out.with_partner.total = static_cast<std::uint64_t>(M);

  // Distances sorted by lower end; lo and hi follow that order.
  const std::size_t count = static_cast<std::size_t>(M);
  std::vector<std::int64_t> order(count);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::int64_t a, std::int64_t b) { return lower[a] < lower[b]; });
  std::vector<double> lo(count), hi(count);
  double widest = 0.0;
  for (std::size_t p = 0; p < count; ++p) {
    lo[p] = lower[order[p]];
    hi[p] = upper[order[p]];
    widest = std::max(widest, std::nextafter(hi[p] - lo[p], kInfinity));
  }

  LogitCache cache(product);
  const Interval threshold = Interval::point(eps, 64);
  auto refine = [&](std::int64_t a, std::int64_t b) {
    for (Bits prec = kFirstRefinement; prec <= kLastRefinement; prec *= 2) {
      Interval gap = abs(sub(cache.at(a, prec), cache.at(b, prec), prec + 64));
      Tribool near = less(gap, threshold);
      if (near != Tribool::Unknown) return near;
    }
    return Tribool::Unknown;
  };

  // For sorted positions i < j (lo_i <= lo_j): every point pair is within
  // eps when hi_i and hi_j are below lo_i + eps, and none is when
  // lo_j >= hi_i + eps. Each bound is moved one step outward after its
  // rounded sum, so the comparisons hold for the exact sums.
  // certain_mark and possible_mark are difference arrays over positions.
  std::vector<std::int64_t> certain_mark(count + 1, 0), possible_mark(count + 1, 0);
  auto mark = [](std::vector<std::int64_t>& marks, std::size_t from, std::size_t to) {
    ++marks[from];
    --marks[to];
  };
  std::uint64_t refined_pairs = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const double near_limit = std::nextafter(lo[i] + eps, -kInfinity);
    const double far_limit = std::nextafter(hi[i] + eps, kInfinity);
    const std::size_t far_begin = std::max<std::size_t>(
        i + 1, std::lower_bound(lo.begin(), lo.end(), far_limit) - lo.begin());
    out.pairs.possible += far_begin - (i + 1);

    const bool self_near = hi[i] < near_limit;
    std::size_t scan = i + 1;
    if (self_near) {
      // lo_j < near_limit - widest gives hi_j < near_limit.
      const double prefix_limit = std::nextafter(near_limit - widest, -kInfinity);
      const std::size_t prefix_end = std::clamp<std::size_t>(
          std::lower_bound(lo.begin(), lo.end(), prefix_limit) - lo.begin(), i + 1, far_begin);
      out.pairs.certain += prefix_end - (i + 1);
      if (prefix_end > i + 1) {
        mark(certain_mark, i, i + 1);
        mark(certain_mark, i + 1, prefix_end);
      }
      scan = prefix_end;
    }
    for (std::size_t j = scan; j < far_begin; ++j) {
      Tribool near = Tribool::Unknown;
      if (self_near && hi[j] < near_limit) {
        near = Tribool::True;
      } else if (refined_pairs < kMaxRefinedThresholdPairs) {
        ++refined_pairs;
        near = refine(order[i], order[j]);
      }
      if (near == Tribool::False) {
        --out.pairs.possible;
        continue;
      }
      mark(possible_mark, i, i + 1);
      mark(possible_mark, j, j + 1);
      if (near == Tribool::True) {
        ++out.pairs.certain;
        mark(certain_mark, i, i + 1);
        mark(certain_mark, j, j + 1);
      }
    }
  }

  std::int64_t certain_running = 0, possible_running = 0;
  for (std::size_t p = 0; p < count; ++p) {
    certain_running += certain_mark[p];
    possible_running += possible_mark[p];
    if (certain_running > 0) ++out.with_partner.certain;
    if (certain_running > 0 || possible_running > 0) ++out.with_partner.possible;
  }
  out.refined_values = cache.size();
  return out;
}

TokenInversion token_inversion(const Product& difference, std::int64_t M) {
  check_length(M, "token inversion");
  TokenInversion out;
  const Interval zero = Interval::integer(0, 64);
  for (Bits prec = kFirstRefinement; prec <= kLastRefinement; prec *= 2) {
    out.d0 = difference.logit(0, prec);
    if (less(zero, out.d0) == Tribool::True) {
      out.label = 1;
      break;
    }
    if (less(out.d0, zero) == Tribool::True) {
      out.label = -1;
      break;
    }
    if (out.d0.is_point()) break;  // D(0) = 0 exactly
  }
  const bool swapped = out.label == -1;

  std::vector<double> lower, upper;
  difference.window_bounds(0, M, 16, lower, upper);
  out.negative.total = static_cast<std::uint64_t>(M);
  for (std::int64_t m = 0; m < M; ++m) {
    // The labelled value is -D when swapped.
    const double lo = swapped ? -upper[m] : lower[m];
    const double hi = swapped ? -lower[m] : upper[m];
    Tribool negative = hi < 0.0 ? Tribool::True : lo >= 0.0 ? Tribool::False : Tribool::Unknown;
    for (Bits prec = kFirstRefinement; prec <= kLastRefinement && negative == Tribool::Unknown;
         prec *= 2) {
      Interval value = difference.logit(m, prec);
      negative = less(swapped ? neg(value) : value, zero);
    }
    if (negative != Tribool::False) ++out.negative.possible;
    if (negative == Tribool::True) ++out.negative.certain;
  }

  out.moments = window_moments(difference, 0, M);
  if (swapped) out.moments.mean = neg(out.moments.mean);
  out.prediction = Interval::bounds(0.0, 1.0, 64);
  if (out.moments.variance.lower() > 0.0) {
    const Bits prec = out.moments.precision;
    Interval z = div(neg(out.moments.mean), sqrt(out.moments.variance, prec), prec);
    out.prediction = normal_cdf(z, prec);
  }
  return out;
}

TokenAliasing token_aliasing(const Product& first, const Product& second,
                             const Product& difference, std::int64_t M, formats::Format format,
                             std::optional<double> eps) {
  check_length(M, "token aliasing");
  if (eps) check_eps(*eps);
  const bool overflow_is_nan = formats::spec(format).overflow_is_nan;
  TokenAliasing out;
  out.equal.total = static_cast<std::uint64_t>(M);
  {
    StoredWindow one = stored_window(first, M, format);
    StoredWindow two = stored_window(second, M, format);
    for (std::int64_t m = 0; m < M; ++m) {
      const bool nan_one = one.decided(m) && overflow_is_nan && std::isinf(one.low[m]);
      const bool nan_two = two.decided(m) && overflow_is_nan && std::isinf(two.low[m]);
      if (nan_one || nan_two) continue;  // NaN equals nothing
      if (one.decided(m) && two.decided(m)) {
        if (one.low[m] == two.low[m]) {
          ++out.equal.certain;
          ++out.equal.possible;
        }
        continue;
      }
      if (one.low[m] <= two.high[m] && two.low[m] <= one.high[m]) ++out.equal.possible;
    }
  }
  if (!eps) return out;

  out.eps = eps;
  out.near.total = static_cast<std::uint64_t>(M);
  std::vector<double> lower, upper;
  difference.window_bounds(0, M, 16, lower, upper);
  const Interval threshold = Interval::point(*eps, 64);
  for (std::int64_t m = 0; m < M; ++m) {
    Tribool near = Tribool::Unknown;
    if (lower[m] > -*eps && upper[m] < *eps) near = Tribool::True;
    if (lower[m] >= *eps || upper[m] <= -*eps) near = Tribool::False;
    for (Bits prec = kFirstRefinement; prec <= kLastRefinement && near == Tribool::Unknown;
         prec *= 2) {
      near = less(abs(difference.logit(m, prec)), threshold);
    }
    if (near != Tribool::False) ++out.near.possible;
    if (near == Tribool::True) ++out.near.certain;
  }

  Moments moments = window_moments(difference, 0, M);
  out.near_probability = normal_mass(neg(threshold), threshold, moments);
  out.predicted_near = mul_int(out.near_probability, M, moments.precision);
  return out;
}

}  // namespace ropecert::mpfi_backend
