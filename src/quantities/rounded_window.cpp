#include "quantities/rounded_window.hpp"

#include <algorithm>
#include <cmath>

#include "util/input_error.hpp"

namespace ropecert::quantities {

void check_length(std::int64_t M, const char* quantity) {
  if (M < 2 || M > kMaxFailureModeLength) {
    throw InputError("length M = " + std::to_string(M) + " is out of range for " + quantity +
                     "; give 2 <= M <= 2^31");
  }
}

model::WindowEnclosures window_bounds(const model::RopeProduct& product, std::int64_t M,
                                      const ProgressFraction& progress) {
  model::WindowEnclosures all;
  all.first = 0;
  all.lower.resize(M);
  all.upper.resize(M);
  const std::int64_t chunk = std::max<std::int64_t>(1 << 14, M / 100);
  for (std::int64_t start = 0; start < M; start += chunk) {
    const std::int64_t stop = std::min(M, start + chunk);
    model::WindowEnclosures part = product.window(start, stop, 53);
    std::copy(part.lower.begin(), part.lower.end(), all.lower.begin() + start);
    std::copy(part.upper.begin(), part.upper.end(), all.upper.begin() + start);
    if (progress) progress(static_cast<double>(stop) / M);
  }
  return all;
}

RoundedWindow round_enclosures(const model::WindowEnclosures& bounds, formats::Format format,
                               const std::function<Ball(std::int64_t, Precision)>& refine) {
  const std::int64_t M = static_cast<std::int64_t>(bounds.lower.size());
  RoundedWindow out;
  out.format = format;
  out.M = M;
  out.low.resize(M);
  out.high.resize(M);
  for (std::int64_t m = 0; m < M; ++m) {
    formats::RoundingDecision d =
        formats::decide_rounding(bounds.lower[m], bounds.upper[m], format);
    // A straddling double enclosure is re-evaluated at rising precision. An
    // exact enclosure on a boundary is decided at once by ties-to-even. An
    // inexact one that still straddles at 1024 bits is reported as undecided.
    if (!d.decided && refine) {
      ++out.refined_values;
      for (Precision prec = 128; prec <= kMaxRoundingPrecision; prec *= 2) {
        formats::RoundingDecision refined =
            formats::decide_rounding(refine(bounds.first + m, prec), format);
        out.max_precision = std::max(out.max_precision, prec);
        // Both ranges contain fl_F(S(m)), so their intersection does too.
        refined.low = std::max(refined.low, d.low);
        refined.high = std::min(refined.high, d.high);
        d = refined;
        if (refined.low == refined.high) d.decided = true;
        if (d.decided) break;
      }
      if (d.decided && d.low == 0.0) {
        d.low = 0.0;  // +0 for a zero of either sign
        d.high = 0.0;
      }
    }
    out.low[m] = d.low;
    out.high[m] = d.high;
    if (!d.decided) ++out.undecided_values;
    if (d.decided && std::isinf(d.low)) ++out.overflow_values;
  }
  return out;
}

RoundedWindow round_window(const model::RopeProduct& product, std::int64_t M,
                           formats::Format format, const ProgressFraction& progress) {
  model::WindowEnclosures bounds = window_bounds(product, M, [&](double f) {
    if (progress) progress(0.9 * f);
  });
  RoundedWindow out = round_enclosures(bounds, format, [&](std::int64_t m, Precision prec) {
    return product.value(m, prec);
  });
  if (progress) progress(1.0);
  return out;
}

}  // namespace ropecert::quantities
