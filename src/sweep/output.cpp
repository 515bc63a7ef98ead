#include "sweep/output.hpp"

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "claims/json_encoding.hpp"
#include "sweep/quantities.hpp"
#include "util/csv.hpp"
#include "util/input_error.hpp"

namespace ropecert::sweep {

namespace {

std::string json_text(const nlohmann::json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_float()) {
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", value.get<double>());
    return text;
  }
  return value.dump();
}

std::vector<std::string> cell_names(const SweepSpec& spec) {
  std::vector<std::string> names;
  for (const std::string& quantity : spec.quantities) {
    for (const std::string& cell : find_sweep_quantity(quantity).cell_names) names.push_back(cell);
  }
  return names;
}

bool has_formats(const SweepSpec& spec) {
  return !spec.points.empty() && !spec.points.front().format.empty();
}

std::string utc_now() {
  std::time_t now = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return text;
}

}  // namespace

std::string sweep_csv(const SweepSpec& spec, const std::vector<JournalEntry>& entries) {
  std::string out = "index,schedule,base,precision,pairing,scale,vectors,seed,sample,M";
  if (has_formats(spec)) out += ",format";
  for (const std::string& name : cell_names(spec)) out += "," + name + "_lower," + name + "_upper";
  out += "\n";
  for (const JournalEntry& entry : entries) {
    const nlohmann::json& row = entry.row;
    const nlohmann::json& parameters = row.at("parameters");
    const nlohmann::json& schedule = row.at("inputs").at("schedule");
    const nlohmann::json& vectors = parameters.at("vectors");
    bool ensemble = vectors.contains("ensemble");
    std::vector<std::string> fields = {
        json_text(row.at("index")),
        json_text(schedule.at("name")),
        json_text(schedule.at("base")),
        json_text(schedule.at("precision")),
        json_text(schedule.at("pairing")),
        json_text(parameters.at("scale")),
        ensemble ? json_text(vectors.at("ensemble")) : "explicit",
        ensemble ? json_text(vectors.at("seed")) : "",
        ensemble ? json_text(vectors.at("sample")) : "",
        json_text(parameters.at("M"))};
    if (has_formats(spec)) fields.push_back(json_text(parameters.at("format")));
    for (const std::string& name : cell_names(spec)) {
      fields.push_back(json_text(row.at("cells").at(name).at("lower")));
      fields.push_back(json_text(row.at("cells").at(name).at("upper")));
    }
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += ',';
      out += csv_field(fields[i]);
    }
    out += '\n';
  }
  return out;
}

nlohmann::json sweep_certificate(const SweepSpec& spec, const std::vector<JournalEntry>& entries) {
  nlohmann::json quantities = nlohmann::json::array();
  for (const std::string& name : spec.quantities) {
    const SweepQuantity& quantity = find_sweep_quantity(name);
    quantities.push_back({{"name", quantity.name},
                          {"definition", quantity.definition},
                          {"cells", quantity.cell_names}});
  }
  nlohmann::json rows = nlohmann::json::array();
  for (const JournalEntry& entry : entries) rows.push_back(entry.row);
  return {{"format", "ropecert-sweep-certificate"},
          {"format_version", 1},
          {"title", spec.title},
          {"grid_hash", spec.hash},
          {"spec", spec.spec_json},
          {"libraries", claims::library_versions()},
          {"conventions",
           {{"enclosures", "decimal strings rounded outward; lower <= true value <= upper"},
            {"S(m)", "sum_n Re(c_n exp(i m theta_n)), c_n = u_n conj(v_n)"},
            {"inversion", "near [0, floor(M/2)), far [floor(M/2), M)"},
            {"parameters",
             "claim-instance keys (preset or schedule, precision, pairing, vectors, scale) plus "
             "base (replaces the schedule's base when present), M and format"}}},
          {"quantities", quantities},
          {"rows", rows},
          {"summary", {{"points", entries.size()}}}};
}

nlohmann::json sweep_timings(const SweepSpec& spec, const std::vector<JournalEntry>& entries,
                             const RunInfo& info) {
  nlohmann::json points = nlohmann::json::array();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    points.push_back({{"index", i}, {"seconds", entries[i].seconds}, {"rank", entries[i].rank}});
  }
  return {{"format", "ropecert-sweep-timings"},
          {"format_version", 1},
          {"spec_file", spec.path},
          {"grid_hash", spec.hash},
          {"created", utc_now()},
          {"ranks", info.ranks},
          {"threads_per_rank", info.threads_per_rank},
          {"resumed_points", info.resumed_points},
          {"computed_points", info.computed_points},
          {"wall_seconds", info.wall_seconds},
          {"points", points}};
}

void write_file_atomically(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream file(temporary, std::ios::binary);
    if (!file) {
      throw InputError("cannot write '" + path + "'; check that its directory exists and is writable");
    }
    file << text;
    if (!file) throw InputError("failed to write '" + path + "'");
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) throw InputError("cannot move '" + temporary + "' to '" + path + "': " + error.message());
}

}  // namespace ropecert::sweep
