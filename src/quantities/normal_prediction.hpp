#pragma once

// Q4: the normal prediction of position inversion, and Q5: the Berry-Esseen
// term that measures how far the normal approximation can be trusted.

#include "quantities/moments.hpp"

namespace ropecert::quantities {

struct NormalPrediction {
  std::int64_t M = 0;
  WindowMoments near;  // W = [0, floor(M/2))
  WindowMoments far;   // W = [floor(M/2), M)
  Ball z;              // (mu_far - mu_near) / sqrt(sigma_near^2 + sigma_far^2)
  Ball probability;    // Phi(z)
};

// P_N(M) = Phi((mu_far - mu_near) / sqrt(sigma_near^2 + sigma_far^2)), with the
// exact window moments of the two halves. Raises InputError unless M >= 2.
NormalPrediction normal_prediction(const model::RopeProduct& product, std::int64_t M);

struct BerryEsseen {
  std::int64_t M = 0;
  int lambda = 0;
  Ball value;  // infinite (the whole real line) when lambda = 0
};

// E_BE(M) = C0 * sum_{fast n} a_n^3 * 4/(3 pi) / (1/2 sum_{fast n} a_n^2)^(3/2),
// with C0 = 0.56, the constant of Shevtsova (2010) for non-identically
// distributed summands, and 4/(3 pi) = E|cos U|^3 for U uniform on [0, 2 pi).
BerryEsseen berry_esseen(const model::RopeProduct& product, std::int64_t M, Precision prec = 128);

}  // namespace ropecert::quantities
