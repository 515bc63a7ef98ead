// Series and figure files of `ropecert plot`: certified bounds that enclose
// direct evaluations, tables that match their CSV, and the figure kinds whose
// quantities are not in the build yet, drawn from synthetic series.

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/presets.hpp"
#include "plots/figures.hpp"
#include "plots/series.hpp"

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

// The aliasing and token figures are drawn here from made-up series, so that
// their files are tested before the quantities they plot are in the build.
TEST_CASE("aliasing figure kinds from synthetic series", "[plots]") {
  auto directory = fresh_directory("aliasing");
  plots::FigureText text{"synthetic", "made-up values", "ropecert plot (test)"};

  std::vector<plots::Curve<plots::AliasingPoint>> aliasing;
  for (const char* format : {"bf16", "fp16"}) {
    plots::Curve<plots::AliasingPoint> curve{std::string("B = 10000, ") + format, {}};
    for (std::int64_t M : {1024, 4096, 16384}) {
      double f = 1.0 - 512.0 / M / (format[0] == 'b' ? 1 : 4);
      curve.points.push_back({M, format, {f - 1e-3, f}, {M * f, M * f}});
    }
    aliasing.push_back(curve);
  }

  plots::AliasingMaps maps;
  maps.format = "bf16";
  for (plots::PairMap* map : {&maps.first_key, &maps.second_key, &maps.both_keys}) {
    map->M = 256;
    map->cell = 16;
    map->cells = 16;
    map->counts.assign(256, 0);
    map->undecided.assign(256, 0);
    for (int i = 0; i < 16; ++i) {
      for (int j = i; j < 16; ++j) map->counts[i * 16 + j] = (i * 7 + j * 3) % 11;
    }
  }

  std::vector<plots::Curve<plots::TokenPoint>> token;
  for (double base : {10000.0, 500000.0}) {
    plots::Curve<plots::TokenPoint> curve{"B = " + std::to_string(static_cast<int>(base)), {}};
    for (std::int64_t M : {1024, 4096, 16384}) {
      double t = 0.5 * M / (M + base);
      curve.points.push_back({M, {t, t + 1e-3}, {t, t}, "bf16", {M * 0.01, M * 0.01 + 2}});
    }
    token.push_back(curve);
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
  CHECK(figures[2].data.rows.size() == 6);
}
