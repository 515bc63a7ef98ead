#pragma once

// Seeded, reproducible families of query and key vectors.

#include <cstdint>
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

EnsembleKind parse_ensemble_kind(const std::string& text);
std::string to_string(EnsembleKind kind);

}  // namespace ropecert::model
