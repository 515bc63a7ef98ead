#pragma once

// Sweep specifications: a TOML file that names a grid of points (schedules,
// bases, vectors with ensemble sample counts, lengths M, storage formats) and
// the quantities to compute at every point. The format is documented in
// docs/sweeps.md.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/ensemble.hpp"
#include "model/rope_product.hpp"

namespace ropecert::sweep {

// One point of the grid. `parameters` holds everything needed to recompute the
// point: it uses the keys of a claim instance (preset or schedule, precision,
// pairing, vectors, scale) plus `base` (overrides the schedule's base when
// present), `M` and `format`.
struct SweepPoint {
  std::int64_t index = 0;
  nlohmann::json parameters;
  model::RopeSchedule schedule;
  model::VectorInput vectors;
  model::OutputScale scale;
  std::int64_t M = 0;
  std::string format;  // empty when no selected quantity uses a storage format
  std::optional<double> eps;  // set when a selected quantity uses a threshold
  // Set when a selected quantity compares two keys: q and k1 of ensemble
  // sample s (the point's `vectors` too) and k2 of sample s + 1, mixed with
  // k1 by `key_rho` when the grid gives one.
  std::optional<model::QueryTwoKeys> keys;
  double cost = 0.0;   // relative work estimate, used to hand out long points first

  // Resolved inputs for the certificate: the schedule as computed and the
  // vectors (ensemble descriptor or explicit arrays).
  nlohmann::json inputs;
};

struct SweepSpec {
  std::string path;
  std::string title;
  std::vector<std::string> quantities;  // names from the quantity table, in spec order
  nlohmann::json spec_json;             // the whole TOML file as JSON, for the certificate
  std::vector<SweepPoint> points;       // in expansion order, index = position
  std::string hash;                     // 16 hex digits, see grid_hash()
};

// Reads and expands a sweep file. Raises InputError, naming the file and the
// key, for a malformed file, an unknown key or name, or a value out of range.
SweepSpec load_sweep_spec(const std::string& path);

// FNV-1a (64 bit) of the canonical JSON of the quantities and of every point's
// parameters and resolved inputs. Editing whitespace or comments in the file
// keeps the hash; changing a value, a vector file's contents or the order of a
// list changes it. It detects changes, it is not a cryptographic digest.
std::string grid_hash(const std::vector<std::string>& quantities,
                      const std::vector<SweepPoint>& points);

}  // namespace ropecert::sweep
