#include "quantities/aliasing.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "quantities/count_fraction.hpp"

namespace ropecert::quantities {

namespace {

// The stored values of one distance in every window, or their ranges. Unused
// dimensions hold the exact value 0, so one key and two keys share the code.
struct Box {
  std::array<double, 2> low{0.0, 0.0};
  std::array<double, 2> high{0.0, 0.0};
};

bool boxes_intersect(const Box& a, const Box& b) {
  for (int k = 0; k < 2; ++k) {
    if (a.high[k] < b.low[k] || b.high[k] < a.low[k]) return false;
  }
  return true;
}

std::uint64_t pairs_of(std::uint64_t n) { return n < 2 ? 0 : n * (n - 1) / 2; }

}  // namespace

double AliasingCount::pair_fraction_lower() const {
  return fraction_lower(certain_pairs, total_pairs);
}
double AliasingCount::pair_fraction_upper() const {
  return fraction_upper(possible_pairs, total_pairs);
}
double AliasingCount::partner_fraction_lower() const {
  return fraction_lower(certain_with_partner, static_cast<std::uint64_t>(M));
}
double AliasingCount::partner_fraction_upper() const {
  return fraction_upper(possible_with_partner, static_cast<std::uint64_t>(M));
}

AliasingCount count_aliasing(const std::vector<const RoundedWindow*>& windows) {
  if (windows.empty() || windows.size() > 2) {
    throw std::invalid_argument("count_aliasing takes one or two rounded windows");
  }
  const std::int64_t M = windows[0]->M;
  const formats::Format format = windows[0]->format;
  for (const RoundedWindow* w : windows) {
    if (w->M != M || w->format != format) {
      throw std::invalid_argument("count_aliasing: windows differ in M or format");
    }
  }
  const bool overflow_is_nan = formats::spec(format).overflow_is_nan;

  AliasingCount result;
  result.format = format;
  result.M = M;
  result.total_pairs = pairs_of(static_cast<std::uint64_t>(M));
  for (const RoundedWindow* w : windows) {
    result.refined_values += w->refined_values;
    result.overflow_values += w->overflow_values;
  }

  // Split the distances into decided rows (a stored value in every window)
  // and undecided boxes. A distance with a decided NaN (fp8_e4m3 overflow)
  // in any window equals nothing and takes part in no pair.
  std::vector<Box> rows;
  std::vector<Box> undecided;
  for (std::int64_t m = 0; m < M; ++m) {
    Box box;
    bool decided = true;
    bool never_equal = false;
    for (std::size_t k = 0; k < windows.size(); ++k) {
      box.low[k] = windows[k]->low[m];
      box.high[k] = windows[k]->high[m];
      if (!windows[k]->decided(m)) decided = false;
      if (windows[k]->decided(m) && overflow_is_nan && std::isinf(box.low[k])) never_equal = true;
    }
    if (never_equal) continue;
    if (decided) {
      rows.push_back(box);
    } else {
      undecided.push_back(box);
    }
  }
  result.undecided_values = undecided.size();

  // Certain pairs: groups of equal decided rows, found by sorting.
  std::sort(rows.begin(), rows.end(), [](const Box& a, const Box& b) { return a.low < b.low; });
  std::vector<std::size_t> group_begin;  // start of each group in `rows`
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i == 0 || rows[i].low != rows[i - 1].low) group_begin.push_back(i);
  }
  group_begin.push_back(rows.size());
  result.distinct_values = group_begin.size() - 1;
  for (std::size_t g = 0; g + 1 < group_begin.size(); ++g) {
    const std::uint64_t size = group_begin[g + 1] - group_begin[g];
    result.certain_pairs += pairs_of(size);
    if (size >= 2) result.certain_with_partner += size;
  }
  result.possible_pairs = result.certain_pairs;

  // Undecided against decided: the rows inside an undecided box form, for
  // each first-key value in range, one contiguous run of the sorted rows.
  // `marked` is a difference array over row positions: a row of a singleton
  // group that some box reaches may have a partner.
  std::vector<std::int64_t> marked(rows.size() + 1, 0);
  std::vector<bool> undecided_has_partner(undecided.size(), false);
  auto first_key_less = [](const Box& row, double value) { return row.low[0] < value; };
  auto second_key_less = [](const Box& row, double value) { return row.low[1] < value; };
  for (std::size_t u = 0; u < undecided.size(); ++u) {
    const Box& box = undecided[u];
    auto it = std::lower_bound(rows.begin(), rows.end(), box.low[0], first_key_less);
    while (it != rows.end() && it->low[0] <= box.high[0]) {
      const double key = it->low[0];
      auto block_end = std::upper_bound(
          it, rows.end(), key, [](double value, const Box& row) { return value < row.low[0]; });
      auto from = std::lower_bound(it, block_end, box.low[1], second_key_less);
      auto to = std::upper_bound(from, block_end, box.high[1],
                                 [](double value, const Box& row) { return value < row.low[1]; });
      if (to != from) {
        result.possible_pairs += static_cast<std::uint64_t>(to - from);
        undecided_has_partner[u] = true;
        ++marked[from - rows.begin()];
        --marked[to - rows.begin()];
      }
      it = block_end;
    }
  }

  // Undecided against undecided: a pair may alias when the boxes meet.
  if (undecided.size() <= kMaxPairwiseUndecided) {
    for (std::size_t a = 0; a < undecided.size(); ++a) {
      for (std::size_t b = a + 1; b < undecided.size(); ++b) {
        if (!boxes_intersect(undecided[a], undecided[b])) continue;
        ++result.possible_pairs;
        undecided_has_partner[a] = true;
        undecided_has_partner[b] = true;
      }
    }
  } else {
    result.undecided_pairs_bounded = true;
    result.possible_pairs += pairs_of(undecided.size());
    std::fill(undecided_has_partner.begin(), undecided_has_partner.end(), true);
  }

  result.possible_with_partner = result.certain_with_partner;
  std::int64_t running = 0;
  for (std::size_t g = 0; g + 1 < group_begin.size(); ++g) {
    const std::size_t begin = group_begin[g];
    const std::size_t end = group_begin[g + 1];
    bool reached = false;
    for (std::size_t i = begin; i < end; ++i) {
      running += marked[i];
      if (running > 0) reached = true;
    }
    if (end - begin == 1 && reached) ++result.possible_with_partner;
  }
  result.possible_with_partner += static_cast<std::uint64_t>(
      std::count(undecided_has_partner.begin(), undecided_has_partner.end(), true));
  return result;
}

AliasingCount position_aliasing(const model::RopeProduct& product, std::int64_t M,
                                formats::Format format, const ProgressFraction& progress) {
  check_length(M, "position aliasing");
  RoundedWindow window = round_window(product, M, format, progress);
  return count_aliasing({&window});
}

AttentionInvariance attention_invariance(const model::RopeProduct& first,
                                         const model::RopeProduct& second, std::int64_t M,
                                         formats::Format format,
                                         const ProgressFraction& progress) {
  check_length(M, "attention invariance");
  RoundedWindow one = round_window(first, M, format, [&](double f) {
    if (progress) progress(0.5 * f);
  });
  RoundedWindow two = round_window(second, M, format, [&](double f) {
    if (progress) progress(0.5 + 0.5 * f);
  });
  AttentionInvariance result;
  result.first = count_aliasing({&one});
  result.second = count_aliasing({&two});
  result.both = count_aliasing({&one, &two});
  return result;
}

}  // namespace ropecert::quantities
