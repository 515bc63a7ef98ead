// Tests of the ball arithmetic layer: containment of exact results, cos and
// sin of huge arguments, the normal CDF in both tails, comparisons and the
// printed interval form. Reference constants were computed with mpmath at 60
// digits (cos(2^60), sin(2^60), ncdf, erfc).

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "interval/ball.hpp"
#include "interval/complex_ball.hpp"

using namespace ropecert::interval;

namespace {

constexpr Precision kPrec = 128;

// A decimal with 40 significant digits, widened by 10^-38 relative so that it
// contains the true constant.
Ball constant(const std::string& text) {
  Ball value = Ball::from_decimal(text, 256);
  Ball error = mul_2exp(abs(value), -126);
  arb_add_error(value.raw(), error.raw());
  return value;
}

// The exact ball [centre - 2^radius_exponent, centre + 2^radius_exponent].
Ball centred(double centre, long radius_exponent) {
  Ball x = Ball::exact(centre);
  arb_add_error_2exp_si(x.raw(), radius_exponent);
  return x;
}

Ball two_pow(long exponent) { return mul_2exp(Ball::exact(std::int64_t{1}), exponent); }

}  // namespace

TEST_CASE("ball exact conversions", "[ball]") {
  REQUIRE(Ball::exact(0.1).is_exact());
  REQUIRE(Ball::exact(0.1).contains(0.1));
  REQUIRE(Ball::exact(std::int64_t{1} << 62).contains(std::ldexp(1.0, 62)));
  REQUIRE(Ball::exact(std::int64_t{-7}).upper() == -7.0);
  REQUIRE_THROWS_AS(Ball::exact(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
  REQUIRE_THROWS_AS(Ball::exact(std::numeric_limits<double>::infinity()), std::invalid_argument);
}

TEST_CASE("ball from_decimal encloses decimal", "[ball]") {
  Ball tenth = Ball::from_decimal("0.1", kPrec);
  REQUIRE_FALSE(tenth.is_exact());
  REQUIRE(tenth.lower() <= 0.1);
  REQUIRE(tenth.upper() >= 0.1);
  // 3 * 0.1 - 0.3 is zero for the decimals, not for their doubles.
  Ball difference = sub(mul(Ball::exact(std::int64_t{3}), tenth, kPrec),
                        Ball::from_decimal("0.3", kPrec), kPrec);
  REQUIRE(difference.contains_zero());
  REQUIRE(difference.radius() < 1e-35);
  REQUIRE_THROWS_AS(Ball::from_decimal("zero", kPrec), std::invalid_argument);
  REQUIRE_THROWS_AS(Ball::from_decimal("inf", kPrec), std::invalid_argument);
}

TEST_CASE("ball arithmetic contains exact results", "[ball]") {
  Ball third = Ball::exact_ratio(1, 3, kPrec);
  Ball one = mul(third, Ball::exact(std::int64_t{3}), kPrec);
  REQUIRE(one.contains(1.0));
  REQUIRE(one.radius() < 1e-36);
  REQUIRE(add(third, third, kPrec).overlaps(Ball::exact_ratio(2, 3, 300)));
  REQUIRE(sub(Ball::exact(1.0), Ball::exact(1.0), kPrec).is_exact());
  REQUIRE(div(Ball::exact(1.0), Ball::exact(0.0), kPrec).is_finite() == false);
  REQUIRE(sqrt(Ball::exact(2.0), kPrec).overlaps(constant("1.414213562373095048801688724209698078570")));
  REQUIRE(exp(log(Ball::exact(10.0), kPrec), kPrec).contains(10.0));
  REQUIRE(pow(Ball::exact(10000.0), Ball::exact_ratio(-1, 4, kPrec), kPrec)
              .overlaps(Ball::from_decimal("0.1", kPrec)));
  REQUIRE(neg(Ball::exact(2.5)).contains(-2.5));
  REQUIRE(abs(Ball::exact(-2.5)).contains(2.5));
  REQUIRE(sqr(Ball::exact(-3.0), kPrec).contains(9.0));
  REQUIRE(mul_2exp(Ball::exact(3.0), -2).contains(0.75));
}

TEST_CASE("ball hull min max", "[ball]") {
  Ball a = Ball::from_bounds(1.0, 2.0);
  Ball b = Ball::from_bounds(5.0, 6.0);
  Ball h = hull(a, b, kPrec);
  REQUIRE(h.lower() <= 1.0);
  REQUIRE(h.upper() >= 6.0);
  REQUIRE(min(a, b, kPrec).upper() >= 2.0);
  REQUIRE(min(a, b, kPrec).upper() < 5.0);
  REQUIRE(max(a, b, kPrec).lower() <= 5.0);
  REQUIRE(max(a, b, kPrec).lower() > 2.0);
  REQUIRE_THROWS_AS(Ball::from_bounds(2.0, 1.0), std::invalid_argument);
}

TEST_CASE("cos and sin of 2^60", "[ball]") {
  Ball x = two_pow(60);
  Ball c = cos(x, kPrec);
  Ball s = sin(x, kPrec);
  REQUIRE(c.overlaps(constant("-0.5567960822766417036833989719013960287255")));
  REQUIRE(s.overlaps(constant("-0.8306492176372546505752817955815103010762")));
  REQUIRE(c.radius() < 1e-30);
  REQUIRE(s.radius() < 1e-30);
  Ball sine, cosine;
  sin_cos(sine, cosine, x, kPrec);
  REQUIRE(cosine.overlaps(c));
  REQUIRE(sine.overlaps(s));
}

TEST_CASE("cos and sin of 2^100 and 2^53 - 1", "[ball]") {
  REQUIRE(cos(two_pow(100), kPrec).overlaps(constant("0.4891786569747214499057893087513458846841")));
  REQUIRE(sin(two_pow(100), kPrec).overlaps(constant("-0.8721836054182673097807197782134705593243")));
  Ball m = Ball::exact((std::int64_t{1} << 53) - 1);
  REQUIRE(cos(m, kPrec).overlaps(constant("-0.9999027034384584063225459272318052248363")));
  REQUIRE(sin(m, kPrec).overlaps(constant("-0.01394932458803291084211667641363028080513")));
}

TEST_CASE("exp_i of huge argument", "[ball]") {
  ComplexBall z = exp_i(two_pow(60), kPrec);
  REQUIRE(z.real().overlaps(constant("-0.5567960822766417036833989719013960287255")));
  REQUIRE(z.imag().overlaps(constant("-0.8306492176372546505752817955815103010762")));
}

TEST_CASE("normal_cdf lower tail", "[ball]") {
  Ball p10 = normal_cdf(Ball::exact(-10.0), kPrec);
  REQUIRE(p10.overlaps(constant("7.619853024160526065973343251599308363504e-24")));
  REQUIRE(p10.relative_accuracy_bits() > 100);
  // Phi(-40) = 3.66e-350 is below the double range but not below the ball's.
  Ball p40 = normal_cdf(Ball::exact(-40.0), kPrec);
  REQUIRE(p40.overlaps(constant("3.655893540915029703748985802688283665054e-350")));
  REQUIRE(p40.relative_accuracy_bits() > 100);
  REQUIRE(normal_cdf(Ball::exact(-1.0), kPrec)
              .overlaps(constant("0.1586552539314570514147674543679620775221")));
}

TEST_CASE("normal_cdf upper tail and centre", "[ball]") {
  REQUIRE(normal_cdf(Ball::exact(0.0), kPrec).contains(0.5));
  REQUIRE(normal_cdf(Ball::exact(3.0), kPrec)
              .overlaps(constant("0.9986501019683699054733481852324050226222")));
  Ball p10 = normal_cdf(Ball::exact(10.0), kPrec);
  REQUIRE(p10.overlaps(constant("0.9999999999999999999999923801469758394739")));
  REQUIRE(is_true(less(p10, Ball::exact(1.0))));
  Ball p40 = normal_cdf(Ball::exact(40.0), kPrec);
  REQUIRE(p40.upper() >= 1.0);
  REQUIRE(p40.lower() > 0.999999);
}

TEST_CASE("erfc in both tails", "[ball]") {
  REQUIRE(erfc(Ball::exact(10.0), kPrec)
              .overlaps(constant("2.088487583762544757000786294957788611561e-45")));
  REQUIRE(erfc(Ball::exact(30.0), kPrec)
              .overlaps(constant("2.564656203756111600033397277501447146549e-393")));
  REQUIRE(erfc(Ball::exact(-1.0), kPrec)
              .overlaps(constant("1.842700792949714869341220635082609259296")));
}

TEST_CASE("tribool comparison of disjoint balls", "[ball]") {
  Ball low = Ball::from_bounds(1.0, 2.0);
  Ball high = Ball::from_bounds(3.0, 4.0);
  REQUIRE(less(low, high) == Tribool::True);
  REQUIRE(less(high, low) == Tribool::False);
  REQUIRE(greater(high, low) == Tribool::True);
  REQUIRE(greater_equal(low, high) == Tribool::False);
  REQUIRE(less_equal(low, high) == Tribool::True);
}

TEST_CASE("tribool comparison of overlapping balls", "[ball]") {
  Ball a = Ball::from_bounds(1.0, 3.0);
  Ball b = Ball::from_bounds(2.0, 4.0);
  REQUIRE(less(a, b) == Tribool::Unknown);
  REQUIRE(less(b, a) == Tribool::Unknown);
  REQUIRE(less_equal(a, b) == Tribool::Unknown);
  REQUIRE(greater(a, b) == Tribool::Unknown);
  REQUIRE(greater_equal(a, b) == Tribool::Unknown);
}

TEST_CASE("tribool comparison of touching balls", "[ball]") {
  // [1, 2] and [2, 3] share the point 2: x < y is open, x <= y is certain.
  Ball a = centred(1.5, -1);
  Ball b = centred(2.5, -1);
  REQUIRE(a.upper() == 2.0);
  REQUIRE(b.lower() == 2.0);
  REQUIRE(less(a, b) == Tribool::Unknown);
  REQUIRE(less_equal(a, b) == Tribool::True);
  REQUIRE(greater(a, b) == Tribool::False);
  REQUIRE(greater_equal(a, b) == Tribool::Unknown);
}

TEST_CASE("tribool comparison of equal exact balls", "[ball]") {
  Ball one = Ball::exact(1.0);
  REQUIRE(less(one, one) == Tribool::False);
  REQUIRE(less_equal(one, one) == Tribool::True);
  REQUIRE(greater(one, one) == Tribool::False);
  REQUIRE(greater_equal(one, one) == Tribool::True);
}

TEST_CASE("tribool comparison of equal inexact balls", "[ball]") {
  Ball third = Ball::exact_ratio(1, 3, kPrec);
  REQUIRE(less(third, third) == Tribool::Unknown);
  REQUIRE(less_equal(third, third) == Tribool::Unknown);
}

TEST_CASE("tribool logic", "[ball]") {
  REQUIRE(tribool_and(Tribool::True, Tribool::Unknown) == Tribool::Unknown);
  REQUIRE(tribool_and(Tribool::False, Tribool::Unknown) == Tribool::False);
  REQUIRE(tribool_or(Tribool::True, Tribool::Unknown) == Tribool::True);
  REQUIRE(tribool_or(Tribool::False, Tribool::Unknown) == Tribool::Unknown);
  REQUIRE(tribool_not(Tribool::Unknown) == Tribool::Unknown);
}

namespace {

// Both printed ends, parsed back, must enclose the ball.
void require_interval_string_encloses(const Ball& x, long digits) {
  std::string text = x.to_interval_string(digits);
  INFO("ball " << x.to_string(40) << " printed as " << text);
  REQUIRE(text.front() == '[');
  REQUIRE(text.back() == ']');
  std::size_t comma = text.find(", ");
  REQUIRE(comma != std::string::npos);
  Ball lower = Ball::from_decimal(text.substr(1, comma - 1), 1024);
  Ball upper = Ball::from_decimal(text.substr(comma + 2, text.size() - comma - 3), 1024);
  Ball ends = hull(lower, upper, 1024);
  REQUIRE(ends.contains(x));
}

}  // namespace

TEST_CASE("to_interval_string contains ball", "[ball]") {
  for (long digits : {3L, 6L, 17L, 30L}) {
    INFO("digits " << digits);
    require_interval_string_encloses(pi(kPrec), digits);
    require_interval_string_encloses(neg(pi(kPrec)), digits);
    require_interval_string_encloses(Ball::exact(0.1), digits);
    require_interval_string_encloses(Ball::exact(-0.1), digits);
    require_interval_string_encloses(Ball::from_bounds(-1e-300, 2e300), digits);
    require_interval_string_encloses(sub(Ball::exact(1.0), two_pow(-60), kPrec), digits);
    require_interval_string_encloses(normal_cdf(Ball::exact(-40.0), kPrec), digits);
  }
}

TEST_CASE("to_interval_string of exact integer", "[ball]") {
  REQUIRE(Ball::exact(std::int64_t{3}).to_interval_string(5) == "[3, 3]");
}

TEST_CASE("lower and upper round outward", "[ball]") {
  Ball third = Ball::exact_ratio(1, 3, kPrec);
  REQUIRE(third.lower() < third.upper());
  REQUIRE(is_true(less_equal(Ball::exact(third.lower()), third)));
  REQUIRE(is_true(greater_equal(Ball::exact(third.upper()), third)));
  Ball tiny = normal_cdf(Ball::exact(-40.0), kPrec);
  REQUIRE(tiny.lower() == 0.0);
  REQUIRE(tiny.upper() > 0.0);
}
