#pragma once

// Test-only fault injection. With -DROPECERT_FAULT_INJECTION=ON a test can
// switch one deliberate bug on at run time, to show that the tests catch it;
// without the option `injected` is constant false and the hooks compile away.

namespace ropecert::fault {

enum class Fault {
  None,
  ShrinkRadius,       // RopeProduct::value returns its ball with the radius divided by 2^40
  FlipBoundRounding,  // window bounds rounded inward (Arb path) or without allowance (fast path)
  WindowOffByOne,     // window_kernel uses N + 1 distances in place of N
};

#ifdef ROPECERT_FAULT_INJECTION
inline Fault active = Fault::None;
inline bool injected(Fault fault) { return active == fault; }
#else
constexpr bool injected(Fault) { return false; }
#endif

}  // namespace ropecert::fault
