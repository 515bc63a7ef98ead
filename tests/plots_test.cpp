// Series and figure files of `ropecert plot`: certified bounds that enclose
// direct evaluations, tables that match their CSV, aliasing maps that agree
// with a pair-by-pair count, and the aliasing and token figures from real data.

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/ensemble.hpp"
#include "model/presets.hpp"
#include "plots/aliasing_series.hpp"
#include "plots/figures.hpp"
#include "plots/series.hpp"
#include "quantities/aliasing.hpp"
#include "quantities/token_aliasing.hpp"
#include "quantities/token_inversion.hpp"
#include "util/input_error.hpp"

namespace {

using namespace ropecert;

model::RopeProduct sanity_product() {
  model::RopeSchedule schedule;
  schedule.rotary_dim = 8;
  schedule.base = 10000.0;
  model::QueryKey qk{{1, 0.5, -0.25, 2, 0.75, -1, 0.5, 0.125}, {0.5, 1, 1, -0.5, 0.25, 0.5, -2, 1}};
  return model::RopeProduct(schedule, qk);
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

std::filesystem::path fresh_directory(const std::string& name) {
  auto directory = std::filesystem::temp_directory_path() / ("ropecert_plots_test_" + name);
  std::filesystem::remove_all(directory);
  return directory;
}

// Checks the PNG signature, a size above a blank image's, and an SVG header.
void check_images(const plots::Figure& figure) {
  std::string png = read_text(figure.files.png());
  REQUIRE(png.size() > 4000);
  CHECK(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
  std::string svg = read_text(figure.files.svg());
  REQUIRE(svg.size() > 1000);
  CHECK((svg.rfind("<?xml", 0) == 0 || svg.rfind("<svg", 0) == 0));
}

}  // namespace

TEST_CASE("waveform bins enclose direct values", "[plots]") {
  auto product = sanity_product();
  auto series = plots::waveform_series(product, 1000, 100);
  REQUIRE(series.bin_width == 10);
  REQUIRE(series.first.size() == 100);
  for (std::int64_t m = 0; m < 1000; m += 37) {
    interval::Ball value = product.value(m, 128);
    std::size_t bin = static_cast<std::size_t>(m / 10);
    CHECK(series.lower[bin] <= value.lower());
    CHECK(series.upper[bin] >= value.upper());
  }
  // S(0) = -1.4375 exactly for these vectors (sum of a_n cos(phi_n)).
  CHECK(series.lower[0] <= -1.4375);
  CHECK(series.upper[0] >= -1.4375);
}

TEST_CASE("waveform mean band matches moments", "[plots]") {
  auto product = sanity_product();
  auto series = plots::waveform_series(product, 4096, 4096);
  CHECK(series.bin_width == 1);
  // mu_W and sigma_W^2 of W = [0, 4096), 50-digit reference values.
  CHECK(series.mean.lower <= 0.974000700960310961);
  CHECK(series.mean.upper >= 0.974000700960310961);
  CHECK(series.variance.lower <= 2.85385139175200489);
  CHECK(series.variance.upper >= 2.85385139175200489);
  double sigma = std::sqrt(2.85385139175200489);
  CHECK(series.band_low.lower <= 0.974000700960311 - 3 * sigma + 1e-12);
  CHECK(series.band_high.upper >= 0.974000700960311 + 3 * sigma - 1e-12);
}

TEST_CASE("histogram counts bracket every distance", "[plots]") {
  auto product = sanity_product();
  auto series = plots::histogram_series(product, 5000, 40);
  REQUIRE(series.edges.size() == 41);
  std::uint64_t certain = 0, possible = 0;
  for (std::size_t i = 0; i < 40; ++i) {
    CHECK(series.certain[i] <= series.possible[i]);
    certain += series.certain[i];
    possible += series.possible[i];
  }
  CHECK(certain <= 5000);
  CHECK(possible >= 5000);
  // Enclosures are narrow, so almost every value falls inside a single bin.
  CHECK(certain >= 4990);
  double probability = 0.0;
  for (const auto& p : series.normal_probability) probability += 0.5 * (p.lower + p.upper);
  CHECK(probability > 0.9);
  CHECK(probability <= 1.0 + 1e-12);
}

TEST_CASE("log spaced lengths", "[plots]") {
  auto lengths = plots::log_spaced_lengths(1024, 131072, 8);
  REQUIRE(lengths.size() == 8);
  CHECK(lengths.front() == 1024);
  CHECK(lengths.back() == 131072);
  CHECK(lengths[1] == 2048);
  CHECK(plots::log_spaced_lengths(4, 6, 10) == std::vector<std::int64_t>{4, 5, 6});
  CHECK_THROWS(plots::log_spaced_lengths(1, 10, 3));
}

TEST_CASE("table CSV and JSON agree", "[plots]") {
  plots::Table table{{"name", "value", "count"},
                     {{std::string("a,b"), 0.1, std::int64_t{-3}},
                      {std::string("c"), INFINITY, std::uint64_t{7}}}};
  CHECK(plots::to_csv(table) == "name,value,count\n\"a,b\",0.10000000000000001,-3\nc,inf,7\n");
  auto json = plots::to_json(table);
  CHECK(json[0]["value"].get<double>() == 0.1);
  CHECK(json[1]["value"] == "inf");
  CHECK(json[1]["count"] == 7);
}

namespace {

// The pairs of one or two rounded windows binned pair by pair, with the same
// classification as count_aliasing, for comparison with bin_aliasing_pairs.
plots::PairMap brute_force_map(const std::vector<const quantities::RoundedWindow*>& windows,
                               std::int64_t cell) {
  const std::int64_t M = windows[0]->M;
  const bool overflow_is_nan = formats::spec(windows[0]->format).overflow_is_nan;
  plots::PairMap map;
  map.M = M;
  map.cell = cell;
  map.cells = (M + cell - 1) / cell;
  map.counts.assign(static_cast<std::size_t>(map.cells * map.cells), 0);
  map.undecided = map.counts;
  auto excluded = [&](std::int64_t m) {
    for (const auto* w : windows) {
      if (w->decided(m) && overflow_is_nan && std::isinf(w->low[m])) return true;
    }
    return false;
  };
  for (std::int64_t a = 0; a < M; ++a) {
    for (std::int64_t b = a + 1; b < M; ++b) {
      if (excluded(a) || excluded(b)) continue;
      bool all_decided = true;
      bool certain = true;
      bool possible = true;
      for (const auto* w : windows) {
        all_decided = all_decided && w->decided(a) && w->decided(b);
        certain = certain && w->low[a] == w->low[b];
        possible = possible && !(w->high[a] < w->low[b] || w->high[b] < w->low[a]);
      }
      const auto index = static_cast<std::size_t>((a / cell) * map.cells + b / cell);
      if (all_decided && certain) {
        ++map.counts[index];
      } else if (!all_decided && possible) {
        ++map.undecided[index];
      }
    }
  }
  return map;
}

std::uint64_t total(const std::vector<std::uint64_t>& counts) {
  std::uint64_t sum = 0;
  for (std::uint64_t c : counts) sum += c;
  return sum;
}

// A query and two keys of rotary dimension 16 from the gaussian ensemble.
// With 8 significant bits, bf16 gives S(m) only a few hundred values here, so
// many distances alias.
quantities::TwoKeyProducts small_two_keys() {
  model::RopeSchedule schedule;
  schedule.rotary_dim = 16;
  schedule.base = 10000.0;
  model::QueryTwoKeys keys =
      model::ensemble_two_keys({model::EnsembleKind::Gaussian, 1, 0.0}, 0, 16);
  return quantities::make_two_key_products(schedule, keys.q, keys.k1, keys.k2);
}

}  // namespace

TEST_CASE("aliasing map matches pair count", "[plots]") {
  auto products = small_two_keys();
  const std::int64_t M = 700;
  for (formats::Format format : {formats::Format::Bf16, formats::Format::Fp8E4M3}) {
    auto one = quantities::round_window(*products.first, M, format);
    auto two = quantities::round_window(*products.second, M, format);
    for (std::int64_t cell : {1, 7, 64, 700}) {
      for (const auto& windows : std::vector<std::vector<const quantities::RoundedWindow*>>{
               {&one}, {&two}, {&one, &two}}) {
        INFO("format " << formats::to_string(format) << ", cell " << cell << ", "
                       << windows.size() << " window(s)");
        plots::PairMap map = plots::bin_aliasing_pairs(windows, cell);
        plots::PairMap expected = brute_force_map(windows, cell);
        CHECK(map.cells == expected.cells);
        CHECK(map.counts == expected.counts);
        CHECK(map.undecided == expected.undecided);
        quantities::AliasingCount count = quantities::count_aliasing(windows);
        CHECK(total(map.counts) == count.certain_pairs);
        CHECK(total(map.counts) + total(map.undecided) == count.possible_pairs);
      }
    }
    // Both formats alias often at d = 16, and fp8_e4m3 for both keys at once,
    // so the comparison above is not vacuous.
    INFO("format " << formats::to_string(format));
    CHECK(quantities::count_aliasing({&one}).certain_pairs > 100);
    if (format == formats::Format::Fp8E4M3) {
      CHECK(quantities::count_aliasing({&one, &two}).certain_pairs > 50);
    }
  }
}

TEST_CASE("aliasing map bins undecided pairs", "[plots]") {
  // Made-up rounded windows: distances 3 and 9 are undecided between 1 and 2,
  // distance 5 between 2 and 4, and the decided values repeat 1, 2, 3.
  quantities::RoundedWindow window;
  window.format = formats::Format::Bf16;
  window.M = 12;
  window.low = {1, 2, 3, 1, 2, 2, 3, 1, 2, 1, 2, 3};
  window.high = window.low;
  window.high[3] = 2;
  window.high[9] = 2;
  window.low[5] = 2;
  window.high[5] = 4;
  for (std::int64_t cell : {1, 4, 5}) {
    INFO("cell " << cell);
    plots::PairMap map = plots::bin_aliasing_pairs({&window}, cell);
    plots::PairMap expected = brute_force_map({&window}, cell);
    CHECK(map.counts == expected.counts);
    CHECK(map.undecided == expected.undecided);
    quantities::AliasingCount count = quantities::count_aliasing({&window});
    CHECK(total(map.counts) == count.certain_pairs);
    CHECK(total(map.counts) + total(map.undecided) == count.possible_pairs);
  }
  CHECK(total(plots::bin_aliasing_pairs({&window}, 1).undecided) > 0);
}

TEST_CASE("aliasing map rejects bad cells", "[plots]") {
  auto products = small_two_keys();
  CHECK_THROWS_AS(plots::aliasing_maps(*products.first, *products.second, 4096,
                                       formats::Format::Bf16, 0),
                  ropecert::InputError);
  // 4096 / 7 needs 586 cells per side, above the maximum of 512.
  CHECK_THROWS_AS(plots::aliasing_maps(*products.first, *products.second, 4096,
                                       formats::Format::Bf16, 7),
                  ropecert::InputError);
}

TEST_CASE("aliasing and token points match quantities", "[plots]") {
  auto products = small_two_keys();
  const std::int64_t M = 2000;
  plots::AliasingPoint point =
      plots::position_aliasing_point(*products.first, M, formats::Format::Fp16);
  quantities::AliasingCount count =
      quantities::position_aliasing(*products.first, M, formats::Format::Fp16);
  CHECK(point.M == M);
  CHECK(point.format == "fp16");
  CHECK(point.partner_fraction.lower == count.partner_fraction_lower());
  CHECK(point.partner_fraction.upper == count.partner_fraction_upper());
  CHECK(point.pairs.lower == static_cast<double>(count.certain_pairs));
  CHECK(point.pairs.upper == static_cast<double>(count.possible_pairs));

  plots::TokenPoint token = plots::token_point(products, M, formats::Format::Bf16);
  quantities::TokenInversion inversion = quantities::token_inversion(*products.difference, M);
  quantities::TokenAliasing aliasing =
      quantities::token_aliasing(products, M, formats::Format::Bf16);
  CHECK(token.inversion.lower == inversion.fraction_lower());
  CHECK(token.inversion.upper == inversion.fraction_upper());
  CHECK(token.normal_prediction.lower <= inversion.prediction.lower());
  CHECK(token.normal_prediction.upper >= inversion.prediction.upper());
  CHECK(token.aliasing.lower == static_cast<double>(aliasing.certain_equal));
  CHECK(token.aliasing.upper == static_cast<double>(aliasing.possible_equal));
  CHECK(token.inversion.lower > 0.0);
  CHECK(token.inversion.upper < 1.0);
}

TEST_CASE("aliasing figure kinds from real series", "[plots]") {
  auto directory = fresh_directory("aliasing");
  plots::FigureText text{"test figure", "d = 16, gaussian vectors", "ropecert plot (test)"};
  auto products = small_two_keys();
  const std::vector<std::int64_t> lengths{256, 1024, 4096};

  std::vector<plots::Curve<plots::AliasingPoint>> aliasing;
  for (formats::Format format : {formats::Format::Bf16, formats::Format::Fp16}) {
    plots::Curve<plots::AliasingPoint> curve{"B = 10000 " + formats::to_string(format), {}};
    for (std::int64_t M : lengths) {
      curve.points.push_back(plots::position_aliasing_point(*products.first, M, format));
    }
    aliasing.push_back(curve);
  }

  plots::AliasingMaps maps =
      plots::aliasing_maps(*products.first, *products.second, 256, formats::Format::Bf16, 16);

  std::vector<plots::Curve<plots::TokenPoint>> token{{"B = 10000", {}}};
  for (std::int64_t M : lengths) {
    token[0].points.push_back(plots::token_point(products, M, formats::Format::Bf16));
  }

  std::vector<plots::Figure> figures{
      plots::aliasing_figure(aliasing, text, {directory, "aliasing"}),
      plots::aliasing_map_figure(maps, text, {directory, "aliasing_map"}),
      plots::token_figure(token, text, {directory, "token"})};
  for (const plots::Figure& figure : figures) {
    plots::write_figure_files(figure);
    CHECK(read_text(figure.files.data()) == plots::to_csv(figure.data));
    CHECK(read_text(figure.files.script()).find(figure.files.stem + ".svg") != std::string::npos);
    if (plots::gnuplot_available()) {
      plots::render_figure(figure);
      check_images(figure);
    } else {
      WARN("gnuplot not on PATH: images of " << figure.kind << " not checked");
    }
  }
  CHECK(figures[0].data.rows.size() == 6);
  CHECK(figures[1].data.rows.size() == 3 * 256);
  CHECK(figures[2].data.rows.size() == 3);
}
