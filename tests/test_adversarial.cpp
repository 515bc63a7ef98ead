// Random cases with fixed seeds against the 50-digit mpmath oracle: schedules,
// pairings, distances up to 2^53 - 1, tiny and huge amplitudes, near-ties.

#include "oracle_checks.hpp"

using ropecert::testing::ArbBackend;
using ropecert::testing::MpfiBackend;

TEMPLATE_TEST_CASE("oracle logits inside enclosures", "[adversarial]", ArbBackend, MpfiBackend) {
  REQUIRE(ropecert::testing::oracle_cases().size() >= 40);
  CHECK(ropecert::testing::logit_failures<TestType>() == 0);
}

TEMPLATE_TEST_CASE("oracle moments inside enclosures", "[adversarial]", ArbBackend, MpfiBackend) {
  CHECK(ropecert::testing::moment_failures<TestType>() == 0);
}

TEMPLATE_TEST_CASE("oracle-false order never proved", "[adversarial]", ArbBackend, MpfiBackend) {
  int decided = 0;
  CHECK(ropecert::testing::order_violations<TestType>(&decided) == 0);
  // The check has teeth only if most comparisons are decided.
  CHECK(decided > 1000);
}
