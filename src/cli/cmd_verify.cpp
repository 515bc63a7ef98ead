// ropecert verify: re-derive every claim instance of a certificate with the
// independent MPFI backend and report each disagreement.

#include <fstream>
#include <iostream>

#include "claims/coq_export.hpp"
#include "cli/command.hpp"
#include "cli/coq_options.hpp"
#include "util/input_error.hpp"
#include "verify/verifier.hpp"

namespace ropecert::cli {

namespace {

struct VerifyOptions {
  std::string certificate;
  bool allow_unverified = false;
  claims::CoqExportOptions coq;  // coq.directory empty: no export
};

nlohmann::json read_certificate(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    throw InputError("cannot read certificate '" + path +
                     "'; check that the file exists and is readable");
  }
  try {
    return nlohmann::json::parse(file);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError("certificate '" + path + "' is not valid JSON (byte " +
                     std::to_string(e.byte) + "); give a certificate written by 'ropecert check'");
  } catch (const nlohmann::json::out_of_range& e) {
    throw InputError("certificate '" + path + "' holds a number out of range (" + e.what() +
                     "); give a certificate written by 'ropecert check'");
  }
}

int run_verify(const VerifyOptions& options) {
  nlohmann::json certificate = read_certificate(options.certificate);
  verify::VerifyReport report = verify::verify_certificate(certificate, std::cout);
  if (!options.coq.directory.empty()) {
    // The files state the certificate's verdicts whether or not the MPFI
    // backend confirmed them, because coqc checks each lemma on its own.
    claims::export_coq(verify::coq_instances(certificate), options.coq, std::cout);
  }
  std::printf("\n%d instances: %d confirmed, %d UNDECIDED with agreeing enclosures, "
              "%d with disagreements, %d not verified\n",
              report.instances, report.confirmed, report.undecided, report.disagreements,
              report.unverified);
  if (report.unverified > 0 && !options.allow_unverified) {
    std::printf("instances of kinds without a verifier count as failures; "
                "pass --allow-unverified to accept them\n");
  }
  return report.passed(options.allow_unverified) ? kExitOk : kExitMismatch;
}

const RegisterCommand kVerify{{
    "verify",
    "Re-derive every claim instance of a certificate with the independent MPFI backend. "
    "Exit status: 0 when every PROVED and REFUTED verdict is confirmed and every recorded "
    "enclosure meets the recomputed one (UNDECIDED instances are only compared), 1 on any "
    "disagreement or unverified kind, 2 on invalid input",
    [](CLI::App& app) -> std::function<int()> {
      auto options = std::make_shared<VerifyOptions>();
      app.add_option("certificate", options->certificate, "Certificate JSON written by check")
          ->required();
      app.add_flag("--allow-unverified", options->allow_unverified,
                   "Accept instances of claim kinds that have no verifier (reported as not "
                   "verified)");
      add_coq_options(app, options->coq);
      return [options] { return run_verify(*options); };
    }}};

}  // namespace

}  // namespace ropecert::cli
