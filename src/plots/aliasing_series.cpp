#include "plots/aliasing_series.hpp"

#include "util/input_error.hpp"

namespace ropecert::plots {

namespace {

[[noreturn]] void not_in_build(const std::string& quantity) {
  throw InputError(quantity +
                   " is not part of this build yet, so this plot kind cannot compute its data; "
                   "use waveform, histogram or inversion");
}

}  // namespace

const std::vector<std::string>& storage_format_names() {
  static const std::vector<std::string> names{"bf16", "fp16", "fp32", "fp8_e4m3", "fp8_e5m2"};
  return names;
}

AliasingPoint position_aliasing_point(const model::RopeProduct&, std::int64_t, const std::string&) {
  not_in_build("position aliasing (Q6)");
}

AliasingMaps aliasing_maps(const model::RopeProduct&, const model::RopeProduct&, std::int64_t,
                           const std::string&, std::int64_t) {
  not_in_build("attention invariance (Q8)");
}

TokenPoint token_point(const model::RopeProduct&, const model::RopeProduct&, std::int64_t,
                       const std::string&) {
  not_in_build("token inversion (Q9) and token aliasing (Q10)");
}

}  // namespace ropecert::plots
