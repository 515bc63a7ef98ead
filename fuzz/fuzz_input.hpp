#pragma once

// Shared by the fuzz targets: the readers take paths, so each input is
// written to a file of this process first. An InputError is the expected
// result of malformed input; any other exception, crash or sanitizer report
// is a finding.

#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>

#include "util/input_error.hpp"

namespace ropecert::fuzz {

inline std::string write_input(const std::uint8_t* data, std::size_t size, const char* suffix) {
  const std::string path = "/tmp/ropecert_fuzz_" + std::to_string(::getpid()) + suffix;
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(data),
                                              static_cast<std::streamsize>(size));
  return path;
}

template <class Reader>
int run_reader(const std::uint8_t* data, std::size_t size, const char* suffix, Reader reader) {
  const std::string path = write_input(data, size, suffix);
  try {
    reader(path);
  } catch (const InputError&) {
  }
  return 0;
}

}  // namespace ropecert::fuzz
