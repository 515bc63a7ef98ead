#include "plots/aliasing_series.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "quantities/aliasing.hpp"
#include "quantities/token_aliasing.hpp"
#include "quantities/token_inversion.hpp"
#include "util/input_error.hpp"

namespace ropecert::plots {

namespace {

// The stored values (or their ranges) of distance m in each window, as in
// quantities::count_aliasing. Unused dimensions hold 0.
struct Row {
  std::array<double, 2> low{0.0, 0.0};
  std::array<double, 2> high{0.0, 0.0};
  std::int64_t m = 0;
};

bool rows_intersect(const Row& a, const Row& b) {
  for (int k = 0; k < 2; ++k) {
    if (a.high[k] < b.low[k] || b.high[k] < a.low[k]) return false;
  }
  return true;
}

std::uint64_t pairs_of(std::uint64_t n) { return n < 2 ? 0 : n * (n - 1) / 2; }

// A count as a double rounded down or up, so that pair counts above 2^53
// stay certified bounds.
double count_lower(std::uint64_t n) {
  double value = static_cast<double>(n);
  if (static_cast<std::uint64_t>(value) > n) value = std::nextafter(value, 0.0);
  return value;
}

double count_upper(std::uint64_t n) {
  double value = static_cast<double>(n);
  if (static_cast<std::uint64_t>(value) < n) value = std::nextafter(value, INFINITY);
  return value;
}

Bounds count_bounds(std::uint64_t certain, std::uint64_t possible) {
  return {count_lower(certain), count_upper(possible)};
}

// Progress from `from` to `to` of an outer callback.
ProgressCallback progress_part(const ProgressCallback& progress, double from, double to) {
  return [=](double f) {
    if (progress) progress(from + (to - from) * f);
  };
}

}  // namespace

AliasingPoint position_aliasing_point(const model::RopeProduct& product, std::int64_t M,
                                      formats::Format format, const ProgressCallback& progress) {
  quantities::AliasingCount count = quantities::position_aliasing(product, M, format, progress);
  AliasingPoint point;
  point.M = M;
  point.format = formats::to_string(format);
  point.partner_fraction = {count.partner_fraction_lower(), count.partner_fraction_upper()};
  point.pairs = count_bounds(count.certain_pairs, count.possible_pairs);
  return point;
}

PairMap bin_aliasing_pairs(const std::vector<const quantities::RoundedWindow*>& windows,
                           std::int64_t cell) {
  if (windows.empty() || windows.size() > 2) {
    throw std::invalid_argument("bin_aliasing_pairs takes one or two rounded windows");
  }
  const std::int64_t M = windows[0]->M;
  const formats::Format format = windows[0]->format;
  for (const quantities::RoundedWindow* w : windows) {
    if (w->M != M || w->format != format) {
      throw std::invalid_argument("bin_aliasing_pairs: windows differ in M or format");
    }
  }
  if (cell < 1) throw std::invalid_argument("bin_aliasing_pairs: cell must be at least 1");

  PairMap map;
  map.M = M;
  map.cell = cell;
  map.cells = (M + cell - 1) / cell;
  const auto size = static_cast<std::size_t>(map.cells * map.cells);
  map.counts.assign(size, 0);
  map.undecided.assign(size, 0);
  auto add = [&](std::vector<std::uint64_t>& target, std::int64_t a, std::int64_t b,
                 std::uint64_t n) {
    const std::int64_t first = std::min(a, b) / cell;
    const std::int64_t second = std::max(a, b) / cell;
    target[static_cast<std::size_t>(first * map.cells + second)] += n;
  };

  // The classification of count_aliasing: decided rows, undecided rows, and
  // distances with a decided fp8_e4m3 overflow (NaN), which alias with nothing.
  const bool overflow_is_nan = formats::spec(format).overflow_is_nan;
  std::vector<Row> rows;
  std::vector<Row> undecided;
  for (std::int64_t m = 0; m < M; ++m) {
    Row row;
    row.m = m;
    bool decided = true;
    bool never_equal = false;
    for (std::size_t k = 0; k < windows.size(); ++k) {
      row.low[k] = windows[k]->low[m];
      row.high[k] = windows[k]->high[m];
      if (!windows[k]->decided(m)) decided = false;
      if (windows[k]->decided(m) && overflow_is_nan && std::isinf(row.low[k])) never_equal = true;
    }
    if (never_equal) continue;
    (decided ? rows : undecided).push_back(row);
  }

  // Certain pairs: sorting by value, then by m, makes each group of equal
  // values a run whose cells do not decrease. Run-length coding the cells
  // turns the group's pairs into products of run lengths.
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return a.low != b.low ? a.low < b.low : a.m < b.m;
  });
  std::vector<std::pair<std::int64_t, std::uint64_t>> runs;  // (cell, members in it)
  for (std::size_t begin = 0; begin < rows.size();) {
    std::size_t end = begin + 1;
    while (end < rows.size() && rows[end].low == rows[begin].low) ++end;
    runs.clear();
    for (std::size_t i = begin; i < end; ++i) {
      const std::int64_t c = rows[i].m / cell;
      if (runs.empty() || runs.back().first != c) runs.push_back({c, 0});
      ++runs.back().second;
    }
    if (end - begin >= 2) {
      for (std::size_t a = 0; a < runs.size(); ++a) {
        const auto [cell_a, count_a] = runs[a];
        map.counts[static_cast<std::size_t>(cell_a * map.cells + cell_a)] += pairs_of(count_a);
        for (std::size_t b = a + 1; b < runs.size(); ++b) {
          map.counts[static_cast<std::size_t>(cell_a * map.cells + runs[b].first)] +=
              count_a * runs[b].second;
        }
      }
    }
    begin = end;
  }

  // Undecided against decided: the decided rows inside an undecided range
  // are, for each first-window value in range, one contiguous block.
  auto first_less = [](const Row& row, double value) { return row.low[0] < value; };
  auto second_less = [](const Row& row, double value) { return row.low[1] < value; };
  for (const Row& box : undecided) {
    auto it = std::lower_bound(rows.begin(), rows.end(), box.low[0], first_less);
    while (it != rows.end() && it->low[0] <= box.high[0]) {
      const double key = it->low[0];
      auto block_end = std::upper_bound(
          it, rows.end(), key, [](double value, const Row& row) { return value < row.low[0]; });
      auto from = std::lower_bound(it, block_end, box.low[1], second_less);
      auto to = std::upper_bound(from, block_end, box.high[1],
                                 [](double value, const Row& row) { return value < row.low[1]; });
      for (auto row = from; row != to; ++row) add(map.undecided, box.m, row->m, 1);
      it = block_end;
    }
  }

  // Undecided against undecided: pairwise up to the same limit as
  // count_aliasing; above it every such pair counts as possible, binned from
  // a histogram of the undecided distances per cell.
  if (undecided.size() <= quantities::kMaxPairwiseUndecided) {
    for (std::size_t a = 0; a < undecided.size(); ++a) {
      for (std::size_t b = a + 1; b < undecided.size(); ++b) {
        if (rows_intersect(undecided[a], undecided[b])) {
          add(map.undecided, undecided[a].m, undecided[b].m, 1);
        }
      }
    }
  } else {
    std::vector<std::uint64_t> per_cell(static_cast<std::size_t>(map.cells), 0);
    for (const Row& box : undecided) ++per_cell[static_cast<std::size_t>(box.m / cell)];
    for (std::int64_t a = 0; a < map.cells; ++a) {
      const std::uint64_t count_a = per_cell[static_cast<std::size_t>(a)];
      map.undecided[static_cast<std::size_t>(a * map.cells + a)] += pairs_of(count_a);
      for (std::int64_t b = a + 1; b < map.cells; ++b) {
        map.undecided[static_cast<std::size_t>(a * map.cells + b)] +=
            count_a * per_cell[static_cast<std::size_t>(b)];
      }
    }
  }
  return map;
}

AliasingMaps aliasing_maps(const model::RopeProduct& first_key,
                           const model::RopeProduct& second_key, std::int64_t M,
                           formats::Format format, std::int64_t cell,
                           const ProgressCallback& progress) {
  quantities::check_length(M, "the aliasing map");
  if (cell < 1) {
    throw InputError("cell size " + std::to_string(cell) + " is invalid; give at least 1 token");
  }
  const std::int64_t cells = (M + cell - 1) / cell;
  if (cells > kMaxMapCells) {
    const std::int64_t smallest = (M + kMaxMapCells - 1) / kMaxMapCells;
    throw InputError("cell size " + std::to_string(cell) + " gives " + std::to_string(cells) +
                     " cells per side for M = " + std::to_string(M) + ", above the maximum " +
                     std::to_string(kMaxMapCells) + "; give a cell of at least " +
                     std::to_string(smallest) + " tokens");
  }
  quantities::RoundedWindow one =
      quantities::round_window(first_key, M, format, progress_part(progress, 0.0, 0.5));
  quantities::RoundedWindow two =
      quantities::round_window(second_key, M, format, progress_part(progress, 0.5, 1.0));
  AliasingMaps maps;
  maps.format = formats::to_string(format);
  maps.first_key = bin_aliasing_pairs({&one}, cell);
  maps.second_key = bin_aliasing_pairs({&two}, cell);
  maps.both_keys = bin_aliasing_pairs({&one, &two}, cell);
  return maps;
}

TokenPoint token_point(const quantities::TwoKeyProducts& products, std::int64_t M,
                       formats::Format format, const ProgressCallback& progress) {
  quantities::TokenInversion inversion =
      quantities::token_inversion(*products.difference, M, progress_part(progress, 0.0, 0.5));
  quantities::TokenAliasing aliasing = quantities::token_aliasing(
      products, M, format, std::nullopt, progress_part(progress, 0.5, 1.0));
  TokenPoint point;
  point.M = M;
  point.inversion = {inversion.fraction_lower(), inversion.fraction_upper()};
  point.normal_prediction = to_bounds(inversion.prediction);
  point.format = formats::to_string(format);
  point.aliasing = count_bounds(aliasing.certain_equal, aliasing.possible_equal);
  return point;
}

}  // namespace ropecert::plots
