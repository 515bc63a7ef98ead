// Storage-format rounding against the exact-fraction reference of
// tests/oracle/format_reference.py, and certified rounding decisions.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <string>

#include "formats/storage_format.hpp"
#include "util/input_error.hpp"

using namespace ropecert;
using formats::Format;

namespace {

double parse_hex(const std::string& text) {
  if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (text == "inf") return std::numeric_limits<double>::infinity();
  if (text == "-inf") return -std::numeric_limits<double>::infinity();
  return std::strtod(text.c_str(), nullptr);
}

bool same_bits(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return a == b && std::signbit(a) == std::signbit(b);
}

// 1 + 2^-8 is the midpoint of the bf16 neighbours 1 and 1 + 2^-7.
const double kBf16Tie = 1.0 + std::ldexp(1.0, -8);

}  // namespace

TEST_CASE("format rounding matches reference", "[formats]") {
  std::ifstream in(std::string(ROPECERT_TEST_DATA) + "/format_reference.json");
  REQUIRE(in);
  nlohmann::json doc;
  in >> doc;
  std::size_t checked = 0;
  for (const auto& row : doc["cases"]) {
    const Format format = formats::parse_format(row[0].get<std::string>());
    const double input = parse_hex(row[1].get<std::string>());
    const double expected = parse_hex(row[2].get<std::string>());
    const double stored = formats::stored_value(formats::round_to_format(input, format), format);
    INFO(row.dump());
    REQUIRE(same_bits(stored, expected));

    if (std::isfinite(input)) {
      arf_t x;
      arf_init(x);
      arf_set_d(x, input);
      const double from_arf = formats::stored_value(formats::round_to_format(x, format), format);
      arf_clear(x);
      // arf has no negative zero, so only the value is compared for a zero input.
      if (input == 0.0) {
        REQUIRE(from_arf == 0.0);
      } else {
        REQUIRE(same_bits(from_arf, expected));
      }
    }
    ++checked;
  }
  REQUIRE(checked > 40000);
}

TEST_CASE("format parameters", "[formats]") {
  REQUIRE(formats::spec(Format::Bf16).precision == 8);
  REQUIRE(formats::spec(Format::Fp16).max_finite == 65504.0);
  REQUIRE(formats::spec(Format::Fp8E4M3).max_finite == 448.0);
  REQUIRE(formats::spec(Format::Fp8E4M3).overflow_is_nan);
  REQUIRE(formats::spec(Format::Fp8E5M2).max_finite == 57344.0);
  REQUIRE(formats::parse_format("fp8_e5m2") == Format::Fp8E5M2);
  REQUIRE_THROWS_AS(formats::parse_format("bfloat16"), InputError);
}

TEST_CASE("exact ball on tie rounds to even", "[formats]") {
  auto d = formats::decide_rounding(interval::Ball::exact(kBf16Tie), Format::Bf16);
  REQUIRE(d.decided);
  REQUIRE(d.value() == 1.0);

  const double odd_tie = 1.0 + 3 * std::ldexp(1.0, -8);  // between 1 + 2^-7 and 1 + 2^-6
  d = formats::decide_rounding(interval::Ball::exact(odd_tie), Format::Bf16);
  REQUIRE(d.decided);
  REQUIRE(d.value() == 1.0 + std::ldexp(1.0, -6));

  d = formats::decide_rounding(kBf16Tie, kBf16Tie, Format::Bf16);
  REQUIRE(d.decided);
  REQUIRE(d.value() == 1.0);
}

TEST_CASE("ball straddling tie is undecided", "[formats]") {
  interval::Ball ball = interval::Ball::exact(kBf16Tie);
  mag_set_d(arb_radref(ball.raw()), std::ldexp(1.0, -40));
  auto d = formats::decide_rounding(ball, Format::Bf16);
  REQUIRE_FALSE(d.decided);
  REQUIRE(d.low == 1.0);
  REQUIRE(d.high == 1.0 + std::ldexp(1.0, -7));
}

TEST_CASE("exact ball just above tie", "[formats]") {
  // 1 + 2^-8 + 2^-80 needs 81 bits: not a double, but an exact ball.
  interval::Ball ball = interval::add(interval::Ball::exact(kBf16Tie),
                                      interval::Ball::exact(std::ldexp(1.0, -80)), 200);
  REQUIRE(ball.is_exact());
  auto d = formats::decide_rounding(ball, Format::Bf16);
  REQUIRE(d.decided);
  REQUIRE(d.value() == 1.0 + std::ldexp(1.0, -7));
}

TEST_CASE("ball around zero rounds to zero", "[formats]") {
  auto d = formats::decide_rounding(-1e-300, 1e-300, Format::Fp16);
  REQUIRE(d.decided);
  REQUIRE(d.value() == 0.0);
  REQUIRE_FALSE(std::signbit(d.value()));
}

TEST_CASE("fp8_e4m3 overflow is NaN", "[formats]") {
  REQUIRE(formats::round_to_format(464.0, Format::Fp8E4M3) == 448.0);
  REQUIRE(std::isinf(formats::round_to_format(464.5, Format::Fp8E4M3)));
  REQUIRE(std::isnan(formats::stored_value(formats::round_to_format(500.0, Format::Fp8E4M3),
                                           Format::Fp8E4M3)));
  REQUIRE_FALSE(formats::stored_equal(INFINITY, INFINITY, Format::Fp8E4M3));
  REQUIRE(formats::stored_equal(INFINITY, INFINITY, Format::Fp16));
  auto d = formats::decide_rounding(460.0, 470.0, Format::Fp8E4M3);
  REQUIRE_FALSE(d.decided);
  REQUIRE(d.low == 448.0);
  REQUIRE(std::isinf(d.high));
}

TEST_CASE("fp16 subnormals and overflow", "[formats]") {
  const double smallest = std::ldexp(1.0, -24);
  REQUIRE(formats::round_to_format(smallest / 2, Format::Fp16) == 0.0);  // tie to even 0
  REQUIRE(formats::round_to_format(std::nextafter(smallest / 2, 1.0), Format::Fp16) == smallest);
  REQUIRE(formats::round_to_format(3 * smallest / 2, Format::Fp16) == 2 * smallest);
  REQUIRE(formats::round_to_format(65519.0, Format::Fp16) == 65504.0);
  REQUIRE(std::isinf(formats::round_to_format(65520.0, Format::Fp16)));  // tie goes to infinity
}
