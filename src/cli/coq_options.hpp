#pragma once

// The --emit-coq options, shared by `check` and `verify`.

#include <CLI/CLI.hpp>

#include "claims/coq_export.hpp"

namespace ropecert::cli {

// Adds --emit-coq, --coq-max-lemmas, --coq-max-pairs and --coq-seed to `app`,
// stored in `options` (options.directory stays empty without --emit-coq).
void add_coq_options(CLI::App& app, claims::CoqExportOptions& options);

}  // namespace ropecert::cli
