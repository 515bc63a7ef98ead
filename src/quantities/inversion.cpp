#include "quantities/inversion.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <limits>
#include <numeric>
#include <thread>
#include <utility>

#include "quantities/count_fraction.hpp"
#include "util/input_error.hpp"

namespace ropecert::quantities {

namespace {

using interval::Tribool;

// Above this many overlapping pairs the refinement is skipped and the range
// is reported as it is (for example for a zero key, where all values tie).
constexpr std::uint64_t kMaxRefinedPairs = 1'000'000;

constexpr Precision kMaxRefinePrecision = 1024;

}  // namespace

double InversionCount::fraction_lower() const {
  return quantities::fraction_lower(certain_less, total_pairs);
}

double InversionCount::fraction_upper() const {
  return quantities::fraction_upper(possible_less, total_pairs);
}

namespace {

// Pairs near x far, both as double enclosures, with x < y decided where the
// enclosures allow it.
//
// Counting sorts the four bound arrays in place and merges, O(n log n) time
// and no extra memory. If pairs remain undecided and there are at most
// kMaxRefinedPairs of them, `refill` restores the arrays to distance order
// and the undecided pairs are enumerated output-sensitively (see
// visit_undecided), which costs 16 more bytes per element while it runs.
using Refill = std::function<void(std::vector<double>& near_lower, std::vector<double>& near_upper,
                                  std::vector<double>& far_lower, std::vector<double>& far_upper)>;

// Sorts two arrays, the second on a second thread.
void sort_pair(std::vector<double>& first, std::vector<double>& second) {
  std::thread helper([&] { std::sort(second.begin(), second.end()); });
  std::sort(first.begin(), first.end());
  helper.join();
}

// The number of pairs (x in keys, y in values) with y > x, both sorted ascending.
std::uint64_t count_greater(const std::vector<double>& keys, const std::vector<double>& values) {
  std::uint64_t total = 0;
  std::size_t below = 0;  // values[0 .. below) are <= the current key
  for (double key : keys) {
    while (below < values.size() && values[below] <= key) ++below;
    total += values.size() - below;
  }
  return total;
}

// Indices 0 .. n-1 ordered by key, with the key next to each index.
std::vector<std::pair<double, std::uint32_t>> sorted_by(const std::vector<double>& key) {
  std::vector<std::pair<double, std::uint32_t>> order(key.size());
  for (std::size_t i = 0; i < key.size(); ++i) order[i] = {key[i], static_cast<std::uint32_t>(i)};
  std::sort(order.begin(), order.end());
  return order;
}

// Calls visit(i, j) once for every undecided pair: far_lower[j] <=
// near_upper[i] and far_upper[j] > near_lower[i]. Such a pair has either
// (a) near_lower[i] <= far_lower[j] <= near_upper[i], or
// (b) far_lower[j] < near_lower[i] < far_upper[j],
// and the two cases are disjoint. With both halves sorted by lower bound,
// each case is a merge walk whose start pointer only moves forward, so the
// work is O(n log n) for the sorts plus the pairs visited. Pairs in range
// (a) that are not undecided have far_lower = far_upper = near_lower (point
// enclosures); the walk stops and returns false after `max_scanned` of them
// so that many exact ties cannot make it quadratic.
bool visit_undecided(const std::vector<double>& near_lower, const std::vector<double>& near_upper,
                     const std::vector<double>& far_lower, const std::vector<double>& far_upper,
                     std::uint64_t max_scanned,
                     const std::function<void(std::int64_t, std::int64_t)>& visit) {
  const auto near_order = sorted_by(near_lower);
  const auto far_order = sorted_by(far_lower);
  std::uint64_t scanned = 0;

  // (a): for near i in increasing lower bound, far j from the first with
  // far_lower >= near_lower[i].
  std::size_t start = 0;
  for (const auto& [lower, i] : near_order) {
    while (start < far_order.size() && far_order[start].first < lower) ++start;
    for (std::size_t at = start; at < far_order.size() && far_order[at].first <= near_upper[i];
         ++at) {
      const std::uint32_t j = far_order[at].second;
      if (far_upper[j] > lower) {
        visit(i, j);
      } else if (++scanned > max_scanned) {
        return false;
      }
    }
  }

  // (b): for far j in increasing lower bound, near i from the first with
  // near_lower > far_lower[j].
  start = 0;
  for (const auto& [lower, j] : far_order) {
    while (start < near_order.size() && near_order[start].first <= lower) ++start;
    for (std::size_t at = start; at < near_order.size() && near_order[at].first < far_upper[j];
         ++at) {
      visit(near_order[at].second, j);
    }
  }
  return true;
}

InversionCount count_and_refine(std::vector<double>& near_lower, std::vector<double>& near_upper,
                                std::vector<double>& far_lower, std::vector<double>& far_upper,
                                const Refill& refill, const PairComparison& refine) {
  InversionCount result;
  result.total_pairs = static_cast<std::uint64_t>(near_lower.size()) * far_lower.size();

  // S(m1) < S(m2) is certain when upper1 < lower2, and possible unless
  // lower1 >= upper2. Both counts are merges of sorted arrays.
  sort_pair(near_upper, far_lower);
  result.certain_less = count_greater(near_upper, far_lower);
  sort_pair(near_lower, far_upper);
  result.possible_less = count_greater(near_lower, far_upper);

  const std::uint64_t undecided = result.possible_less - result.certain_less;
  if (undecided == 0) return result;
  if (undecided > kMaxRefinedPairs || !refine) {
    result.refinement_skipped = true;
    return result;
  }

  refill(near_lower, near_upper, far_lower, far_upper);
  InversionCount refined = result;
  bool complete = visit_undecided(
      near_lower, near_upper, far_lower, far_upper, 4 * kMaxRefinedPairs,
      [&](std::int64_t i, std::int64_t j) {
        ++refined.refined_pairs;
        Tribool less = refine(i, j);
        if (less == Tribool::True) ++refined.certain_less;
        if (less == Tribool::False) --refined.possible_less;
      });
  if (!complete) {
    result.refinement_skipped = true;
    return result;
  }
  return refined;
}

}  // namespace

InversionCount count_less_pairs(const std::vector<double>& near_lower,
                                const std::vector<double>& near_upper,
                                const std::vector<double>& far_lower,
                                const std::vector<double>& far_upper,
                                const PairComparison& refine) {
  std::vector<double> a(near_lower), b(near_upper), c(far_lower), d(far_upper);
  auto refill = [&](std::vector<double>& nl, std::vector<double>& nu, std::vector<double>& fl,
                    std::vector<double>& fu) {
    nl = near_lower;
    nu = near_upper;
    fl = far_lower;
    fu = far_upper;
  };
  return count_and_refine(a, b, c, d, refill, refine);
}

InversionCount position_inversion(const model::RopeProduct& product, std::int64_t M,
                                  const ProgressCallback& progress, model::WindowMethod method) {
  if (M < 2 || M > kMaxInversionLength) {
    throw InputError("length M = " + std::to_string(M) +
                     " is out of range for position inversion; give 2 <= M <= 2^31");
  }
  const std::int64_t half = M / 2;

  // Enclosures in chunks, so that a terminal can show progress, written
  // straight into the near and far arrays: 16 bytes per distance. The
  // refinement step calls this again; both paths of window_into are
  // deterministic for the same chunks, so the arrays come back bit for bit.
  std::vector<double> near_lower(half), near_upper(half), far_lower(M - half), far_upper(M - half);
  auto fill = [&](std::vector<double>& nl, std::vector<double>& nu, std::vector<double>& fl,
                  std::vector<double>& fu) {
    const std::int64_t chunk = std::max<std::int64_t>(1 << 16, M / 100);
    for (std::int64_t start = 0; start < M; start += chunk) {
      const std::int64_t stop = std::min(M, start + chunk);
      // A chunk may straddle the two halves.
      const std::int64_t cut = std::clamp(half, start, stop);
      if (cut > start) {
        product.window_into(start, cut, 53, nl.data() + start, nu.data() + start, method);
      }
      if (stop > cut) {
        product.window_into(cut, stop, 53, fl.data() + (cut - half), fu.data() + (cut - half),
                            method);
      }
      if (progress) progress(static_cast<double>(stop) / M);
    }
  };
  fill(near_lower, near_upper, far_lower, far_upper);

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

  InversionCount result =
      count_and_refine(near_lower, near_upper, far_lower, far_upper, fill, refine);
  result.M = M;
  result.refined_values = refined.size();
  return result;
}

}  // namespace ropecert::quantities
