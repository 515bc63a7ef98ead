#pragma once

// The quantities a sweep can compute, as a table: name -> function of
// (product, M, options) returning the row's cells. Adding a quantity is one
// entry in sweep_quantities() (quantities.cpp).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

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
};

const std::vector<SweepQuantity>& sweep_quantities();

// Raises InputError listing the known names.
const SweepQuantity& find_sweep_quantity(const std::string& name);

// Storage formats accepted in a grid's `formats` list.
const std::vector<std::string>& storage_format_names();

}  // namespace ropecert::sweep
