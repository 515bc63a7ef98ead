// Tests of the rotary schedules: exact enclosures against the mpmath oracle,
// the float32 mode against PyTorch bit patterns, and input validation.
//
// Data: tests/data/reference.json, from
//     /usr/bin/python3 tests/oracle/reference.py > tests/data/reference.json
// and tests/data/float32_frequencies.json, from
//     /usr/bin/python3 tests/oracle/float32_frequencies.py > tests/data/float32_frequencies.json

#include <catch2/catch.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <set>

#include "model/presets.hpp"
#include "model/schedule.hpp"
#include "reference_data.hpp"
#include "util/input_error.hpp"

using namespace ropecert;
using ropecert::testing::reference;
using ropecert::testing::reference_ball;
using ropecert::testing::schedule_from_json;

namespace {

std::string float32_hex(float value) {
  char text[16];
  std::snprintf(text, sizeof text, "%08x", std::bit_cast<std::uint32_t>(value));
  return text;
}

}  // namespace

TEST_CASE("oracle covers every preset", "[schedule]") {
  std::set<std::string> oracle_names;
  for (const auto& entry : reference().at("schedules")) oracle_names.insert(entry.at("name"));
  for (const std::string& name : model::preset_names()) {
    INFO("preset " << name);
    REQUIRE(oracle_names.count(name) == 1);
  }
}

TEST_CASE("exact frequencies contain oracle values", "[schedule]") {
  for (const auto& entry : reference().at("schedules")) {
    model::RopeSchedule schedule = schedule_from_json(entry);
    INFO("schedule " << schedule.name);
    REQUIRE(schedule.rotary_dim == entry.at("rotary_dim").get<int>());
    REQUIRE(schedule.base == entry.at("base").get<double>());
    REQUIRE(model::to_string(schedule.pairing) == entry.at("pairing").get<std::string>());

    for (interval::Precision prec : {64, 128, 256}) {
      model::FrequencyTable table = model::compute_frequencies(schedule, prec);
      const auto& theta = entry.at("theta");
      REQUIRE(table.theta.size() == theta.size());
      for (std::size_t n = 0; n < theta.size(); ++n) {
        INFO("precision " << prec << ", n = " << n << ", enclosure "
                          << table.theta[n].to_string(30) << ", oracle " << theta[n]);
        REQUIRE(table.theta[n].overlaps(reference_ball(theta[n])));
        REQUIRE(table.theta[n].relative_accuracy_bits() >= prec - 16);
      }
      INFO("attention factor " << table.attention_factor.to_string(30));
      REQUIRE(table.attention_factor.overlaps(
          reference_ball(entry.at("expected_attention_factor"))));
    }
  }
}

TEST_CASE("gpt-oss attention factor", "[schedule]") {
  // 0.1 ln(32) + 1 = 1.3465735902799726547..., logit factor its square.
  model::FrequencyTable table = model::compute_frequencies(model::preset("gpt-oss-20b"), 128);
  REQUIRE(table.attention_factor.overlaps(
      reference_ball("1.3465735902799726547086160607290882840377500671801")));
  REQUIRE(table.attention_factor.radius() < 1e-30);
}

TEST_CASE("llama3 band edges of llama-3.1-8b", "[schedule]") {
  // Pairs 0-28 keep the default frequency, 29-34 are blended, 35-63 are
  // divided by the factor 8.
  model::RopeSchedule llama = model::preset("llama-3.1-8b");
  model::RopeSchedule plain = llama;
  plain.scaling = model::Scaling{};
  model::FrequencyTable scaled = model::compute_frequencies(llama, 128);
  model::FrequencyTable unscaled = model::compute_frequencies(plain, 128);
  for (int n = 0; n < 64; ++n) {
    INFO("n = " << n);
    interval::Ball ratio = interval::div(unscaled.theta[n], scaled.theta[n], 128);
    if (n <= 28) {
      REQUIRE(ratio.contains(1.0));
    } else if (n <= 34) {
      REQUIRE(interval::is_true(interval::greater(ratio, interval::Ball::exact(1.0))));
      REQUIRE(interval::is_true(interval::less(ratio, interval::Ball::exact(8.0))));
    } else {
      REQUIRE(ratio.contains(8.0));
    }
  }
}

TEST_CASE("float32 frequencies match torch bits", "[schedule]") {
  const auto& data = ropecert::testing::load_json("float32_frequencies.json");
  for (const auto& entry : data.at("schedules")) {
    model::RopeSchedule schedule = schedule_from_json(entry);
    schedule.precision = model::PrecisionMode::Float32;
    std::vector<float> values = model::float32_frequencies(schedule);
    const auto& expected = entry.at("inv_freq_bits");
    INFO("schedule " << schedule.name);
    REQUIRE(values.size() == expected.size());
    for (std::size_t n = 0; n < values.size(); ++n) {
      INFO("n = " << n << ", value " << values[n]);
      REQUIRE(float32_hex(values[n]) == expected[n].get<std::string>());
    }
  }
}

TEST_CASE("float32 mode gives exact dyadic balls", "[schedule]") {
  model::RopeSchedule schedule = model::preset("llama-3.1-8b");
  schedule.precision = model::PrecisionMode::Float32;
  std::vector<float> values = model::float32_frequencies(schedule);
  model::FrequencyTable table = model::compute_frequencies(schedule, 128);
  REQUIRE(table.theta.size() == values.size());
  for (std::size_t n = 0; n < values.size(); ++n) {
    INFO("n = " << n);
    REQUIRE(table.theta[n].is_exact());
    REQUIRE(table.theta[n].contains(static_cast<double>(values[n])));
  }
  REQUIRE(table.attention_factor.is_exact());
  REQUIRE(table.attention_factor.contains(1.0));
}

TEST_CASE("float32 frequencies stay close to exact", "[schedule]") {
  for (const std::string& name : model::preset_names()) {
    model::RopeSchedule schedule = model::preset(name);
    model::FrequencyTable exact = model::compute_frequencies(schedule, 128);
    schedule.precision = model::PrecisionMode::Float32;
    std::vector<float> values = model::float32_frequencies(schedule);
    for (std::size_t n = 0; n < values.size(); ++n) {
      INFO("preset " << name << ", n = " << n);
      double relative = std::abs(values[n] / exact.theta[n].midpoint() - 1.0);
      REQUIRE(relative < 1e-5);
    }
  }
}

namespace {

model::RopeSchedule small_schedule() {
  model::RopeSchedule s;
  s.name = "test";
  s.rotary_dim = 8;
  s.base = 10000.0;
  return s;
}

}  // namespace

TEST_CASE("validate rejects odd dimension", "[schedule]") {
  model::RopeSchedule s = small_schedule();
  s.rotary_dim = 7;
  REQUIRE_THROWS_AS(model::validate(s), InputError);
  REQUIRE_THROWS_WITH(model::validate(s), Catch::Contains("7"));
}

TEST_CASE("validate rejects zero dimension", "[schedule]") {
  model::RopeSchedule s = small_schedule();
  s.rotary_dim = 0;
  REQUIRE_THROWS_AS(model::validate(s), InputError);
}

TEST_CASE("validate rejects base of one or less", "[schedule]") {
  for (double base : {1.0, 0.5, 0.0, -10.0}) {
    model::RopeSchedule s = small_schedule();
    s.base = base;
    INFO("base " << base);
    REQUIRE_THROWS_AS(model::validate(s), InputError);
  }
}

TEST_CASE("validate rejects non-finite base", "[schedule]") {
  for (double base : {std::numeric_limits<double>::quiet_NaN(),
                      std::numeric_limits<double>::infinity()}) {
    model::RopeSchedule s = small_schedule();
    s.base = base;
    INFO("base " << base);
    REQUIRE_THROWS_AS(model::validate(s), InputError);
  }
}

TEST_CASE("validate rejects bad scaling factor", "[schedule]") {
  for (double factor : {0.0, -2.0, std::numeric_limits<double>::quiet_NaN()}) {
    model::RopeSchedule s = small_schedule();
    s.scaling.kind = model::ScheduleKind::Linear;
    s.scaling.factor = factor;
    INFO("factor " << factor);
    REQUIRE_THROWS_AS(model::validate(s), InputError);
  }
}

TEST_CASE("validate rejects yarn without context", "[schedule]") {
  model::RopeSchedule s = small_schedule();
  s.scaling.kind = model::ScheduleKind::Yarn;
  s.scaling.factor = 4.0;
  s.scaling.original_context = 0;
  REQUIRE_THROWS_AS(model::validate(s), InputError);
}

TEST_CASE("validate rejects bad yarn betas", "[schedule]") {
  model::RopeSchedule s = small_schedule();
  s.scaling.kind = model::ScheduleKind::Yarn;
  s.scaling.factor = 4.0;
  s.scaling.original_context = 4096;
  s.scaling.beta_fast = -1.0;
  REQUIRE_THROWS_AS(model::validate(s), InputError);
}

TEST_CASE("validate rejects inverted llama3 factors", "[schedule]") {
  model::RopeSchedule s = small_schedule();
  s.scaling.kind = model::ScheduleKind::Llama3;
  s.scaling.factor = 8.0;
  s.scaling.original_context = 8192;
  s.scaling.low_freq_factor = 4.0;
  s.scaling.high_freq_factor = 1.0;
  REQUIRE_THROWS_AS(model::validate(s), InputError);
}

TEST_CASE("compute_frequencies validates first", "[schedule]") {
  model::RopeSchedule s = small_schedule();
  s.base = 1.0;
  REQUIRE_THROWS_AS(model::compute_frequencies(s, 128), InputError);
}

TEST_CASE("unknown preset lists known names", "[schedule]") {
  REQUIRE_THROWS_AS(model::preset("llama-9"), InputError);
  REQUIRE_THROWS_WITH(model::preset("llama-9"), Catch::Contains("llama-9"));
  REQUIRE_THROWS_WITH(model::preset("llama-9"), Catch::Contains("llama-3.1-8b"));
}

TEST_CASE("parsers reject unknown names", "[schedule]") {
  REQUIRE_THROWS_AS(model::parse_pairing("diagonal"), InputError);
  REQUIRE_THROWS_AS(model::parse_schedule_kind("longrope"), InputError);
  REQUIRE_THROWS_AS(model::parse_precision_mode("bf16"), InputError);
}

TEST_CASE("float32 pow regression at mistral pair 37", "[schedule][regression]") {
  // 1e6^(74/128) in float32: torch.pow (SLEEF powf u10) returns 2942.72705,
  // one ulp below the correctly rounded 2942.72729, so inv_freq[37] is
  // 0x39b229fb in PyTorch. A correctly rounded pow gave 0x39b229fa.
  std::vector<float> values = model::float32_frequencies(model::preset("mistral-7b-v0.3"));
  REQUIRE(values.size() == 64);
  REQUIRE(float32_hex(values[37]) == "39b229fb");
}
