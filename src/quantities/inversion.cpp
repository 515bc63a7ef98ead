#include "quantities/inversion.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "util/input_error.hpp"

namespace ropecert::quantities {

namespace {

using interval::Tribool;

// Above this many overlapping pairs the refinement is skipped and the range
// is reported as it is (for example for a zero key, where all values tie).
constexpr std::uint64_t kMaxRefinedPairs = 1'000'000;

constexpr Precision kMaxRefinePrecision = 1024;

// a / b as an outward-rounded pair of doubles, through an Arb ball.
Ball ratio(std::uint64_t a, std::uint64_t b) {
  Ball x, y, q;
  arb_set_ui(x.raw(), a);
  arb_set_ui(y.raw(), b);
  arb_div(q.raw(), x.raw(), y.raw(), 128);
  return q;
}

}  // namespace

double InversionCount::fraction_lower() const {
  if (total_pairs == 0) return 0.0;
  return ratio(certain_less, total_pairs).lower();
}

double InversionCount::fraction_upper() const {
  if (total_pairs == 0) return 1.0;
  return ratio(possible_less, total_pairs).upper();
}

InversionCount count_less_pairs(const std::vector<double>& near_lower,
                                const std::vector<double>& near_upper,
                                const std::vector<double>& far_lower,
                                const std::vector<double>& far_upper,
                                const PairComparison& refine) {
  const std::size_t near = near_lower.size();
  const std::size_t far = far_lower.size();
  InversionCount result;
  result.total_pairs = static_cast<std::uint64_t>(near) * far;

  // Far indices sorted by lower bound; a second sorted copy of upper bounds.
  std::vector<std::int64_t> by_lower(far);
  std::iota(by_lower.begin(), by_lower.end(), 0);
  std::sort(by_lower.begin(), by_lower.end(),
            [&](std::int64_t a, std::int64_t b) { return far_lower[a] < far_lower[b]; });
  std::vector<double> sorted_lower(far), sorted_upper(far_upper);
  for (std::size_t i = 0; i < far; ++i) sorted_lower[i] = far_lower[by_lower[i]];
  std::sort(sorted_upper.begin(), sorted_upper.end());
  double widest = 0.0;
  for (std::size_t j = 0; j < far; ++j) widest = std::max(widest, far_upper[j] - far_lower[j]);

  // S(m1) < S(m2) is certain when upper1 < lower2, and possible unless
  // lower1 >= upper2. Both counts are binary searches per near value.
  for (std::size_t i = 0; i < near; ++i) {
    auto certain = std::upper_bound(sorted_lower.begin(), sorted_lower.end(), near_upper[i]);
    result.certain_less += static_cast<std::uint64_t>(sorted_lower.end() - certain);
    auto possible = std::upper_bound(sorted_upper.begin(), sorted_upper.end(), near_lower[i]);
    result.possible_less += static_cast<std::uint64_t>(sorted_upper.end() - possible);
  }

  const std::uint64_t undecided = result.possible_less - result.certain_less;
  if (undecided == 0) return result;
  if (undecided > kMaxRefinedPairs || !refine) {
    result.refinement_skipped = true;
    return result;
  }

  // The undecided pairs have lower2 <= upper1 and upper2 > lower1. Since
  // upper2 - lower2 <= widest, such a pair has lower2 > lower1 - widest. The
  // scan starts lower still, by twice the width plus a relative and an
  // absolute margin, because `widest` and the subtraction are rounded. A wider
  // scan only visits more candidates, and the exact test below filters them.
  std::uint64_t scanned = 0;
  const std::uint64_t max_scanned = 64 * kMaxRefinedPairs;
  for (std::size_t i = 0; i < near; ++i) {
    double margin = 2 * widest + std::abs(near_lower[i]) * 0x1.0p-50 + 0x1.0p-1000;
    double from = near_lower[i] - margin;
    auto begin = std::lower_bound(sorted_lower.begin(), sorted_lower.end(), from);
    auto end = std::upper_bound(sorted_lower.begin(), sorted_lower.end(), near_upper[i]);
    for (auto it = begin; it != end; ++it) {
      // A few very wide enclosures would make every scan long; stopping early
      // is sound, because every adjustment so far was certified.
      if (++scanned > max_scanned) {
        result.refinement_skipped = true;
        return result;
      }
      std::int64_t j = by_lower[it - sorted_lower.begin()];
      if (!(far_upper[j] > near_lower[i])) continue;
      ++result.refined_pairs;
      Tribool less = refine(static_cast<std::int64_t>(i), j);
      if (less == Tribool::True) ++result.certain_less;
      if (less == Tribool::False) --result.possible_less;
    }
  }
  return result;
}

InversionCount position_inversion(const model::RopeProduct& product, std::int64_t M,
                                  const ProgressCallback& progress) {
  if (M < 2 || M > kMaxInversionLength) {
    throw InputError("length M = " + std::to_string(M) +
                     " is out of range for position inversion; give 2 <= M <= 2^31");
  }
  const std::int64_t half = M / 2;

  // Enclosures in chunks, so that a terminal can show progress.
  std::vector<double> lower(M), upper(M);
  const std::int64_t chunk = std::max<std::int64_t>(1 << 14, M / 100);
  for (std::int64_t start = 0; start < M; start += chunk) {
    std::int64_t stop = std::min(M, start + chunk);
    model::WindowEnclosures part = product.window(start, stop, 53);
    std::copy(part.lower.begin(), part.lower.end(), lower.begin() + start);
    std::copy(part.upper.begin(), part.upper.end(), upper.begin() + start);
    if (progress) progress(static_cast<double>(stop) / M);
  }

  std::vector<double> near_lower(lower.begin(), lower.begin() + half);
  std::vector<double> near_upper(upper.begin(), upper.begin() + half);
  std::vector<double> far_lower(lower.begin() + half, lower.end());
  std::vector<double> far_upper(upper.begin() + half, upper.end());
  lower.clear();
  lower.shrink_to_fit();
  upper.clear();
  upper.shrink_to_fit();

  // Near-ties are compared again with Arb at rising precision; each distance
  // is re-evaluated once per precision and kept.
  std::map<std::pair<std::int64_t, Precision>, Ball> refined;
  auto value_at = [&](std::int64_t m, Precision prec) -> const Ball& {
    auto key = std::make_pair(m, prec);
    auto found = refined.find(key);
    if (found == refined.end()) found = refined.emplace(key, product.value(m, prec)).first;
    return found->second;
  };
  auto refine = [&](std::int64_t i, std::int64_t j) {
    for (Precision prec = 128; prec <= kMaxRefinePrecision; prec *= 2) {
      Tribool less = interval::less(value_at(i, prec), value_at(half + j, prec));
      if (less != Tribool::Unknown) return less;
    }
    return Tribool::Unknown;
  };

  InversionCount result = count_less_pairs(near_lower, near_upper, far_lower, far_upper, refine);
  result.M = M;
  result.refined_values = refined.size();
  return result;
}

}  // namespace ropecert::quantities
