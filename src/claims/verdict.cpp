#include "claims/verdict.hpp"

#include "util/input_error.hpp"

namespace ropecert::claims {

std::string to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::Proved: return "PROVED";
    case Verdict::Refuted: return "REFUTED";
    case Verdict::Undecided: return "UNDECIDED";
  }
  return "UNDECIDED";
}

Verdict parse_verdict(const std::string& text) {
  if (text == "PROVED") return Verdict::Proved;
  if (text == "REFUTED") return Verdict::Refuted;
  if (text == "UNDECIDED") return Verdict::Undecided;
  throw InputError("unknown verdict '" + text + "'; use PROVED, REFUTED or UNDECIDED");
}

}  // namespace ropecert::claims
