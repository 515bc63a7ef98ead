#pragma once

// Figures: the series of series.hpp written as CSV tables, a gnuplot script
// that reads them, and the PNG and SVG images gnuplot makes from the script.
// The script stays next to the data, so that a user can edit and re-run it
// (`cd DIR && gnuplot STEM.gp`).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "plots/aliasing_series.hpp"
#include "plots/series.hpp"

namespace ropecert::plots {

// A cell of a table. Doubles are written with 17 significant digits, which
// round-trips every binary64 number; infinities are written as inf and -inf.
using Cell = std::variant<std::int64_t, std::uint64_t, double, std::string>;

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
};

std::string to_csv(const Table& table);
// An array of objects keyed by column name; infinities become the strings
// "inf" and "-inf" because JSON has no number for them.
nlohmann::json to_json(const Table& table);

// The paths of a figure's files: DIR/STEM.csv (and STEM.summary.csv for scalar
// values), DIR/STEM.gp, DIR/STEM.png, DIR/STEM.svg.
struct FigureFiles {
  std::filesystem::path directory;
  std::string stem;

  std::filesystem::path data() const { return directory / (stem + ".csv"); }
  std::filesystem::path summary() const { return directory / (stem + ".summary.csv"); }
  std::filesystem::path script() const { return directory / (stem + ".gp"); }
  std::filesystem::path png() const { return directory / (stem + ".png"); }
  std::filesystem::path svg() const { return directory / (stem + ".svg"); }
};

// Text drawn on a figure: a title line, and a line of parameters under it.
// `command` is the ropecert command line that made the figure; the script
// records it in a comment.
struct FigureText {
  std::string title;
  std::string parameters;
  std::string command;
};

struct Figure {
  std::string kind;
  FigureFiles files;
  Table data;
  std::optional<Table> summary;  // scalar values: name, lower, upper
  std::string script;            // the gnuplot script

  // {"kind", "data": rows, "summary": rows, "files": {...}}: the values the
  // CSV files hold.
  nlohmann::json to_json() const;
};

// A labelled curve, for figures with one curve per preset, base or format.
template <typename Point>
struct Curve {
  std::string label;
  std::vector<Point> points;
};

Figure waveform_figure(const WaveformSeries& series, const FigureText& text, FigureFiles files);
Figure histogram_figure(const HistogramSeries& series, const FigureText& text, FigureFiles files);
Figure inversion_figure(const std::vector<Curve<InversionPoint>>& curves, const FigureText& text,
                        FigureFiles files);
Figure aliasing_figure(const std::vector<Curve<AliasingPoint>>& curves, const FigureText& text,
                       FigureFiles files);
Figure aliasing_map_figure(const AliasingMaps& maps, const FigureText& text, FigureFiles files);
Figure token_figure(const std::vector<Curve<TokenPoint>>& curves, const FigureText& text,
                    FigureFiles files);

// Writes the CSV files and the script, creating the directory.
// Raises InputError when a file cannot be written.
void write_figure_files(const Figure& figure);

// Runs gnuplot on the figure's script in its directory, which writes the PNG
// and the SVG. Raises InputError when gnuplot is missing, fails, or leaves
// an image missing or empty.
void render_figure(const Figure& figure);

// True when a `gnuplot` executable is on PATH.
bool gnuplot_available();

}  // namespace ropecert::plots
