// Inputs that once crashed a reader under the fuzzer. Each must now be
// rejected with a clean InputError.

#include <catch2/catch.hpp>

#include <filesystem>

#include "model/vectors.hpp"
#include "util/input_error.hpp"

namespace {

std::string regression_file(const std::string& name) {
  return std::string(ROPECERT_TEST_DATA) + "/fuzz_regressions/" + name;
}

}  // namespace

TEST_CASE("npy with a huge dtype width is rejected", "[vectors][fuzz]") {
  // The 'descr' held '<f8' followed by 46 zeros; std::stoi of the width
  // threw std::out_of_range, which ended the program.
  const std::string path = regression_file("npy_huge_dtype_width.npy");
  REQUIRE(std::filesystem::exists(path));
  REQUIRE_THROWS_AS(ropecert::model::read_vector_file(path), ropecert::InputError);
}
