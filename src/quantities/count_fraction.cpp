#include "quantities/count_fraction.hpp"

#include "interval/ball.hpp"

namespace ropecert::quantities {

namespace {

interval::Ball ratio(std::uint64_t count, std::uint64_t total) {
  interval::Ball x, y, q;
  arb_set_ui(x.raw(), count);
  arb_set_ui(y.raw(), total);
  arb_div(q.raw(), x.raw(), y.raw(), 128);
  return q;
}

}  // namespace

double fraction_lower(std::uint64_t count, std::uint64_t total) {
  if (total == 0) return 0.0;
  return ratio(count, total).lower();
}

double fraction_upper(std::uint64_t count, std::uint64_t total) {
  if (total == 0) return 1.0;
  return ratio(count, total).upper();
}

}  // namespace ropecert::quantities
