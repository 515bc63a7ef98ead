#pragma once

// Re-derivation of certificates with the MPFI backend. Each claim kind
// registers a verifier that recomputes the statement of one instance from the
// certificate's recorded inputs and parameters, compares every enclosure the
// certificate recorded with its own, and returns its own verdict.
//
// A kind registers from its own file, so kinds added later need no edit here:
//
//   const RegisterVerifier kMine{"my-kind", [](const VerifyInput& in) { ... }};
//
// The verify sources are built as an object library, so every registration
// is linked even though nothing refers to it by name.

#include <nlohmann/json.hpp>

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "claims/coq_export.hpp"
#include "claims/verdict.hpp"
#include "model/rope_product.hpp"
#include "mpfi_backend/backend.hpp"

namespace ropecert::verify {

using nlohmann::json;

// One instance of a certificate, with its inputs parsed.
struct VerifyInput {
  const json& claim;     // the claim object: id, kind, ...
  const json& instance;  // the instance object: parameters, inputs, enclosures, verdict, ...
  model::RopeSchedule schedule;
  model::OutputScale scale;
  // The vectors, for sample offset 0 .. samples-1 of an ensemble (a fixed
  // input ignores the offset).
  std::function<model::VectorInput(std::uint64_t sample_offset)> vectors;

  const json& parameters() const { return instance.at("parameters"); }
  const json& enclosures() const { return instance.at("enclosures"); }
};

// A recorded enclosure or count that the second backend contradicts.
struct Disagreement {
  std::string what;         // which quantity, with its case (pair, window, M)
  std::string certificate;  // the certificate's value
  std::string recomputed;   // the MPFI backend's value
};

struct VerifyOutcome {
  claims::Verdict verdict = claims::Verdict::Undecided;  // the second backend's own
  std::vector<Disagreement> disagreements;
  std::string summary;
};

using Verifier = std::function<VerifyOutcome(const VerifyInput&)>;

struct RegisterVerifier {
  RegisterVerifier(std::string kind, Verifier verifier);
};

// nullptr for a kind without a verifier.
const Verifier* find_verifier(const std::string& kind);
std::vector<std::string> verified_kinds();

struct VerifyReport {
  int instances = 0;
  int confirmed = 0;     // verdict and every enclosure agree
  int undecided = 0;     // UNDECIDED in the certificate, enclosures agree
  int disagreements = 0; // instances with any disagreement
  int unverified = 0;    // kinds without a verifier
  bool passed(bool allow_unverified) const {
    return disagreements == 0 && (allow_unverified || unverified == 0);
  }
};

// Verifies every instance; `log` receives one line per instance and one per
// disagreement. Raises InputError for a certificate that is not one.
VerifyReport verify_certificate(const json& certificate, std::ostream& log);

// The certificate's instances with their recorded verdicts, for
// `verify --emit-coq`. Raises InputError for a certificate that is not one.
std::vector<claims::CoqInstance> coq_instances(const json& certificate);

// Helpers for verifiers.

// The certificate's enclosure {"lower": "...", "upper": "..."} as an interval.
mpfi_backend::Interval recorded_interval(const json& enclosure);

// Adds a disagreement when `recorded` and `recomputed` are disjoint.
void compare(const std::string& what, const json& recorded,
             const mpfi_backend::Interval& recomputed, VerifyOutcome& outcome);

// Combines per-case outcomes like the engine: any False gives REFUTED, else
// any Unknown gives UNDECIDED, else PROVED.
claims::Verdict combine(const std::vector<interval::Tribool>& cases);

// The M list of a parameter table (an integer or a list of integers).
std::vector<std::int64_t> lengths(const json& parameters);

}  // namespace ropecert::verify
