#pragma once

// The options and the action of `ropecert plot`, shared with `ropecert
// report`, which builds plot argument lists and runs them through the same
// parser, so that the command printed in a report is the one that made the
// figure.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/model_options.hpp"

namespace ropecert::cli {

struct PlotOptions {
  std::string kind;
  ModelOptions model;

  std::int64_t M = 4096;                  // waveform, histogram, aliasing-map
  std::vector<std::int64_t> lengths;      // sweeps: explicit list
  std::int64_t first_length = 1024;       // sweeps: log-spaced from here
  std::int64_t last_length = 131072;      // ... to here
  int points = 8;
  std::vector<std::string> presets;       // one curve per preset
  std::vector<double> bases;              // one curve per base
  std::vector<std::string> formats{"bf16"};
  std::string second_key;                 // aliasing-map and token: file of k2
  std::optional<std::uint64_t> sample_k2; // aliasing-map and token: ensemble sample of k2
  int bins = 0;                           // 0: the kind's default
  std::int64_t cell = 0;                  // aliasing-map: 0 for ceil(M / 64)

  std::string out = ".";
  std::string name;                       // file stem; empty for the kind's default
  bool json = false;
  bool render = true;
};

const std::vector<std::string>& plot_kinds();

// Adds the plot options to `app` (the `plot` subcommand or a parser of the
// report's own plot argument lists).
void add_plot_options(CLI::App& app, PlotOptions& options);

// Computes the series, writes the CSV and script files, renders the images
// unless options.render is false, and returns what --json prints: the
// command, the inputs and the figure's values and files. `command` is the
// full command line, recorded in the script and the JSON.
nlohmann::json make_plot(const PlotOptions& options, const std::string& command);

// Parses `arguments` (without the leading "ropecert plot") with the plot
// options and runs make_plot. Raises InputError on a parse error.
nlohmann::json make_plot_from_arguments(const std::vector<std::string>& arguments,
                                        bool render);

// "ropecert plot ARG ..." with each argument quoted for a POSIX shell when needed.
std::string plot_command_line(const std::vector<std::string>& arguments);

}  // namespace ropecert::cli
