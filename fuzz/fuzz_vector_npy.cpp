// libFuzzer target: the single-vector reader for 1-D .npy files.

#include "fuzz_input.hpp"
#include "model/vectors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return ropecert::fuzz::run_reader(data, size, ".npy", [](const std::string& path) {
    ropecert::model::read_vector_file(path);
  });
}
