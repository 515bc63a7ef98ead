#pragma once

// `check --emit-coq DIR` and `verify CERT --emit-coq DIR`: one Coq file per
// claim instance, with the
// definitions of what the claim is about and lemmas for the inequalities that
// decided its verdict, each closed by the Interval library's `interval` or
// `integral` tactic so that Coq's kernel checks it. docs/coq.md lists which
// parts of a verdict are kernel-checked and which rest on Arb.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "claims/claim_file.hpp"

namespace ropecert::claims {

struct CoqExportOptions {
  std::string directory;
  // Instances with at most this many pairs export every case; larger ones
  // export the decisive case and a seeded sample, up to max_lemmas lemmas.
  int full_pairs = 8;
  int max_lemmas = 12;
  // Instances with more pairs than this are skipped.
  int max_pairs = 64;
  std::uint64_t seed = 1;  // SplitMix64 seed of the sampled cases and comparisons
};

struct CoqExportSummary {
  int files = 0;
  int lemmas = 0;
  std::vector<std::string> skipped;  // "claim / instance: reason"
};

// One decided claim instance with what the exporter needs. `check` builds
// these from the claim files it decided, `verify` from a certificate.
struct CoqInstance {
  std::string claim_id;
  std::string kind;
  std::string statement;  // the kind's formal statement
  std::string label;
  std::size_t index = 0;  // position of the instance in its claim, part of the file name
  nlohmann::json parameters;
  // Empty when the instance names no schedule or no vectors (then skipped).
  std::optional<model::RopeSchedule> schedule;
  std::optional<model::VectorInput> vectors;  // sample 0 of an ensemble
  model::OutputScale scale;
  Verdict expected = Verdict::Undecided;
  Verdict verdict = Verdict::Undecided;
};

// Pairs each prepared instance with its verdict. `results` contains the verdict
// of each instance in claim order, as run_claims produced them.
std::vector<CoqInstance> coq_instances(const std::vector<PreparedClaim>& claims,
                                       const std::vector<std::vector<Verdict>>& results);

// Writes the files into options.directory (created when missing), logs one
// line per file, per skipped instance and a summary line, and returns what
// was written.
CoqExportSummary export_coq(const std::vector<CoqInstance>& instances,
                            const CoqExportOptions& options, std::ostream& log);

}  // namespace ropecert::claims
