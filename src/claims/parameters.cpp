#include "claims/parameters.hpp"

#include <cmath>

#include "model/presets.hpp"
#include "util/input_error.hpp"

namespace ropecert::claims {

Parameters::Parameters(toml::table table, std::string where, std::string directory)
    : table_(std::move(table)), where_(std::move(where)), directory_(std::move(directory)) {}

void Parameters::fail(const std::string& message) const { throw InputError(where_ + ": " + message); }

bool Parameters::has(const std::string& key) const { return table_.contains(key); }

const toml::node& Parameters::node(const std::string& key) const {
  used_.insert(key);
  const toml::node* found = table_.get(key);
  if (found == nullptr) fail("missing key '" + key + "'");
  return *found;
}

std::string Parameters::get_string(const std::string& key) const {
  auto value = node(key).value<std::string>();
  if (!value) fail("key '" + key + "' must be a string");
  return *value;
}

std::string Parameters::get_string(const std::string& key, const std::string& fallback) const {
  return has(key) ? get_string(key) : (touch(key), fallback);
}

std::int64_t Parameters::get_int(const std::string& key) const {
  const toml::node& n = node(key);
  if (!n.is_integer()) fail("key '" + key + "' must be an integer");
  return *n.value<std::int64_t>();
}

std::int64_t Parameters::get_int(const std::string& key, std::int64_t fallback) const {
  return has(key) ? get_int(key) : (touch(key), fallback);
}

double Parameters::get_double(const std::string& key) const {
  const toml::node& n = node(key);
  if (!n.is_number()) fail("key '" + key + "' must be a number");
  double value = *n.value<double>();
  if (!std::isfinite(value)) fail("key '" + key + "' must be a finite number");
  return value;
}

double Parameters::get_double(const std::string& key, double fallback) const {
  return has(key) ? get_double(key) : (touch(key), fallback);
}

std::vector<std::int64_t> Parameters::get_int_list(const std::string& key) const {
  const toml::node& n = node(key);
  std::vector<std::int64_t> out;
  if (n.is_integer()) return {*n.value<std::int64_t>()};
  const toml::array* array = n.as_array();
  if (array == nullptr) fail("key '" + key + "' must be an integer or a list of integers");
  for (const toml::node& item : *array) {
    if (!item.is_integer()) fail("key '" + key + "' must hold integers only");
    out.push_back(*item.value<std::int64_t>());
  }
  if (out.empty()) fail("key '" + key + "' must not be empty");
  return out;
}

std::vector<double> Parameters::get_double_list(const std::string& key) const {
  const toml::node& n = node(key);
  if (n.is_number()) return {*n.value<double>()};
  const toml::array* array = n.as_array();
  if (array == nullptr) fail("key '" + key + "' must be a number or a list of numbers");
  std::vector<double> out;
  for (const toml::node& item : *array) {
    if (!item.is_number()) fail("key '" + key + "' must hold numbers only");
    double value = *item.value<double>();
    if (!std::isfinite(value)) fail("key '" + key + "' must hold finite numbers only");
    out.push_back(value);
  }
  if (out.empty()) fail("key '" + key + "' must not be empty");
  return out;
}

std::vector<std::string> Parameters::get_string_list(const std::string& key) const {
  const toml::node& n = node(key);
  if (n.is_string()) return {*n.value<std::string>()};
  const toml::array* array = n.as_array();
  if (array == nullptr) fail("key '" + key + "' must be a string or a list of strings");
  std::vector<std::string> out;
  for (const toml::node& item : *array) {
    if (!item.is_string()) fail("key '" + key + "' must hold strings only");
    out.push_back(*item.value<std::string>());
  }
  if (out.empty()) fail("key '" + key + "' must not be empty");
  return out;
}

std::vector<std::pair<std::int64_t, std::int64_t>> Parameters::get_int_pairs(
    const std::string& key) const {
  const toml::array* array = node(key).as_array();
  if (array == nullptr) fail("key '" + key + "' must be a list of [first, end] pairs");
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (const toml::node& item : *array) {
    const toml::array* pair = item.as_array();
    if (pair == nullptr || pair->size() != 2 || !(*pair)[0].is_integer() ||
        !(*pair)[1].is_integer()) {
      fail("key '" + key + "' must be a list of [first, end] integer pairs");
    }
    out.emplace_back(*(*pair)[0].value<std::int64_t>(), *(*pair)[1].value<std::int64_t>());
  }
  if (out.empty()) fail("key '" + key + "' must not be empty");
  return out;
}

const toml::table& Parameters::get_table(const std::string& key) const {
  const toml::table* t = node(key).as_table();
  if (t == nullptr) fail("key '" + key + "' must be a table");
  return *t;
}

void Parameters::reject_unused_keys() const {
  for (const auto& [key, value] : table_) {
    std::string name(key.str());
    if (used_.count(name) == 0) {
      fail("unknown key '" + name + "'; check its spelling against the claim kind's keys");
    }
  }
}

model::RopeSchedule read_schedule(const Parameters& p) {
  try {
    model::RopeSchedule s;
    if (p.has("preset") && p.has("schedule")) p.fail("give either 'preset' or 'schedule', not both");
    if (p.has("preset")) {
      s = model::preset(p.get_string("preset"));
    } else if (p.has("schedule")) {
      Parameters t(p.get_table("schedule"), p.where() + ", schedule", p.directory());
      s.name = t.get_string("name", "custom");
      s.rotary_dim = static_cast<int>(t.get_int("dim"));
      s.base = t.get_double("base");
      s.scaling.kind = model::parse_schedule_kind(t.get_string("kind", "default"));
      s.scaling.factor = t.get_double("factor", 1.0);
      s.scaling.original_context = t.get_int("original_context", 0);
      s.scaling.low_freq_factor = t.get_double("low_freq_factor", 1.0);
      s.scaling.high_freq_factor = t.get_double("high_freq_factor", 4.0);
      s.scaling.beta_fast = t.get_double("beta_fast", 32.0);
      s.scaling.beta_slow = t.get_double("beta_slow", 1.0);
      if (t.has("truncate")) {
        auto truncate = t.table().get("truncate")->value<bool>();
        t.touch("truncate");
        if (!truncate) t.fail("key 'truncate' must be true or false");
        s.scaling.truncate = *truncate;
      }
      s.pairing = model::parse_pairing(t.get_string("pairing", "half"));
      t.reject_unused_keys();
    } else {
      p.fail("missing 'preset' or 'schedule'");
    }
    if (p.has("pairing")) s.pairing = model::parse_pairing(p.get_string("pairing"));
    s.precision = model::parse_precision_mode(p.get_string("precision", "exact"));
    model::validate(s);
    return s;
  } catch (const InputError& e) {
    std::string message = e.what();
    if (message.rfind(p.where(), 0) == 0) throw;
    p.fail(message);
  }
}

model::VectorInput VectorSource::get(int rotary_dim, std::uint64_t sample_offset) const {
  if (ensemble) return model::ensemble_sample(*ensemble, sample + sample_offset, rotary_dim);
  return *fixed;
}

VectorSource read_vectors(const Parameters& p) {
  Parameters v(p.get_table("vectors"), p.where() + ", vectors", p.directory());
  VectorSource source;
  try {
    if (v.has("ensemble")) {
      model::EnsembleSpec spec;
      spec.kind = model::parse_ensemble_kind(v.get_string("ensemble"));
      std::int64_t seed = v.get_int("seed", 0);
      std::int64_t sample = v.get_int("sample", 0);
      if (seed < 0 || seed >= (std::int64_t{1} << 32) || sample < 0) {
        v.fail("seed must be in [0, 2^32) and sample non-negative");
      }
      spec.seed = static_cast<std::uint64_t>(seed);
      spec.rho = v.get_double("rho", 0.0);
      if (spec.kind == model::EnsembleKind::Correlated && !(spec.rho >= -1 && spec.rho <= 1)) {
        v.fail("rho " + std::to_string(spec.rho) + " is invalid; give a value in [-1, 1]");
      }
      source.ensemble = spec;
      source.sample = static_cast<std::uint64_t>(sample);
    } else if (v.has("file")) {
      std::string file = v.get_string("file");
      if (!file.empty() && file[0] != '/') file = p.directory() + "/" + file;
      source.fixed = model::read_vector_json(file);
    } else if (v.has("q") || v.has("k")) {
      source.fixed = model::QueryKey{v.get_double_list("q"), v.get_double_list("k")};
    } else if (v.has("amplitude")) {
      source.fixed = model::AmplitudePhase{v.get_double_list("amplitude"), v.get_double_list("phase")};
    } else {
      v.fail("give 'ensemble', 'file', 'q' and 'k', or 'amplitude' and 'phase'");
    }
    v.reject_unused_keys();
  } catch (const InputError& e) {
    std::string message = e.what();
    if (message.rfind(p.where(), 0) == 0) throw;
    p.fail(message);
  }
  return source;
}

model::OutputScale read_scale(const Parameters& p) {
  std::string scale = p.get_string("scale", "none");
  if (scale == "none") return {};
  if (scale == "inv-sqrt-d") return {true, false};
  if (scale == "attention") return {false, true};
  if (scale == "both") return {true, true};
  p.fail("unknown scale '" + scale + "'; use none, inv-sqrt-d, attention or both");
}

}  // namespace ropecert::claims
