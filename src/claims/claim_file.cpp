#include "claims/claim_file.hpp"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "claims/json_encoding.hpp"
#include "util/input_error.hpp"

namespace ropecert::claims {

namespace {

namespace fs = std::filesystem;

nlohmann::json table_to_json(const toml::table& table) {
  std::ostringstream text;
  text << toml::json_formatter{table};
  return nlohmann::json::parse(text.str());
}

std::string required_string(const toml::table& doc, const std::string& key,
                            const std::string& path) {
  auto value = doc[key].value<std::string>();
  if (!value || value->empty()) {
    throw InputError("claim file '" + path + "': missing or empty string '" + key + "'");
  }
  return *value;
}

// Each [[instance]] may list `presets`, which expands it into one instance
// per preset.
std::vector<toml::table> expand_instance(const toml::table& defaults, const toml::table& instance) {
  toml::table merged = defaults;
  for (const auto& [key, value] : instance) merged.insert_or_assign(key, value);
  const toml::array* presets = merged["presets"].as_array();
  if (presets == nullptr) return {merged};

  std::vector<toml::table> expanded;
  for (const toml::node& name : *presets) {
    toml::table one = merged;
    one.erase("presets");
    one.insert_or_assign("preset", name);
    expanded.push_back(one);
  }
  return expanded;
}

nlohmann::json resolved_inputs(const Parameters& p) {
  nlohmann::json inputs;
  if (p.has("preset") || p.has("schedule")) inputs["schedule"] = to_json(read_schedule(p));
  if (p.has("vectors")) {
    VectorSource source = read_vectors(p);
    if (source.ensemble) {
      inputs["vectors"] = {{"ensemble", model::to_string(source.ensemble->kind)},
                           {"seed", source.ensemble->seed},
                           {"sample", source.sample},
                           {"rho", source.ensemble->rho},
                           {"generator", "SplitMix64 + Box-Muller in MPFR at 128 bits"}};
    } else {
      inputs["vectors"] = to_json(*source.fixed);
    }
  }
  return inputs;
}

}  // namespace

PreparedClaim load_claim_file(const std::string& path) {
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    std::ostringstream message;
    message << "invalid TOML in '" << path << "' at line " << e.source().begin.line
            << ", column " << e.source().begin.column << ": " << e.description();
    throw InputError(message.str());
  }

  PreparedClaim claim;
  claim.path = path;
  claim.id = required_string(doc, "id", path);
  claim.title = required_string(doc, "title", path);
  claim.kind = required_string(doc, "kind", path);
  claim.informal = required_string(doc, "informal", path);
  claim.formal = required_string(doc, "formal", path);
  claim.justification = required_string(doc, "justification", path);
  const ClaimKind& kind = [&]() -> const ClaimKind& {
    try {
      return find_claim_kind(claim.kind);
    } catch (const InputError& e) {
      throw InputError("claim file '" + path + "': " + e.what());
    }
  }();
  claim.statement = kind.statement;

  static const std::vector<std::string> known = {"id", "title", "kind", "informal", "formal",
                                                 "justification", "defaults", "instance"};
  for (const auto& [key, value] : doc) {
    if (std::find(known.begin(), known.end(), std::string(key.str())) == known.end()) {
      throw InputError("claim file '" + path + "': unknown top-level key '" +
                       std::string(key.str()) + "'; put instance parameters under [defaults] "
                       "or [[instance]]");
    }
  }

  toml::table defaults;
  if (doc.contains("defaults")) {
    const toml::table* table = doc["defaults"].as_table();
    if (table == nullptr) throw InputError("claim file '" + path + "': 'defaults' must be a table");
    defaults = *table;
  }
  const toml::array* instances = doc["instance"].as_array();
  if (instances == nullptr || instances->empty()) {
    throw InputError("claim file '" + path + "': no [[instance]] tables; add at least one");
  }

  const std::string directory = fs::path(path).parent_path().string();
  int index = 0;
  for (const toml::node& node : *instances) {
    ++index;
    const toml::table* instance = node.as_table();
    if (instance == nullptr) {
      throw InputError("claim file '" + path + "': instance " + std::to_string(index) +
                       " is not a table");
    }
    for (const toml::table& table : expand_instance(defaults, *instance)) {
      std::string label = table["label"].value_or(std::string());
      if (label.empty()) label = table["preset"].value_or(std::string("instance"));
      std::string where = "claim file '" + path + "', instance " + std::to_string(index) + " (" +
                          label + ")";
      Parameters parameters(table, where, directory.empty() ? "." : directory);
      parameters.touch("label");

      PreparedInstance prepared;
      prepared.label = label;
      prepared.parameters = table_to_json(table);
      try {
        prepared.expected = parse_verdict(parameters.get_string("expected"));
        prepared.inputs = resolved_inputs(parameters);
        if (parameters.has("preset") || parameters.has("schedule")) {
          prepared.schedule = read_schedule(parameters);
          if (parameters.has("vectors")) {
            prepared.vectors = read_vectors(parameters).get(prepared.schedule->rotary_dim);
          }
          prepared.scale = read_scale(parameters);
        }
        prepared.run = kind.prepare(parameters);
        parameters.reject_unused_keys();
      } catch (const InputError& e) {
        std::string message = e.what();
        if (message.rfind("claim file", 0) == 0) throw;
        throw InputError(where + ": " + message);
      }
      claim.instances.push_back(std::move(prepared));
    }
  }
  return claim;
}

std::vector<PreparedClaim> load_claims(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::directory_iterator(path, error)) {
        if (entry.path().extension() == ".toml") found.push_back(entry.path().string());
      }
      std::sort(found.begin(), found.end());
      if (found.empty()) throw InputError("no .toml claim files in '" + path + "'");
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(path, error)) {
      files.push_back(path);
    } else {
      throw InputError("claim path '" + path + "' not found; give a claim file or a directory");
    }
  }
  std::vector<PreparedClaim> claims;
  for (const std::string& file : files) claims.push_back(load_claim_file(file));
  return claims;
}

}  // namespace ropecert::claims
