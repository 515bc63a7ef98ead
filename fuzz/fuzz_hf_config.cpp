// libFuzzer target: the Hugging Face config.json reader and the schedule
// validation that follows it.

#include "fuzz_input.hpp"
#include "model/hf_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return ropecert::fuzz::run_reader(data, size, ".json", [](const std::string& path) {
    ropecert::model::validate(ropecert::model::read_hf_config(path));
  });
}
