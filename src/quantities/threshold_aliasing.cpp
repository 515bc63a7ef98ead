#include "quantities/threshold_aliasing.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "quantities/count_fraction.hpp"
#include "util/input_error.hpp"

namespace ropecert::quantities {

namespace {

using interval::Tribool;

// Bounds of a + b for doubles a, b: the rounded sum is within half an ulp of
// the exact sum, so one step outward encloses it.
double sum_lower(double a, double b) { return std::nextafter(a + b, -INFINITY); }
double sum_upper(double a, double b) { return std::nextafter(a + b, INFINITY); }

}  // namespace

double ThresholdAliasingCount::pair_fraction_lower() const {
  return fraction_lower(certain_pairs, total_pairs);
}
double ThresholdAliasingCount::pair_fraction_upper() const {
  return fraction_upper(possible_pairs, total_pairs);
}
double ThresholdAliasingCount::partner_fraction_lower() const {
  return fraction_lower(certain_with_partner, static_cast<std::uint64_t>(M));
}
double ThresholdAliasingCount::partner_fraction_upper() const {
  return fraction_upper(possible_with_partner, static_cast<std::uint64_t>(M));
}

ThresholdAliasingCount count_threshold_pairs(const model::WindowEnclosures& bounds, double eps,
                                             const ThresholdComparison& refine) {
  const std::size_t M = bounds.lower.size();
  ThresholdAliasingCount result;
  result.M = static_cast<std::int64_t>(M);
  result.eps = eps;
  result.total_pairs = M < 2 ? 0 : static_cast<std::uint64_t>(M) * (M - 1) / 2;

  // Positions in the order of the lower bounds.
  std::vector<std::int64_t> order(M);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::int64_t a, std::int64_t b) {
    return bounds.lower[a] < bounds.lower[b];
  });
  std::vector<double> lo(M), hi(M);
  double widest = 0.0;  // an upper bound of every hi - lo
  for (std::size_t p = 0; p < M; ++p) {
    lo[p] = bounds.lower[order[p]];
    hi[p] = bounds.upper[order[p]];
    widest = std::max(widest, std::nextafter(hi[p] - lo[p], INFINITY));
  }

  // For positions i < j in this order, lo_i <= lo_j, so with real numbers:
  // - the pair is certainly near (every point pair within eps) when
  //   hi_i < lo_i + eps and hi_j < lo_i + eps;
  // - it is certainly far when lo_j >= hi_i + eps (lo_i - hi_j >= eps cannot hold).
  // `near_limit` is a lower bound of lo_i + eps and `far_limit` an upper bound
  // of hi_i + eps, so tests against them are sound. Positions j with
  // lo_j < near_limit - widest have hi_j < near_limit, which makes the near
  // test a prefix; the rest up to far_limit is checked one by one.
  std::vector<std::int64_t> certain_marks(M + 1, 0);
  std::vector<std::int64_t> possible_marks(M + 1, 0);
  std::vector<std::pair<std::size_t, std::size_t>> open_pairs;
  for (std::size_t i = 0; i < M; ++i) {
    const double near_limit = sum_lower(lo[i], eps);
    const double far_limit = sum_upper(hi[i], eps);
    const double prefix_limit = sum_lower(near_limit, -widest);
    const std::size_t far_begin = std::max<std::size_t>(
        i + 1, std::lower_bound(lo.begin(), lo.end(), far_limit) - lo.begin());
    result.possible_pairs += far_begin - (i + 1);
    if (far_begin > i + 1) {
      ++possible_marks[i];
      --possible_marks[i + 1];
      ++possible_marks[i + 1];
      --possible_marks[far_begin];
    }

    const bool self_near = hi[i] < near_limit;
    std::size_t scan_begin = i + 1;
    if (self_near) {
      const std::size_t prefix_end = std::min<std::size_t>(
          far_begin,
          std::max<std::size_t>(
              i + 1, std::lower_bound(lo.begin(), lo.end(), prefix_limit) - lo.begin()));
      result.certain_pairs += prefix_end - (i + 1);
      if (prefix_end > i + 1) {
        ++certain_marks[i];
        --certain_marks[i + 1];
        ++certain_marks[i + 1];
        --certain_marks[prefix_end];
      }
      scan_begin = prefix_end;
    }
    for (std::size_t j = scan_begin; j < far_begin; ++j) {
      if (self_near && hi[j] < near_limit) {
        ++result.certain_pairs;
        ++certain_marks[i];
        --certain_marks[i + 1];
        ++certain_marks[j];
        --certain_marks[j + 1];
        continue;
      }
      if (open_pairs.size() < kMaxThresholdRefinedPairs) {
        open_pairs.emplace_back(i, j);
      } else {
        result.refinement_skipped = true;
      }
    }
  }

  // Open pairs: compared at higher precision, each True moves to the certain
  // count, each False leaves the possible count.
  std::vector<std::int64_t> open_marks(M + 1, 0);
  if (!result.refinement_skipped && refine) {
    for (const auto& [i, j] : open_pairs) {
      ++result.refined_pairs;
      const Tribool near = refine(order[i], order[j]);
      if (near == Tribool::True) {
        ++result.certain_pairs;
        ++certain_marks[i];
        --certain_marks[i + 1];
        ++certain_marks[j];
        --certain_marks[j + 1];
      }
      if (near == Tribool::False) {
        --result.possible_pairs;
        continue;
      }
      ++open_marks[i];
      --open_marks[i + 1];
      ++open_marks[j];
      --open_marks[j + 1];
    }
  } else if (!open_pairs.empty()) {
    result.refinement_skipped = true;
  }

  // A distance may have a partner through a certain pair, an open pair that
  // refinement did not refute, or, when refinement was skipped, any pair not
  // certainly far.
  std::int64_t certain_running = 0, open_running = 0, possible_running = 0;
  for (std::size_t p = 0; p < M; ++p) {
    certain_running += certain_marks[p];
    open_running += open_marks[p];
    possible_running += possible_marks[p];
    const bool certain = certain_running > 0;
    if (certain) ++result.certain_with_partner;
    if (result.refinement_skipped ? possible_running > 0 : (certain || open_running > 0)) {
      ++result.possible_with_partner;
    }
  }
  return result;
}

ThresholdAliasingCount threshold_aliasing(const model::RopeProduct& product, std::int64_t M,
                                          double eps, const ProgressFraction& progress) {
  check_length(M, "threshold aliasing");
  if (!std::isfinite(eps) || !(eps > 0.0)) {
    throw InputError("threshold eps = " + std::to_string(eps) +
                     " is invalid; give a finite eps > 0");
  }
  model::WindowEnclosures bounds = window_bounds(product, M, progress);

  std::map<std::pair<std::int64_t, Precision>, Ball> cache;
  auto value_at = [&](std::int64_t m, Precision prec) -> const Ball& {
    auto key = std::make_pair(m, prec);
    auto found = cache.find(key);
    if (found == cache.end()) found = cache.emplace(key, product.value(m, prec)).first;
    return found->second;
  };
  const Ball threshold = Ball::exact(eps);
  auto refine = [&](std::int64_t a, std::int64_t b) {
    for (Precision prec = 128; prec <= kMaxRoundingPrecision; prec *= 2) {
      Ball gap = interval::abs(interval::sub(value_at(a, prec), value_at(b, prec), prec));
      Tribool near = interval::less(gap, threshold);
      if (near != Tribool::Unknown) return near;
    }
    return Tribool::Unknown;
  };
  ThresholdAliasingCount result = count_threshold_pairs(bounds, eps, refine);
  result.refined_values = cache.size();
  return result;
}

}  // namespace ropecert::quantities
