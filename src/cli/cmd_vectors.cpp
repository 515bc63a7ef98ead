// ropecert vectors: prints the query and key of a seeded ensemble sample, so
// that other tools can use exactly the vectors a claim used.

#include <iostream>

#include "claims/json_encoding.hpp"
#include "cli/command.hpp"
#include "model/ensemble.hpp"
#include "util/input_error.hpp"

namespace ropecert::cli {

namespace {

struct VectorsOptions {
  std::string ensemble = "gaussian";
  std::uint64_t seed = 0;
  std::uint64_t sample = 0;
  double rho = 0.5;
  int dim = 0;
};

int run_vectors(const VectorsOptions& options) {
  if (options.dim < 2 || options.dim % 2 != 0 || options.dim > 65536) {
    throw InputError("rotary dimension " + std::to_string(options.dim) +
                     " is invalid; give an even number between 2 and 65536");
  }
  model::EnsembleSpec spec{model::parse_ensemble_kind(options.ensemble), options.seed, options.rho};
  nlohmann::json out = claims::to_json(model::ensemble_sample(spec, options.sample, options.dim));
  out["ensemble"] = options.ensemble;
  out["seed"] = options.seed;
  out["sample"] = options.sample;
  if (spec.kind == model::EnsembleKind::Correlated) out["rho"] = options.rho;
  std::cout << out.dump(2) << "\n";
  return kExitOk;
}

const RegisterCommand kVectors{{
    "vectors",
    "Print the query and key (or amplitudes and phases) of a seeded ensemble sample as JSON",
    [](CLI::App& app) -> std::function<int()> {
      auto options = std::make_shared<VectorsOptions>();
      app.add_option("--ensemble", options->ensemble,
                     "gaussian, correlated or aligned (default gaussian)");
      app.add_option("--seed", options->seed, "Seed, below 2^32 (default 0)");
      app.add_option("--sample", options->sample, "Sample number (default 0)");
      app.add_option("--rho", options->rho, "Correlation for correlated (default 0.5)");
      app.add_option("--dim", options->dim, "Rotary dimension d (even)")->required();
      return [options] { return run_vectors(*options); };
    }}};

}  // namespace

}  // namespace ropecert::cli
