#pragma once

// JSON forms of enclosures and inputs, shared by --json output and
// certificates. A ball becomes its outward-rounded decimal ends (strings, so
// no JSON reader can round them inward) plus binary64 ends for convenience.

#include <nlohmann/json.hpp>

#include "model/rope_product.hpp"
#include "quantities/inversion.hpp"
#include "quantities/moments.hpp"
#include "quantities/normal_prediction.hpp"

namespace ropecert::claims {

nlohmann::json to_json(const interval::Ball& ball, long digits = 20);
nlohmann::json to_json(const model::RopeSchedule& schedule);
nlohmann::json to_json(const model::VectorInput& input);
nlohmann::json to_json(const quantities::WindowMoments& moments);
nlohmann::json to_json(const quantities::SplitMoments& split);
nlohmann::json to_json(const quantities::InversionCount& count);
nlohmann::json to_json(const quantities::NormalPrediction& prediction);
nlohmann::json to_json(const quantities::BerryEsseen& term);

// Versions of ropecert and the libraries it is linked against.
nlohmann::json library_versions();

}  // namespace ropecert::claims
