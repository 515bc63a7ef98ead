// Q6-Q10 against both backends at small M, each count compared with a
// brute-force count over every pair (or every position) of 200-bit
// enclosures, and each normal prediction with one from brute-force moments.

#include <catch2/catch.hpp>

#include <cmath>

#include "backend_adapters.hpp"
#include "model/ensemble.hpp"

using namespace ropecert;
using ropecert::testing::AliasResult;
using ropecert::testing::ArbBackend;
using ropecert::testing::CountResult;
using ropecert::testing::Interval;
using ropecert::testing::MpfiBackend;
using ropecert::testing::TwoKeys;

namespace {

constexpr std::int64_t kLength = 400;

model::RopeSchedule small_schedule() {
  model::RopeSchedule s;
  s.name = "default d=16";
  s.rotary_dim = 16;
  s.base = 10000.0;
  return s;
}

// q, k1 and a similar k2 (key_rho 0.9), every entry multiplied by `scale`
// (a power of two, so the scaling is exact).
TwoKeys similar_keys(std::uint64_t seed, double scale) {
  model::QueryTwoKeys v = model::ensemble_two_keys({model::EnsembleKind::Gaussian, seed, 0.0}, 0,
                                                   16, 0.9);
  for (auto* vector : {&v.q, &v.k1, &v.k2}) {
    for (double& x : *vector) x *= scale;
  }
  return {v.q, v.k1, v.k2};
}

// 200-bit enclosures of S_{q,k}(m) for m in [0, M).
std::vector<Interval> reference_logits(const std::vector<double>& q, const std::vector<double>& k,
                                       std::int64_t M) {
  mpfi_backend::Product product(small_schedule(), model::QueryKey{q, k});
  std::vector<Interval> out;
  for (std::int64_t m = 0; m < M; ++m) out.push_back(product.logit(m, 200));
  return out;
}

// fl_F of each enclosure; the test needs every rounding decided.
std::vector<double> reference_stored(const std::vector<Interval>& values, formats::Format format) {
  std::vector<double> out;
  for (const Interval& v : values) {
    const double lo = formats::round_to_format(v.lower(), format);
    const double hi = formats::round_to_format(v.upper(), format);
    REQUIRE(lo == hi);
    out.push_back(lo);
  }
  return out;
}

void check_exact(const char* what, const CountResult& count, std::uint64_t expected,
                 std::uint64_t total) {
  INFO(what << ": [" << count.certain << ", " << count.possible << "] of " << count.total
            << ", brute force " << expected << " of " << total);
  CHECK(count.total == total);
  CHECK(count.certain == expected);
  CHECK(count.possible == expected);
}

// Brute force over every pair m1 < m2: pairs with equal(m1, m2) and
// distances with at least one such partner.
template <typename Equal>
std::pair<std::uint64_t, std::uint64_t> brute_pairs(std::int64_t M, Equal equal) {
  std::uint64_t pairs = 0;
  std::vector<bool> partner(M, false);
  for (std::int64_t a = 0; a < M; ++a) {
    for (std::int64_t b = a + 1; b < M; ++b) {
      if (!equal(a, b)) continue;
      ++pairs;
      partner[a] = partner[b] = true;
    }
  }
  return {pairs, static_cast<std::uint64_t>(std::count(partner.begin(), partner.end(), true))};
}

// Mean and variance of doubles, in long double.
std::pair<double, double> brute_moments(const std::vector<double>& values) {
  long double sum = 0, squares = 0;
  for (double v : values) {
    sum += v;
    squares += static_cast<long double>(v) * v;
  }
  const long double n = static_cast<long double>(values.size());
  const long double mean = sum / n;
  return {static_cast<double>(mean), static_cast<double>(squares / n - mean * mean)};
}

double phi(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// D(m) = S_{q,k1}(m) - S_{q,k2}(m) as 200-bit enclosures.
std::vector<Interval> reference_difference(const TwoKeys& v, std::int64_t M) {
  std::vector<Interval> first = reference_logits(v.q, v.k1, M);
  std::vector<Interval> second = reference_logits(v.q, v.k2, M);
  std::vector<Interval> out;
  for (std::int64_t m = 0; m < M; ++m) out.push_back(mpfi_backend::sub(first[m], second[m], 256));
  return out;
}

}  // namespace

TEMPLATE_TEST_CASE("backend position aliasing matches brute force", "[backend][failure]",
                   ArbBackend, MpfiBackend) {
  // A scale of 16 multiplies S by 256, meant to push some logits past 448,
  // the fp8_e4m3 maximum, whose overflow is stored as NaN.
  const std::vector<std::pair<formats::Format, double>> cases = {
      {formats::Format::Bf16, 1.0},     {formats::Format::Fp16, 1.0},
      {formats::Format::Fp8E4M3, 16.0}, {formats::Format::Fp8E5M2, 16.0},
      {formats::Format::Fp8E4M3, 1.0}};
  for (const auto& format_and_scale : cases) {
    // Plain variables, not structured bindings: clang 14 cannot capture
    // those in the lambda below.
    const formats::Format format = format_and_scale.first;
    const double scale = format_and_scale.second;
    const TwoKeys v = similar_keys(21, scale);
    std::vector<double> stored = reference_stored(reference_logits(v.q, v.k1, kLength), format);
    auto [pairs, partners] = brute_pairs(kLength, [&](std::int64_t a, std::int64_t b) {
      return formats::stored_equal(stored[a], stored[b], format);
    });
    INFO(TestType::name << " " << formats::to_string(format) << ", scale " << scale);
    AliasResult result = TestType::aliasing(small_schedule(), v, kLength, format);
    check_exact("pairs", result.pairs, pairs, kLength * (kLength - 1) / 2);
    check_exact("with partner", result.with_partner, partners, kLength);
  }
}

TEMPLATE_TEST_CASE("backend threshold aliasing matches brute force", "[backend][failure]",
                   ArbBackend, MpfiBackend) {
  const TwoKeys v = similar_keys(22, 1.0);
  std::vector<Interval> values = reference_logits(v.q, v.k1, kLength);
  for (double eps : {1e-3, 0.02, 0.5}) {
    const Interval threshold = Interval::point(eps, 64);
    auto [pairs, partners] = brute_pairs(kLength, [&](std::int64_t a, std::int64_t b) {
      Interval gap = mpfi_backend::abs(mpfi_backend::sub(values[a], values[b], 256));
      interval::Tribool near = mpfi_backend::less(gap, threshold);
      REQUIRE(near != interval::Tribool::Unknown);
      return near == interval::Tribool::True;
    });
    INFO(TestType::name << " eps = " << eps);
    AliasResult result = TestType::threshold(small_schedule(), v, kLength, eps);
    check_exact("pairs", result.pairs, pairs, kLength * (kLength - 1) / 2);
    check_exact("with partner", result.with_partner, partners, kLength);
  }
}

TEMPLATE_TEST_CASE("backend attention invariance matches brute force", "[backend][failure]",
                   ArbBackend, MpfiBackend) {
  // fp8_e5m2 keeps 3 bits, so pairs that alias for both keys are frequent;
  // bf16 has none at this M.
  for (formats::Format format : {formats::Format::Bf16, formats::Format::Fp8E5M2}) {
    const TwoKeys v = similar_keys(23, 1.0);
    std::vector<double> first = reference_stored(reference_logits(v.q, v.k1, kLength), format);
    std::vector<double> second = reference_stored(reference_logits(v.q, v.k2, kLength), format);
    auto [pairs, partners] = brute_pairs(kLength, [&](std::int64_t a, std::int64_t b) {
      return formats::stored_equal(first[a], first[b], format) &&
             formats::stored_equal(second[a], second[b], format);
    });
    INFO(TestType::name << " " << formats::to_string(format));
    if (format == formats::Format::Fp8E5M2) CHECK(pairs > 0);
    AliasResult result = TestType::invariance(small_schedule(), v, kLength, format);
    check_exact("pairs", result.pairs, pairs, kLength * (kLength - 1) / 2);
    check_exact("with partner", result.with_partner, partners, kLength);
  }
}

TEMPLATE_TEST_CASE("backend token inversion matches brute force", "[backend][failure]",
                   ArbBackend, MpfiBackend) {
  for (std::uint64_t seed : {24, 25, 26}) {
    const TwoKeys v = similar_keys(seed, 1.0);
    std::vector<Interval> d = reference_difference(v, kLength);
    const Interval zero = Interval::integer(0, 64);
    REQUIRE(!d[0].contains_zero());
    const int label = mpfi_backend::less(zero, d[0]) == interval::Tribool::True ? 1 : -1;
    std::uint64_t negative = 0;
    std::vector<double> labelled;
    for (const Interval& value : d) {
      REQUIRE(!value.contains_zero());
      const double mid = label * 0.5 * (value.lower() + value.upper());
      labelled.push_back(mid);
      negative += mid < 0.0;
    }
    auto [mean, variance] = brute_moments(labelled);
    const double predicted = phi(-mean / std::sqrt(variance));

    ropecert::testing::TokenInversionResult result =
        TestType::token_inversion(small_schedule(), v, kLength);
    INFO(TestType::name << " seed " << seed << ": prediction " << result.prediction.to_string()
                        << ", brute force " << predicted);
    CHECK(result.label == label);
    check_exact("D(m) < 0", result.negative, negative, kLength);
    CHECK(result.prediction.width() < 1e-9);
    CHECK(std::abs(result.prediction.lower() - predicted) < 1e-9);
  }
}

TEMPLATE_TEST_CASE("backend token aliasing matches brute force", "[backend][failure]", ArbBackend,
                   MpfiBackend) {
  const double eps = 0.05;
  for (formats::Format format : {formats::Format::Bf16, formats::Format::Fp8E5M2}) {
    const TwoKeys v = similar_keys(27, 1.0);
    std::vector<double> first = reference_stored(reference_logits(v.q, v.k1, kLength), format);
    std::vector<double> second = reference_stored(reference_logits(v.q, v.k2, kLength), format);
    std::vector<Interval> d = reference_difference(v, kLength);
    std::uint64_t equal = 0, near = 0;
    std::vector<double> mids;
    for (std::int64_t m = 0; m < kLength; ++m) {
      equal += formats::stored_equal(first[m], second[m], format);
      interval::Tribool is_near =
          mpfi_backend::less(mpfi_backend::abs(d[m]), Interval::point(eps, 64));
      REQUIRE(is_near != interval::Tribool::Unknown);
      near += is_near == interval::Tribool::True;
      mids.push_back(0.5 * (d[m].lower() + d[m].upper()));
    }
    auto [mean, variance] = brute_moments(mids);
    const double sigma = std::sqrt(variance);
    const double predicted = kLength * (phi((eps - mean) / sigma) - phi((-eps - mean) / sigma));

    ropecert::testing::TokenAliasingResult result =
        TestType::token_aliasing(small_schedule(), v, kLength, format, eps);
    INFO(TestType::name << " " << formats::to_string(format) << ": predicted "
                        << result.predicted_near.to_string() << ", brute force " << predicted);
    check_exact("equal stored logits", result.equal, equal, kLength);
    check_exact("|D(m)| < eps", result.near, near, kLength);
    CHECK(result.predicted_near.width() < 1e-6);
    CHECK(std::abs(result.predicted_near.lower() - predicted) < 1e-6);
  }
}

TEST_CASE("MPFI stored rounding edge cases", "[backend][failure]") {
  // Ties to even, subnormals, overflow and zero signs on exact MPFR inputs.
  const std::vector<std::tuple<formats::Format, double, double>> cases = {
      {formats::Format::Bf16, 1.0 + 1.0 / 256, 1.0},           // tie, even down
      {formats::Format::Bf16, 1.0 + 3.0 / 256, 1.0 + 4.0 / 256},  // tie, even up
      {formats::Format::Fp16, 65519.0, 65504.0},              // below the overflow threshold
      {formats::Format::Fp16, 65520.0, INFINITY},             // tie at the threshold overflows
      {formats::Format::Fp16, std::ldexp(1.0, -25), 0.0},     // half the smallest subnormal
      {formats::Format::Fp16, std::ldexp(3.0, -26), std::ldexp(1.0, -24)},
      {formats::Format::Fp8E4M3, 464.0, 448.0},
      {formats::Format::Fp8E4M3, 465.0, INFINITY},
      {formats::Format::Fp8E5M2, -1e-30, 0.0},
      {formats::Format::Fp32, 1e-300, 0.0},
  };
  for (auto [format, x, expected] : cases) {
    mpfr_t value;
    mpfr_init2(value, 53);
    mpfr_set_d(value, x, MPFR_RNDN);
    const double rounded = mpfi_backend::round_stored(value, format);
    mpfr_clear(value);
    INFO(formats::to_string(format) << " fl(" << x << ") = " << rounded);
    CHECK(rounded == expected);
    CHECK(rounded == formats::round_to_format(x, format));
  }
}
