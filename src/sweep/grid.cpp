#include "sweep/grid.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>

#include "claims/json_encoding.hpp"
#include "claims/parameters.hpp"
#include "formats/storage_format.hpp"
#include "sweep/quantities.hpp"
#include "util/input_error.hpp"

namespace ropecert::sweep {

namespace {

// A grid larger than this is almost certainly a mistake in the file (the
// points, their parameters and their results are all held in memory).
constexpr std::size_t kMaxPoints = 10'000'000;

nlohmann::json table_to_json(const toml::table& table) {
  std::ostringstream text;
  text << toml::json_formatter{table};
  return nlohmann::json::parse(text.str());
}

std::string format_double(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

// A schedule entry of the grid: the claim-instance table it is read from and
// the JSON written into each point's parameters.
struct ScheduleEntry {
  toml::table table;
  nlohmann::json parameters;
};

// A vectors entry: the claim-instance table `vectors = {...}` without
// `samples`, and how many consecutive samples to take from it.
struct VectorsEntry {
  toml::table table;
  std::int64_t samples = 1;
};

std::vector<ScheduleEntry> read_schedule_entries(const claims::Parameters& p) {
  std::vector<ScheduleEntry> entries;
  if (p.has("presets")) {
    for (const std::string& name : p.get_string_list("presets")) {
      toml::table t;
      t.insert("preset", name);
      entries.push_back({t, {{"preset", name}}});
    }
  }
  if (p.has("schedules")) {
    const toml::node& node = *p.table().get("schedules");
    p.touch("schedules");
    const toml::array* array = node.as_array();
    if (array == nullptr || array->empty()) {
      p.fail("key 'schedules' must be a non-empty list of tables like "
             "{ dim = 128, base = 10000.0, kind = \"default\" }");
    }
    for (const toml::node& item : *array) {
      const toml::table* schedule = item.as_table();
      if (schedule == nullptr) p.fail("key 'schedules' must hold tables only");
      toml::table t;
      t.insert("schedule", *schedule);
      entries.push_back({t, {{"schedule", table_to_json(*schedule)}}});
    }
  }
  if (entries.empty()) p.fail("missing 'presets' or 'schedules'; the grid needs at least one schedule");
  return entries;
}

std::vector<VectorsEntry> read_vectors_entries(const claims::Parameters& p) {
  const toml::node* node = p.table().get("vectors");
  p.touch("vectors");
  if (node == nullptr) {
    p.fail("missing 'vectors'; give [[vectors]] tables with 'ensemble' and 'samples', 'file', "
           "'q' and 'k', or 'amplitude' and 'phase'");
  }
  std::vector<const toml::table*> tables;
  if (const toml::table* one = node->as_table()) {
    tables.push_back(one);
  } else if (const toml::array* array = node->as_array()) {
    for (const toml::node& item : *array) {
      const toml::table* t = item.as_table();
      if (t == nullptr) p.fail("key 'vectors' must be a table or a list of tables");
      tables.push_back(t);
    }
  }
  if (tables.empty()) p.fail("key 'vectors' must be a table or a non-empty list of tables");

  std::vector<VectorsEntry> entries;
  for (const toml::table* t : tables) {
    VectorsEntry entry;
    entry.table = *t;
    if (const toml::node* samples = t->get("samples")) {
      if (!samples->is_integer() || *samples->value<std::int64_t>() < 1 ||
          *samples->value<std::int64_t>() > 1'000'000) {
        p.fail("vectors: 'samples' must be an integer between 1 and 1000000");
      }
      if (!t->contains("ensemble")) p.fail("vectors: 'samples' needs 'ensemble'");
      entry.samples = *samples->value<std::int64_t>();
      entry.table.erase("samples");
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace

std::string grid_hash(const std::vector<std::string>& quantities,
                      const std::vector<SweepPoint>& points) {
  nlohmann::json canonical;
  canonical["quantities"] = quantities;
  canonical["points"] = nlohmann::json::array();
  for (const SweepPoint& point : points) {
    canonical["points"].push_back({{"parameters", point.parameters}, {"inputs", point.inputs}});
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx",
                static_cast<unsigned long long>(fnv1a(canonical.dump())));
  return text;
}

SweepSpec load_sweep_spec(const std::string& path) {
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& begin = e.source().begin;
    throw InputError("sweep file '" + path + "': line " + std::to_string(begin.line) +
                     ", column " + std::to_string(begin.column) + ": " +
                     std::string(e.description()));
  }
  std::string directory = std::filesystem::path(path).parent_path().string();
  if (directory.empty()) directory = ".";
  claims::Parameters p(doc, "sweep file '" + path + "'", directory);

  SweepSpec spec;
  spec.path = path;
  spec.spec_json = table_to_json(doc);
  spec.title = p.get_string("title", "");

  // Quantities, each at most once, in the order given.
  std::set<std::string> seen;
  bool any_uses_format = false;
  bool any_uses_eps = false;
  bool any_two_keys = false;
  std::vector<const SweepQuantity*> selected;
  for (const std::string& name : p.get_string_list("quantities")) {
    if (!seen.insert(name).second) p.fail("quantity '" + name + "' is listed twice");
    try {
      selected.push_back(&find_sweep_quantity(name));
    } catch (const InputError& e) {
      p.fail(e.what());
    }
    any_uses_format = any_uses_format || selected.back()->uses_format;
    any_uses_eps = any_uses_eps || selected.back()->uses_eps;
    any_two_keys = any_two_keys || selected.back()->two_keys;
    spec.quantities.push_back(name);
  }

  std::vector<std::int64_t> lengths = p.get_int_list("M");
  for (std::int64_t M : lengths) {
    for (const SweepQuantity* quantity : selected) {
      if (M < quantity->min_M || M > quantity->max_M) {
        p.fail("M = " + std::to_string(M) + " is out of range for quantity '" + quantity->name +
               "'; give " + std::to_string(quantity->min_M) + " <= M <= " +
               std::to_string(quantity->max_M));
      }
    }
  }

  std::vector<std::string> formats = {""};
  if (p.has("formats")) {
    if (!any_uses_format) {
      p.fail("key 'formats' is set but none of the quantities uses a storage format; remove it");
    }
    formats = p.get_string_list("formats");
    for (const std::string& format : formats) {
      try {
        formats::parse_format(format);
      } catch (const InputError& e) {
        p.fail(e.what());
      }
    }
  } else if (any_uses_format) {
    p.fail("missing 'formats'; a selected quantity needs storage formats such as [\"bf16\"]");
  }

  std::vector<std::optional<double>> thresholds = {std::nullopt};
  if (p.has("eps")) {
    if (!any_uses_eps) {
      p.fail("key 'eps' is set but none of the quantities uses a threshold; remove it");
    }
    thresholds.clear();
    for (double eps : p.get_double_list("eps")) {
      if (!(eps > 0) || !std::isfinite(eps)) {
        p.fail("eps " + format_double(eps) + " is invalid; give finite thresholds above 0");
      }
      thresholds.push_back(eps);
    }
  } else if (any_uses_eps) {
    p.fail("missing 'eps'; a selected quantity needs thresholds in logit units such as [0.01]");
  }

  std::optional<double> key_rho;
  if (p.has("key_rho")) {
    if (!any_two_keys) {
      p.fail("key 'key_rho' is set but none of the quantities uses a second key; remove it");
    }
    key_rho = p.get_double("key_rho");
    if (!(*key_rho >= -1 && *key_rho <= 1)) {
      p.fail("key_rho " + format_double(*key_rho) + " is invalid; give a value in [-1, 1]");
    }
  }

  std::vector<ScheduleEntry> schedules = read_schedule_entries(p);
  std::vector<std::optional<double>> bases = {std::nullopt};
  if (p.has("bases")) {
    bases.clear();
    for (double base : p.get_double_list("bases")) {
      if (!(base > 1)) p.fail("base " + format_double(base) + " is invalid; give bases above 1");
      bases.push_back(base);
    }
  }
  std::vector<VectorsEntry> vector_entries = read_vectors_entries(p);

  // Keys that apply to every point, in claim-instance form.
  std::string precision = p.get_string("precision", "exact");
  std::optional<std::string> pairing;
  if (p.has("pairing")) pairing = p.get_string("pairing");
  std::string scale_name = p.get_string("scale", "none");
  const std::set<std::string> known_keys = {
      "title", "quantities", "M",       "formats", "eps",   "key_rho", "presets",
      "schedules", "bases",  "precision", "pairing", "scale", "vectors"};
  for (const auto& [key, value] : doc) {
    if (known_keys.count(std::string(key.str())) == 0) {
      p.fail("unknown key '" + std::string(key.str()) +
             "'; a sweep file has title, quantities, M, formats, eps, key_rho, presets, "
             "schedules, bases, precision, pairing, scale and vectors");
    }
  }

  for (std::size_t s = 0; s < schedules.size(); ++s) {
    toml::table schedule_table = schedules[s].table;
    schedule_table.insert("precision", precision);
    if (pairing) schedule_table.insert("pairing", *pairing);
    schedule_table.insert("scale", scale_name);
    claims::Parameters sp(schedule_table, p.where() + ", schedule " + std::to_string(s + 1),
                          directory);
    model::RopeSchedule base_schedule = claims::read_schedule(sp);
    model::OutputScale scale = claims::read_scale(sp);

    for (const std::optional<double>& base : bases) {
      model::RopeSchedule schedule = base_schedule;
      if (base) {
        schedule.base = *base;
        try {
          model::validate(schedule);
        } catch (const InputError& e) {
          sp.fail(e.what());
        }
      }
      for (std::size_t v = 0; v < vector_entries.size(); ++v) {
        toml::table vectors_holder;
        vectors_holder.insert("vectors", vector_entries[v].table);
        claims::Parameters vp(vectors_holder, p.where() + ", vectors " + std::to_string(v + 1),
                              directory);
        claims::VectorSource source = claims::read_vectors(vp);
        if (any_two_keys &&
            (!source.ensemble || source.ensemble->kind == model::EnsembleKind::Aligned)) {
          vp.fail("a selected quantity compares two keys, so 'vectors' must be a gaussian or "
                  "correlated ensemble (k2 is the key of the next sample)");
        }

        for (std::int64_t offset = 0; offset < vector_entries[v].samples; ++offset) {
          // With two keys, sample s takes q and k1 from ensemble sample s and
          // k2 from sample s + 1, so consecutive samples step by 2 and share
          // no vector, as in the quantity claim kinds.
          const auto sample_offset = static_cast<std::uint64_t>(any_two_keys ? 2 * offset : offset);
          model::VectorInput input;
          std::optional<model::QueryTwoKeys> keys;
          nlohmann::json vectors_parameters;
          nlohmann::json vectors_inputs;
          try {
            input = source.get(schedule.rotary_dim, sample_offset);
            // Constructing the product checks the vector lengths against d.
            model::RopeProduct check(schedule, input, scale);
            if (any_two_keys) {
              keys = model::ensemble_two_keys(*source.ensemble, source.sample + sample_offset,
                                              schedule.rotary_dim, key_rho);
            }
          } catch (const InputError& e) {
            vp.fail(e.what());
          }
          if (source.ensemble) {
            vectors_parameters = {{"ensemble", model::to_string(source.ensemble->kind)},
                                  {"seed", source.ensemble->seed},
                                  {"sample", source.sample + sample_offset},
                                  {"rho", source.ensemble->rho}};
            vectors_inputs = vectors_parameters;
            vectors_inputs["generator"] = "SplitMix64 + Box-Muller in MPFR at 128 bits";
            if (keys) vectors_inputs["k2_sample"] = source.sample + sample_offset + 1;
          } else {
            vectors_parameters = claims::to_json(input);
            vectors_inputs = vectors_parameters;
          }

          for (std::int64_t M : lengths) {
            for (const std::string& format : formats) {
              for (const std::optional<double>& eps : thresholds) {
                SweepPoint point;
                point.index = static_cast<std::int64_t>(spec.points.size());
                point.schedule = schedule;
                point.vectors = input;
                point.scale = scale;
                point.M = M;
                point.format = format;
                point.eps = eps;
                point.keys = keys;
                point.parameters = schedules[s].parameters;
                point.parameters["precision"] = precision;
                if (pairing) point.parameters["pairing"] = *pairing;
                if (base) point.parameters["base"] = *base;
                point.parameters["vectors"] = vectors_parameters;
                point.parameters["scale"] = scale_name;
                point.parameters["M"] = M;
                if (!format.empty()) point.parameters["format"] = format;
                if (eps) point.parameters["eps"] = *eps;
                if (key_rho) point.parameters["key_rho"] = *key_rho;
                point.inputs = {{"schedule", claims::to_json(schedule)},
                                {"vectors", vectors_inputs}};
                for (const SweepQuantity* quantity : selected) {
                  point.cost += quantity->cost(M, schedule.pairs());
                }
                spec.points.push_back(std::move(point));
                if (spec.points.size() > kMaxPoints) {
                  p.fail("the grid has more than " + std::to_string(kMaxPoints) +
                         " points; split it into several sweep files");
                }
              }
            }
          }
        }
      }
    }
  }
  spec.hash = grid_hash(spec.quantities, spec.points);
  return spec;
}

}  // namespace ropecert::sweep
