// Mutation checks: each injected fault must make a containment check fail.
// Built only with -DROPECERT_FAULT_INJECTION=ON; run with the tag [fault].

#ifdef ROPECERT_FAULT_INJECTION

#include "model/fast_window.hpp"
#include "oracle_checks.hpp"
#include "util/fault_injection.hpp"

using ropecert::fault::Fault;
using ropecert::testing::ArbBackend;

namespace {

struct InjectedFault {
  explicit InjectedFault(Fault fault) { ropecert::fault::active = fault; }
  ~InjectedFault() { ropecert::fault::active = Fault::None; }
};

// Window bounds of S(m) for every oracle distance, through one window path,
// that miss the oracle value. Cases whose fast error bound is not valid are
// left out of the Fast path; `evaluated` counts the distances checked.
int window_failures(ropecert::model::WindowMethod method, int& evaluated) {
  using namespace ropecert::testing;
  int failures = 0;
  evaluated = 0;
  for (const nlohmann::json& c : oracle_cases()) {
    ropecert::model::RopeProduct product(oracle_schedule(c.at("schedule")), oracle_input(c));
    if (method == ropecert::model::WindowMethod::Fast && !product.fast_window().bound_valid()) {
      continue;
    }
    const double scale = term_scale(c);
    const auto& ms = c.at("m");
    for (std::size_t i = 0; i < ms.size(); ++i) {
      const std::int64_t m = ms[i].get<std::int64_t>();
      ropecert::model::WindowEnclosures w = product.window(m, m + 1, 53, method);
      ++evaluated;
      const Interval truth = oracle_interval(c.at("S")[i].get<std::string>(), scale);
      if (!(w.lower[0] <= w.upper[0]) ||
          !Interval::bounds(w.lower[0], w.upper[0], 64).overlaps(truth)) {
        ++failures;
      }
    }
  }
  return failures;
}

}  // namespace

TEST_CASE("fault-free build passes the checks", "[fault]") {
  CHECK(ropecert::testing::logit_failures<ArbBackend>() == 0);
  CHECK(ropecert::testing::moment_failures<ArbBackend>() == 0);
}

TEST_CASE("shrunken radius is caught", "[fault]") {
  InjectedFault fault(Fault::ShrinkRadius);
  CHECK(ropecert::testing::logit_failures<ArbBackend>() > 0);
}

TEST_CASE("inward bound rounding is caught", "[fault]") {
  InjectedFault fault(Fault::FlipBoundRounding);
  CHECK(ropecert::testing::logit_failures<ArbBackend>() > 0);
}

// The automatic choice takes the fast path wherever it applies, so each
// path's hook is checked on its own: inward rounding on the Arb path, the
// dropped rounding allowance on the fast path.
TEST_CASE("inward rounding is caught on both paths", "[fault]") {
  using ropecert::model::WindowMethod;
  int arb_evaluated = 0;
  int fast_evaluated = 0;
  CHECK(window_failures(WindowMethod::Arb, arb_evaluated) == 0);
  CHECK(window_failures(WindowMethod::Fast, fast_evaluated) == 0);
  REQUIRE(arb_evaluated > 0);
  REQUIRE(fast_evaluated > 0);

  InjectedFault fault(Fault::FlipBoundRounding);
  CHECK(window_failures(WindowMethod::Arb, arb_evaluated) > 0);
  CHECK(window_failures(WindowMethod::Fast, fast_evaluated) > 0);
}

TEST_CASE("off-by-one window is caught", "[fault]") {
  InjectedFault fault(Fault::WindowOffByOne);
  CHECK(ropecert::testing::moment_failures<ArbBackend>() > 0);
}

#endif
