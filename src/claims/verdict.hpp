#pragma once

#include <optional>
#include <string>

#include "interval/tribool.hpp"

namespace ropecert::claims {

// PROVED: the certified enclosures imply the statement. REFUTED: they imply
// its negation (and a witness is recorded). UNDECIDED: the enclosures are too
// wide even at the precision limit.
enum class Verdict { Proved, Refuted, Undecided };

inline Verdict verdict_of(interval::Tribool statement) {
  if (statement == interval::Tribool::True) return Verdict::Proved;
  if (statement == interval::Tribool::False) return Verdict::Refuted;
  return Verdict::Undecided;
}

std::string to_string(Verdict verdict);

// Raises InputError for anything but PROVED, REFUTED or UNDECIDED.
Verdict parse_verdict(const std::string& text);

}  // namespace ropecert::claims
