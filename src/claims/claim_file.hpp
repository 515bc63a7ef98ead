#pragma once

// Claim files: TOML files in proofs/, one claim each, with its instances.
// The format is documented in the README ("Claim files").

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "claims/claim_kind.hpp"

namespace ropecert::claims {

struct PreparedInstance {
  std::string label;
  nlohmann::json parameters;  // the instance's TOML table as JSON, defaults merged
  nlohmann::json inputs;      // the resolved schedule and vectors
  // The same inputs as model objects, for exporters that re-derive the
  // decisive inequalities (--emit-coq). Empty when the instance names no
  // schedule or no vectors; `vectors` is sample 0 of an ensemble.
  std::optional<model::RopeSchedule> schedule;
  std::optional<model::VectorInput> vectors;
  model::OutputScale scale;
  Verdict expected = Verdict::Undecided;
  InstanceRunner run;
};

struct PreparedClaim {
  std::string path;
  std::string id;
  std::string title;
  std::string kind;
  std::string statement;  // the kind's formal statement
  std::string informal;   // the informal claim, restated in the claim file's own words
  std::string formal;     // the claim file's formal version
  std::string justification;
  std::vector<PreparedInstance> instances;
};

// Reads every claim file: a path may be a file or a directory, whose *.toml
// files are read in name order. Raises InputError on the first invalid file;
// nothing is computed before every file has been read and checked.
std::vector<PreparedClaim> load_claims(const std::vector<std::string>& paths);

PreparedClaim load_claim_file(const std::string& path);

}  // namespace ropecert::claims
