#pragma once

// Seeded, reproducible families of query and key vectors.

#include <cstdint>
#include <optional>
#include <string>

#include "model/vectors.hpp"

namespace ropecert::model {

enum class EnsembleKind { Gaussian, Correlated, Aligned };

struct EnsembleSpec {
  EnsembleKind kind = EnsembleKind::Gaussian;
  std::uint64_t seed = 0;
  double rho = 0.0;  // correlated only: k = rho q + sqrt(1 - rho^2) z
};

// Sample number `sample` of the ensemble, for rotary dimension d.
//
// The generator is SplitMix64 (Steele, Lea and Flood 2014) on the state
// seed * 2^32 + sample, so every sample is independent of how many others are
// drawn. Standard normals come from the Box-Muller transform of two 53-bit
// uniforms, computed with MPFR at 128 bits and rounded once to binary64: no
// libm call is involved, so every platform produces the same bits.
//
// gaussian: q and k with independent N(0, 1) entries.
// correlated: q as above, k = rho q + sqrt(1 - rho^2) z with z independent.
// aligned: amplitudes |u_n| |v_n| of a gaussian sample and every phase 0.
VectorInput ensemble_sample(const EnsembleSpec& spec, std::uint64_t sample, int rotary_dim);

// A query and two keys for the token quantities: q and k1 from sample
// `sample`, and k2 from sample `sample + 1`. With key_rho set, k2 is replaced
// by key_rho * k1 + sqrt(1 - key_rho^2) * k2 (rounded once per entry, as for
// the correlated ensemble), which models two similar tokens. Raises
// InputError for an aligned ensemble, which has no vectors, or |key_rho| > 1.
struct QueryTwoKeys {
  std::vector<double> q;
  std::vector<double> k1;
  std::vector<double> k2;
};
QueryTwoKeys ensemble_two_keys(const EnsembleSpec& spec, std::uint64_t sample, int rotary_dim,
                               std::optional<double> key_rho = std::nullopt);

// rho * key + sqrt(1 - rho^2) * other, entry by entry, each computed with MPFR
// at 128 bits and rounded once to binary64. Raises InputError unless
// |rho| <= 1 and the lengths agree.
std::vector<double> correlated_key(const std::vector<double>& key, const std::vector<double>& other,
                                   double rho);

EnsembleKind parse_ensemble_kind(const std::string& text);
std::string to_string(EnsembleKind kind);

}  // namespace ropecert::model
