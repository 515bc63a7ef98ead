#pragma once

// Runs prepared claims, prints the verdict table and builds the certificate.

#include <nlohmann/json.hpp>

#include <functional>
#include <ostream>

#include "claims/claim_file.hpp"

namespace ropecert::claims {

struct CheckSummary {
  int instances = 0;
  int matched = 0;
  int proved = 0;
  int refuted = 0;
  int undecided = 0;
  double seconds = 0.0;
  bool all_match() const { return matched == instances; }
};

struct CheckResult {
  nlohmann::json certificate;
  CheckSummary summary;
};

// Runs every instance in order. `table`, when given, receives one line per
// instance as it finishes, after a header line.
CheckResult run_claims(const std::vector<PreparedClaim>& claims, std::ostream* table);

// Writes the certificate to `path` through a temporary file and a rename, so
// that an interrupted run never leaves a partial certificate.
void write_certificate(const nlohmann::json& certificate, const std::string& path);

}  // namespace ropecert::claims
