// ropecert report CERT.json --out report.html: one self-contained HTML page
// with the claim table of a certificate, figures for the presets it covers,
// the inputs, the library versions and the command behind each figure.

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "claims/json_encoding.hpp"
#include "cli/command.hpp"
#include "cli/plot_command.hpp"
#include "plots/figures.hpp"
#include "util/input_error.hpp"

namespace ropecert::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct ReportOptions {
  std::string certificate;
  std::string out = "report.html";
  std::string figures;  // empty: STEM_figures next to the report
  std::int64_t sweep_max = 131072;
  std::int64_t waveform_length = 8192;
  bool figures_enabled = true;
};

std::string escape_html(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string base64(const std::string& bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                 (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  if (i < bytes.size()) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? alphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string read_binary(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw InputError("cannot read '" + path.string() + "'");
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

json read_certificate(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw InputError("certificate '" + path + "' not found or not readable");
  json certificate;
  try {
    certificate = json::parse(file);
  } catch (const json::parse_error& e) {
    throw InputError("certificate '" + path + "' is not valid JSON: " + e.what());
  }
  if (certificate.value("format", "") != "ropecert-certificate" ||
      !certificate.contains("claims")) {
    throw InputError("'" + path + "' is not a ropecert certificate (no \"format\": "
                     "\"ropecert-certificate\" with \"claims\"); give the file `ropecert check` wrote");
  }
  return certificate;
}

std::string text_of(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();
}

// The plot arguments that select an instance's vectors, scale and precision.
// Vectors given inline are written to a JSON file in `directory`.
std::vector<std::string> input_arguments(const json& instance, const fs::path& directory,
                                         int& vector_files) {
  std::vector<std::string> arguments;
  const json& vectors = instance["inputs"].value("vectors", json::object());
  if (vectors.contains("ensemble")) {
    std::string kind = vectors["ensemble"].get<std::string>();
    arguments.insert(arguments.end(), {"--ensemble", kind, "--seed",
                                       std::to_string(vectors.value("seed", 0ULL)), "--sample",
                                       std::to_string(vectors.value("sample", 0ULL))});
    if (kind == "correlated") {
      char rho[32];
      std::snprintf(rho, sizeof rho, "%.17g", vectors.value("rho", 0.5));
      arguments.insert(arguments.end(), {"--rho", rho});
    }
  } else {
    fs::path file = directory / ("vectors_" + std::to_string(++vector_files) + ".json");
    std::ofstream(file) << vectors.dump() << "\n";
    arguments.insert(arguments.end(), {"--vectors", file.string()});
  }
  const json& parameters = instance["parameters"];
  for (const char* key : {"scale", "precision", "pairing"}) {
    if (parameters.contains(key) && parameters[key].is_string()) {
      arguments.insert(arguments.end(), {std::string("--") + key, parameters[key].get<std::string>()});
    }
  }
  return arguments;
}

struct FigurePlan {
  std::string caption;
  std::vector<std::string> arguments;
};

// Figures for the presets the certificate covers: per distinct choice of
// vectors, one inversion sweep with a curve per preset, and per preset a
// waveform and a histogram with the first vectors it appears with.
std::vector<FigurePlan> plan_figures(const json& certificate, const ReportOptions& options,
                                     const fs::path& directory) {
  std::map<std::string, std::vector<std::string>> presets_by_inputs;  // key: input arguments
  std::map<std::string, std::vector<std::string>> arguments_by_key;
  std::map<std::string, std::vector<std::string>> first_inputs_of_preset;
  std::vector<std::string> key_order;
  int vector_files = 0;
  for (const json& claim : certificate["claims"]) {
    for (const json& instance : claim["instances"]) {
      const json& parameters = instance["parameters"];
      if (!parameters.contains("preset") || !instance.contains("inputs") ||
          !instance["inputs"].contains("vectors")) {
        continue;
      }
      std::string preset = parameters["preset"].get<std::string>();
      std::vector<std::string> inputs = input_arguments(instance, directory, vector_files);
      std::string key = plot_command_line(inputs);
      if (!arguments_by_key.count(key)) {
        arguments_by_key[key] = inputs;
        key_order.push_back(key);
      }
      auto& presets = presets_by_inputs[key];
      if (std::find(presets.begin(), presets.end(), preset) == presets.end()) {
        presets.push_back(preset);
      }
      first_inputs_of_preset.try_emplace(preset, inputs);
    }
  }

  std::vector<FigurePlan> plans;
  int index = 0;
  for (const std::string& key : key_order) {
    std::string presets;
    for (const std::string& p : presets_by_inputs[key]) presets += (presets.empty() ? "" : ",") + p;
    std::vector<std::string> arguments{"inversion", "--presets", presets};
    const auto& inputs = arguments_by_key[key];
    arguments.insert(arguments.end(), inputs.begin(), inputs.end());
    arguments.insert(arguments.end(),
                     {"--M-min", "1024", "--M-max", std::to_string(options.sweep_max), "--points",
                      "8", "--out", directory.string(), "--name",
                      "inversion_" + std::to_string(++index)});
    plans.push_back({"Position inversion against M for " + presets, arguments});
  }
  for (const auto& [preset, inputs] : first_inputs_of_preset) {
    for (const char* kind : {"waveform", "histogram"}) {
      std::vector<std::string> arguments{kind, "--preset", preset};
      arguments.insert(arguments.end(), inputs.begin(), inputs.end());
      arguments.insert(arguments.end(), {"--M", std::to_string(options.waveform_length), "--out",
                                         directory.string(), "--name",
                                         std::string(kind) + "_" + preset});
      plans.push_back({std::string(kind == std::string("waveform") ? "Waveform" : "Histogram") +
                           " of S(m) for " + preset,
                       arguments});
    }
  }
  return plans;
}

const char* kStyle = R"(
body { font-family: 'DejaVu Sans', sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; text-align: left; }
th { background: #f0f0f0; }
td.PROVED { background: #d8f0d8; } td.REFUTED { background: #f8dcdc; } td.UNDECIDED { background: #f4f0c8; }
td.mismatch { font-weight: bold; color: #a00; }
pre, code { font-family: 'DejaVu Sans Mono', monospace; font-size: 0.85em; }
pre { background: #f6f6f6; padding: 0.5em; overflow-x: auto; white-space: pre-wrap; }
figure { margin: 2em 0; } img { max-width: 100%; border: 1px solid #ddd; }
)";

void write_claim_table(std::ostream& html, const json& certificate) {
  html << "<h2>Claims</h2>\n<table id=\"claims\">\n<tr><th>claim</th><th>instance</th>"
          "<th>verdict</th><th>expected</th><th>summary</th><th>enclosures</th>"
          "<th>precision (bits)</th><th>time (s)</th></tr>\n";
  for (const json& claim : certificate["claims"]) {
    for (const json& instance : claim["instances"]) {
      std::string verdict = text_of(instance.value("verdict", json()));
      bool matches = instance.value("matches_expected", false);
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%.2f", instance.value("seconds", 0.0));
      html << "<tr><td>" << escape_html(text_of(claim["id"])) << "<br><small>"
           << escape_html(text_of(claim.value("title", json()))) << "</small></td><td>"
           << escape_html(text_of(instance.value("label", json()))) << "</td><td class=\""
           << escape_html(verdict) << "\">" << escape_html(verdict) << "</td><td"
           << (matches ? "" : " class=\"mismatch\"") << ">"
           << escape_html(text_of(instance.value("expected", json())))
           << (matches ? "" : " (differs)") << "</td><td>"
           << escape_html(text_of(instance.value("summary", json())))
           << "</td><td><details><summary>show</summary><pre>"
           << escape_html(instance.value("enclosures", json()).dump(1)) << "</pre>";
      if (instance.contains("witness") && !instance["witness"].is_null()) {
        html << "<p>witness</p><pre>" << escape_html(instance["witness"].dump(1)) << "</pre>";
      }
      html << "</details></td><td>" << escape_html(text_of(instance.value("precision_bits", json())))
           << "</td><td>" << seconds << "</td></tr>\n";
    }
  }
  html << "</table>\n";
}

void write_inputs(std::ostream& html, const json& certificate) {
  std::vector<std::string> seen;
  html << "<h2>Inputs</h2>\n<table id=\"inputs\">\n<tr><th>claim</th><th>instance</th>"
          "<th>schedule</th><th>vectors</th></tr>\n";
  for (const json& claim : certificate["claims"]) {
    for (const json& instance : claim["instances"]) {
      const json& inputs = instance.value("inputs", json::object());
      html << "<tr><td>" << escape_html(text_of(claim["id"])) << "</td><td>"
           << escape_html(text_of(instance.value("label", json()))) << "</td><td><pre>"
           << escape_html(inputs.value("schedule", json()).dump(1)) << "</pre></td><td><pre>"
           << escape_html(inputs.value("vectors", json()).dump(1)) << "</pre></td></tr>\n";
    }
  }
  html << "</table>\n";
}

int run_report(const ReportOptions& options) {
  json certificate = read_certificate(options.certificate);
  fs::path out(options.out);
  fs::path directory = options.figures.empty()
                           ? out.parent_path() / (out.stem().string() + "_figures")
                           : fs::path(options.figures);

  std::vector<std::pair<FigurePlan, json>> figures;
  if (options.figures_enabled) {
    if (!plots::gnuplot_available()) {
      throw InputError("gnuplot was not found on PATH, so the report cannot draw its figures; "
                       "install it (Debian: apt-get install gnuplot-nox) or use --no-figures");
    }
    fs::create_directories(directory);
    for (FigurePlan& plan : plan_figures(certificate, options, directory)) {
      std::cerr << "report: " << plot_command_line(plan.arguments) << "\n";
      json result = make_plot_from_arguments(plan.arguments, true);
      figures.emplace_back(std::move(plan), std::move(result));
    }
  }

  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       << "<title>ropecert report: " << escape_html(options.certificate) << "</title>\n<style>"
       << kStyle << "</style>\n</head>\n<body>\n"
       << "<h1>ropecert report</h1>\n<p>Certificate <code>" << escape_html(options.certificate)
       << "</code>, created " << escape_html(text_of(certificate.value("created", json())))
       << ".</p>\n";
  const json& summary = certificate.value("summary", json::object());
  html << "<p id=\"summary\">" << text_of(summary.value("instances", json())) << " instances: "
       << text_of(summary.value("proved", json())) << " PROVED, "
       << text_of(summary.value("refuted", json())) << " REFUTED, "
       << text_of(summary.value("undecided", json())) << " UNDECIDED; "
       << text_of(summary.value("matched_expected", json()))
       << " equal the expected verdict.</p>\n"
       << "<p>Enclosures are outward-rounded: lower &le; true value &le; upper. The figures "
          "are drawn from certified bounds as well; each names the command that made it.</p>\n";
  write_claim_table(html, certificate);

  html << "<h2>Figures</h2>\n";
  if (figures.empty()) html << "<p>No figures: the certificate names no preset, or figures were disabled.</p>\n";
  for (const auto& [plan, result] : figures) {
    const json& files = result["figure"]["files"];
    fs::path png = files["png"].get<std::string>();
    fs::path svg = files["svg"].get<std::string>();
    fs::path script = files["script"].get<std::string>();
    std::error_code error;
    fs::path svg_link = fs::relative(svg, fs::absolute(out).parent_path(), error);
    if (error || svg_link.empty()) svg_link = svg;
    html << "<figure>\n<img alt=\"" << escape_html(plan.caption) << "\" src=\"data:image/png;base64,"
         << base64(read_binary(png)) << "\">\n<figcaption>" << escape_html(plan.caption)
         << " (<a href=\"" << escape_html(svg_link.string()) << "\">SVG</a>). Reproduce:<pre>"
         << escape_html(result["command"].get<std::string>()) << "</pre>or redraw from its data: "
         << "<code>cd " << escape_html(script.parent_path().string()) << " &amp;&amp; gnuplot "
         << escape_html(script.filename().string()) << "</code></figcaption>\n</figure>\n";
  }

  write_inputs(html, certificate);
  html << "<h2>Library versions</h2>\n<p>Recorded in the certificate:</p><pre>"
       << escape_html(certificate.value("libraries", json()).dump(1))
       << "</pre>\n<p>Of the ropecert that wrote this report:</p><pre>"
       << escape_html(claims::library_versions().dump(1)) << "</pre>\n</body>\n</html>\n";

  const std::string temporary = options.out + ".partial";
  {
    std::ofstream file(temporary);
    if (!file) throw InputError("cannot write report '" + options.out + "'; check its directory");
    file << html.str();
    if (!file) throw InputError("failed to write report '" + options.out + "'");
  }
  fs::rename(temporary, options.out);
  std::cout << "wrote " << options.out << " (" << figures.size() << " figures";
  if (!figures.empty()) std::cout << ", files in " << directory.string();
  std::cout << ")\n";
  return kExitOk;
}

const RegisterCommand kReport{{
    "report",
    "Write one self-contained HTML page for a certificate: claim table, figures of its presets, "
    "inputs, library versions and the command behind each figure",
    [](CLI::App& app) -> std::function<int()> {
      auto options = std::make_shared<ReportOptions>();
      app.add_option("CERTIFICATE", options->certificate, "Certificate JSON written by `check`")
          ->required();
      app.add_option("--out", options->out, "HTML file to write (default report.html)");
      app.add_option("--figures", options->figures,
                     "Directory for the figure files (default: REPORT_figures next to the report)");
      app.add_option("--sweep-max", options->sweep_max,
                     "Largest M in tokens of the inversion sweeps, from 1024 (default 131072)");
      app.add_option("--waveform-M", options->waveform_length,
                     "M in tokens of the waveforms and histograms (default 8192)");
      app.add_flag("!--no-figures", options->figures_enabled, "Write the tables only");
      return [options] { return run_report(*options); };
    }}};

}  // namespace

}  // namespace ropecert::cli
