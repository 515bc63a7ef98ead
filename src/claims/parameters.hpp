#pragma once

// Typed access to the parameters of one claim instance (a TOML table), with
// errors that name the file, the instance and the key. Every key read is
// recorded, so that a misspelt key is reported instead of silently ignored.

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/ensemble.hpp"
#include "model/rope_product.hpp"

namespace ropecert::claims {

class Parameters {
 public:
  Parameters(toml::table table, std::string where, std::string directory);

  const std::string& where() const { return where_; }
  const std::string& directory() const { return directory_; }
  const toml::table& table() const { return table_; }

  bool has(const std::string& key) const;
  std::string get_string(const std::string& key) const;
  std::string get_string(const std::string& key, const std::string& fallback) const;
  std::int64_t get_int(const std::string& key) const;
  std::int64_t get_int(const std::string& key, std::int64_t fallback) const;
  double get_double(const std::string& key) const;
  double get_double(const std::string& key, double fallback) const;
  std::vector<std::int64_t> get_int_list(const std::string& key) const;
  std::vector<double> get_double_list(const std::string& key) const;
  std::vector<std::string> get_string_list(const std::string& key) const;
  // A list of [first, end] integer pairs.
  std::vector<std::pair<std::int64_t, std::int64_t>> get_int_pairs(const std::string& key) const;
  const toml::table& get_table(const std::string& key) const;

  // Marks a key as read without reading it.
  void touch(const std::string& key) const { used_.insert(key); }

  // Raises InputError for a key no reader asked for.
  void reject_unused_keys() const;

  // Raises InputError with the location prefixed.
  [[noreturn]] void fail(const std::string& message) const;

 private:
  const toml::node& node(const std::string& key) const;

  toml::table table_;
  std::string where_;
  std::string directory_;
  mutable std::set<std::string> used_;
};

// The schedule of an instance: `preset` (a name), or a `schedule` table with
// dim, base, kind, factor, original_context, low_freq_factor,
// high_freq_factor, beta_fast, beta_slow, truncate; plus optional `precision`
// (exact, float32) and `pairing` (half, interleaved).
model::RopeSchedule read_schedule(const Parameters& p);

// The vectors of an instance: a `vectors` table holding `ensemble` (with
// `seed`, `sample`, `rho`), `file` (a JSON file, relative to the claim file),
// `q` and `k` arrays, or `amplitude` and `phase` arrays.
struct VectorSource {
  std::optional<model::EnsembleSpec> ensemble;
  std::uint64_t sample = 0;
  std::optional<model::VectorInput> fixed;

  model::VectorInput get(int rotary_dim, std::uint64_t sample_offset = 0) const;
};
VectorSource read_vectors(const Parameters& p);

// `scale`: none, inv-sqrt-d, attention or both (default none).
model::OutputScale read_scale(const Parameters& p);

}  // namespace ropecert::claims
