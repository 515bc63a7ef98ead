#pragma once

// Checks of a backend against the mpmath oracle in
// tests/data/adversarial_oracle.json (made by
// tests/oracle/make_adversarial_oracle.py). Each returns the number of
// failures and reports each one with UNSCOPED_INFO, so the same functions
// serve the plain tests (expect 0) and the fault-injection tests (expect > 0).

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

#include "backend_adapters.hpp"

namespace ropecert::testing {

inline const nlohmann::json& oracle_cases() {
  static const nlohmann::json cases = [] {
    std::ifstream file(ROPECERT_SOURCE_DIR "/tests/data/adversarial_oracle.json");
    return nlohmann::json::parse(file).at("cases");
  }();
  return cases;
}

inline model::RopeSchedule oracle_schedule(const nlohmann::json& s) {
  model::RopeSchedule out;
  out.name = "oracle";
  out.rotary_dim = s.at("dim").get<int>();
  out.base = s.at("base").get<double>();
  out.pairing = model::parse_pairing(s.at("pairing").get<std::string>());
  out.scaling.kind = model::parse_schedule_kind(s.at("kind").get<std::string>());
  out.scaling.factor = s.value("factor", 1.0);
  out.scaling.original_context = s.value("original_context", std::int64_t{0});
  out.scaling.low_freq_factor = s.value("low_freq_factor", 1.0);
  out.scaling.high_freq_factor = s.value("high_freq_factor", 4.0);
  out.scaling.beta_fast = s.value("beta_fast", 32.0);
  out.scaling.beta_slow = s.value("beta_slow", 1.0);
  return out;
}

inline model::VectorInput oracle_input(const nlohmann::json& c) {
  if (c.contains("amplitude")) {
    return model::AmplitudePhase{c.at("amplitude").get<std::vector<double>>(),
                                 c.at("phase").get<std::vector<double>>()};
  }
  return model::QueryKey{c.at("q").get<std::vector<double>>(), c.at("k").get<std::vector<double>>()};
}

// The oracle value widened by 1e-45 of its own size and of the scale of the
// terms: the 50-digit text is within 1e-49 relative of the true value, far
// inside this margin. The relative part matters for tiny values, where
// scale * 1e-45 underflows to zero in binary64 (amplitudes near 1e-300).
inline Interval oracle_interval(const std::string& text, double scale) {
  Interval value = Interval::decimal(text, 256);
  Interval relative = mpfi_backend::mul(value, Interval::bounds(-1e-45, 1e-45, 256), 256);
  Interval margin = Interval::bounds(-scale * 1e-45, scale * 1e-45, 256);
  return mpfi_backend::add(mpfi_backend::add(value, relative, 256), margin, 256);
}

inline double term_scale(const nlohmann::json& c) {
  double scale = 0.0;
  if (c.contains("amplitude")) {
    for (double a : c.at("amplitude")) scale += std::abs(a);
  } else {
    for (double x : c.at("q")) scale = std::max(scale, std::abs(x));
    double k = 0.0;
    for (double x : c.at("k")) k = std::max(k, std::abs(x));
    scale *= k * static_cast<double>(c.at("q").size());
  }
  return scale > 0 ? scale : 1.0;
}

// S(m) at 53 and 128 bits, and the double bounds of the window evaluator,
// must meet the oracle value.
template <class Backend>
int logit_failures() {
  int failures = 0;
  for (const nlohmann::json& c : oracle_cases()) {
    typename Backend::Product product(oracle_schedule(c.at("schedule")), oracle_input(c));
    const double scale = term_scale(c);
    const auto& ms = c.at("m");
    for (std::size_t i = 0; i < ms.size(); ++i) {
      const std::int64_t m = ms[i].get<std::int64_t>();
      Interval truth = oracle_interval(c.at("S")[i].get<std::string>(), scale);
      for (long prec : {53L, 128L}) {
        Interval s = Backend::logit(product, m, prec);
        if (!s.overlaps(truth)) {
          ++failures;
          UNSCOPED_INFO(Backend::name << " " << c.at("name").get<std::string>() << " S(" << m
                                      << ") at " << prec << " bits: " << s.to_string(25)
                                      << " misses " << c.at("S")[i].get<std::string>());
        }
      }
      std::vector<double> lower, upper;
      Backend::window(product, m, m + 1, lower, upper);
      if (!(lower[0] <= upper[0]) || !Interval::bounds(lower[0], upper[0], 64).overlaps(truth)) {
        ++failures;
        UNSCOPED_INFO(Backend::name << " " << c.at("name").get<std::string>()
                                    << " window bounds of S(" << m << "): [" << lower[0] << ", "
                                    << upper[0] << "] miss " << c.at("S")[i].get<std::string>());
      }
    }
  }
  return failures;
}

// Window mean and variance must meet the oracle's brute-force values.
template <class Backend>
int moment_failures() {
  int failures = 0;
  for (const nlohmann::json& c : oracle_cases()) {
    typename Backend::Product product(oracle_schedule(c.at("schedule")), oracle_input(c));
    const nlohmann::json& w = c.at("window");
    const double scale = term_scale(c);
    MomentsResult m = Backend::moments(product, w.at("first").get<std::int64_t>(),
                                       w.at("end").get<std::int64_t>());
    if (!m.mean.overlaps(oracle_interval(w.at("mean").get<std::string>(), scale))) {
      ++failures;
      UNSCOPED_INFO(Backend::name << " " << c.at("name").get<std::string>() << " mean "
                                  << m.mean.to_string(25) << " misses " << w.at("mean"));
    }
    if (!m.variance.overlaps(oracle_interval(w.at("variance").get<std::string>(), scale * scale))) {
      ++failures;
      UNSCOPED_INFO(Backend::name << " " << c.at("name").get<std::string>() << " variance "
                                  << m.variance.to_string(25) << " misses " << w.at("variance"));
    }
  }
  return failures;
}

// S(m1) < S(m2) decided against the oracle: a comparison the oracle says is
// false must never come out True, and one it says is true never False.
template <class Backend>
int order_violations(int* decided = nullptr) {
  int violations = 0;
  for (const nlohmann::json& c : oracle_cases()) {
    typename Backend::Product product(oracle_schedule(c.at("schedule")), oracle_input(c));
    const auto& ms = c.at("m");
    std::vector<Interval> values;
    for (const auto& m : ms) values.push_back(Backend::logit(product, m.get<std::int64_t>(), 128));
    for (std::size_t i = 0; i < ms.size(); ++i) {
      for (std::size_t j = 0; j < ms.size(); ++j) {
        const bool truth = c.at("less")[i][j].get<bool>();
        interval::Tribool t = mpfi_backend::less(values[i], values[j]);
        if (decided && t != interval::Tribool::Unknown) ++*decided;
        if ((t == interval::Tribool::True && !truth) || (t == interval::Tribool::False && truth)) {
          ++violations;
          UNSCOPED_INFO(Backend::name << " " << c.at("name").get<std::string>() << " S(" << ms[i]
                                      << ") < S(" << ms[j] << ") decided wrongly");
        }
      }
    }
  }
  return violations;
}

}  // namespace ropecert::testing
