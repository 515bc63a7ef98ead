#pragma once

// The data behind each figure: certified values as outward-rounded binary64
// bounds, computed from the quantities of src/quantities. Plotting and file
// output live in figures.hpp, so these functions can be tested on their own.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/rope_product.hpp"
#include "quantities/moments.hpp"

namespace ropecert::plots {

using ProgressCallback = std::function<void(double done_fraction)>;

// A certified interval [lower, upper] of binary64 numbers.
struct Bounds {
  double lower = 0.0;
  double upper = 0.0;
};

Bounds to_bounds(const interval::Ball& ball);

// S(m) on [0, M) in bins of `bin_width` consecutive distances. Bin i covers
// [first[i], first[i] + bin_width) (the last bin may be shorter), and its
// bounds enclose every S(m) in it: lower is the minimum of the lower bounds,
// upper the maximum of the upper bounds. With bin_width 1 each bin is one m.
struct WaveformSeries {
  std::int64_t M = 0;
  std::int64_t bin_width = 1;
  std::vector<std::int64_t> first;
  std::vector<std::int64_t> last;  // inclusive
  std::vector<double> lower;
  std::vector<double> upper;
  Bounds mean;                  // mu_W for W = [0, M)
  Bounds variance;              // sigma_W^2
  Bounds band_low;              // mu_W - 3 sigma_W
  Bounds band_high;             // mu_W + 3 sigma_W
};

// Raises InputError unless 1 <= M <= kMaxPlotLength and max_bins >= 1.
WaveformSeries waveform_series(const model::RopeProduct& product, std::int64_t M,
                               std::int64_t max_bins, const ProgressCallback& progress = {});

// The histogram of S(m) for m uniform on [0, M), with counts certified as a
// range: an enclosure inside one bin counts as certain there, an enclosure
// that meets a bin counts as possible there. Bins are [edge[i], edge[i + 1])
// except the last, which also contains its upper edge.
struct HistogramSeries {
  std::int64_t M = 0;
  std::vector<double> edges;  // bins + 1 increasing binary64 numbers
  std::vector<std::uint64_t> certain;
  std::vector<std::uint64_t> possible;
  // Probability of each bin under the normal law with the exact window mean
  // and variance of [0, M): Phi((b - mu) / sigma) - Phi((a - mu) / sigma).
  std::vector<Bounds> normal_probability;
  Bounds mean;
  Bounds variance;
};

// Two passes over [0, M): the first finds the range of S, the second counts.
// Raises InputError unless 2 <= M <= kMaxPlotLength and 1 <= bins <= 10000.
HistogramSeries histogram_series(const model::RopeProduct& product, std::int64_t M, int bins,
                                 const ProgressCallback& progress = {});

// One point of an inversion curve.
struct InversionPoint {
  std::int64_t M = 0;
  Bounds inversion;          // P_inv(M) from exact pair counts
  Bounds normal_prediction;  // P_N(M)
  Bounds berry_esseen;       // E_BE(M); infinite bounds when lambda = 0
  int lambda = 0;
};

std::vector<InversionPoint> inversion_series(const model::RopeProduct& product,
                                             const std::vector<std::int64_t>& lengths,
                                             const ProgressCallback& progress = {});

// Up to `points` integers from `first` to `last` (both included), evenly
// spaced on a log axis, without repeats. Raises InputError unless
// 2 <= first <= last and points >= 1.
std::vector<std::int64_t> log_spaced_lengths(std::int64_t first, std::int64_t last, int points);

// The largest M for waveforms and histograms, as for position inversion.
// NOTE: a waveform of 2^17 distances took about 0.4 s of CPU on the
// development machine, so M near 2^31 would take hours; there is no lower cap.
constexpr std::int64_t kMaxPlotLength = std::int64_t{1} << 31;

}  // namespace ropecert::plots
