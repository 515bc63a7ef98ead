#pragma once

// The data of the aliasing and token figures (quantities Q6, Q8, Q9, Q10).
// The figure code in figures.hpp is complete. The functions declared here are
// its only link to those quantities, and they raise InputError until the
// quantities are part of the build.

#include <cstdint>
#include <string>
#include <vector>

#include "model/rope_product.hpp"
#include "plots/series.hpp"

namespace ropecert::plots {

// Storage formats named as on the command line: bf16, fp16, fp32, fp8_e4m3,
// fp8_e5m2.
const std::vector<std::string>& storage_format_names();

// One point of an aliasing curve: the certified fraction of m in [0, M) that
// has at least one partner m' != m in [0, M) with fl_F(S(m)) == fl_F(S(m')).
struct AliasingPoint {
  std::int64_t M = 0;
  std::string format;
  Bounds partner_fraction;
  Bounds pairs;  // A_F(M), the number of pairs m1 < m2 that alias
};

// TODO: connect to the position aliasing quantity (Q6) once it is merged.
// Needed: a function of (const model::RopeProduct&, std::int64_t M, storage
// format) that returns the certified pair count A_F(M) and the certified
// number of m with a partner, each as a range [lower, upper].
AliasingPoint position_aliasing_point(const model::RopeProduct& product, std::int64_t M,
                                      const std::string& format);

// Pairs (m1, m2), m1 < m2 < M, counted in square cells of `cell` distances:
// counts[i * cells + j] pairs have m1 in cell i and m2 in cell j (i <= j).
// A pair counts when the two values are proven to alias; pairs left
// undecided by the certified rounding are counted in `undecided` the same way.
struct PairMap {
  std::int64_t M = 0;
  std::int64_t cell = 1;
  std::int64_t cells = 0;
  std::vector<std::uint64_t> counts;
  std::vector<std::uint64_t> undecided;
};

// The aliasing pairs under `format` for a query with two keys, and the pairs
// that alias for both keys at once (attention invariance, Q8). The three maps
// share M and the cell size.
struct AliasingMaps {
  std::string format;
  PairMap first_key;
  PairMap second_key;
  PairMap both_keys;
};

// TODO: connect to the position aliasing pair list (Q6) and the attention
// invariance quantity (Q8) once they are merged. Needed: a function of
// (const model::RopeProduct& first_key, const model::RopeProduct& second_key,
// std::int64_t M, storage format) that lists the aliasing pairs of each
// product and of both, with the undecided pairs apart; this function then
// only bins them into cells of `cell` distances.
AliasingMaps aliasing_maps(const model::RopeProduct& first_key,
                           const model::RopeProduct& second_key, std::int64_t M,
                           const std::string& format, std::int64_t cell);

// One point of the token curves for a query and two keys.
struct TokenPoint {
  std::int64_t M = 0;
  Bounds inversion;          // T_inv(M): fraction of m in [0, M) with D(m) < 0
  Bounds normal_prediction;  // Phi(-mu_D / sigma_D)
  std::string format;
  Bounds aliasing;           // T_F(M): number of m with fl_F(S_k1(m)) == fl_F(S_k2(m))
};

// TODO: connect to token inversion (Q9) and token aliasing (Q10) once they are
// merged. Needed: a function of (const model::RopeProduct& first_key,
// const model::RopeProduct& second_key, std::int64_t M) that returns T_inv(M)
// as a certified range with its normal prediction, and one of (the same
// products, M, storage format) that returns the certified range of T_F(M).
TokenPoint token_point(const model::RopeProduct& first_key, const model::RopeProduct& second_key,
                       std::int64_t M, const std::string& format);

}  // namespace ropecert::plots
