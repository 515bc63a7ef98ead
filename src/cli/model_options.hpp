#pragma once

// Options shared by the subcommands that evaluate one RoPE product: the
// schedule (a preset, a config.json or explicit numbers), the query and key,
// and the output scaling.

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>

#include "model/ensemble.hpp"
#include "model/rope_product.hpp"

namespace ropecert::cli {

struct ModelOptions {
  std::string preset;
  std::string config;
  std::optional<int> dim;
  std::optional<double> base;
  std::string schedule;
  std::optional<double> factor;
  std::optional<std::int64_t> original_context;
  std::optional<double> low_freq_factor;
  std::optional<double> high_freq_factor;
  std::optional<double> beta_fast;
  std::optional<double> beta_slow;
  bool no_truncate = false;
  std::string pairing;
  std::string precision = "exact";

  std::string vectors;
  std::string q_file;
  std::string k_file;
  std::string ensemble;
  std::uint64_t seed = 0;
  std::uint64_t sample = 0;
  double rho = 0.5;

  std::string scale = "none";

  void add_to(CLI::App& app);

  model::RopeSchedule build_schedule() const;
  model::VectorInput build_input(int rotary_dim) const;
  model::OutputScale build_scale() const;
  std::unique_ptr<model::RopeProduct> build_product() const;
};

}  // namespace ropecert::cli
