#pragma once

// The quantities a sweep can compute, as a table: name -> function of
// (product, M, options) returning the row's cells. Adding a quantity is one
// entry in sweep_quantities() (quantities.cpp).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/ensemble.hpp"
#include "model/rope_product.hpp"

namespace ropecert::sweep {

// One certified value of a row: decimal strings rounded outward, so that
// lower <= true value <= upper. Integers are written exactly.
struct Cell {
  std::string name;
  std::string lower;
  std::string upper;
};

struct QuantityOptions {
  std::string format;  // storage format (bf16, fp16, ...), empty unless the quantity uses one
  std::optional<double> eps;  // threshold in logit units, set when a quantity uses one
  model::OutputScale scale;   // the point's output scale, for the two-key products
  // q, k1 and k2 of the point, set when a selected quantity compares two
  // keys; q and k1 are then also the vectors of `product`.
  std::optional<model::QueryTwoKeys> keys;
};

struct QuantityResult {
  std::vector<Cell> cells;
  nlohmann::json enclosures;  // the full enclosures behind the cells, for the certificate
};

struct SweepQuantity {
  std::string name;
  std::string definition;                 // one line, written into the certificate
  std::vector<std::string> cell_names;    // column names, in the order compute() returns them
  std::int64_t min_M = 1;
  std::int64_t max_M = model::kMaxDistance;
  bool uses_format = false;               // the grid's `formats` list applies to it
  // Relative cost estimate for h pairs at length M; only the ratio between
  // points matters (it orders the work, longest first).
  std::function<double(std::int64_t M, int pairs)> cost;
  std::function<QuantityResult(const model::RopeProduct&, std::int64_t M, const QuantityOptions&)>
      compute;
  bool uses_eps = false;  // the grid's `eps` list applies to it
  bool two_keys = false;  // needs a second key, so the grid's vectors must be an ensemble
};

const std::vector<SweepQuantity>& sweep_quantities();

// Raises InputError listing the known names.
const SweepQuantity& find_sweep_quantity(const std::string& name);

}  // namespace ropecert::sweep
