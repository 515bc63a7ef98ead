#pragma once

// Shared helpers of the unit tests: reading the oracle's JSON files and
// turning its 50-digit decimal strings into balls.
//
// tests/data/reference.json is generated from the repository root by
//     /usr/bin/python3 tests/oracle/reference.py > tests/data/reference.json
// and tests/data/float32_frequencies.json by
//     /usr/bin/python3 tests/oracle/float32_frequencies.py > tests/data/float32_frequencies.json

#include <fstream>
#include <map>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "interval/ball.hpp"
#include "model/presets.hpp"
#include "model/schedule.hpp"

namespace ropecert::testing {

using interval::Ball;

inline const nlohmann::json& load_json(const std::string& name) {
  static std::map<std::string, nlohmann::json> cache;
  auto found = cache.find(name);
  if (found != cache.end()) return found->second;
  std::ifstream in(std::string(ROPECERT_TEST_DATA) + "/" + name);
  if (!in) throw std::runtime_error("test data file " + name + " not found");
  return cache.emplace(name, nlohmann::json::parse(in)).first->second;
}

inline const nlohmann::json& reference() { return load_json("reference.json"); }

// The true value of an oracle decimal: the decimal itself is within 10^-49 of
// it in relative terms (50 significant digits, computed at 80), so the ball
// [x - 2^-155 |x|, x + 2^-155 |x|] (2^-155 ~ 2.2e-47) contains it.
inline Ball reference_ball(const std::string& text) {
  Ball value = Ball::from_decimal(text, 512);
  Ball error = interval::mul_2exp(interval::abs(value), -155);
  arb_add_error(value.raw(), error.raw());
  return value;
}

// The schedule an oracle entry describes. Presets come from the C++ preset
// table, so that a wrong number in it fails the comparison with the oracle.
inline model::RopeSchedule schedule_from_json(const nlohmann::json& entry) {
  const std::string name = entry.at("name");
  if (name.rfind("custom-", 0) != 0) return model::preset(name);

  model::RopeSchedule s;
  s.name = name;
  s.rotary_dim = entry.at("rotary_dim");
  s.base = entry.at("base");
  s.pairing = model::parse_pairing(entry.at("pairing"));
  s.scaling.kind = model::parse_schedule_kind(entry.value("kind", "default"));
  s.scaling.factor = entry.value("factor", 1.0);
  s.scaling.original_context = entry.value("original_context", std::int64_t{0});
  s.scaling.beta_fast = entry.value("beta_fast", 32.0);
  s.scaling.beta_slow = entry.value("beta_slow", 1.0);
  s.scaling.truncate = entry.value("truncate", true);
  s.scaling.low_freq_factor = entry.value("low_freq_factor", 1.0);
  s.scaling.high_freq_factor = entry.value("high_freq_factor", 4.0);
  if (entry.contains("mscale")) s.scaling.mscale = entry.at("mscale").get<double>();
  if (entry.contains("mscale_all_dim")) {
    s.scaling.mscale_all_dim = entry.at("mscale_all_dim").get<double>();
  }
  if (entry.contains("attention_factor")) {
    s.scaling.attention_factor = entry.at("attention_factor").get<double>();
  }
  return s;
}

// The oracle's schedule entry with this name.
inline const nlohmann::json& reference_schedule(const std::string& name) {
  for (const auto& entry : reference().at("schedules")) {
    if (entry.at("name") == name) return entry;
  }
  throw std::runtime_error("schedule " + name + " not in reference.json");
}

}  // namespace ropecert::testing
