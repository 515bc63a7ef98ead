#include "quantities/two_keys.hpp"

namespace ropecert::quantities {

TwoKeyProducts make_two_key_products(const model::RopeSchedule& schedule,
                                     const std::vector<double>& query,
                                     const std::vector<double>& first_key,
                                     const std::vector<double>& second_key,
                                     model::OutputScale scale) {
  model::QueryKey first{query, first_key};
  model::QueryKey second{query, second_key};
  model::validate(schedule);
  model::validate(first, schedule.pairs());
  model::validate(second, schedule.pairs());

  TwoKeyProducts products;
  products.first = std::make_unique<model::RopeProduct>(schedule, first, scale);
  products.second = std::make_unique<model::RopeProduct>(schedule, second, scale);
  const model::Pairing pairing = schedule.pairing;
  products.difference = std::make_unique<model::RopeProduct>(
      schedule,
      [first, second, pairing](interval::Precision prec) {
        return model::difference_coefficients(first, second, pairing, prec);
      },
      scale);
  return products;
}

}  // namespace ropecert::quantities
