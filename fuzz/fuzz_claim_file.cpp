// libFuzzer target: the claim-file reader (TOML parsing, parameter checks,
// schedule and vector resolution). Nothing is computed.

#include "claims/claim_file.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return ropecert::fuzz::run_reader(data, size, ".toml", [](const std::string& path) {
    ropecert::claims::load_claim_file(path);
  });
}
