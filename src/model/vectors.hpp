#pragma once

// Query and key inputs of the RoPE product, and the complex coefficients
// c_n = u_n * conj(v_n) they define.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "interval/complex_ball.hpp"
#include "model/schedule.hpp"

namespace ropecert::model {

using interval::ComplexBall;

// A query and a key of rotary dimension d. Every entry is taken as the exact
// binary64 number it parses to.
struct QueryKey {
  std::vector<double> q;
  std::vector<double> k;
};

// S(m) given directly as sum_n a_n cos(m theta_n + phi_n).
struct AmplitudePhase {
  std::vector<double> amplitude;
  std::vector<double> phase;  // radians
};

using VectorInput = std::variant<QueryKey, AmplitudePhase>;

// Number of rotation pairs h the input describes.
int input_pairs(const VectorInput& input);

// Raises InputError when lengths disagree with `pairs`, or an entry is NaN or infinite.
void validate(const VectorInput& input, int pairs);

// c_n for n = 0 .. h-1. Products of doubles are exact at this precision, so
// for a QueryKey the balls are exact; amplitude and phase inputs need cos and sin.
std::vector<ComplexBall> coefficients(const VectorInput& input, Pairing pairing, Precision prec);

// The key difference k1 - k2 as one input (token inversion uses it): the
// product with key k1 - k2 is S_{q,k1} - S_{q,k2}. Entries are rounded
// outward into balls, so this returns coefficients rather than doubles.
std::vector<ComplexBall> difference_coefficients(const QueryKey& first, const QueryKey& second,
                                                 Pairing pairing, Precision prec);

// Readers. Each raises InputError naming the file and the problem.
// A vector file is a JSON array of numbers or a 1-D little-endian float32 or
// float64 NumPy .npy array.
std::vector<double> read_vector_file(const std::string& path);

// A JSON object with "q" and "k" arrays, or "amplitude" and "phase" arrays.
VectorInput read_vector_json(const std::string& path);

}  // namespace ropecert::model
