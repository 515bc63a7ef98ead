#pragma once

// `check --emit-coq DIR`: one Coq file per claim instance, with the
// definitions of what the claim is about and lemmas for the inequalities that
// decided its verdict, each closed by the Interval library's `interval` or
// `integral` tactic so that Coq's kernel checks it. docs/coq.md says which
// parts of a verdict are kernel-checked and which rest on Arb.

#include <cstdint>
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

// Writes the files into options.directory (created when missing) and
// returns what was written. `results` holds the verdict of each instance in
// claim order, as run_claims produced them.
CoqExportSummary export_coq(const std::vector<PreparedClaim>& claims,
                            const std::vector<std::vector<Verdict>>& results,
                            const CoqExportOptions& options, std::ostream& log);

}  // namespace ropecert::claims
