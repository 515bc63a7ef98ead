// Mutation checks: each injected fault must make a containment check fail.
// Built only with -DROPECERT_FAULT_INJECTION=ON; run with the tag [fault].

#ifdef ROPECERT_FAULT_INJECTION

#include "oracle_checks.hpp"
#include "util/fault_injection.hpp"

using ropecert::fault::Fault;
using ropecert::testing::ArbBackend;

namespace {

struct InjectedFault {
  explicit InjectedFault(Fault fault) { ropecert::fault::active = fault; }
  ~InjectedFault() { ropecert::fault::active = Fault::None; }
};

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

TEST_CASE("off-by-one window is caught", "[fault]") {
  InjectedFault fault(Fault::WindowOffByOne);
  CHECK(ropecert::testing::moment_failures<ArbBackend>() > 0);
}

#endif
