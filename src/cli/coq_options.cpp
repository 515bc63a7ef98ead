#include "cli/coq_options.hpp"

namespace ropecert::cli {

void add_coq_options(CLI::App& app, claims::CoqExportOptions& options) {
  app.add_option("--emit-coq", options.directory,
                 "Also write one Coq file (.v) per claim instance into this directory, with "
                 "lemmas for the inequalities that decided its verdict (see docs/coq.md)");
  app.add_option("--coq-max-lemmas", options.max_lemmas,
                 "Lemmas per file for instances with more than 8 pairs (default 12)");
  app.add_option("--coq-max-pairs", options.max_pairs,
                 "Skip instances with more pairs than this (default 64)");
  app.add_option("--coq-seed", options.seed,
                 "Seed of the sampled cases and comparisons (default 1)");
}

}  // namespace ropecert::cli
