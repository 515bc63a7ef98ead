#include "claims/engine.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "claims/json_encoding.hpp"
#include "util/input_error.hpp"

namespace ropecert::claims {

namespace {

std::string utc_now() {
  std::time_t now = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return text;
}

std::string table_row(const std::string& id, const std::string& label, const std::string& verdict,
                      const std::string& expected, const std::string& status, double seconds) {
  char line[256];
  std::snprintf(line, sizeof line, "%-8s %-28s %-10s %-10s %-8s %8.2f s", id.c_str(),
                label.substr(0, 28).c_str(), verdict.c_str(), expected.c_str(), status.c_str(),
                seconds);
  return line;
}

}  // namespace

CheckResult run_claims(const std::vector<PreparedClaim>& claims, std::ostream* table) {
  using clock = std::chrono::steady_clock;
  CheckResult out;
  auto start = clock::now();
  if (table) {
    *table << table_row("claim", "instance", "verdict", "expected", "status", 0.0).substr(0, 68)
           << "    time\n";
  }

  nlohmann::json claim_list = nlohmann::json::array();
  for (const PreparedClaim& claim : claims) {
    nlohmann::json instances = nlohmann::json::array();
    for (const PreparedInstance& instance : claim.instances) {
      auto instance_start = clock::now();
      InstanceResult result = instance.run();
      double seconds = std::chrono::duration<double>(clock::now() - instance_start).count();

      bool matches = result.verdict == instance.expected;
      ++out.summary.instances;
      out.summary.matched += matches ? 1 : 0;
      out.summary.proved += result.verdict == Verdict::Proved;
      out.summary.refuted += result.verdict == Verdict::Refuted;
      out.summary.undecided += result.verdict == Verdict::Undecided;

      if (table) {
        *table << table_row(claim.id, instance.label, to_string(result.verdict),
                            to_string(instance.expected), matches ? "ok" : "MISMATCH", seconds)
               << "\n         " << result.summary << "\n";
        table->flush();
      }
      instances.push_back({{"label", instance.label},
                           {"parameters", instance.parameters},
                           {"inputs", instance.inputs},
                           {"verdict", to_string(result.verdict)},
                           {"expected", to_string(instance.expected)},
                           {"matches_expected", matches},
                           {"summary", result.summary},
                           {"enclosures", result.enclosures},
                           {"witness", result.witness},
                           {"precision_bits", result.precision_bits},
                           {"seconds", seconds}});
    }
    claim_list.push_back({{"id", claim.id},
                          {"title", claim.title},
                          {"file", claim.path},
                          {"kind", claim.kind},
                          {"statement", claim.statement},
                          {"informal", claim.informal},
                          {"formal", claim.formal},
                          {"justification", claim.justification},
                          {"instances", instances}});
  }
  out.summary.seconds = std::chrono::duration<double>(clock::now() - start).count();

  out.certificate = {
      {"format", "ropecert-certificate"},
      {"format_version", 1},
      {"created", utc_now()},
      {"libraries", library_versions()},
      {"conventions",
       {{"enclosures", "decimal strings rounded outward; lower <= true value <= upper"},
        {"S(m)", "sum_n Re(c_n exp(i m theta_n)), c_n = u_n conj(v_n)"},
        {"inversion", "near [0, floor(M/2)), far [floor(M/2), M)"}}},
      {"claims", claim_list},
      {"summary",
       {{"instances", out.summary.instances},
        {"matched_expected", out.summary.matched},
        {"proved", out.summary.proved},
        {"refuted", out.summary.refuted},
        {"undecided", out.summary.undecided},
        {"seconds", out.summary.seconds}}}};
  return out;
}

void write_certificate(const nlohmann::json& certificate, const std::string& path) {
  namespace fs = std::filesystem;
  const std::string temporary = path + ".partial";
  {
    std::ofstream file(temporary);
    if (!file) {
      throw InputError("cannot write certificate '" + path +
                       "'; check that its directory exists and is writable");
    }
    file << certificate.dump(2) << "\n";
    if (!file) throw InputError("failed to write certificate '" + path + "'");
  }
  std::error_code error;
  fs::rename(temporary, path, error);
  if (error) throw InputError("cannot move certificate into '" + path + "': " + error.message());
}

}  // namespace ropecert::claims
