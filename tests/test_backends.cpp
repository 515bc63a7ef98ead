// The same checks against both backends (Arb and the independent MPFI one):
// the public sanity values, huge distances, closed-form moments against
// brute-force sums, inversion counts against brute force, and agreement of
// the two backends on each quantity.

#include <catch2/catch.hpp>

#include <cmath>

#include "backend_adapters.hpp"

using namespace ropecert;
using ropecert::testing::ArbBackend;
using ropecert::testing::Interval;
using ropecert::testing::MpfiBackend;

namespace {

model::RopeSchedule sanity_schedule() {
  model::RopeSchedule s;
  s.name = "sanity d=8";
  s.rotary_dim = 8;
  s.base = 10000.0;
  return s;
}

model::QueryKey sanity_vectors() {
  return {{1, 0.5, -0.25, 2, 0.75, -1, 0.5, 0.125}, {0.5, 1, 1, -0.5, 0.25, 0.5, -2, 1}};
}

model::RopeSchedule llama31() {
  model::RopeSchedule s;
  s.name = "llama3 d=16";
  s.rotary_dim = 16;
  s.base = 500000.0;
  s.scaling.kind = model::ScheduleKind::Llama3;
  s.scaling.factor = 8.0;
  s.scaling.original_context = 8192;
  return s;
}

// The decimal value given to `digits` digits after the point, as an interval
// that contains the true value.
Interval rounded_value(const char* text, int digits) {
  double half_unit = 0.5 * std::pow(10.0, -digits) * (1 + 1e-9);
  return mpfi_backend::add(Interval::decimal(text, 256),
                           Interval::bounds(-half_unit, half_unit, 256), 256);
}

}  // namespace

TEMPLATE_TEST_CASE("backend sanity values", "[backend]", ArbBackend, MpfiBackend) {
  typename TestType::Product product(sanity_schedule(), sanity_vectors());
  // The reference values are rounded to 29 digits after the point.
  const std::vector<std::pair<std::int64_t, const char*>> values = {
      {0, "-1.4375"},
      {1, "-1.73180883037272385560484200657"},
      {1000, "1.96192742087338935183215984321"},
      {123456789, "-2.16726761241503490927663979861"}};
  for (auto [m, text] : values) {
    Interval s = TestType::logit(product, m, 128);
    INFO(TestType::name << " S(" << m << ") = " << s.to_string(35));
    CHECK(s.overlaps(rounded_value(text, 29)));
    CHECK(s.width() < 1e-28);
  }
  ropecert::testing::MomentsResult w = TestType::moments(product, 0, 4096);
  INFO(TestType::name << " mu = " << w.mean.to_string(35) << ", var = " << w.variance.to_string(35));
  CHECK(w.mean.overlaps(rounded_value("0.974000700960310961343673049183", 30)));
  CHECK(w.variance.overlaps(rounded_value("2.85385139175200489300518562", 26)));
  CHECK(w.mean.width() < 1e-10);
  CHECK(w.variance.width() < 1e-10);
}

TEMPLATE_TEST_CASE("backend huge distances stay narrow", "[backend]", ArbBackend, MpfiBackend) {
  const model::QueryKey vectors{std::vector<double>(16, 0.5), std::vector<double>(16, -0.25)};
  typename TestType::Product product(llama31(), vectors);
  model::RopeProduct arb(llama31(), vectors);
  mpfi_backend::Product mpfi(llama31(), vectors);
  for (std::int64_t m : {std::int64_t{1} << 40, (std::int64_t{1} << 52) + 12345,
                         (std::int64_t{1} << 53) - 1}) {
    Interval s = TestType::logit(product, m, 128);
    INFO(TestType::name << " m = " << m << ": " << s.to_string(30));
    CHECK(s.width() < 1e-25);
    CHECK(s.overlaps(ropecert::testing::from_ball(arb.value(m, 200))));
    CHECK(s.overlaps(mpfi.logit(m, 200)));
  }
}

TEMPLATE_TEST_CASE("backend moments match brute force", "[backend]", ArbBackend, MpfiBackend) {
  for (auto [first, end] : {std::pair<std::int64_t, std::int64_t>{0, 257}, {1000, 1300},
                            {(std::int64_t{1} << 40), (std::int64_t{1} << 40) + 100}}) {
    typename TestType::Product product(llama31(), ropecert::testing::gaussian_vectors(16, 7));
    // Brute force: (1/N) sum S(m) and (1/N) sum S(m)^2 - mean^2 from enclosures of each S(m).
    Interval sum(256), squares(256);
    for (std::int64_t m = first; m < end; ++m) {
      Interval s = TestType::logit(product, m, 128);
      sum = mpfi_backend::add(sum, s, 256);
      squares = mpfi_backend::add(squares, mpfi_backend::sqr(s, 256), 256);
    }
    Interval mean = mpfi_backend::div(sum, Interval::integer(end - first, 256), 256);
    Interval variance = mpfi_backend::sub(
        mpfi_backend::div(squares, Interval::integer(end - first, 256), 256),
        mpfi_backend::sqr(mean, 256), 256);
    ropecert::testing::MomentsResult closed = TestType::moments(product, first, end);
    INFO(TestType::name << " W = [" << first << ", " << end << "): closed "
                        << closed.mean.to_string() << " " << closed.variance.to_string()
                        << ", brute " << mean.to_string() << " " << variance.to_string());
    CHECK(closed.mean.overlaps(mean));
    CHECK(closed.variance.overlaps(variance));
    CHECK(closed.mean.width() < 1e-9);
  }
}

TEMPLATE_TEST_CASE("backend inversion matches brute force", "[backend]", ArbBackend, MpfiBackend) {
  const model::VectorInput vectors = ropecert::testing::gaussian_vectors(16, 3);
  typename TestType::Product product(llama31(), vectors);
  mpfi_backend::Product reference(llama31(), vectors);
  const std::int64_t M = 300, half = M / 2;
  std::vector<Interval> values;
  for (std::int64_t m = 0; m < M; ++m) values.push_back(reference.logit(m, 200));
  std::uint64_t less = 0;
  for (std::int64_t i = 0; i < half; ++i) {
    for (std::int64_t j = half; j < M; ++j) {
      interval::Tribool t = mpfi_backend::less(values[i], values[j]);
      REQUIRE(t != interval::Tribool::Unknown);
      less += t == interval::Tribool::True;
    }
  }
  ropecert::testing::CountResult count = TestType::inversion(product, M);
  CHECK(count.total == static_cast<std::uint64_t>(half * (M - half)));
  CHECK(count.certain == less);
  CHECK(count.possible == less);
}

TEMPLATE_TEST_CASE("backend split and normal prediction agree", "[backend]", ArbBackend,
                   MpfiBackend) {
  const model::VectorInput vectors = ropecert::testing::gaussian_vectors(16, 5);
  typename TestType::Product product(llama31(), vectors);
  model::RopeProduct arb(llama31(), vectors);
  mpfi_backend::Product mpfi(llama31(), vectors);
  for (std::int64_t M : {16, 4096, 131072, 1 << 30}) {
    ropecert::testing::SplitResult split = TestType::split(product, M);
    ropecert::testing::SplitResult other = MpfiBackend::split(mpfi, M);
    ropecert::testing::SplitResult arb_split = ArbBackend::split(arb, M);
    CHECK(split.lambda == other.lambda);
    CHECK(split.lambda == arb_split.lambda);
    CHECK(split.mean.overlaps(other.mean));
    CHECK(split.variance.overlaps(arb_split.variance));
    Interval normal = TestType::normal(product, M);
    CHECK(normal.overlaps(ArbBackend::normal(arb, M)));
    CHECK(normal.overlaps(MpfiBackend::normal(mpfi, M)));
    CHECK(normal.width() < 1e-9);
    Interval be = TestType::berry_esseen(product, M);
    CHECK(be.overlaps(ArbBackend::berry_esseen(arb, M)));
  }
}
