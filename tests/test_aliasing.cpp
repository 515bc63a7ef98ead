// Fast failure-mode counts (aliasing, invariance, token inversion and token
// aliasing) against O(M^2) and O(M) brute force from high-precision values, and exact ties.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "formats/storage_format.hpp"
#include "quantities/aliasing.hpp"
#include "quantities/threshold_aliasing.hpp"
#include "quantities/token_aliasing.hpp"
#include "quantities/token_inversion.hpp"
#include "quantities/two_keys.hpp"
#include "util/input_error.hpp"

using namespace ropecert;
using formats::Format;
using interval::Ball;

namespace {

model::RopeSchedule small_schedule() {
  model::RopeSchedule s;
  s.rotary_dim = 8;
  s.base = 10000.0;
  return s;
}

const std::vector<double> kQuery{1, 0.5, -0.25, 2, 0.75, -1, 0.5, 0.125};
const std::vector<double> kKey{0.5, 1, 1, -0.5, 0.25, 0.5, -2, 1};
const std::vector<double> kKey2{0.25, 1, 0.5, -0.5, 0.5, 0.5, -2, 0.75};

// fl_F(S(m)) from a 256-bit enclosure; every value here is decided.
std::vector<double> brute_rounded(const model::RopeProduct& product, std::int64_t M, Format f) {
  std::vector<double> out;
  for (std::int64_t m = 0; m < M; ++m) {
    auto d = formats::decide_rounding(product.value(m, 256), f);
    REQUIRE(d.decided);
    out.push_back(d.value());
  }
  return out;
}

struct BrutePairs {
  std::uint64_t pairs = 0;
  std::uint64_t with_partner = 0;
};

BrutePairs brute_pairs(const std::vector<double>& a, const std::vector<double>* b, Format f) {
  BrutePairs out;
  const std::size_t M = a.size();
  std::vector<bool> partner(M, false);
  for (std::size_t i = 0; i < M; ++i) {
    for (std::size_t j = i + 1; j < M; ++j) {
      bool equal = formats::stored_equal(a[i], a[j], f);
      if (b) equal = equal && formats::stored_equal((*b)[i], (*b)[j], f);
      if (!equal) continue;
      ++out.pairs;
      partner[i] = partner[j] = true;
    }
  }
  for (bool p : partner) out.with_partner += p;
  return out;
}

}  // namespace

TEST_CASE("position aliasing matches brute force", "[aliasing]") {
  const std::int64_t M = 600;
  model::RopeProduct product(small_schedule(), model::QueryKey{kQuery, kKey});
  for (Format f : formats::all_formats()) {
    INFO(formats::to_string(f));
    std::vector<double> values = brute_rounded(product, M, f);
    BrutePairs brute = brute_pairs(values, nullptr, f);
    quantities::AliasingCount fast = quantities::position_aliasing(product, M, f);
    REQUIRE(fast.certain_pairs == brute.pairs);
    REQUIRE(fast.possible_pairs == brute.pairs);
    REQUIRE(fast.certain_with_partner == brute.with_partner);
    REQUIRE(fast.possible_with_partner == brute.with_partner);
    REQUIRE(fast.total_pairs == static_cast<std::uint64_t>(M * (M - 1) / 2));
  }
}

TEST_CASE("position aliasing with scale", "[aliasing]") {
  const std::int64_t M = 400;
  model::RopeProduct product(small_schedule(), model::QueryKey{kQuery, kKey}, {true, false});
  std::vector<double> values = brute_rounded(product, M, Format::Fp8E4M3);
  BrutePairs brute = brute_pairs(values, nullptr, Format::Fp8E4M3);
  quantities::AliasingCount fast = quantities::position_aliasing(product, M, Format::Fp8E4M3);
  REQUIRE(fast.certain_pairs == brute.pairs);
  REQUIRE(fast.possible_pairs == brute.pairs);
}

TEST_CASE("fp8_e4m3 overflow never aliases", "[aliasing]") {
  // Multiplying the key by 256 pushes many logits above 464, which overflow to NaN.
  std::vector<double> big_key;
  for (double x : kKey) big_key.push_back(256 * x);
  model::RopeProduct product(small_schedule(), model::QueryKey{kQuery, big_key});
  const std::int64_t M = 300;
  std::vector<double> values = brute_rounded(product, M, Format::Fp8E4M3);
  BrutePairs brute = brute_pairs(values, nullptr, Format::Fp8E4M3);
  quantities::AliasingCount fast = quantities::position_aliasing(product, M, Format::Fp8E4M3);
  REQUIRE(fast.overflow_values > 0);
  REQUIRE(fast.certain_pairs == brute.pairs);
  REQUIRE(fast.possible_pairs == brute.pairs);
}

TEST_CASE("attention invariance and token aliasing match brute force", "[aliasing]") {
  const std::int64_t M = 500;
  auto products = quantities::make_two_key_products(small_schedule(), kQuery, kKey, kKey2);
  for (Format f : {Format::Bf16, Format::Fp8E4M3, Format::Fp8E5M2}) {
    INFO(formats::to_string(f));
    std::vector<double> a = brute_rounded(*products.first, M, f);
    std::vector<double> b = brute_rounded(*products.second, M, f);
    BrutePairs both = brute_pairs(a, &b, f);
    quantities::AttentionInvariance fast =
        quantities::attention_invariance(*products.first, *products.second, M, f);
    REQUIRE(fast.both.certain_pairs == both.pairs);
    REQUIRE(fast.both.possible_pairs == both.pairs);
    REQUIRE(fast.both.certain_with_partner == both.with_partner);
    REQUIRE(fast.first.certain_pairs == brute_pairs(a, nullptr, f).pairs);
    REQUIRE(fast.second.certain_pairs == brute_pairs(b, nullptr, f).pairs);

    std::uint64_t equal = 0;
    for (std::int64_t m = 0; m < M; ++m) equal += formats::stored_equal(a[m], b[m], f);
    quantities::TokenAliasing tokens = quantities::token_aliasing(products, M, f, 0.25);
    REQUIRE(tokens.certain_equal == equal);
    REQUIRE(tokens.possible_equal == equal);

    std::uint64_t near = 0;
    for (std::int64_t m = 0; m < M; ++m) {
      Ball gap = interval::abs(products.difference->value(m, 256));
      auto less = interval::less(gap, Ball::exact(0.25));
      REQUIRE_FALSE(interval::is_unknown(less));
      near += interval::is_true(less);
    }
    REQUIRE(tokens.certain_near == near);
    REQUIRE(tokens.possible_near == near);
    REQUIRE(tokens.predicted_near.is_finite());
  }
}

TEST_CASE("threshold aliasing matches brute force", "[aliasing]") {
  const std::int64_t M = 400;
  model::RopeProduct product(small_schedule(), model::QueryKey{kQuery, kKey});
  std::vector<Ball> values;
  for (std::int64_t m = 0; m < M; ++m) values.push_back(product.value(m, 256));
  for (double eps : {1e-3, 0.01, 0.1, 0.5}) {
    INFO("eps = " << eps);
    std::uint64_t pairs = 0, with_partner = 0;
    std::vector<bool> partner(M, false);
    for (std::int64_t i = 0; i < M; ++i) {
      for (std::int64_t j = i + 1; j < M; ++j) {
        Ball gap = interval::abs(interval::sub(values[i], values[j], 256));
        auto less = interval::less(gap, Ball::exact(eps));
        REQUIRE_FALSE(interval::is_unknown(less));
        if (!interval::is_true(less)) continue;
        ++pairs;
        partner[i] = partner[j] = true;
      }
    }
    for (bool p : partner) with_partner += p;
    quantities::ThresholdAliasingCount fast = quantities::threshold_aliasing(product, M, eps);
    REQUIRE(fast.certain_pairs == pairs);
    REQUIRE(fast.possible_pairs == pairs);
    REQUIRE(fast.certain_with_partner == with_partner);
    REQUIRE(fast.possible_with_partner == with_partner);
  }
}

TEST_CASE("zero key aliases every pair exactly", "[aliasing]") {
  const std::int64_t M = 1000;
  model::RopeProduct product(small_schedule(),
                             model::QueryKey{kQuery, std::vector<double>(8, 0.0)});
  const std::uint64_t all = static_cast<std::uint64_t>(M) * (M - 1) / 2;
  for (Format f : formats::all_formats()) {
    quantities::AliasingCount count = quantities::position_aliasing(product, M, f);
    REQUIRE(count.certain_pairs == all);
    REQUIRE(count.possible_pairs == all);
    REQUIRE(count.undecided_values == 0);
    REQUIRE(count.distinct_values == 1);
  }
  quantities::ThresholdAliasingCount near = quantities::threshold_aliasing(product, M, 1e-300);
  REQUIRE(near.certain_pairs == all);
  REQUIRE(near.possible_pairs == all);
}

TEST_CASE("exact logit on bf16 tie is decided", "[aliasing]") {
  // d = 2, q = (1 + 2^-8, 0), k = (1, 0): S(0) = 1 + 2^-8 exactly, a bf16
  // midpoint, which ties-to-even rounds to 1.
  model::RopeSchedule s;
  s.rotary_dim = 2;
  model::RopeProduct product(s, model::QueryKey{{1.0 + std::ldexp(1.0, -8), 0.0}, {1.0, 0.0}});
  quantities::RoundedWindow w = quantities::round_window(product, 2, Format::Bf16);
  REQUIRE(w.decided(0));
  REQUIRE(w.low[0] == 1.0);
  REQUIRE(w.undecided_values == 0);
}

TEST_CASE("straddling enclosure stays undecided", "[aliasing]") {
  // Distance 0 is exactly 1, distance 1 straddles the tie 1 + 2^-8 at every
  // precision (the refinement returns a wide ball), distance 2 is exactly 2.
  const double tie = 1.0 + std::ldexp(1.0, -8);
  model::WindowEnclosures bounds;
  bounds.lower = {1.0, std::nextafter(tie, 0.0), 2.0};
  bounds.upper = {1.0, std::nextafter(tie, 2.0), 2.0};
  auto refine = [&](std::int64_t m, interval::Precision) {
    return Ball::from_bounds(bounds.lower[m], bounds.upper[m]);
  };
  quantities::RoundedWindow w = quantities::round_enclosures(bounds, Format::Bf16, refine);
  REQUIRE(w.undecided_values == 1);
  REQUIRE(w.refined_values == 1);
  REQUIRE_FALSE(w.decided(1));
  quantities::AliasingCount count = quantities::count_aliasing({&w});
  REQUIRE(count.certain_pairs == 0);
  REQUIRE(count.possible_pairs == 1);  // distance 1 may round to 1
  REQUIRE(count.certain_with_partner == 0);
  REQUIRE(count.possible_with_partner == 2);
}

TEST_CASE("token inversion labels and brute force", "[token]") {
  const std::int64_t M = 700;
  auto forward = quantities::make_two_key_products(small_schedule(), kQuery, kKey, kKey2);
  auto backward = quantities::make_two_key_products(small_schedule(), kQuery, kKey2, kKey);
  quantities::TokenInversion a = quantities::token_inversion(*forward.difference, M);
  quantities::TokenInversion b = quantities::token_inversion(*backward.difference, M);
  REQUIRE(a.label != quantities::KeyLabel::Undecided);
  REQUIRE(b.label != a.label);
  REQUIRE(a.certain_negative == b.certain_negative);
  REQUIRE(a.possible_negative == a.certain_negative);

  // Brute force: sign of the labelled D(m) = sign(D(0)) * D(m).
  Ball d0 = forward.difference->value(0, 256);
  const bool positive = interval::is_true(interval::greater(d0, Ball::exact(0.0)));
  std::uint64_t negative = 0;
  for (std::int64_t m = 0; m < M; ++m) {
    Ball d = forward.difference->value(m, 256);
    if (!positive) d = interval::neg(d);
    auto less = interval::less(d, Ball::exact(0.0));
    REQUIRE_FALSE(interval::is_unknown(less));
    negative += interval::is_true(less);
  }
  REQUIRE(a.certain_negative == negative);
  REQUIRE(a.prediction.lower() >= 0.0);
  REQUIRE(a.prediction.upper() <= 1.0);
  REQUIRE(a.prediction.radius() < 1e-6);
}

TEST_CASE("token inversion with equal keys is undecided", "[token]") {
  auto same = quantities::make_two_key_products(small_schedule(), kQuery, kKey, kKey);
  quantities::TokenInversion t = quantities::token_inversion(*same.difference, 100);
  REQUIRE(t.label == quantities::KeyLabel::Undecided);
  REQUIRE(t.certain_negative == 0);
  REQUIRE(t.possible_negative == 0);
}

TEST_CASE("failure-mode inputs are validated", "[aliasing]") {
  model::RopeProduct product(small_schedule(), model::QueryKey{kQuery, kKey});
  REQUIRE_THROWS_AS(quantities::position_aliasing(product, 1, Format::Bf16), InputError);
  REQUIRE_THROWS_AS(quantities::threshold_aliasing(product, 10, 0.0), InputError);
  REQUIRE_THROWS_AS(quantities::threshold_aliasing(product, 10, NAN), InputError);
  REQUIRE_THROWS_AS(
      quantities::make_two_key_products(small_schedule(), kQuery, kKey, {1.0, 2.0}), InputError);
}

TEST_CASE("failure-mode CLI rejects bad input", "[cli]") {
  const std::string binary = ROPECERT_BINARY;
  auto status = [&](const std::string& args) {
    int raw = std::system((binary + " " + args + " > /dev/null 2>&1").c_str());
    return WEXITSTATUS(raw);
  };
  REQUIRE(status("aliasing --dim 8 --ensemble gaussian --M 100 --format bf15") == 2);
  REQUIRE(status("aliasing --dim 8 --ensemble gaussian --M 1") == 2);
  REQUIRE(status("aliasing --dim 8 --ensemble gaussian --M 100 --eps -1") == 2);
  REQUIRE(status("invariance --dim 8 --ensemble gaussian --M 100 --sample-k2 0") == 2);
  REQUIRE(status("token-aliasing --dim 8 --ensemble aligned --M 100") == 2);
  REQUIRE(status("invariance --dim 8 --ensemble gaussian --M 100 --format fp16") == 0);
  REQUIRE(status("token-inversion --dim 8 --ensemble gaussian --M 100 --json") == 0);
}
