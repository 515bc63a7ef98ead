#include "model/ensemble.hpp"

#include <mpfr.h>

#include <cmath>

#include "util/input_error.hpp"

namespace ropecert::model {

namespace {

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t state) : state_(state) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // A uniform double k / 2^53, k in [1, 2^53]: in (0, 1], so its log is finite.
  double uniform_open_closed() { return static_cast<double>((next() >> 11) + 1) * 0x1.0p-53; }

  // A uniform double k / 2^53, k in [0, 2^53): in [0, 1).
  double uniform_closed_open() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

// sqrt(-2 ln u1) cos(2 pi u2), at 128 bits, rounded once to binary64.
double box_muller(double u1, double u2) {
  mpfr_t a, b;
  mpfr_inits2(128, a, b, static_cast<mpfr_ptr>(nullptr));
  mpfr_set_d(a, u1, MPFR_RNDN);
  mpfr_log(a, a, MPFR_RNDN);
  mpfr_mul_si(a, a, -2, MPFR_RNDN);
  mpfr_sqrt(a, a, MPFR_RNDN);
  mpfr_const_pi(b, MPFR_RNDN);
  mpfr_mul_2si(b, b, 1, MPFR_RNDN);
  mpfr_mul_d(b, b, u2, MPFR_RNDN);
  mpfr_cos(b, b, MPFR_RNDN);
  mpfr_mul(a, a, b, MPFR_RNDN);
  double result = mpfr_get_d(a, MPFR_RNDN);
  mpfr_clears(a, b, static_cast<mpfr_ptr>(nullptr));
  return result;
}

std::vector<double> normal_vector(SplitMix64& rng, int length) {
  std::vector<double> v;
  for (int i = 0; i < length; ++i) {
    double u1 = rng.uniform_open_closed();
    double u2 = rng.uniform_closed_open();
    v.push_back(box_muller(u1, u2));
  }
  return v;
}

// rho x + sqrt(1 - rho^2) z at 128 bits, rounded once to binary64.
double correlate(double rho, double x, double z) {
  mpfr_t r, s, t;
  mpfr_inits2(128, r, s, t, static_cast<mpfr_ptr>(nullptr));
  mpfr_set_d(r, rho, MPFR_RNDN);
  mpfr_sqr(s, r, MPFR_RNDN);
  mpfr_si_sub(s, 1, s, MPFR_RNDN);
  mpfr_sqrt(s, s, MPFR_RNDN);
  mpfr_mul_d(s, s, z, MPFR_RNDN);
  mpfr_mul_d(t, r, x, MPFR_RNDN);
  mpfr_add(t, t, s, MPFR_RNDN);
  double result = mpfr_get_d(t, MPFR_RNDN);
  mpfr_clears(r, s, t, static_cast<mpfr_ptr>(nullptr));
  return result;
}

// sqrt((a^2 + b^2)(c^2 + d^2)) rounded once to binary64. Squares and sums
// of doubles are exact at 512 bits, so the 128-bit square root is the only
// rounding before the final one.
double amplitude_product(double a, double b, double c, double d) {
  mpfr_t u, v, t;
  mpfr_inits2(512, u, v, t, static_cast<mpfr_ptr>(nullptr));
  mpfr_set_d(t, a, MPFR_RNDN);
  mpfr_sqr(u, t, MPFR_RNDN);
  mpfr_set_d(t, b, MPFR_RNDN);
  mpfr_sqr(t, t, MPFR_RNDN);
  mpfr_add(u, u, t, MPFR_RNDN);
  mpfr_set_d(t, c, MPFR_RNDN);
  mpfr_sqr(v, t, MPFR_RNDN);
  mpfr_set_d(t, d, MPFR_RNDN);
  mpfr_sqr(t, t, MPFR_RNDN);
  mpfr_add(v, v, t, MPFR_RNDN);
  mpfr_mul(u, u, v, MPFR_RNDN);
  mpfr_sqrt(u, u, MPFR_RNDN);
  double result = mpfr_get_d(u, MPFR_RNDN);
  mpfr_clears(u, v, t, static_cast<mpfr_ptr>(nullptr));
  return result;
}

}  // namespace

VectorInput ensemble_sample(const EnsembleSpec& spec, std::uint64_t sample, int rotary_dim) {
  if (spec.kind == EnsembleKind::Correlated && !(spec.rho >= -1.0 && spec.rho <= 1.0)) {
    throw InputError("correlation rho " + std::to_string(spec.rho) +
                     " is invalid; give a value in [-1, 1]");
  }
  SplitMix64 rng((spec.seed << 32) + sample);
  QueryKey qk;
  qk.q = normal_vector(rng, rotary_dim);
  qk.k = normal_vector(rng, rotary_dim);

  if (spec.kind == EnsembleKind::Correlated) {
    for (int i = 0; i < rotary_dim; ++i) qk.k[i] = correlate(spec.rho, qk.q[i], qk.k[i]);
  }
  if (spec.kind != EnsembleKind::Aligned) return qk;

  // |u_n| |v_n| in half pairing, rounded once to binary64; the amplitudes
  // are then exact inputs and the phases exactly zero.
  const int h = rotary_dim / 2;
  AmplitudePhase ap;
  for (int n = 0; n < h; ++n) {
    ap.amplitude.push_back(amplitude_product(qk.q[n], qk.q[n + h], qk.k[n], qk.k[n + h]));
    ap.phase.push_back(0.0);
  }
  return ap;
}

QueryTwoKeys ensemble_two_keys(const EnsembleSpec& spec, std::uint64_t sample, int rotary_dim,
                               std::optional<double> key_rho) {
  if (spec.kind == EnsembleKind::Aligned) {
    throw InputError("the aligned ensemble has no query and key vectors; use gaussian or "
                     "correlated for two keys");
  }
  auto first = std::get<QueryKey>(ensemble_sample(spec, sample, rotary_dim));
  auto second = std::get<QueryKey>(ensemble_sample(spec, sample + 1, rotary_dim));
  QueryTwoKeys out{first.q, first.k, second.k};
  if (key_rho) out.k2 = correlated_key(out.k1, out.k2, *key_rho);
  return out;
}

std::vector<double> correlated_key(const std::vector<double>& key, const std::vector<double>& other,
                                   double rho) {
  if (!(rho >= -1.0 && rho <= 1.0)) {
    throw InputError("key correlation " + std::to_string(rho) + " is invalid; give a value in [-1, 1]");
  }
  if (key.size() != other.size()) {
    throw InputError("keys of " + std::to_string(key.size()) + " and " +
                     std::to_string(other.size()) + " entries cannot be mixed; give equal lengths");
  }
  std::vector<double> out(key.size());
  for (std::size_t i = 0; i < key.size(); ++i) out[i] = correlate(rho, key[i], other[i]);
  return out;
}

EnsembleKind parse_ensemble_kind(const std::string& text) {
  if (text == "gaussian") return EnsembleKind::Gaussian;
  if (text == "correlated") return EnsembleKind::Correlated;
  if (text == "aligned") return EnsembleKind::Aligned;
  throw InputError("unknown ensemble '" + text + "'; use gaussian, correlated or aligned");
}

std::string to_string(EnsembleKind kind) {
  switch (kind) {
    case EnsembleKind::Gaussian: return "gaussian";
    case EnsembleKind::Correlated: return "correlated";
    case EnsembleKind::Aligned: return "aligned";
  }
  return "unknown";
}

}  // namespace ropecert::model
