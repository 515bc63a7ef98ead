#pragma once

// The data of the aliasing and token figures: position aliasing, the map of
// aliasing pairs for two keys and for both at once (attention invariance),
// and token inversion with token aliasing. The counts come from
// quantities/aliasing.hpp, token_inversion.hpp and token_aliasing.hpp.

#include <cstdint>
#include <string>
#include <vector>

#include "formats/storage_format.hpp"
#include "model/rope_product.hpp"
#include "plots/series.hpp"
#include "quantities/rounded_window.hpp"
#include "quantities/two_keys.hpp"

namespace ropecert::plots {

// One point of an aliasing curve: the certified fraction of m in [0, M) that
// has at least one partner m' != m in [0, M) with fl_F(S(m)) == fl_F(S(m')).
struct AliasingPoint {
  std::int64_t M = 0;
  std::string format;
  Bounds partner_fraction;
  Bounds pairs;  // A_F(M), the number of pairs m1 < m2 that alias
};

AliasingPoint position_aliasing_point(const model::RopeProduct& product, std::int64_t M,
                                      formats::Format format,
                                      const ProgressCallback& progress = {});

// Pairs (m1, m2), m1 < m2 < M, counted in square cells of `cell` distances:
// counts[i * cells + j] pairs have m1 in cell i and m2 in cell j (i <= j).
// A pair counts when the two values are proven to alias; pairs left
// undecided by the certified rounding are counted in `undecided` the same way.
// Summed over all cells, counts equals AliasingCount::certain_pairs, and
// counts plus undecided equals AliasingCount::possible_pairs.
struct PairMap {
  std::int64_t M = 0;
  std::int64_t cell = 1;
  std::int64_t cells = 0;
  std::vector<std::uint64_t> counts;
  std::vector<std::uint64_t> undecided;
};

// The aliasing pairs under `format` for a query with two keys, and the pairs
// that alias for both keys at once (attention invariance). The three maps
// share M and the cell size.
struct AliasingMaps {
  std::string format;
  PairMap first_key;
  PairMap second_key;
  PairMap both_keys;
};

// The most cells along each side of a map, so a map has at most
// 3 * kMaxMapCells^2 rows.
constexpr std::int64_t kMaxMapCells = 512;

// Rounds both windows once and bins their pairs. Raises InputError when
// `cell` < 1 or gives more than kMaxMapCells cells per side.
AliasingMaps aliasing_maps(const model::RopeProduct& first_key,
                           const model::RopeProduct& second_key, std::int64_t M,
                           formats::Format format, std::int64_t cell,
                           const ProgressCallback& progress = {});

// Bins the aliasing pairs of one window (position aliasing) or of two
// windows at once (attention invariance), with the classification of
// quantities::count_aliasing. Distances with equal stored values form groups
// found by sorting, and a group whose members span k cells adds to k (k + 1) / 2
// cells, so the work is O(M log M + M * cells) at worst, with no loop over
// pairs of distances. Pairs involving an undecided distance are enumerated
// as count_aliasing does, and binned one by one. Exposed for tests.
PairMap bin_aliasing_pairs(const std::vector<const quantities::RoundedWindow*>& windows,
                           std::int64_t cell);

// One point of the token curves for a query and two keys.
struct TokenPoint {
  std::int64_t M = 0;
  Bounds inversion;          // T_inv(M): fraction of m in [0, M) with D(m) < 0
  Bounds normal_prediction;  // Phi(-mu_D / sigma_D)
  std::string format;
  Bounds aliasing;           // T_F(M): number of m with fl_F(S_k1(m)) == fl_F(S_k2(m))
};

TokenPoint token_point(const quantities::TwoKeyProducts& products, std::int64_t M,
                       formats::Format format, const ProgressCallback& progress = {});

}  // namespace ropecert::plots
