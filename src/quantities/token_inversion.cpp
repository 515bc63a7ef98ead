#include "quantities/token_inversion.hpp"

#include "interval/tribool.hpp"
#include "quantities/count_fraction.hpp"

namespace ropecert::quantities {

namespace {

using interval::Tribool;

// Sign of D(0) at rising precision: True for > 0, False for < 0, Unknown
// for an exact zero or a sign that stays open.
Tribool positive_at_zero(const model::RopeProduct& difference, Ball& d0) {
  const Ball zero = Ball::exact(std::int64_t{0});
  for (Precision prec = 128; prec <= kMaxRoundingPrecision; prec *= 2) {
    d0 = difference.value(0, prec);
    if (interval::is_true(interval::greater(d0, zero))) return Tribool::True;
    if (interval::is_true(interval::less(d0, zero))) return Tribool::False;
    if (d0.is_exact()) return Tribool::Unknown;  // exactly zero
  }
  return Tribool::Unknown;
}

}  // namespace

std::string to_string(KeyLabel label) {
  switch (label) {
    case KeyLabel::AsGiven: return "as_given";
    case KeyLabel::Swapped: return "swapped";
    default: return "undecided";
  }
}

double TokenInversion::fraction_lower() const {
  return quantities::fraction_lower(certain_negative, static_cast<std::uint64_t>(M));
}

double TokenInversion::fraction_upper() const {
  return quantities::fraction_upper(possible_negative, static_cast<std::uint64_t>(M));
}

TokenInversion token_inversion(const model::RopeProduct& difference, std::int64_t M,
                               const ProgressFraction& progress) {
  check_length(M, "token inversion");
  TokenInversion result;
  result.M = M;
  Tribool positive = positive_at_zero(difference, result.d0);
  result.label = positive == Tribool::True    ? KeyLabel::AsGiven
                 : positive == Tribool::False ? KeyLabel::Swapped
                                              : KeyLabel::Undecided;
  const bool swapped = result.label == KeyLabel::Swapped;

  // Labelled D(m) < 0 means D(m) < 0 as given, or D(m) > 0 when swapped.
  model::WindowEnclosures bounds = window_bounds(difference, M, progress);
  const Ball zero = Ball::exact(std::int64_t{0});
  for (std::int64_t m = 0; m < M; ++m) {
    const double lower = swapped ? -bounds.upper[m] : bounds.lower[m];
    const double upper = swapped ? -bounds.lower[m] : bounds.upper[m];
    if (upper < 0.0) {
      ++result.certain_negative;
      ++result.possible_negative;
      continue;
    }
    if (lower >= 0.0) continue;
    ++result.refined_values;
    Tribool negative = Tribool::Unknown;
    for (Precision prec = 128; prec <= kMaxRoundingPrecision && negative == Tribool::Unknown;
         prec *= 2) {
      Ball value = difference.value(m, prec);
      if (swapped) value = interval::neg(value);
      negative = interval::less(value, zero);
    }
    if (negative != Tribool::False) ++result.possible_negative;
    if (negative == Tribool::True) ++result.certain_negative;
  }

  result.moments = window_moments(difference, Window{0, M});
  if (swapped) result.moments.mean = interval::neg(result.moments.mean);
  const Precision prec = result.moments.precision;
  Ball sigma = interval::sqrt(result.moments.variance, prec);
  Ball z = interval::div(interval::neg(result.moments.mean), sigma, prec);
  result.prediction = interval::normal_cdf(z, prec);
  if (!result.prediction.is_finite()) result.prediction = Ball::from_bounds(0.0, 1.0);
  return result;
}

}  // namespace ropecert::quantities
