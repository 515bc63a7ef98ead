// The table layout and gnuplot script of each figure kind.

#include <cmath>
#include <cstdio>
#include <sstream>

#include "plots/figures.hpp"

namespace ropecert::plots {

namespace {

// A gnuplot double-quoted string.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

// Lines before the plot commands: how to re-run, the data format, labels.
std::string script_header(const Figure& figure, const FigureText& text) {
  std::ostringstream out;
  out << "# " << figure.kind << " figure written by ropecert.\n"
      << "# Made by: " << text.command << "\n"
      << "# Re-run in this directory: gnuplot " << figure.files.stem << ".gp\n"
      << "# Data: " << figure.files.stem << ".csv (first line: column names)\n"
      << "set datafile separator comma\n"
      << "set encoding utf8\n"
      << "set title " << quoted(text.title + "\n" + text.parameters) << "\n"
      << "set grid lc rgb '#dddddd'\n"
      << "set border lc rgb '#444444'\n";
  return out.str();
}

// The script renders `body` twice: once to PNG and once to SVG. The body is
// repeated instead of using replot because multiplot figures cannot replot.
std::string script_for_both_terminals(const Figure& figure, const FigureText& text,
                                      const std::string& setup, const std::string& body,
                                      int width = 1100, int height = 650) {
  std::ostringstream out;
  out << script_header(figure, text) << setup << "\n"
      << "set terminal pngcairo size " << width << "," << height
      << " font 'DejaVu Sans,11' noenhanced\n"
      << "set output '" << figure.files.stem << ".png'\n"
      << body << "unset output\n\n"
      << "set terminal svg size " << width << "," << height
      << " dynamic font 'DejaVu Sans,11' noenhanced background rgb 'white'\n"
      << "set output '" << figure.files.stem << ".svg'\n"
      << body << "unset output\n";
  return out.str();
}

// gnuplot splits CSV lines at every comma, quoted or not, so a curve label
// that strcol(1) must match cannot hold one.
std::string curve_label(const std::string& label) {
  std::string out = label;
  for (char& c : out) {
    if (c == ',') c = ';';
  }
  return out;
}

Table summary_table() { return Table{{"quantity", "lower", "upper"}, {}}; }

void add_summary(Table& table, const std::string& name, const Bounds& bounds) {
  table.rows.push_back({name, bounds.lower, bounds.upper});
}

std::string gnuplot_array(const std::string& name, const std::vector<std::string>& values) {
  std::ostringstream out;
  out << "array " << name << "[" << values.size() << "] = [";
  for (std::size_t i = 0; i < values.size(); ++i) out << (i ? ", " : "") << quoted(values[i]);
  out << "]\n";
  return out.str();
}

// Colours of the Paul Tol "bright" scheme, readable on screen and in print.
const char* kColours = "array colour[7] = ['#4477AA', '#EE6677', '#228833', '#CCBB44', "
                       "'#66CCEE', '#AA3377', '#BBBBBB']\n";

// A legend in two rows inside the top of the graph, above the data: the
// offsets add a fifth of the y range as headroom.
const char* kTopKey =
    "set key inside top center horizontal maxrows 2 opaque box samplen 3 width 1\n"
    "set offsets 0, 0, graph 0.2, 0\n";

// The x axis of sweeps over M: log scale, powers of two.
const char* kLengthAxis =
    "set logscale x 2\n"
    "set format x '%.0f'\n"
    "set xlabel 'context length M (tokens, log scale)'\n"
    "set key outside right top box opaque\n";

}  // namespace

Figure waveform_figure(const WaveformSeries& series, const FigureText& text, FigureFiles files) {
  Figure figure;
  figure.kind = "waveform";
  figure.files = std::move(files);
  figure.data.columns = {"m_first", "m_last", "S_lower", "S_upper"};
  for (std::size_t i = 0; i < series.first.size(); ++i) {
    figure.data.rows.push_back({series.first[i], series.last[i], series.lower[i], series.upper[i]});
  }
  Table summary = summary_table();
  summary.rows.push_back({"M", static_cast<double>(series.M), static_cast<double>(series.M)});
  summary.rows.push_back(
      {"bin_width", static_cast<double>(series.bin_width), static_cast<double>(series.bin_width)});
  add_summary(summary, "mean", series.mean);
  add_summary(summary, "variance", series.variance);
  add_summary(summary, "mean_minus_3_sigma", series.band_low);
  add_summary(summary, "mean_plus_3_sigma", series.band_high);
  figure.summary = summary;

  const std::string data = "'" + figure.files.stem + ".csv'";
  const std::string binned =
      series.bin_width == 1
          ? "S(m), certified enclosure"
          : "S(m), certified min and max over bins of " + std::to_string(series.bin_width) +
                " distances";
  std::ostringstream setup;
  setup << "mean = " << number(0.5 * (series.mean.lower + series.mean.upper)) << "\n"
        << "band_low = " << number(0.5 * (series.band_low.lower + series.band_low.upper)) << "\n"
        << "band_high = " << number(0.5 * (series.band_high.lower + series.band_high.upper))
        << "\n"
        << "set xlabel 'distance m (tokens)'\n"
        << "set ylabel 'logit S(m) = sum a_n cos(m theta_n + phi_n)'\n"
        << "set xrange [0:" << series.M << "]\n"
        << kTopKey
        << "set samples 2\n";
  std::ostringstream body;
  body << "plot " << data
       << " skip 1 using (($1+$2)/2):3:4 with filledcurves fc rgb '#4477AA' fs solid 0.35 "
          "noborder title "
       << quoted(binned) << ", \\\n"
       << "     " << data << " skip 1 using (($1+$2)/2):4 with lines lc rgb '#4477AA' lw 1 notitle, \\\n"
       << "     " << data << " skip 1 using (($1+$2)/2):3 with lines lc rgb '#4477AA' lw 1 notitle, \\\n"
       << "     mean with lines lc rgb '#222222' lw 2 title sprintf('exact window mean mu_W = %.6g', mean), \\\n"
       << "     band_low with lines lc rgb '#EE6677' lw 2 dt 2 title sprintf('mu_W - 3 sigma_W = %.6g', band_low), \\\n"
       << "     band_high with lines lc rgb '#EE6677' lw 2 dt 2 title sprintf('mu_W + 3 sigma_W = %.6g', band_high)\n";
  figure.script = script_for_both_terminals(figure, text, setup.str(), body.str());
  return figure;
}

Figure histogram_figure(const HistogramSeries& series, const FigureText& text, FigureFiles files) {
  Figure figure;
  figure.kind = "histogram";
  figure.files = std::move(files);
  figure.data.columns = {"bin_lower", "bin_upper", "count_certain", "count_possible",
                         "normal_probability_lower", "normal_probability_upper"};
  for (std::size_t i = 0; i + 1 < series.edges.size(); ++i) {
    figure.data.rows.push_back({series.edges[i], series.edges[i + 1], series.certain[i],
                                series.possible[i], series.normal_probability[i].lower,
                                series.normal_probability[i].upper});
  }
  Table summary = summary_table();
  summary.rows.push_back({"M", static_cast<double>(series.M), static_cast<double>(series.M)});
  add_summary(summary, "mean", series.mean);
  add_summary(summary, "variance", series.variance);
  figure.summary = summary;

  const std::string data = "'" + figure.files.stem + ".csv'";
  std::ostringstream setup;
  setup << "M = " << series.M << ".0\n"
        << "set xlabel 'logit S(m)'\n"
        << "set ylabel 'fraction of distances m in [0, M) per bin'\n"
        << kTopKey
        << "set style fill solid 0.45 noborder\n"
        << "set yrange [0:*]\n";
  std::ostringstream body;
  body << "plot " << data
       << " skip 1 using (($1+$2)/2):($4/M):($2-$1) with boxes lc rgb '#BBBBBB' title "
          "'possible count / M (enclosure meets the bin)', \\\n"
       << "     " << data
       << " skip 1 using (($1+$2)/2):($3/M):($2-$1) with boxes lc rgb '#4477AA' title "
          "'certain count / M (enclosure inside the bin)', \\\n"
       << "     " << data
       << " skip 1 using (($1+$2)/2):(($5+$6)/2) with lines lc rgb '#EE6677' lw 2.5 title "
          "sprintf('normal law with the exact mean %.4g and variance %.4g', "
       << number(0.5 * (series.mean.lower + series.mean.upper)) << ", "
       << number(0.5 * (series.variance.lower + series.variance.upper)) << ")\n";
  figure.script = script_for_both_terminals(figure, text, setup.str(), body.str());
  return figure;
}

Figure inversion_figure(const std::vector<Curve<InversionPoint>>& curves, const FigureText& text,
                        FigureFiles files) {
  Figure figure;
  figure.kind = "inversion";
  figure.files = std::move(files);
  figure.data.columns = {"curve",     "M",         "P_inv_lower", "P_inv_upper", "P_N_lower",
                         "P_N_upper", "E_BE_lower", "E_BE_upper", "lambda"};
  std::vector<std::string> labels;
  for (const auto& curve : curves) {
    labels.push_back(curve_label(curve.label));
    for (const InversionPoint& p : curve.points) {
      figure.data.rows.push_back({curve_label(curve.label), p.M, p.inversion.lower, p.inversion.upper,
                                  p.normal_prediction.lower, p.normal_prediction.upper,
                                  p.berry_esseen.lower, p.berry_esseen.upper,
                                  static_cast<std::int64_t>(p.lambda)});
    }
  }
  const std::string data = "'" + figure.files.stem + ".csv'";
  std::ostringstream setup;
  setup << gnuplot_array("curve", labels) << kColours << kLengthAxis
        << "set ylabel 'probability'\n"
        << "set key inside bottom right opaque box\n"
        << "set yrange [0:1]\n"
        << "set ytics 0.1\n";
  std::ostringstream body;
  body << "plot for [i=1:|curve|] " << data
       << " skip 1 using (strcol(1) eq curve[i] ? $2 : NaN):(($3+$4)/2):3:4 with yerrorlines "
          "lc rgb colour[(i-1)%7+1] lw 2 pt 7 ps 0.8 title curve[i].': P_inv (certified)', \\\n"
       << "     for [i=1:|curve|] " << data
       << " skip 1 using (strcol(1) eq curve[i] ? $2 : NaN):(($5+$6)/2) with lines "
          "lc rgb colour[(i-1)%7+1] lw 2 dt 2 title curve[i].': P_N (normal law)', \\\n"
       << "     0.5 with lines lc rgb '#888888' dt 3 title '1/2 (no order)'\n";
  figure.script = script_for_both_terminals(figure, text, setup.str(), body.str());
  return figure;
}

Figure aliasing_figure(const std::vector<Curve<AliasingPoint>>& curves, const FigureText& text,
                       FigureFiles files) {
  Figure figure;
  figure.kind = "aliasing";
  figure.files = std::move(files);
  figure.data.columns = {"curve",       "format",      "M",          "partner_fraction_lower",
                         "partner_fraction_upper", "pairs_lower", "pairs_upper"};
  std::vector<std::string> labels;
  for (const auto& curve : curves) {
    labels.push_back(curve_label(curve.label));
    for (const AliasingPoint& p : curve.points) {
      figure.data.rows.push_back({curve_label(curve.label), p.format, p.M, p.partner_fraction.lower,
                                  p.partner_fraction.upper, p.pairs.lower, p.pairs.upper});
    }
  }
  const std::string data = "'" + figure.files.stem + ".csv'";
  std::ostringstream setup;
  setup << gnuplot_array("curve", labels) << kColours << kLengthAxis
        << "set ylabel 'fraction of distances m with an aliasing partner'\n"
        << "set key inside bottom right opaque box\n"
        << "set yrange [0:1.05]\n";
  std::ostringstream body;
  body << "plot for [i=1:|curve|] " << data
       << " skip 1 using (strcol(1) eq curve[i] ? $3 : NaN):(($4+$5)/2):4:5 with yerrorlines "
          "lc rgb colour[(i-1)%7+1] lw 2 pt 7 ps 0.8 title curve[i]\n";
  figure.script = script_for_both_terminals(figure, text, setup.str(), body.str());
  return figure;
}

namespace {

// The smallest step of the form 1, 2 or 5 times a power of ten that puts at
// most five tic labels on an axis of length M.
std::int64_t map_tic_step(std::int64_t M) {
  for (std::int64_t power = 1;; power *= 10) {
    for (std::int64_t factor : {1, 2, 5}) {
      if (M / (factor * power) <= 5) return factor * power;
    }
  }
}

}  // namespace

Figure aliasing_map_figure(const AliasingMaps& maps, const FigureText& text, FigureFiles files) {
  Figure figure;
  figure.kind = "aliasing-map";
  figure.files = std::move(files);
  figure.data.columns = {"map", "m1_first", "m2_first", "cell", "pairs", "undecided"};
  const std::vector<std::pair<std::string, const PairMap*>> panels{
      {"first key", &maps.first_key}, {"second key", &maps.second_key},
      {"both keys", &maps.both_keys}};
  for (const auto& [name, map] : panels) {
    for (std::int64_t i = 0; i < map->cells; ++i) {
      for (std::int64_t j = 0; j < map->cells; ++j) {
        std::size_t index = static_cast<std::size_t>(i * map->cells + j);
        figure.data.rows.push_back({name, i * map->cell, j * map->cell, map->cell,
                                    map->counts[index], map->undecided[index]});
      }
    }
  }
  const std::string data = "'" + figure.files.stem + ".csv'";
  std::ostringstream setup;
  // Rows come panel by panel, cells^2 rows each, and `with image` needs whole
  // grids, so each panel selects its rows by number.
  setup << gnuplot_array("panel", {"first key", "second key", "both keys"})
        << "cells_squared = " << maps.first_key.cells * maps.first_key.cells << "\n"
        << "set xlabel 'distance m1 (tokens)'\n"
        << "set ylabel 'distance m2 (tokens)'\n"
        << "set cblabel 'aliasing pairs per cell'\n"
        // White only for empty cells, so that a cell with one pair stays visible.
        << "set palette defined (0 'white', 0.0001 '#BBDDF0', 0.4 '#66CCEE', 0.7 '#4477AA', "
           "1 '#222255')\n"
        << "set cbrange [0:*]\n"
        << "set xrange [0:" << maps.first_key.M << "]\n"
        << "set yrange [0:" << maps.first_key.M << "]\n"
        << "set xtics " << map_tic_step(maps.first_key.M) << "\n"
        << "set ytics " << map_tic_step(maps.first_key.M) << "\n"
        << "set size ratio -1\n"
        << "unset key\n";
  std::ostringstream body;
  body << "set multiplot layout 1,3 title " << quoted(text.title + "\n" + text.parameters) << "\n"
       << "unset title\n"
       << "do for [i=1:3] {\n"
       << "  set title panel[i].', " << maps.format << "'\n"
       << "  plot " << data
       << " skip 1 every ::((i-1)*cells_squared)::(i*cells_squared-1) using ($2+$4/2):($3+$4/2):5 "
          "with image, \\\n"
       // Cells with undecided pairs get a red ring; their counts are in the CSV.
       << "       '' skip 1 every ::((i-1)*cells_squared)::(i*cells_squared-1) using "
          "($2+$4/2):($6 > 0 ? $3+$4/2 : NaN) with points pt 6 ps 0.6 lc rgb '#CC3311'\n"
       << "}\n"
       << "unset multiplot\n";
  figure.script = script_for_both_terminals(figure, text, setup.str(), body.str(), 1500, 560);
  return figure;
}

Figure token_figure(const std::vector<Curve<TokenPoint>>& curves, const FigureText& text,
                    FigureFiles files) {
  Figure figure;
  figure.kind = "token";
  figure.files = std::move(files);
  figure.data.columns = {"curve",           "M",          "T_inv_lower",
                         "T_inv_upper",     "normal_prediction_lower",
                         "normal_prediction_upper",       "format",
                         "T_F_lower",       "T_F_upper"};
  std::vector<std::string> labels;
  for (const auto& curve : curves) {
    labels.push_back(curve_label(curve.label));
    for (const TokenPoint& p : curve.points) {
      figure.data.rows.push_back({curve_label(curve.label), p.M, p.inversion.lower, p.inversion.upper,
                                  p.normal_prediction.lower, p.normal_prediction.upper, p.format,
                                  p.aliasing.lower, p.aliasing.upper});
    }
  }
  const std::string data = "'" + figure.files.stem + ".csv'";
  std::ostringstream setup;
  setup << gnuplot_array("curve", labels) << kColours << kLengthAxis;
  std::ostringstream body;
  body << "set multiplot layout 1,2 title " << quoted(text.title + "\n" + text.parameters) << "\n"
       << "unset title\n"
       << "set key inside top left opaque box\n"
       << "set ylabel 'token inversion T_inv(M)'\n"
       << "set yrange [0:1]\n"
       << "plot for [i=1:|curve|] " << data
       << " skip 1 using (strcol(1) eq curve[i] ? $2 : NaN):(($3+$4)/2):3:4 with yerrorlines "
          "lc rgb colour[(i-1)%7+1] lw 2 pt 7 ps 0.8 title curve[i].': T_inv', \\\n"
       << "     for [i=1:|curve|] " << data
       << " skip 1 using (strcol(1) eq curve[i] ? $2 : NaN):(($5+$6)/2) with lines "
          "lc rgb colour[(i-1)%7+1] lw 2 dt 2 title curve[i].': normal prediction'\n"
       << "set ylabel 'token aliasing T_F(M) (distances)'\n"
       << "set yrange [0:*]\n"
       << "plot for [i=1:|curve|] " << data
       << " skip 1 using (strcol(1) eq curve[i] ? $2 : NaN):(($8+$9)/2):8:9 with yerrorlines "
          "lc rgb colour[(i-1)%7+1] lw 2 pt 7 ps 0.8 title curve[i]\n"
       << "unset multiplot\n";
  figure.script = script_for_both_terminals(figure, text, setup.str(), body.str(), 1500, 600);
  return figure;
}

}  // namespace ropecert::plots
