// Tests of the window moments (closed form against the oracle's brute-force
// sums), the split index lambda(M), the split moments and the Berry-Esseen term.
//
// Data: tests/data/reference.json, from
//     /usr/bin/python3 tests/oracle/reference.py > tests/data/reference.json

#include <catch2/catch.hpp>

#include "model/rope_product.hpp"
#include "quantities/moments.hpp"
#include "quantities/normal_prediction.hpp"
#include "quantities/window.hpp"
#include "reference_data.hpp"
#include "util/input_error.hpp"

using namespace ropecert;
using ropecert::testing::reference;
using ropecert::testing::reference_ball;
using ropecert::testing::reference_schedule;
using ropecert::testing::schedule_from_json;

namespace {

model::RopeProduct product_of_case(const nlohmann::json& item) {
  model::RopeSchedule schedule = schedule_from_json(reference_schedule(item.at("schedule")));
  schedule.pairing = model::parse_pairing(item.at("pairing"));
  model::QueryKey qk{item.at("q").get<std::vector<double>>(),
                     item.at("k").get<std::vector<double>>()};
  return model::RopeProduct(schedule, qk);
}

}  // namespace

TEST_CASE("window moments contain oracle closed form", "[moments]") {
  for (const auto& item : reference().at("products")) {
    model::RopeProduct product = product_of_case(item);
    for (const auto& w : item.at("windows")) {
      quantities::Window window{w.at("first"), w.at("end")};
      quantities::WindowMoments moments = quantities::window_moments(product, window);
      INFO("case " << item.at("label") << ", window " << window.to_string() << ", mean "
                   << moments.mean.to_string(30) << ", variance "
                   << moments.variance.to_string(30));
      REQUIRE(moments.mean.overlaps(reference_ball(w.at("mean"))));
      REQUIRE(moments.second_moment.overlaps(reference_ball(w.at("second_moment"))));
      REQUIRE(moments.variance.overlaps(reference_ball(w.at("variance"))));
      REQUIRE(moments.variance.relative_accuracy_bits() >= 40);
    }
  }
}

TEST_CASE("window moments contain brute-force sums", "[moments]") {
  int checked = 0;
  for (const auto& item : reference().at("products")) {
    model::RopeProduct product = product_of_case(item);
    for (const auto& w : item.at("windows")) {
      if (!w.contains("brute_force_mean")) continue;
      quantities::Window window{w.at("first"), w.at("end")};
      quantities::WindowMoments moments = quantities::window_moments(product, window);
      INFO("case " << item.at("label") << ", window " << window.to_string());
      REQUIRE(moments.mean.overlaps(reference_ball(w.at("brute_force_mean"))));
      REQUIRE(moments.variance.overlaps(reference_ball(w.at("brute_force_variance"))));
      ++checked;
    }
  }
  // The oracle sums [0, 4096), [1000, 9000) and [2^40, 2^40 + 100000) for
  // the sanity vectors and [0, 4096) for several more cases.
  REQUIRE(checked >= 10);
}

TEST_CASE("window moments sanity values", "[moments]") {
  model::RopeSchedule s;
  s.rotary_dim = 8;
  s.base = 10000.0;
  model::QueryKey qk{{1, 0.5, -0.25, 2, 0.75, -1, 0.5, 0.125},
                     {0.5, 1, 1, -0.5, 0.25, 0.5, -2, 1}};
  model::RopeProduct product(s, qk);
  quantities::WindowMoments moments = quantities::window_moments(product, {0, 4096});
  // 30 and 27 significant digits as published.
  interval::Ball mean = interval::Ball::from_decimal("0.974000700960310961343673049183", 256);
  arb_add_error_2exp_si(mean.raw(), -95);
  interval::Ball variance = interval::Ball::from_decimal("2.85385139175200489300518562", 256);
  arb_add_error_2exp_si(variance.raw(), -85);
  REQUIRE(moments.mean.overlaps(mean));
  REQUIRE(moments.variance.overlaps(variance));
}

TEST_CASE("window moments of one point", "[moments]") {
  model::RopeSchedule s;
  s.rotary_dim = 8;
  s.base = 10000.0;
  model::QueryKey qk{{1, 0.5, -0.25, 2, 0.75, -1, 0.5, 0.125},
                     {0.5, 1, 1, -0.5, 0.25, 0.5, -2, 1}};
  model::RopeProduct product(s, qk);
  quantities::WindowMoments moments = quantities::window_moments(product, {1000, 1001});
  REQUIRE(moments.mean.overlaps(product.value(1000, 128)));
  REQUIRE(moments.variance.contains_zero());
  REQUIRE(moments.variance.radius() < 1e-20);
}

TEST_CASE("window check rejects bad windows", "[moments]") {
  REQUIRE_THROWS_AS(quantities::check_window({5, 5}), InputError);
  REQUIRE_THROWS_AS(quantities::check_window({-1, 5}), InputError);
  REQUIRE_THROWS_AS(quantities::check_window({0, (std::int64_t{1} << 53) + 1}), InputError);
  REQUIRE_NOTHROW(quantities::check_window({0, std::int64_t{1} << 53}));
}

TEST_CASE("split index and moments match oracle", "[moments]") {
  for (const auto& item : reference().at("products")) {
    model::RopeProduct product = product_of_case(item);
    for (const auto& split : item.at("split")) {
      std::int64_t M = split.at("M");
      INFO("case " << item.at("label") << ", M = " << M);
      REQUIRE(quantities::split_index(product, M) == split.at("lambda").get<int>());
      quantities::SplitMoments moments = quantities::split_moments(product, M);
      REQUIRE(moments.lambda == split.at("lambda").get<int>());
      REQUIRE(moments.mean.overlaps(reference_ball(split.at("mean"))));
      REQUIRE(moments.variance.overlaps(reference_ball(split.at("variance"))));
      std::vector<bool> fast = quantities::fast_components(product, M);
      REQUIRE(static_cast<int>(std::count(fast.begin(), fast.end(), true)) == moments.lambda);
    }
  }
}

TEST_CASE("berry esseen term matches oracle", "[moments]") {
  int checked = 0;
  for (const auto& item : reference().at("products")) {
    model::RopeProduct product = product_of_case(item);
    for (const auto& split : item.at("split")) {
      std::int64_t M = split.at("M");
      quantities::BerryEsseen be = quantities::berry_esseen(product, M);
      INFO("case " << item.at("label") << ", M = " << M << ", E_BE " << be.value.to_string(30));
      REQUIRE(be.lambda == split.at("lambda").get<int>());
      if (split.contains("berry_esseen")) {
        REQUIRE(be.value.overlaps(reference_ball(split.at("berry_esseen"))));
        REQUIRE(be.value.relative_accuracy_bits() >= 60);
        ++checked;
      } else {
        REQUIRE_FALSE(be.value.is_finite());
      }
    }
  }
  REQUIRE(checked >= 50);
}

TEST_CASE("split index of small lengths", "[moments]") {
  model::RopeSchedule s;
  s.rotary_dim = 8;
  s.base = 10000.0;
  model::QueryKey qk{{1, 0, 0, 0, 0, 0, 0, 0}, {1, 0, 0, 0, 0, 0, 0, 0}};
  model::RopeProduct product(s, qk);
  // theta = 1, 0.1, 0.01, 0.001: M theta_n >= 2 pi from M = 7, 63, 629, 6284.
  REQUIRE(quantities::split_index(product, 6) == 0);
  REQUIRE(quantities::split_index(product, 7) == 1);
  REQUIRE(quantities::split_index(product, 62) == 1);
  REQUIRE(quantities::split_index(product, 63) == 2);
  REQUIRE(quantities::split_index(product, 6283) == 3);
  REQUIRE(quantities::split_index(product, 6284) == 4);
}
