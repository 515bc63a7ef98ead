#include "cli/plot_command.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <sstream>

#include "claims/json_encoding.hpp"
#include "cli/failure_mode_options.hpp"
#include "formats/storage_format.hpp"
#include "model/presets.hpp"
#include "plots/aliasing_series.hpp"
#include "plots/figures.hpp"
#include "util/input_error.hpp"
#include "util/progress.hpp"

namespace ropecert::cli {

namespace {

using plots::Curve;

std::string format_base(double base) {
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", base);
  return text;
}

// One RoPE product per curve: per preset, per base, or the single schedule.
struct CurveInput {
  std::string label;
  ModelOptions model;
};

std::vector<CurveInput> curve_inputs(const PlotOptions& options) {
  if (!options.presets.empty() && !options.bases.empty()) {
    throw InputError("both --presets and --bases given; choose one set of curves");
  }
  std::vector<CurveInput> out;
  for (const std::string& preset : options.presets) {
    ModelOptions model = options.model;
    model.preset = preset;
    out.push_back({preset, model});
  }
  for (double base : options.bases) {
    ModelOptions model = options.model;
    model.base = base;
    out.push_back({"B = " + format_base(base), model});
  }
  if (out.empty()) {
    model::RopeSchedule schedule = options.model.build_schedule();
    std::string label =
        schedule.name == "custom" ? "B = " + format_base(schedule.base) : schedule.name;
    out.push_back({label, options.model});
  }
  return out;
}

std::vector<std::int64_t> sweep_lengths(const PlotOptions& options) {
  if (!options.lengths.empty()) {
    std::vector<std::int64_t> lengths = options.lengths;
    std::sort(lengths.begin(), lengths.end());
    lengths.erase(std::unique(lengths.begin(), lengths.end()), lengths.end());
    return lengths;
  }
  return plots::log_spaced_lengths(options.first_length, options.last_length, options.points);
}

std::string describe_vectors(const ModelOptions& model) {
  if (!model.ensemble.empty()) {
    std::string text = model.ensemble + " vectors, seed " + std::to_string(model.seed) +
                       ", sample " + std::to_string(model.sample);
    if (model.ensemble == "correlated") text += ", rho " + format_base(model.rho);
    return text;
  }
  if (!model.vectors.empty()) return "vectors from " + model.vectors;
  return "q from " + model.q_file + ", k from " + model.k_file;
}

std::string describe_schedule(const model::RopeSchedule& s) {
  std::string text = s.name + ": d = " + std::to_string(s.rotary_dim) + ", B = " +
                     format_base(s.base) + ", " + model::to_string(s.scaling.kind);
  if (s.scaling.kind != model::ScheduleKind::Default) {
    text += " factor " + format_base(s.scaling.factor);
  }
  return text + ", " + model::to_string(s.pairing) + " pairing, " +
         model::to_string(s.precision) + " frequencies";
}

// The parameter line under a figure's title. Curves that differ only in
// preset or base are described by the shared vectors and scale.
std::string describe(const PlotOptions& options, const model::RopeSchedule* single) {
  std::string text = single ? describe_schedule(*single) + "; " : "";
  text += describe_vectors(options.model);
  if (options.kind == "token" || options.kind == "aliasing-map") {
    text += ", " + describe_second_key(options.model, options.second_key, options.sample_k2);
  }
  if (options.model.scale != "none") text += "; scale " + options.model.scale;
  return text;
}

std::string default_stem(const PlotOptions& options) {
  if (!options.name.empty()) return options.name;
  return options.kind;
}

}  // namespace

const std::vector<std::string>& plot_kinds() {
  static const std::vector<std::string> kinds{"waveform", "histogram",    "inversion",
                                              "aliasing", "aliasing-map", "token"};
  return kinds;
}

void add_plot_options(CLI::App& app, PlotOptions& options) {
  app.add_option("KIND", options.kind,
                 "What to draw: waveform, histogram, inversion, aliasing, aliasing-map or token")
      ->required()
      ->check(CLI::IsMember(plot_kinds()));
  options.model.add_to(app);
  app.add_option("--M", options.M,
                 "Context length M in tokens for waveform, histogram and aliasing-map (default "
                 "4096)");
  app.add_option("--M-list", options.lengths,
                 "Sweeps: the lengths M to evaluate, comma separated (overrides --M-min, "
                 "--M-max, --points)")
      ->delimiter(',');
  app.add_option("--M-min", options.first_length, "Sweeps: smallest M in tokens (default 1024)");
  app.add_option("--M-max", options.last_length, "Sweeps: largest M in tokens (default 131072)");
  app.add_option("--points", options.points,
                 "Sweeps: number of lengths, evenly spaced on a log axis (default 8)");
  app.add_option("--presets", options.presets,
                 "Sweeps: one curve per preset, comma separated (replaces --preset)")
      ->delimiter(',');
  app.add_option("--bases", options.bases,
                 "Sweeps: one curve per rotary base B, comma separated (replaces --base)")
      ->delimiter(',');
  app.add_option("--formats", options.formats,
                 "Storage formats for aliasing (one curve each) and the first one for "
                 "aliasing-map and token: bf16, fp16, fp32, fp8_e4m3, fp8_e5m2 (default bf16)")
      ->delimiter(',')
      ->check(CLI::Validator(
          [](std::string& text) {
            try {
              formats::parse_format(text);
              return std::string();
            } catch (const InputError& e) {
              return std::string(e.what());
            }
          },
          "FORMAT"));
  app.add_option("--k2", options.second_key,
                 "aliasing-map and token: second key, JSON array or 1-D float32/float64 .npy "
                 "file (with --q and --k, or in place of a \"k2\" array in the --vectors file)");
  app.add_option("--sample-k2", options.sample_k2,
                 "aliasing-map and token with --ensemble: take the second key from this sample "
                 "(default --sample + 1); the query and first key stay those of --sample");
  app.add_option("--bins", options.bins,
                 "waveform: most bins along m (default 2000; each bin shows the min and max of "
                 "its distances); histogram: bins along S (default 60)");
  app.add_option("--cell", options.cell,
                 "aliasing-map: cell side in tokens (default ceil(M/64)); at most 512 cells per "
                 "side. Work: O(M log M + M * cells) at worst, no loop over all pairs");
  app.add_option("--out", options.out, "Directory for the CSV, gnuplot, PNG and SVG files (default .)");
  app.add_option("--name", options.name, "File name stem (default: the kind)");
  app.add_flag("--json", options.json, "Print the figure's certified values as JSON");
  app.add_flag("!--no-render", options.render,
               "Write the CSV and gnuplot files but do not run gnuplot");
}

nlohmann::json make_plot(const PlotOptions& options, const std::string& command) {
  plots::FigureFiles files{options.out, default_stem(options)};
  plots::FigureText text;
  text.command = command;
  nlohmann::json inputs = nlohmann::json::array();

  auto record_input = [&](const std::string& label, const model::RopeProduct& product) {
    inputs.push_back({{"curve", label}, {"schedule", claims::to_json(product.schedule())}});
  };

  plots::Figure figure;
  const std::string& kind = options.kind;
  if (kind == "waveform" || kind == "histogram") {
    auto product = options.model.build_product();
    record_input(product->schedule().name, *product);
    text.parameters = describe(options, &product->schedule());
    Progress progress(kind + " M = " + std::to_string(options.M));
    auto report = [&](double f) { progress.update(f); };
    if (kind == "waveform") {
      auto series = plots::waveform_series(*product, options.M, options.bins ? options.bins : 2000,
                                           report);
      text.title = "S(m) over [0, " + std::to_string(options.M) +
                   "): certified enclosure, exact window mean and mean +/- 3 sigma";
      figure = plots::waveform_figure(series, text, files);
    } else {
      auto series =
          plots::histogram_series(*product, options.M, options.bins ? options.bins : 60, report);
      text.title = "Distribution of S(m) for m uniform on [0, " + std::to_string(options.M) +
                   ") against the normal law of its exact moments";
      figure = plots::histogram_figure(series, text, files);
    }
  } else if (kind == "inversion" || kind == "aliasing" || kind == "token") {
    std::vector<CurveInput> curves = curve_inputs(options);
    std::vector<std::int64_t> lengths = sweep_lengths(options);
    std::vector<Curve<plots::InversionPoint>> inversion;
    std::vector<Curve<plots::AliasingPoint>> aliasing;
    std::vector<Curve<plots::TokenPoint>> token;
    Progress progress(kind + " sweep");
    const double share = 1.0 / static_cast<double>(curves.size());
    for (std::size_t c = 0; c < curves.size(); ++c) {
      auto report = [&](double f) { progress.update(share * (static_cast<double>(c) + f)); };
      auto product = curves[c].model.build_product();
      record_input(curves[c].label, *product);
      if (kind == "inversion") {
        inversion.push_back({curves[c].label, plots::inversion_series(*product, lengths, report)});
      } else if (kind == "aliasing") {
        for (const std::string& format : options.formats) {
          Curve<plots::AliasingPoint> curve{curves[c].label + " " + format, {}};
          for (std::int64_t M : lengths) {
            curve.points.push_back(
                plots::position_aliasing_point(*product, M, formats::parse_format(format)));
          }
          aliasing.push_back(std::move(curve));
        }
      } else {
        quantities::TwoKeyProducts products =
            build_two_key_products(curves[c].model, options.second_key, options.sample_k2);
        const formats::Format format = formats::parse_format(options.formats.front());
        Curve<plots::TokenPoint> curve{curves[c].label, {}};
        for (std::int64_t M : lengths) {
          curve.points.push_back(plots::token_point(products, M, format));
        }
        token.push_back(std::move(curve));
      }
    }
    const model::RopeSchedule single = curves.front().model.build_schedule();
    text.parameters = describe(options, curves.size() == 1 ? &single : nullptr);
    if (kind == "inversion") {
      text.title = "Position inversion P_inv(M) (certified) and its normal prediction P_N(M)";
      figure = plots::inversion_figure(inversion, text, files);
    } else if (kind == "aliasing") {
      text.title = "Fraction of distances with an aliasing partner under storage rounding";
      figure = plots::aliasing_figure(aliasing, text, files);
    } else {
      text.title = "Token inversion and token aliasing (" + options.formats.front() +
                   ") for one query and two keys";
      figure = plots::token_figure(token, text, files);
    }
  } else if (kind == "aliasing-map") {
    quantities::TwoKeyProducts products =
        build_two_key_products(options.model, options.second_key, options.sample_k2);
    record_input(products.first->schedule().name, *products.first);
    const std::int64_t cell =
        options.cell ? options.cell : std::max<std::int64_t>(1, (options.M + 63) / 64);
    Progress progress("aliasing map M = " + std::to_string(options.M));
    auto maps = plots::aliasing_maps(*products.first, *products.second, options.M,
                                     formats::parse_format(options.formats.front()), cell,
                                     [&](double f) { progress.update(f); });
    text.title = "Aliasing pairs (m1, m2) for two keys and for both at once";
    text.parameters = describe(options, &products.first->schedule());
    figure = plots::aliasing_map_figure(maps, text, files);
  } else {
    throw InputError("unknown plot kind '" + kind + "'");
  }

  plots::write_figure_files(figure);
  if (options.render) plots::render_figure(figure);

  nlohmann::json out;
  out["command"] = command;
  out["inputs"] = inputs;
  out["figure"] = figure.to_json();
  out["rendered"] = options.render;
  return out;
}

std::string plot_command_line(const std::vector<std::string>& arguments) {
  std::string line = "ropecert plot";
  for (const std::string& argument : arguments) {
    bool plain = !argument.empty() &&
                 argument.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                            "0123456789-_.,/=:+") == std::string::npos;
    if (plain) {
      line += " " + argument;
      continue;
    }
    std::string quoted = "'";
    for (char c : argument) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    line += " " + quoted + "'";
  }
  return line;
}

nlohmann::json make_plot_from_arguments(const std::vector<std::string>& arguments, bool render) {
  CLI::App parser{"plot"};
  PlotOptions options;
  add_plot_options(parser, options);
  std::vector<std::string> reversed(arguments.rbegin(), arguments.rend());
  try {
    parser.parse(reversed);
  } catch (const CLI::ParseError& e) {
    throw InputError("invalid plot arguments '" + plot_command_line(arguments) + "': " + e.what());
  }
  options.render = options.render && render;
  return make_plot(options, plot_command_line(arguments));
}

}  // namespace ropecert::cli
