// libFuzzer target: the {"q", "k"} / {"amplitude", "phase"} JSON reader and
// the validation of what it returns.

#include "fuzz_input.hpp"
#include "model/vectors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return ropecert::fuzz::run_reader(data, size, ".json", [](const std::string& path) {
    ropecert::model::VectorInput input = ropecert::model::read_vector_json(path);
    ropecert::model::validate(input, ropecert::model::input_pairs(input));
  });
}
