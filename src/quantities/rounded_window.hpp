#pragma once

// fl_F(S(m)) for every m in [0, M): the stored value of each logit in a
// storage format, decided from certified enclosures.

#include <cstdint>
#include <functional>
#include <vector>

#include "formats/storage_format.hpp"
#include "model/rope_product.hpp"

namespace ropecert::quantities {

using interval::Ball;
using interval::Precision;

using ProgressFraction = std::function<void(double done_fraction)>;

struct RoundedWindow {
  formats::Format format = formats::Format::Bf16;
  std::int64_t M = 0;
  // For each m: fl_F(S(m)) when low[m] == high[m] (a zero is +0, an overflow
  // +-infinity); otherwise S(m) stays on a rounding boundary at every
  // precision tried and fl_F(S(m)) is some format value in [low[m], high[m]].
  std::vector<double> low;
  std::vector<double> high;
  std::uint64_t refined_values = 0;    // distances re-evaluated with value(m, prec)
  std::uint64_t undecided_values = 0;  // distances still undecided at 1024 bits
  std::uint64_t overflow_values = 0;   // decided distances that overflow the format
  Precision max_precision = 53;        // highest precision any distance needed

  bool decided(std::int64_t m) const { return low[m] == high[m]; }
};

// The highest precision, in bits, at which a value on a rounding boundary is
// re-evaluated before it is reported as undecided.
constexpr Precision kMaxRoundingPrecision = 1024;

// Computes the enclosures with RopeProduct::window in chunks, decides each
// rounding from the double bounds, and re-evaluates the distances whose
// bounds straddle a rounding boundary at 128, 256, 512 and 1024 bits.
RoundedWindow round_window(const model::RopeProduct& product, std::int64_t M,
                           formats::Format format, const ProgressFraction& progress = {});

// The double enclosures of S(m) for m in [0, M), computed in chunks.
model::WindowEnclosures window_bounds(const model::RopeProduct& product, std::int64_t M,
                                      const ProgressFraction& progress = {});

// Rounds enclosures already computed; `refine(m, prec)` returns an enclosure
// of S(m) at precision prec. Exposed for tests.
RoundedWindow round_enclosures(const model::WindowEnclosures& bounds, formats::Format format,
                               const std::function<Ball(std::int64_t, Precision)>& refine);

// Raises InputError unless 2 <= M <= kMaxFailureModeLength.
void check_length(std::int64_t M, const char* quantity);

// The largest M the failure-mode counts accept (memory: about 40 bytes per distance).
constexpr std::int64_t kMaxFailureModeLength = std::int64_t{1} << 31;

}  // namespace ropecert::quantities
