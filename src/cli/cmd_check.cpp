// ropecert check: decide every claim instance in claim files and write a
// certificate.

#include <iostream>

#include "claims/coq_export.hpp"
#include "claims/engine.hpp"
#include "cli/command.hpp"
#include "cli/coq_options.hpp"

namespace ropecert::cli {

namespace {

struct CheckOptions {
  std::vector<std::string> paths;
  std::string certificate = "certificate.json";
  bool json = false;
  claims::CoqExportOptions coq;  // coq.directory empty: no export
};

int run_check(const CheckOptions& options) {
  // Every file is read and checked before any computation starts.
  std::vector<claims::PreparedClaim> claims = claims::load_claims(options.paths);
  std::ostream* table = options.json ? nullptr : &std::cout;
  claims::CheckResult result = claims::run_claims(claims, table);
  claims::write_certificate(result.certificate, options.certificate);
  if (!options.coq.directory.empty()) {
    std::vector<std::vector<claims::Verdict>> verdicts;
    for (const auto& claim : result.certificate.at("claims")) {
      verdicts.emplace_back();
      for (const auto& instance : claim.at("instances")) {
        verdicts.back().push_back(claims::parse_verdict(instance.at("verdict")));
      }
    }
    std::ostream& log = options.json ? std::cerr : std::cout;
    claims::export_coq(claims::coq_instances(claims, verdicts), options.coq, log);
  }

  const claims::CheckSummary& s = result.summary;
  if (options.json) {
    std::cout << result.certificate.dump(2) << "\n";
  } else {
    std::printf("\n%d instances: %d PROVED, %d REFUTED, %d UNDECIDED; %d of %d as expected; "
                "%.1f s\ncertificate: %s\n",
                s.instances, s.proved, s.refuted, s.undecided, s.matched, s.instances, s.seconds,
                options.certificate.c_str());
  }
  return s.all_match() ? kExitOk : kExitMismatch;
}

const RegisterCommand kCheck{{
    "check",
    "Decide every claim in claim files (TOML) as PROVED, REFUTED or UNDECIDED and write a JSON "
    "certificate. Exit status: 0 when every verdict matches the expected one, 1 when one "
    "differs, 2 on invalid input",
    [](CLI::App& app) -> std::function<int()> {
      auto options = std::make_shared<CheckOptions>();
      app.add_option("paths", options->paths, "Claim files or directories of *.toml files")
          ->required();
      app.add_option("--certificate", options->certificate,
                     "Where to write the certificate (default certificate.json)");
      app.add_flag("--json", options->json, "Print the certificate instead of the table");
      add_coq_options(app, options->coq);
      return [options] { return run_check(*options); };
    }}};

}  // namespace

}  // namespace ropecert::cli
