#pragma once

// Fractions of exact counts, rounded outward to doubles.

#include <cstdint>

namespace ropecert::quantities {

// count / total rounded down (lower) or up (upper); total 0 gives 0 and 1.
double fraction_lower(std::uint64_t count, std::uint64_t total);
double fraction_upper(std::uint64_t count, std::uint64_t total);

}  // namespace ropecert::quantities
