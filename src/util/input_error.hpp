#pragma once

#include <stdexcept>
#include <string>

namespace ropecert {

// Invalid user input: a malformed file, an out-of-range parameter, an unknown
// name. The message names the value and the fix; the command line prints it on
// one line and exits with status 2.
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace ropecert
