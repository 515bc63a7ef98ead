// Tests of the RoPE product S(m): the public sanity values, the mpmath
// oracle at distances up to 2^53 - 1, both pairings, and agreement of the
// block evaluator window() with value().
//
// Data: tests/data/reference.json, from
//     /usr/bin/python3 tests/oracle/reference.py > tests/data/reference.json

#include <catch2/catch.hpp>

#include <cmath>

#include "model/rope_product.hpp"
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

model::RopeSchedule spec_schedule(model::Pairing pairing) {
  model::RopeSchedule s;
  s.name = "spec";
  s.rotary_dim = 8;
  s.base = 10000.0;
  s.pairing = pairing;
  return s;
}

// The published sanity values have 30 significant digits: the ball around
// one of them with radius 10^-29 relative contains the true value.
interval::Ball sanity_ball(const std::string& text) {
  interval::Ball value = interval::Ball::from_decimal(text, 256);
  interval::Ball error = interval::mul(interval::abs(value),
                                       interval::Ball::from_decimal("1e-29", 256), 256);
  arb_add_error(value.raw(), error.raw());
  return value;
}

const model::QueryKey kSpecVectors{{1, 0.5, -0.25, 2, 0.75, -1, 0.5, 0.125},
                                   {0.5, 1, 1, -0.5, 0.25, 0.5, -2, 1}};

}  // namespace

TEST_CASE("rope product sanity values", "[rope_product]") {
  model::RopeProduct product(spec_schedule(model::Pairing::Half), kSpecVectors);
  REQUIRE(product.value(0, 128).contains(-1.4375));
  REQUIRE(product.value(0, 128).is_exact());
  REQUIRE(product.value(1, 128).overlaps(sanity_ball("-1.73180883037272385560484200657")));
  REQUIRE(product.value(1000, 128).overlaps(sanity_ball("1.96192742087338935183215984321")));
  REQUIRE(product.value(123456789, 128).overlaps(sanity_ball("-2.16726761241503490927663979861")));
}

TEST_CASE("rope product sanity value widths", "[rope_product]") {
  model::RopeProduct product(spec_schedule(model::Pairing::Half), kSpecVectors);
  for (std::int64_t m : {1, 1000, 123456789}) {
    INFO("m = " << m);
    REQUIRE(product.value(m, 128).radius() < 1e-35);
    REQUIRE(product.value(m, 64).radius() < 1e-16);
  }
}

TEST_CASE("rope product contains oracle values", "[rope_product]") {
  for (const auto& item : reference().at("products")) {
    model::RopeProduct product = product_of_case(item);
    double sum_abs = std::stod(item.at("sum_abs_coefficients").get<std::string>());
    for (const auto& entry : item.at("values")) {
      std::int64_t m = entry.at("m");
      interval::Ball s = product.value(m, 128);
      INFO("case " << item.at("label") << ", m = " << m << ", enclosure " << s.to_string(40)
                   << ", oracle " << entry.at("S"));
      REQUIRE(s.overlaps(reference_ball(entry.at("S"))));
      REQUIRE(s.radius() <= 1e-30 * sum_abs);
    }
  }
}

TEST_CASE("rope product pairings differ", "[rope_product]") {
  model::RopeProduct half(spec_schedule(model::Pairing::Half), kSpecVectors);
  model::RopeProduct interleaved(spec_schedule(model::Pairing::Interleaved), kSpecVectors);
  // Half pairs (x[n], x[n+4]); interleaved pairs (x[2n], x[2n+1]). S(0) is
  // the dot product q.k in both, and differs elsewhere.
  REQUIRE(half.value(0, 128).contains(-1.4375));
  REQUIRE(interleaved.value(0, 128).contains(-1.4375));
  REQUIRE_FALSE(half.value(1, 128).overlaps(interleaved.value(1, 128)));
}

TEST_CASE("rope product window agrees with value", "[rope_product]") {
  for (const auto& item : reference().at("products")) {
    model::RopeProduct product = product_of_case(item);
    double sum_abs = std::stod(item.at("sum_abs_coefficients").get<std::string>());
    const std::int64_t p40 = std::int64_t{1} << 40;
    for (std::int64_t first : {std::int64_t{0}, std::int64_t{1000}, p40 - 7,
                               (std::int64_t{1} << 53) - 300}) {
      const std::int64_t count = 300;  // more than one block of 256
      model::WindowEnclosures w = product.window(first, first + count, 53);
      REQUIRE(w.first == first);
      REQUIRE(w.lower.size() == static_cast<std::size_t>(count));
      REQUIRE(w.upper.size() == static_cast<std::size_t>(count));
      for (std::int64_t j = 0; j < count; j += 7) {
        interval::Ball s = product.value(first + j, 128);
        INFO("case " << item.at("label") << ", m = " << first + j << ", window ["
                     << w.lower[j] << ", " << w.upper[j] << "], value " << s.to_string(25));
        REQUIRE(w.lower[j] <= s.upper());
        REQUIRE(w.upper[j] >= s.lower());
        REQUIRE(w.upper[j] - w.lower[j] <= 1e-12 * sum_abs);
      }
    }
  }
}

TEST_CASE("rope product window contains oracle at 2^40", "[rope_product]") {
  const std::int64_t p40 = std::int64_t{1} << 40;
  for (const auto& item : reference().at("products")) {
    model::RopeProduct product = product_of_case(item);
    model::WindowEnclosures w = product.window(p40 - 1, p40 + 2, 53);
    for (const auto& entry : item.at("values")) {
      std::int64_t m = entry.at("m");
      if (m < p40 - 1 || m > p40 + 1) continue;
      interval::Ball s = reference_ball(entry.at("S"));
      INFO("case " << item.at("label") << ", m = " << m);
      REQUIRE(w.lower[m - (p40 - 1)] <= s.upper());
      REQUIRE(w.upper[m - (p40 - 1)] >= s.lower());
    }
  }
}

TEST_CASE("rope product scale factors", "[rope_product]") {
  model::RopeSchedule schedule = spec_schedule(model::Pairing::Half);
  model::RopeProduct plain(schedule, kSpecVectors);
  model::RopeProduct scaled(schedule, kSpecVectors, model::OutputScale{true, false});
  // 1/sqrt(8) * -1.4375
  interval::Ball expected = interval::div(interval::Ball::exact(-1.4375),
                                          interval::sqrt(interval::Ball::exact(8.0), 256), 256);
  REQUIRE(scaled.value(0, 128).overlaps(expected));
  REQUIRE(scaled.scale_factor(128).overlaps(
      interval::div(interval::Ball::exact(1.0), interval::sqrt(interval::Ball::exact(8.0), 256),
                    256)));
  REQUIRE(plain.scale_factor(128).contains(1.0));
}

TEST_CASE("rope product yarn attention scale", "[rope_product]") {
  model::RopeSchedule schedule = model::preset("gpt-oss-20b");
  std::vector<double> q(64, 0.0), k(64, 0.0);
  q[0] = 1.0;
  k[0] = 1.0;
  model::RopeProduct product(schedule, model::QueryKey{q, k}, model::OutputScale{false, true});
  // S(0) = 1 times the square of 0.1 ln(32) + 1.
  REQUIRE(product.value(0, 128).overlaps(
      reference_ball("1.8132604340394956655840077530398428110081383722589")));
}

TEST_CASE("rope product amplitude phase input", "[rope_product]") {
  model::RopeSchedule schedule = spec_schedule(model::Pairing::Half);
  model::AmplitudePhase ap{{1.0, 0.0, 0.0, 0.0}, {0.5, 0.0, 0.0, 0.0}};
  model::RopeProduct product(schedule, ap);
  // theta_0 = 1, so S(m) = cos(m + 0.5).
  REQUIRE(product.value(2, 128).overlaps(interval::cos(interval::Ball::exact(2.5), 256)));
}

TEST_CASE("rope product rejects distances out of range", "[rope_product]") {
  model::RopeProduct product(spec_schedule(model::Pairing::Half), kSpecVectors);
  REQUIRE_THROWS_AS(product.value(-1, 128), InputError);
  REQUIRE_THROWS_AS(product.value(model::kMaxDistance, 128), InputError);
  REQUIRE_THROWS_WITH(product.value(-1, 128), Catch::Contains("-1"));
  REQUIRE_NOTHROW(product.value(model::kMaxDistance - 1, 128));
  REQUIRE_THROWS_AS(product.window(10, 5, 53), InputError);
  REQUIRE_THROWS_AS(product.window(0, model::kMaxDistance + 1, 53), InputError);
}

TEST_CASE("rope product rejects length mismatch", "[rope_product]") {
  model::QueryKey qk{{1, 2, 3, 4}, {1, 2, 3, 4}};
  REQUIRE_THROWS_AS(model::RopeProduct(spec_schedule(model::Pairing::Half), qk), InputError);
}
