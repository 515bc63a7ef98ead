#pragma once

// Named quantities that claim kinds can bound or follow along a grid: each
// returns a certified ball (a count range becomes the ball of its fraction
// range) for one schedule, one query with one or two keys, and one M.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "formats/storage_format.hpp"
#include "model/ensemble.hpp"
#include "model/rope_product.hpp"

namespace ropecert::claims {

struct QuantityRequest {
  std::string name;
  formats::Format format = formats::Format::Bf16;
  std::optional<double> eps;  // threshold quantities
};

// The names, with whether each needs two keys.
struct QuantityInfo {
  std::string name;
  bool two_keys;
  bool needs_eps;
  std::string meaning;
};
const std::vector<QuantityInfo>& quantity_catalogue();

// Raises InputError for an unknown name or a missing eps.
const QuantityInfo& find_quantity(const QuantityRequest& request);

// Evaluates the quantity. `details` receives the counts or enclosures behind
// the ball, for the certificate.
interval::Ball evaluate_quantity(const QuantityRequest& request,
                                 const model::RopeSchedule& schedule, model::OutputScale scale,
                                 const model::QueryTwoKeys& vectors, std::int64_t M,
                                 nlohmann::json* details);

}  // namespace ropecert::claims
