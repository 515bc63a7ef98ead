#pragma once

// One query and two keys: the products S_{q,k1}, S_{q,k2} and their
// difference D = S_{q,k1} - S_{q,k2}, itself the RoPE product with key k1 - k2.

#include <memory>
#include <vector>

#include "model/rope_product.hpp"

namespace ropecert::quantities {

struct TwoKeyProducts {
  std::unique_ptr<model::RopeProduct> first;       // S_{q,k1}
  std::unique_ptr<model::RopeProduct> second;      // S_{q,k2}
  std::unique_ptr<model::RopeProduct> difference;  // D = S_{q,k1} - S_{q,k2}
};

// All three share the schedule and the output scale. Raises InputError when
// a vector has the wrong length or a non-finite entry.
TwoKeyProducts make_two_key_products(const model::RopeSchedule& schedule,
                                     const std::vector<double>& query,
                                     const std::vector<double>& first_key,
                                     const std::vector<double>& second_key,
                                     model::OutputScale scale = {});

}  // namespace ropecert::quantities
