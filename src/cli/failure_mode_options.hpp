#pragma once

// Options and output helpers shared by the failure-mode subcommands
// (aliasing, invariance, token-inversion, token-aliasing).

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "cli/model_options.hpp"
#include "formats/storage_format.hpp"
#include "quantities/two_keys.hpp"

namespace ropecert::cli {

// One query and two keys. The schedule and the first key come from the
// usual model options; the second key from --k2 FILE, a "k2" array in the
// --vectors file, or, with --ensemble, the key of sample --sample-k2.
struct TwoKeyOptions {
  ModelOptions model;
  std::string k2_file;
  std::optional<std::uint64_t> sample_k2;
  std::optional<double> key_rho;

  void add_to(CLI::App& app);
  quantities::TwoKeyProducts build_products() const;
};

// The products of TwoKeyOptions for `model` and a second key from `k2_file`,
// the "k2" array of model.vectors, or ensemble sample `sample_k2` (default
// model.sample + 1), mixed with the first key by `key_rho` when given (ensembles
// only). `ropecert plot` calls it once per curve.
quantities::TwoKeyProducts build_two_key_products(const ModelOptions& model,
                                                  const std::string& k2_file,
                                                  std::optional<std::uint64_t> sample_k2,
                                                  std::optional<double> key_rho = std::nullopt);

// A description of where the second key comes from, such as "k2 from sample 2".
std::string describe_second_key(const ModelOptions& model, const std::string& k2_file,
                                std::optional<std::uint64_t> sample_k2);

// Adds --eps, the threshold of |S1(m) - S2(m)| for the two-key token counts.
void add_token_eps_option(CLI::App& app, std::optional<double>& eps);

// Adds --format (default bf16) to `app`.
void add_format_option(CLI::App& app, std::string& format);

// Adds --M (required) to `app`.
void add_length_option(CLI::App& app, std::int64_t& M);

// "N" when the count is exact, else "between C and P".
std::string count_text(std::uint64_t certain, std::uint64_t possible);

// "[lo, hi]" of two doubles, 6 significant digits.
std::string fraction_text(double lower, double upper);

}  // namespace ropecert::cli
