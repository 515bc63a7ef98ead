#pragma once

// One adapter per backend, so that a TEMPLATE_TEST_CASE runs the same body
// against the Arb path and the independent MPFI backend. Every result is an
// MPFI interval: Arb balls are converted with arb_get_interval_mpfr, which
// rounds outward.

#include <cstdint>
#include <vector>

#include "model/rope_product.hpp"
#include "mpfi_backend/backend.hpp"
#include "quantities/inversion.hpp"
#include "quantities/moments.hpp"
#include "model/ensemble.hpp"
#include "quantities/normal_prediction.hpp"

namespace ropecert::testing {

using mpfi_backend::Interval;

struct MomentsResult {
  Interval mean, variance;
};
struct SplitResult {
  int lambda = 0;
  Interval mean, variance;
};
struct CountResult {
  std::uint64_t certain = 0, possible = 0, total = 0;
};

inline Interval from_ball(const interval::Ball& ball) {
  Interval out(std::max<long>(arb_bits(ball.raw()), 64) + 64);
  arb_get_interval_mpfr(&out.raw()->left, &out.raw()->right, ball.raw());
  return out;
}

inline model::VectorInput gaussian_vectors(int rotary_dim, std::uint64_t seed) {
  return model::ensemble_sample({model::EnsembleKind::Gaussian, seed, 0.0}, 0, rotary_dim);
}

struct ArbBackend {
  static constexpr const char* name = "Arb";
  using Product = model::RopeProduct;

  static Interval logit(const Product& p, std::int64_t m, long prec) {
    return from_ball(p.value(m, prec));
  }
  static void window(const Product& p, std::int64_t first, std::int64_t end,
                     std::vector<double>& lower, std::vector<double>& upper) {
    model::WindowEnclosures w = p.window(first, end, 53);
    lower = w.lower;
    upper = w.upper;
  }
  static MomentsResult moments(const Product& p, std::int64_t first, std::int64_t end) {
    quantities::WindowMoments m = quantities::window_moments(p, {first, end});
    return {from_ball(m.mean), from_ball(m.variance)};
  }
  static SplitResult split(const Product& p, std::int64_t M) {
    quantities::SplitMoments s = quantities::split_moments(p, M);
    return {s.lambda, from_ball(s.mean), from_ball(s.variance)};
  }
  static CountResult inversion(const Product& p, std::int64_t M) {
    quantities::InversionCount c = quantities::position_inversion(p, M);
    return {c.certain_less, c.possible_less, c.total_pairs};
  }
  static Interval normal(const Product& p, std::int64_t M) {
    return from_ball(quantities::normal_prediction(p, M).probability);
  }
  static Interval berry_esseen(const Product& p, std::int64_t M) {
    return from_ball(quantities::berry_esseen(p, M).value);
  }
};

struct MpfiBackend {
  static constexpr const char* name = "MPFI";
  using Product = mpfi_backend::Product;

  static Interval logit(const Product& p, std::int64_t m, long prec) { return p.logit(m, prec); }
  static void window(const Product& p, std::int64_t first, std::int64_t end,
                     std::vector<double>& lower, std::vector<double>& upper) {
    p.window_bounds(first, end, 53, lower, upper);
  }
  static MomentsResult moments(const Product& p, std::int64_t first, std::int64_t end) {
    mpfi_backend::Moments m = mpfi_backend::window_moments(p, first, end);
    return {m.mean, m.variance};
  }
  static SplitResult split(const Product& p, std::int64_t M) {
    mpfi_backend::Split s = mpfi_backend::split_moments(p, M);
    return {s.lambda, s.mean, s.variance};
  }
  static CountResult inversion(const Product& p, std::int64_t M) {
    mpfi_backend::InversionRange r = mpfi_backend::position_inversion(p, M);
    return {r.certain_less, r.possible_less, r.total_pairs};
  }
  static Interval normal(const Product& p, std::int64_t M) {
    return mpfi_backend::normal_prediction(p, M).probability;
  }
  static Interval berry_esseen(const Product& p, std::int64_t M) {
    return mpfi_backend::berry_esseen(p, M);
  }
};

}  // namespace ropecert::testing
