// Tests of position inversion: count_less_pairs against a brute-force count
// over double intervals, and position_inversion against an O(M^2) count of
// S(m1) < S(m2) from enclosures at 512 bits.

#include <catch2/catch.hpp>

#include <random>

#include "model/rope_product.hpp"
#include "quantities/inversion.hpp"
#include "util/input_error.hpp"

using namespace ropecert;
using interval::Tribool;

namespace {

struct Intervals {
  std::vector<double> lower, upper, point;
};

// Intervals on a coarse grid, so that ties and touching ends are common. Each
// carries a point inside it that plays the true value.
Intervals random_intervals(std::mt19937_64& rng, std::size_t count, double scale) {
  std::uniform_int_distribution<int> grid(0, 8);
  std::uniform_int_distribution<int> width(0, 3);
  Intervals out;
  for (std::size_t i = 0; i < count; ++i) {
    double lo = grid(rng) * scale;
    double hi = lo + width(rng) * scale;
    std::uniform_int_distribution<int> inside(0, static_cast<int>((hi - lo) / scale));
    out.lower.push_back(lo);
    out.upper.push_back(hi);
    out.point.push_back(lo + inside(rng) * scale);
  }
  return out;
}

struct BruteCount {
  std::uint64_t certain = 0, possible = 0, truth = 0;
};

BruteCount brute_count(const Intervals& near, const Intervals& far) {
  BruteCount c;
  for (std::size_t i = 0; i < near.lower.size(); ++i) {
    for (std::size_t j = 0; j < far.lower.size(); ++j) {
      if (near.upper[i] < far.lower[j]) ++c.certain;
      if (!(near.lower[i] >= far.upper[j])) ++c.possible;
      if (near.point[i] < far.point[j]) ++c.truth;
    }
  }
  return c;
}

model::RopeSchedule small_schedule(int dim) {
  model::RopeSchedule s;
  s.name = "test";
  s.rotary_dim = dim;
  s.base = 10000.0;
  return s;
}

// The exact count of S(m1) < S(m2) from 512-bit enclosures, and the number of
// pairs that those enclosures leave undecided.
std::pair<std::uint64_t, std::uint64_t> brute_inversion(const model::RopeProduct& product,
                                                        std::int64_t M) {
  std::vector<interval::Ball> values;
  for (std::int64_t m = 0; m < M; ++m) values.push_back(product.value(m, 512));
  std::uint64_t less = 0, undecided = 0;
  for (std::int64_t i = 0; i < M / 2; ++i) {
    for (std::int64_t j = M / 2; j < M; ++j) {
      Tribool t = interval::less(values[i], values[j]);
      if (t == Tribool::True) ++less;
      if (t == Tribool::Unknown) ++undecided;
    }
  }
  return {less, undecided};
}

}  // namespace

TEST_CASE("count_less_pairs without refinement", "[inversion]") {
  std::mt19937_64 rng(12345);
  for (int trial = 0; trial < 200; ++trial) {
    Intervals near = random_intervals(rng, 1 + trial % 13, 0.25);
    Intervals far = random_intervals(rng, 1 + trial % 11, 0.25);
    quantities::InversionCount c =
        quantities::count_less_pairs(near.lower, near.upper, far.lower, far.upper, {});
    BruteCount b = brute_count(near, far);
    INFO("trial " << trial);
    REQUIRE(c.total_pairs == near.lower.size() * far.lower.size());
    REQUIRE(c.certain_less == b.certain);
    REQUIRE(c.possible_less == b.possible);
  }
}

TEST_CASE("count_less_pairs with exact refinement", "[inversion]") {
  std::mt19937_64 rng(777);
  for (int trial = 0; trial < 200; ++trial) {
    // Mixed magnitudes exercise the scan window of width `widest`.
    double scale = (trial % 3 == 0) ? 1e16 : (trial % 3 == 1 ? 0.25 : 1e-300);
    Intervals near = random_intervals(rng, 1 + trial % 17, scale);
    Intervals far = random_intervals(rng, 1 + trial % 19, scale);
    auto refine = [&](std::int64_t i, std::int64_t j) {
      return near.point[i] < far.point[j] ? Tribool::True : Tribool::False;
    };
    quantities::InversionCount c =
        quantities::count_less_pairs(near.lower, near.upper, far.lower, far.upper, refine);
    BruteCount b = brute_count(near, far);
    INFO("trial " << trial << ", scale " << scale);
    REQUIRE(c.certain_less == b.truth);
    REQUIRE(c.possible_less == b.truth);
    REQUIRE_FALSE(c.refinement_skipped);
  }
}

TEST_CASE("count_less_pairs with undecided refinement", "[inversion]") {
  std::mt19937_64 rng(99);
  for (int trial = 0; trial < 100; ++trial) {
    Intervals near = random_intervals(rng, 1 + trial % 7, 1.0);
    Intervals far = random_intervals(rng, 1 + trial % 5, 1.0);
    auto refine = [](std::int64_t, std::int64_t) { return Tribool::Unknown; };
    quantities::InversionCount c =
        quantities::count_less_pairs(near.lower, near.upper, far.lower, far.upper, refine);
    BruteCount b = brute_count(near, far);
    INFO("trial " << trial);
    REQUIRE(c.certain_less == b.certain);
    REQUIRE(c.possible_less == b.possible);
    REQUIRE(c.certain_less <= b.truth);
    REQUIRE(b.truth <= c.possible_less);
  }
}

TEST_CASE("count_less_pairs with rounded widths", "[inversion]") {
  // far[0] = [-3 * 2^-55, 1 + 2^-52]: its width rounds down to 1 + 2^-52.
  // near[0] = [1, 1]. The pair is undecided (1 < 1 + 2^-52 is possible) and
  // must reach the refinement.
  std::vector<double> near_lower{1.0}, near_upper{1.0};
  std::vector<double> far_lower{-3 * std::ldexp(1.0, -55)};
  std::vector<double> far_upper{1.0 + std::ldexp(1.0, -52)};
  int calls = 0;
  auto refine = [&](std::int64_t, std::int64_t) {
    ++calls;
    return Tribool::True;
  };
  quantities::InversionCount c =
      quantities::count_less_pairs(near_lower, near_upper, far_lower, far_upper, refine);
  REQUIRE(calls == 1);
  REQUIRE(c.certain_less == 1);
  REQUIRE(c.possible_less == 1);
}

TEST_CASE("position inversion matches brute force", "[inversion]") {
  model::QueryKey qk{{1, 0.5, -0.25, 2, 0.75, -1, 0.5, 0.125},
                     {0.5, 1, 1, -0.5, 0.25, 0.5, -2, 1}};
  for (model::Pairing pairing : {model::Pairing::Half, model::Pairing::Interleaved}) {
    model::RopeSchedule s = small_schedule(8);
    s.pairing = pairing;
    model::RopeProduct product(s, qk);
    for (std::int64_t M : {2, 3, 17, 256, 601}) {
      auto [less, undecided] = brute_inversion(product, M);
      quantities::InversionCount c = quantities::position_inversion(product, M);
      INFO("pairing " << model::to_string(pairing) << ", M = " << M);
      REQUIRE(undecided == 0);
      REQUIRE(c.total_pairs == static_cast<std::uint64_t>(M / 2) * (M - M / 2));
      REQUIRE(c.certain_less == less);
      REQUIRE(c.possible_less == less);
      REQUIRE(c.fraction_lower() <= static_cast<double>(less) / c.total_pairs);
      REQUIRE(c.fraction_upper() >= static_cast<double>(less) / c.total_pairs);
    }
  }
}

TEST_CASE("position inversion leaves exact ties undecided", "[inversion]") {
  // S(m) = cos(m - 1.5) for d = 2 (theta_0 = 1). S(0) = S(3) and S(1) = S(2)
  // exactly, but no enclosure of these irrational values can show it, so the
  // two tied pairs must widen the range and never be counted either way.
  model::AmplitudePhase ap{{1.0}, {-1.5}};
  model::RopeProduct product(small_schedule(2), ap);
  quantities::InversionCount c = quantities::position_inversion(product, 4);
  // (0, 2): cos(-1.5) < cos(0.5) holds; (1, 3): cos(-0.5) < cos(1.5) fails.
  REQUIRE(c.total_pairs == 4);
  REQUIRE(c.certain_less == 1);
  REQUIRE(c.possible_less == 3);
}

TEST_CASE("position inversion of zero key", "[inversion]") {
  // Every S(m) is exactly 0, so no pair has S(m1) < S(m2): the true count is
  // 0, and the certified range must contain it without counting any pair as
  // certainly less.
  model::QueryKey qk{{1, 2, 3, 4, 5, 6, 7, 8}, std::vector<double>(8, 0.0)};
  model::RopeProduct product(small_schedule(8), qk);
  quantities::InversionCount c = quantities::position_inversion(product, 1000);
  REQUIRE(c.total_pairs == 250000);
  REQUIRE(c.certain_less == 0);
  REQUIRE(c.fraction_lower() == 0.0);
}

TEST_CASE("position inversion rejects bad lengths", "[inversion]") {
  model::QueryKey qk{std::vector<double>(8, 1.0), std::vector<double>(8, 1.0)};
  model::RopeProduct product(small_schedule(8), qk);
  REQUIRE_THROWS_AS(quantities::position_inversion(product, 1), InputError);
  REQUIRE_THROWS_AS(quantities::position_inversion(product, -5), InputError);
  REQUIRE_THROWS_AS(
      quantities::position_inversion(product, quantities::kMaxInversionLength + 1), InputError);
}
