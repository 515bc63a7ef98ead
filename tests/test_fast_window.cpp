// The certified binary64 sweep (FastWindow) against 50-digit mpmath values,
// against the Arb path, and inside position inversion.

#include <catch2/catch.hpp>

#include <cfenv>
#include <cmath>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "model/ensemble.hpp"
#include "model/fast_window.hpp"
#include "model/presets.hpp"
#include "model/rope_product.hpp"
#include "quantities/inversion.hpp"

namespace {

using namespace ropecert;
using interval::Ball;
using interval::Tribool;

// The reference cases: tests/oracle/fast_window_reference.py wrote them.
nlohmann::json load_reference() {
  std::ifstream file(std::string(ROPECERT_TEST_DATA) + "/fast_window_reference.json");
  REQUIRE(file.good());
  return nlohmann::json::parse(file);
}

std::unique_ptr<model::RopeProduct> reference_product(const nlohmann::json& entry) {
  model::RopeSchedule schedule;
  schedule.name = entry["name"];
  schedule.rotary_dim = entry["dim"];
  schedule.base = entry["base"];
  schedule.pairing = model::Pairing::Half;
  const auto& input = entry["input"];
  model::VectorInput vectors;
  if (input.contains("q")) {
    vectors = model::QueryKey{input["q"].get<std::vector<double>>(),
                              input["k"].get<std::vector<double>>()};
  } else {
    vectors = model::AmplitudePhase{input["amplitude"].get<std::vector<double>>(),
                                    input["phase"].get<std::vector<double>>()};
  }
  return std::make_unique<model::RopeProduct>(schedule, vectors);
}

// Whether [lower, upper] contains every point of the reference ball.
bool contains(double lower, double upper, const Ball& reference) {
  return lower <= reference.lower() && reference.upper() <= upper;
}

}  // namespace

TEST_CASE("fast window contains mpmath references", "[fast_window]") {
  const nlohmann::json reference = load_reference();
  int checked = 0;
  for (const auto& entry : reference["cases"]) {
    const std::string name = entry["name"];
    auto product = reference_product(entry);
    const model::FastWindow& fast = product->fast_window();
    for (const auto& point : entry["values"]) {
      const std::int64_t m = point["m"];
      const Ball exact = Ball::from_decimal(point["value"].get<std::string>(), 256);
      INFO(name << ", m = " << m << ", reference " << point["value"].get<std::string>());

      double lower = 0.0, upper = 0.0;
      model::WindowMethod used = product->window_into(m, m + 1, 53, &lower, &upper);
      CHECK(contains(lower, upper, exact));
      CHECK(used == (fast.applicable() ? model::WindowMethod::Fast : model::WindowMethod::Arb));

      if (fast.bound_valid()) {
        REQUIRE(fast.evaluate(m, m + 1, &lower, &upper));
        CHECK(contains(lower, upper, exact));
      }
      ++checked;
    }
  }
  CHECK(checked > 150);
}

TEST_CASE("fast window path choice by amplitude range", "[fast_window]") {
  const nlohmann::json reference = load_reference();
  for (const auto& entry : reference["cases"]) {
    const std::string name = entry["name"];
    // fast_window() refers into the product's cache, so the product must
    // outlive `fast`. A temporary product here was a heap-use-after-free.
    const std::unique_ptr<model::RopeProduct> product = reference_product(entry);
    const model::FastWindow& fast = product->fast_window();
    INFO(name << ": sum |c_n| <= " << fast.coefficient_sum() << ", E = " << fast.error_bound());
    if (name == "amplitudes huge 1e300") {
      CHECK_FALSE(fast.bound_valid());
      CHECK_FALSE(fast.applicable());
    } else if (name == "amplitudes subnormal 1e-315") {
      CHECK(fast.bound_valid());
      CHECK_FALSE(fast.applicable());
    } else {
      CHECK(fast.applicable());
      // E is about (2h + 6) u sum |c_n|; allow a factor 2 over that.
      CHECK(fast.error_bound() <= 2.0 * (fast.pairs() * 2 + 6) * 0x1p-53 * fast.coefficient_sum());
    }
  }
}

TEST_CASE("fast window with shrunk bound misses references", "[fast_window]") {
  // Fault injection: the same sweep with the bound divided by 10^6 must fail
  // the containment check the full bound passes, so that check can fail.
  const nlohmann::json reference = load_reference();
  int outside_full = 0, outside_shrunk = 0, checked = 0;
  for (const auto& entry : reference["cases"]) {
    auto product = reference_product(entry);
    model::FastWindow full(*product);
    model::FastWindow shrunk(*product);
    if (!full.applicable()) continue;
    shrunk.shrink_error_bound_for_testing(1e6);
    for (const auto& point : entry["values"]) {
      const std::int64_t m = point["m"];
      const Ball exact = Ball::from_decimal(point["value"].get<std::string>(), 256);
      double lower = 0.0, upper = 0.0;
      REQUIRE(full.evaluate(m, m + 1, &lower, &upper));
      if (!contains(lower, upper, exact)) ++outside_full;
      REQUIRE(shrunk.evaluate(m, m + 1, &lower, &upper));
      if (!contains(lower, upper, exact)) ++outside_shrunk;
      ++checked;
    }
  }
  CHECK(checked > 100);
  CHECK(outside_full == 0);
  CHECK(outside_shrunk > checked / 4);
}

TEST_CASE("fast and Arb windows overlap", "[fast_window]") {
  struct Window {
    std::int64_t first, end;
  };
  const std::vector<Window> windows = {
      {0, 70000}, {65530, 65540 + 3 * model::kFastBlock}, {(std::int64_t{1} << 40) - 3000, (std::int64_t{1} << 40) + 3000},
      {model::kMaxDistance - 2000, model::kMaxDistance}};
  for (const std::string name : {"llama-3.1-8b", "gpt-oss-20b", "qwen3-8b", "deepseek-v3"}) {
    for (std::uint64_t seed : {1u, 7u}) {
      for (model::EnsembleKind kind : {model::EnsembleKind::Gaussian, model::EnsembleKind::Aligned}) {
        const model::RopeSchedule schedule = model::preset(name);
        model::EnsembleSpec spec;
        spec.kind = kind;
        spec.seed = seed;
        model::RopeProduct product(schedule, model::ensemble_sample(spec, 0, schedule.rotary_dim));
        for (const Window& w : windows) {
          INFO(name << ", seed " << seed << ", window [" << w.first << ", " << w.end << ")");
          model::WindowEnclosures fast = product.window(w.first, w.end, 53, model::WindowMethod::Fast);
          model::WindowEnclosures arb = product.window(w.first, w.end, 53, model::WindowMethod::Arb);
          std::int64_t disjoint = 0, unordered = 0;
          for (std::size_t i = 0; i < fast.lower.size(); ++i) {
            if (fast.upper[i] < arb.lower[i] || arb.upper[i] < fast.lower[i]) ++disjoint;
            if (!(fast.lower[i] <= fast.upper[i])) ++unordered;
          }
          CHECK(disjoint == 0);
          CHECK(unordered == 0);
        }
      }
    }
  }
}

TEST_CASE("fast window threads give identical bits", "[fast_window]") {
  const model::RopeSchedule schedule = model::preset("llama-3.1-8b");
  model::RopeProduct product(schedule, model::ensemble_sample({}, 3, schedule.rotary_dim));
  const model::FastWindow& fast = product.fast_window();
  const std::int64_t first = 123457, end = first + 300000;
  std::vector<double> lower1(end - first), upper1(end - first), lower2(end - first),
      upper2(end - first);
  REQUIRE(fast.evaluate(first, end, lower1.data(), upper1.data(), 1));
  REQUIRE(fast.evaluate(first, end, lower2.data(), upper2.data(), 2));
  CHECK(lower1 == lower2);
  CHECK(upper1 == upper2);
  // A sub-window starting elsewhere reproduces the same values.
  std::vector<double> lower3(1000), upper3(1000);
  REQUIRE(fast.evaluate(first + 77777, first + 78777, lower3.data(), upper3.data(), 1));
  CHECK(std::equal(lower3.begin(), lower3.end(), lower1.begin() + 77777));
}

TEST_CASE("fast window rejects directed rounding", "[fast_window]") {
  const model::RopeSchedule schedule = model::preset("llama-2-7b");
  model::RopeProduct product(schedule, model::ensemble_sample({}, 0, schedule.rotary_dim));
  REQUIRE(std::fesetround(FE_UPWARD) == 0);
  bool raised = false;
  try {
    model::FastWindow fast(product);
  } catch (const std::runtime_error&) {
    raised = true;
  }
  std::fesetround(FE_TONEAREST);
  CHECK(raised);
}

TEST_CASE("position inversion counts match the Arb path", "[fast_window][inversion]") {
  for (const std::string name : {"llama-3.1-8b", "llama-2-7b", "gpt-oss-20b", "mistral-7b-v0.3"}) {
    for (std::uint64_t seed : {0u, 5u, 11u}) {
      const model::RopeSchedule schedule = model::preset(name);
      model::EnsembleSpec spec;
      spec.seed = seed;
      model::RopeProduct product(schedule, model::ensemble_sample(spec, 0, schedule.rotary_dim));
      for (std::int64_t M : {std::int64_t{2}, std::int64_t{4097}, std::int64_t{40000}}) {
        INFO(name << ", seed " << seed << ", M = " << M);
        auto fast = quantities::position_inversion(product, M, {}, model::WindowMethod::Fast);
        auto arb = quantities::position_inversion(product, M, {}, model::WindowMethod::Arb);
        CHECK_FALSE(fast.refinement_skipped);
        CHECK_FALSE(arb.refinement_skipped);
        CHECK(fast.certain_less == arb.certain_less);
        CHECK(fast.possible_less == arb.possible_less);
        CHECK(fast.certain_less == fast.possible_less);
      }
    }
  }
}

TEST_CASE("position inversion with zero key", "[fast_window][inversion]") {
  // A zero key makes every value exactly 0, so no pair is less. The fast
  // path would give [-E, E] for each and leave every pair undecided, so the
  // product must choose the Arb path, whose point enclosures decide them.
  const model::RopeSchedule schedule = model::preset("llama-2-7b");
  model::QueryKey zero{std::vector<double>(schedule.rotary_dim, 1.0),
                       std::vector<double>(schedule.rotary_dim, 0.0)};
  model::RopeProduct product(schedule, zero);
  CHECK_FALSE(product.fast_window().applicable());
  auto count = quantities::position_inversion(product, 1000);
  CHECK(count.certain_less == 0);
  CHECK(count.possible_less == 0);
}

TEST_CASE("count_less_pairs matches brute force", "[inversion]") {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int> grid(0, 40);
  std::uniform_int_distribution<int> width(0, 3);
  for (int trial = 0; trial < 50; ++trial) {
    // Coarse integer bounds give many overlaps, point enclosures and ties.
    auto make = [&](std::size_t n, std::vector<double>& lower, std::vector<double>& upper) {
      lower.resize(n);
      upper.resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        lower[i] = grid(rng);
        upper[i] = lower[i] + width(rng);
      }
    };
    std::vector<double> nl, nu, fl, fu;
    make(60 + trial, nl, nu);
    make(70 - trial, fl, fu);
    // Refinement oracle: "true" values are the interval midpoints, with ties
    // left Unknown.
    std::uint64_t certain = 0, possible = 0, undecided = 0, true_less = 0, unknown = 0;
    for (std::size_t i = 0; i < nl.size(); ++i) {
      for (std::size_t j = 0; j < fl.size(); ++j) {
        if (nu[i] < fl[j]) ++certain;
        if (!(nl[i] >= fu[j])) ++possible;
        if (!(nu[i] < fl[j]) && !(nl[i] >= fu[j])) {
          ++undecided;
          double x = (nl[i] + nu[i]) / 2, y = (fl[j] + fu[j]) / 2;
          if (x < y) ++true_less;
          if (x == y) ++unknown;
        }
      }
    }
    std::uint64_t visits = 0;
    auto refine = [&](std::int64_t i, std::int64_t j) {
      ++visits;
      double x = (nl[i] + nu[i]) / 2, y = (fl[j] + fu[j]) / 2;
      if (x == y) return Tribool::Unknown;
      return x < y ? Tribool::True : Tribool::False;
    };
    INFO("trial " << trial);
    auto without = quantities::count_less_pairs(nl, nu, fl, fu, {});
    CHECK(without.certain_less == certain);
    CHECK(without.possible_less == possible);
    auto with = quantities::count_less_pairs(nl, nu, fl, fu, refine);
    CHECK(visits == undecided);
    CHECK(with.refined_pairs == undecided);
    CHECK(with.certain_less == certain + true_less);
    CHECK(with.possible_less == certain + true_less + unknown);
  }
}
