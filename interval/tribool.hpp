#pragma once

namespace ropecert::interval {

// Outcome of comparing two enclosures: decided either way, or not decidable
// because the enclosures overlap.
enum class Tribool { False, True, Unknown };

inline bool is_true(Tribool t) { return t == Tribool::True; }
inline bool is_false(Tribool t) { return t == Tribool::False; }
inline bool is_unknown(Tribool t) { return t == Tribool::Unknown; }

inline Tribool tribool_not(Tribool t) {
  if (t == Tribool::True) return Tribool::False;
  if (t == Tribool::False) return Tribool::True;
  return Tribool::Unknown;
}

inline Tribool tribool_and(Tribool a, Tribool b) {
  if (a == Tribool::False || b == Tribool::False) return Tribool::False;
  if (a == Tribool::True && b == Tribool::True) return Tribool::True;
  return Tribool::Unknown;
}

inline Tribool tribool_or(Tribool a, Tribool b) {
  return tribool_not(tribool_and(tribool_not(a), tribool_not(b)));
}

inline const char* to_string(Tribool t) {
  switch (t) {
    case Tribool::True: return "true";
    case Tribool::False: return "false";
    default: return "unknown";
  }
}

}  // namespace ropecert::interval
