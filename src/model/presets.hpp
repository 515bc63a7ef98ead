#pragma once

#include <string>
#include <vector>

#include "model/schedule.hpp"

namespace ropecert::model {

// The rotary schedule of a released model, with the source of its numbers.
// Raises InputError for an unknown name, listing the known ones.
RopeSchedule preset(const std::string& name);

std::vector<std::string> preset_names();

}  // namespace ropecert::model
