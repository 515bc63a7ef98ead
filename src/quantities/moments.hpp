#pragma once

// Q2: exact moments of S(m) for m uniform on a window, in closed form, and the
// split moments of the normal approximation.

#include "model/rope_product.hpp"
#include "quantities/window.hpp"

namespace ropecert::quantities {

struct WindowMoments {
  Window window;
  Ball mean;           // mu_W
  Ball second_moment;  // E_W[S^2]
  Ball variance;       // sigma_W^2 = E_W[S^2] - mu_W^2
  Precision precision = 0;  // working precision that reached the target
};

// O(h^2) work whatever the window size. The precision doubles from 128 bits
// until the variance has `target_bits` bits of relative accuracy (the last
// subtraction can cancel), or until 4096 bits, after which the enclosure is
// returned as it is: wide, never wrong.
WindowMoments window_moments(const model::RopeProduct& product, const Window& window,
                             long target_bits = 40);

// lambda(M) = #{n : M theta_n >= 2 pi}, the number of components that turn at
// least once inside [0, M). Raises InputError if a comparison stays undecided.
int split_index(const model::RopeProduct& product, std::int64_t M);

struct SplitMoments {
  std::int64_t M = 0;
  int lambda = 0;
  Ball mean;      // sum over slow components (M theta_n < 2 pi) of a_n cos(phi_n)
  Ball variance;  // 1/2 sum over fast components of a_n^2
};

SplitMoments split_moments(const model::RopeProduct& product, std::int64_t M, Precision prec = 128);

// True for the components with M theta_n >= 2 pi (the "fast" ones).
std::vector<bool> fast_components(const model::RopeProduct& product, std::int64_t M);

}  // namespace ropecert::quantities
