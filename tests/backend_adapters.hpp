#pragma once

// One adapter per backend, so that a TEMPLATE_TEST_CASE runs the same body
// against the Arb path and the independent MPFI backend. Every result is an
// MPFI interval: Arb balls are converted with arb_get_interval_mpfr, which
// rounds outward.

#include <cstdint>
#include <vector>

#include "model/rope_product.hpp"
#include "mpfi_backend/backend.hpp"
#include "mpfi_backend/failure_modes.hpp"
#include "quantities/aliasing.hpp"
#include "quantities/inversion.hpp"
#include "quantities/threshold_aliasing.hpp"
#include "quantities/token_aliasing.hpp"
#include "quantities/token_inversion.hpp"
#include "quantities/two_keys.hpp"
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
// Q6, Q7 and Q8: aliasing pairs and distances with a partner.
struct AliasResult {
  CountResult pairs, with_partner;
};
// Q9: label +1 (D(0) > 0), -1 (swapped) or 0 (undecided).
struct TokenInversionResult {
  int label = 0;
  CountResult negative;
  Interval prediction;
};
// Q10: equal stored logits, |D(m)| < eps, and M Pr(|Z| < eps).
struct TokenAliasingResult {
  CountResult equal, near;
  Interval predicted_near;
};
// One query and two keys.
struct TwoKeys {
  std::vector<double> q, k1, k2;
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

  static AliasResult from_count(const quantities::AliasingCount& c) {
    return {{c.certain_pairs, c.possible_pairs, c.total_pairs},
            {c.certain_with_partner, c.possible_with_partner, static_cast<std::uint64_t>(c.M)}};
  }
  static AliasResult aliasing(const model::RopeSchedule& s, const TwoKeys& v, std::int64_t M,
                              formats::Format format) {
    return from_count(quantities::position_aliasing(Product(s, model::QueryKey{v.q, v.k1}), M,
                                                    format));
  }
  static AliasResult threshold(const model::RopeSchedule& s, const TwoKeys& v, std::int64_t M,
                               double eps) {
    quantities::ThresholdAliasingCount c =
        quantities::threshold_aliasing(Product(s, model::QueryKey{v.q, v.k1}), M, eps);
    return {{c.certain_pairs, c.possible_pairs, c.total_pairs},
            {c.certain_with_partner, c.possible_with_partner, static_cast<std::uint64_t>(M)}};
  }
  static AliasResult invariance(const model::RopeSchedule& s, const TwoKeys& v, std::int64_t M,
                                formats::Format format) {
    quantities::TwoKeyProducts p = quantities::make_two_key_products(s, v.q, v.k1, v.k2);
    return from_count(quantities::attention_invariance(*p.first, *p.second, M, format).both);
  }
  static TokenInversionResult token_inversion(const model::RopeSchedule& s, const TwoKeys& v,
                                              std::int64_t M) {
    quantities::TwoKeyProducts p = quantities::make_two_key_products(s, v.q, v.k1, v.k2);
    quantities::TokenInversion t = quantities::token_inversion(*p.difference, M);
    const int label = t.label == quantities::KeyLabel::AsGiven   ? 1
                      : t.label == quantities::KeyLabel::Swapped ? -1
                                                                 : 0;
    return {label,
            {t.certain_negative, t.possible_negative, static_cast<std::uint64_t>(M)},
            from_ball(t.prediction)};
  }
  static TokenAliasingResult token_aliasing(const model::RopeSchedule& s, const TwoKeys& v,
                                            std::int64_t M, formats::Format format, double eps) {
    quantities::TwoKeyProducts p = quantities::make_two_key_products(s, v.q, v.k1, v.k2);
    quantities::TokenAliasing t = quantities::token_aliasing(p, M, format, eps);
    const auto length = static_cast<std::uint64_t>(M);
    return {{t.certain_equal, t.possible_equal, length},
            {t.certain_near, t.possible_near, length},
            from_ball(t.predicted_near)};
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

  static CountResult from_range(const mpfi_backend::CountRange& r) {
    return {r.certain, r.possible, r.total};
  }
  static AliasResult from_counts(const mpfi_backend::AliasCounts& c) {
    return {from_range(c.pairs), from_range(c.with_partner)};
  }
  static AliasResult aliasing(const model::RopeSchedule& s, const TwoKeys& v, std::int64_t M,
                              formats::Format format) {
    return from_counts(
        mpfi_backend::position_aliasing(Product(s, model::QueryKey{v.q, v.k1}), M, format));
  }
  static AliasResult threshold(const model::RopeSchedule& s, const TwoKeys& v, std::int64_t M,
                               double eps) {
    return from_counts(
        mpfi_backend::threshold_aliasing(Product(s, model::QueryKey{v.q, v.k1}), M, eps));
  }
  static AliasResult invariance(const model::RopeSchedule& s, const TwoKeys& v, std::int64_t M,
                                formats::Format format) {
    Product first(s, model::QueryKey{v.q, v.k1});
    Product second(s, model::QueryKey{v.q, v.k2});
    return from_counts(mpfi_backend::attention_invariance(first, second, M, format).both);
  }
  static TokenInversionResult token_inversion(const model::RopeSchedule& s, const TwoKeys& v,
                                              std::int64_t M) {
    Product difference(s, mpfi_backend::KeyDifference{v.q, v.k1, v.k2});
    mpfi_backend::TokenInversion t = mpfi_backend::token_inversion(difference, M);
    return {t.label, from_range(t.negative), t.prediction};
  }
  static TokenAliasingResult token_aliasing(const model::RopeSchedule& s, const TwoKeys& v,
                                            std::int64_t M, formats::Format format, double eps) {
    Product first(s, model::QueryKey{v.q, v.k1});
    Product second(s, model::QueryKey{v.q, v.k2});
    Product difference(s, mpfi_backend::KeyDifference{v.q, v.k1, v.k2});
    mpfi_backend::TokenAliasing t =
        mpfi_backend::token_aliasing(first, second, difference, M, format, eps);
    return {from_range(t.equal), from_range(t.near), t.predicted_near};
  }
};

}  // namespace ropecert::testing
