#include "plots/series.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "quantities/inversion.hpp"
#include "quantities/normal_prediction.hpp"
#include "util/input_error.hpp"

namespace ropecert::plots {

namespace {

using interval::Ball;

// Working precision of the window evaluator: binary64 bounds are all a figure
// needs, and RopeProduct::window adds the guard bits for large m itself.
constexpr interval::Precision kWindowPrecision = 53;
constexpr interval::Precision kMomentPrecision = 128;

// Distances evaluated per call of RopeProduct::window, so that memory stays
// bounded and a terminal can show progress.
constexpr std::int64_t kChunk = std::int64_t{1} << 16;

void check_length(std::int64_t M, std::int64_t minimum, const char* what) {
  if (M < minimum || M > kMaxPlotLength) {
    throw InputError("length M = " + std::to_string(M) + " is out of range for the " + what +
                     "; give " + std::to_string(minimum) + " <= M <= 2^31");
  }
}

// Calls `visit(enclosures)` for consecutive chunks of [0, M).
template <typename Visit>
void for_each_chunk(const model::RopeProduct& product, std::int64_t M, const ProgressCallback& progress,
                    double progress_start, double progress_share, Visit visit) {
  for (std::int64_t start = 0; start < M; start += kChunk) {
    std::int64_t stop = std::min(M, start + kChunk);
    model::WindowEnclosures part = product.window(start, stop, kWindowPrecision);
    visit(part);
    if (progress) progress(progress_start + progress_share * static_cast<double>(stop) / M);
  }
}

// mu - 3 sigma and mu + 3 sigma of the exact moments, outward.
void three_sigma_band(const quantities::WindowMoments& moments, Bounds& low, Bounds& high) {
  Ball sigma = interval::sqrt(moments.variance, kMomentPrecision);
  Ball spread = interval::mul(Ball::exact(3.0), sigma, kMomentPrecision);
  low = to_bounds(interval::sub(moments.mean, spread, kMomentPrecision));
  high = to_bounds(interval::add(moments.mean, spread, kMomentPrecision));
}

}  // namespace

Bounds to_bounds(const Ball& ball) { return Bounds{ball.lower(), ball.upper()}; }

WaveformSeries waveform_series(const model::RopeProduct& product, std::int64_t M,
                               std::int64_t max_bins, const ProgressCallback& progress) {
  check_length(M, 1, "waveform");
  if (max_bins < 1) {
    throw InputError("number of bins " + std::to_string(max_bins) + " is invalid; give at least 1");
  }
  WaveformSeries out;
  out.M = M;
  out.bin_width = (M + max_bins - 1) / max_bins;
  const std::int64_t bins = (M + out.bin_width - 1) / out.bin_width;
  out.first.resize(bins);
  out.last.resize(bins);
  out.lower.assign(bins, std::numeric_limits<double>::infinity());
  out.upper.assign(bins, -std::numeric_limits<double>::infinity());
  for (std::int64_t i = 0; i < bins; ++i) {
    out.first[i] = i * out.bin_width;
    out.last[i] = std::min(M, (i + 1) * out.bin_width) - 1;
  }

  for_each_chunk(product, M, progress, 0.0, 1.0, [&](const model::WindowEnclosures& part) {
    for (std::size_t j = 0; j < part.lower.size(); ++j) {
      std::int64_t bin = (part.first + static_cast<std::int64_t>(j)) / out.bin_width;
      out.lower[bin] = std::min(out.lower[bin], part.lower[j]);
      out.upper[bin] = std::max(out.upper[bin], part.upper[j]);
    }
  });

  quantities::WindowMoments moments = quantities::window_moments(product, {0, M});
  out.mean = to_bounds(moments.mean);
  out.variance = to_bounds(moments.variance);
  three_sigma_band(moments, out.band_low, out.band_high);
  return out;
}

HistogramSeries histogram_series(const model::RopeProduct& product, std::int64_t M, int bins,
                                 const ProgressCallback& progress) {
  check_length(M, 2, "histogram");
  if (bins < 1 || bins > 10000) {
    throw InputError("number of bins " + std::to_string(bins) + " is invalid; give 1 to 10000");
  }

  // Pass 1: the range of S over [0, M), from the outward bounds.
  double minimum = std::numeric_limits<double>::infinity();
  double maximum = -std::numeric_limits<double>::infinity();
  for_each_chunk(product, M, progress, 0.0, 0.5, [&](const model::WindowEnclosures& part) {
    minimum = std::min(minimum, *std::min_element(part.lower.begin(), part.lower.end()));
    maximum = std::max(maximum, *std::max_element(part.upper.begin(), part.upper.end()));
  });

  if (!(maximum > minimum)) {
    // A constant S (every amplitude zero): give the single value a unit-wide bin.
    minimum -= 0.5;
    maximum += 0.5;
  }

  HistogramSeries out;
  out.M = M;
  out.edges.resize(bins + 1);
  const double width = (maximum - minimum) / bins;
  for (int i = 0; i <= bins; ++i) out.edges[i] = minimum + width * i;
  out.edges[bins] = maximum;  // the rounded sum may fall short of it
  out.certain.assign(bins, 0);
  out.possible.assign(bins, 0);

  // The bin holding x: the last i with edges[i] <= x, clamped to the last bin
  // (which is closed at the top).
  auto bin_of = [&](double x) -> int {
    auto it = std::upper_bound(out.edges.begin(), out.edges.end(), x);
    int index = static_cast<int>(it - out.edges.begin()) - 1;
    return std::clamp(index, 0, bins - 1);
  };

  // Pass 2: an enclosure [lo, hi] is certainly in the bin of lo when the bin
  // of hi is the same, and possibly in every bin from bin_of(lo) to bin_of(hi).
  for_each_chunk(product, M, progress, 0.5, 0.5, [&](const model::WindowEnclosures& part) {
    for (std::size_t j = 0; j < part.lower.size(); ++j) {
      int from = bin_of(part.lower[j]);
      int to = bin_of(part.upper[j]);
      if (from == to) ++out.certain[from];
      for (int b = from; b <= to; ++b) ++out.possible[b];
    }
  });

  quantities::WindowMoments moments = quantities::window_moments(product, {0, M});
  out.mean = to_bounds(moments.mean);
  out.variance = to_bounds(moments.variance);
  const auto prec = kMomentPrecision;
  Ball sigma = interval::sqrt(moments.variance, prec);
  auto cdf_at = [&](double edge) {
    Ball z = interval::div(interval::sub(Ball::exact(edge), moments.mean, prec), sigma, prec);
    return interval::normal_cdf(z, prec);
  };
  Ball below = cdf_at(out.edges[0]);
  for (int i = 0; i < bins; ++i) {
    Ball above = cdf_at(out.edges[i + 1]);
    out.normal_probability.push_back(to_bounds(interval::sub(above, below, prec)));
    below = above;
  }
  return out;
}

std::vector<InversionPoint> inversion_series(const model::RopeProduct& product,
                                             const std::vector<std::int64_t>& lengths,
                                             const ProgressCallback& progress) {
  // Work grows like M log M, so progress is weighted by M.
  double total = 0.0;
  for (std::int64_t M : lengths) total += static_cast<double>(M);
  double done = 0.0;

  std::vector<InversionPoint> out;
  for (std::int64_t M : lengths) {
    auto report = [&](double fraction) {
      if (progress) progress((done + fraction * static_cast<double>(M)) / total);
    };
    quantities::InversionCount count = quantities::position_inversion(product, M, report);
    quantities::NormalPrediction prediction = quantities::normal_prediction(product, M);
    quantities::BerryEsseen be = quantities::berry_esseen(product, M);

    InversionPoint point;
    point.M = M;
    point.inversion = Bounds{count.fraction_lower(), count.fraction_upper()};
    point.normal_prediction = to_bounds(prediction.probability);
    point.berry_esseen = to_bounds(be.value);
    point.lambda = be.lambda;
    out.push_back(point);
    done += static_cast<double>(M);
    if (progress) progress(done / total);
  }
  return out;
}

std::vector<std::int64_t> log_spaced_lengths(std::int64_t first, std::int64_t last, int points) {
  if (first < 2 || last < first || points < 1) {
    throw InputError("length range [" + std::to_string(first) + ", " + std::to_string(last) +
                     "] with " + std::to_string(points) +
                     " points is invalid; give 2 <= first <= last and at least 1 point");
  }
  std::vector<std::int64_t> out;
  if (points == 1 || first == last) return {last};
  const double ratio = std::log(static_cast<double>(last) / static_cast<double>(first));
  for (int i = 0; i < points; ++i) {
    double value = static_cast<double>(first) * std::exp(ratio * i / (points - 1));
    std::int64_t M = std::clamp<std::int64_t>(std::llround(value), first, last);
    if (out.empty() || M > out.back()) out.push_back(M);
  }
  out.back() = last;
  return out;
}

}  // namespace ropecert::plots
