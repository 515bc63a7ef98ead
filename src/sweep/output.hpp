#pragma once

// The outputs of a finished sweep: the table as CSV, the certificate (JSON,
// the table's rows with their parameters and enclosures) and the timings.
// The CSV and the certificate depend only on the grid and the results, so
// runs with any number of threads or ranks, resumed or not, write them
// byte for byte the same; everything that varies between runs goes into the
// timing file.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "sweep/grid.hpp"
#include "sweep/journal.hpp"

namespace ropecert::sweep {

struct RunInfo {
  int ranks = 1;
  int threads_per_rank = 1;
  std::int64_t resumed_points = 0;
  std::int64_t computed_points = 0;
  double wall_seconds = 0.0;
};

std::string sweep_csv(const SweepSpec& spec, const std::vector<JournalEntry>& entries);
nlohmann::json sweep_certificate(const SweepSpec& spec, const std::vector<JournalEntry>& entries);
nlohmann::json sweep_timings(const SweepSpec& spec, const std::vector<JournalEntry>& entries,
                             const RunInfo& info);

// Writes `text` to `path` through a temporary file and a rename.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace ropecert::sweep
