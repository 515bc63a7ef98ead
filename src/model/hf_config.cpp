#include "model/hf_config.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

#include "util/input_error.hpp"

namespace ropecert::model {

namespace {

using nlohmann::json;

double number_field(const json& object, const std::string& key, const std::string& where) {
  const json& value = object.at(key);
  if (!value.is_number()) {
    throw InputError(where + ": field '" + key + "' is " + value.dump() + "; give a number");
  }
  return value.get<double>();
}

std::int64_t integer_field(const json& object, const std::string& key, const std::string& where) {
  double value = number_field(object, key, where);
  if (value != std::floor(value) || std::abs(value) > 9.0e15) {
    throw InputError(where + ": field '" + key + "' must be an integer");
  }
  return static_cast<std::int64_t>(value);
}

Scaling read_scaling(const json& rs, const std::string& where) {
  if (!rs.is_object()) throw InputError(where + ": 'rope_scaling' must be an object or null");
  std::string type;
  if (rs.contains("rope_type") && rs["rope_type"].is_string()) {
    type = rs["rope_type"].get<std::string>();
  } else if (rs.contains("type") && rs["type"].is_string()) {
    type = rs["type"].get<std::string>();
  } else {
    throw InputError(where + ": 'rope_scaling' has no 'rope_type'");
  }

  Scaling sc;
  if (type == "default") return sc;
  if (type == "linear") sc.kind = ScheduleKind::Linear;
  else if (type == "ntk") sc.kind = ScheduleKind::Ntk;
  else if (type == "dynamic") {
    // Dynamic NTK changes the base with the sequence length, and equals the
    // default schedule up to the configured context.
    throw InputError(where + ": rope_scaling type 'dynamic' depends on the sequence length; "
                     "check it with --schedule ntk --factor F (the static form) instead");
  }
  else if (type == "yarn") sc.kind = ScheduleKind::Yarn;
  else if (type == "llama3") sc.kind = ScheduleKind::Llama3;
  else {
    throw InputError(where + ": rope_scaling type '" + type +
                     "' is not supported; supported: default, linear, dynamic, yarn, llama3");
  }

  if (!rs.contains("factor")) throw InputError(where + ": 'rope_scaling' has no 'factor'");
  sc.factor = number_field(rs, "factor", where);
  if (rs.contains("original_max_position_embeddings")) {
    sc.original_context = integer_field(rs, "original_max_position_embeddings", where);
  }
  if (rs.contains("beta_fast")) sc.beta_fast = number_field(rs, "beta_fast", where);
  if (rs.contains("beta_slow")) sc.beta_slow = number_field(rs, "beta_slow", where);
  if (rs.contains("truncate")) {
    if (!rs["truncate"].is_boolean()) throw InputError(where + ": 'truncate' must be true or false");
    sc.truncate = rs["truncate"].get<bool>();
  }
  if (rs.contains("mscale") && !rs["mscale"].is_null()) sc.mscale = number_field(rs, "mscale", where);
  if (rs.contains("mscale_all_dim") && !rs["mscale_all_dim"].is_null()) {
    sc.mscale_all_dim = number_field(rs, "mscale_all_dim", where);
  }
  if (rs.contains("attention_factor") && !rs["attention_factor"].is_null()) {
    sc.attention_factor = number_field(rs, "attention_factor", where);
  }
  if (rs.contains("low_freq_factor")) sc.low_freq_factor = number_field(rs, "low_freq_factor", where);
  if (rs.contains("high_freq_factor")) {
    sc.high_freq_factor = number_field(rs, "high_freq_factor", where);
  }
  return sc;
}

}  // namespace

RopeSchedule read_hf_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError("cannot open '" + path + "'; check that the file exists and is readable");
  std::stringstream text;
  text << in.rdbuf();

  json doc;
  try {
    doc = json::parse(text.str());
  } catch (const json::parse_error& e) {
    throw InputError("invalid JSON in '" + path + "' at byte " + std::to_string(e.byte) +
                     "; fix the syntax");
  } catch (const json::out_of_range& e) {
    // A number beyond the binary64 range, such as 1e999.
    throw InputError("invalid number in '" + path + "' (" + e.what() + "); give finite numbers");
  }
  const std::string where = "config '" + path + "'";
  if (!doc.is_object()) throw InputError(where + " must hold a JSON object");

  try {
    RopeSchedule s;
    s.name = doc.value("_name_or_path", std::string("config.json"));
    s.source = path;
    s.pairing = Pairing::Half;
    s.base = doc.contains("rope_theta") ? number_field(doc, "rope_theta", where) : 10000.0;

    std::int64_t head_dim = 0;
    if (doc.contains("qk_rope_head_dim")) {
      head_dim = integer_field(doc, "qk_rope_head_dim", where);
    } else if (doc.contains("head_dim") && !doc["head_dim"].is_null()) {
      head_dim = integer_field(doc, "head_dim", where);
    } else if (doc.contains("hidden_size") && doc.contains("num_attention_heads")) {
      std::int64_t heads = integer_field(doc, "num_attention_heads", where);
      if (heads <= 0) throw InputError(where + ": 'num_attention_heads' must be positive");
      head_dim = integer_field(doc, "hidden_size", where) / heads;
    } else {
      throw InputError(where + " has no 'head_dim' and no 'hidden_size' with "
                       "'num_attention_heads'; add the head dimension");
    }
    double rotary_fraction = 1.0;
    if (doc.contains("partial_rotary_factor")) {
      rotary_fraction = number_field(doc, "partial_rotary_factor", where);
    }
    s.rotary_dim = static_cast<int>(static_cast<double>(head_dim) * rotary_fraction);
    if (doc.contains("max_position_embeddings")) {
      s.context_length = integer_field(doc, "max_position_embeddings", where);
    }
    if (doc.contains("rope_scaling") && !doc["rope_scaling"].is_null()) {
      s.scaling = read_scaling(doc["rope_scaling"], where);
    }
    validate(s);
    return s;
  } catch (const json::exception& e) {
    throw InputError(where + ": unexpected value (" + std::string(e.what()) + ")");
  }
}

}  // namespace ropecert::model
