#pragma once

#include <string>

namespace ropecert {

// Quotes a CSV field when it contains a comma, a quote or a line break, and
// doubles its quotes (RFC 4180).
std::string csv_field(const std::string& text);

}  // namespace ropecert
