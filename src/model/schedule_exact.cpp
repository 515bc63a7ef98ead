// The exact mode: each schedule's real-number formula, enclosed with Arb.
// Decisions inside a formula (llama3's wavelength bands, yarn's floor and
// ceil) are taken on enclosures; when an enclosure cannot decide one, the
// whole table is recomputed at twice the precision.

#include <cmath>
#include <stdexcept>

#include "model/schedule.hpp"
#include "util/input_error.hpp"

namespace ropecert::model {

namespace {

using interval::Tribool;

constexpr Precision kMaxDecisionPrecision = 1 << 14;

// Raised inside a formula when an enclosure is too wide to take a branch.
struct NeedsMorePrecision {};

Ball exact(double x) { return Ball::exact(x); }
Ball exact_int(std::int64_t x) { return Ball::exact(x); }

// theta_n = base^(-2n/d) = exp(-(2n/d) ln base), n = 0 .. h-1.
std::vector<Ball> default_frequencies(const Ball& base, int rotary_dim, Precision prec) {
  Ball log_base = interval::log(base, prec);
  std::vector<Ball> theta;
  theta.reserve(rotary_dim / 2);
  for (int n = 0; n < rotary_dim / 2; ++n) {
    Ball exponent = Ball::exact_ratio(-2 * n, rotary_dim, prec);
    theta.push_back(interval::exp(interval::mul(exponent, log_base, prec), prec));
  }
  return theta;
}

// floor(x) when the enclosure decides it.
double decided_floor(const Ball& x) {
  double lo = std::floor(x.lower());
  if (lo != std::floor(x.upper())) throw NeedsMorePrecision{};
  return lo;
}

double decided_ceil(const Ball& x) {
  double hi = std::ceil(x.upper());
  if (hi != std::ceil(x.lower())) throw NeedsMorePrecision{};
  return hi;
}

bool decided(Tribool t) {
  if (t == Tribool::Unknown) throw NeedsMorePrecision{};
  return t == Tribool::True;
}

// mscale(s, m) = 0.1 m ln(s) + 1 for s > 1, else 1.
Ball yarn_mscale(const Ball& factor, double m, Precision prec) {
  if (decided(interval::less_equal(factor, exact_int(1)))) return exact_int(1);
  Ball tenth = Ball::exact_ratio(1, 10, prec);
  Ball term = interval::mul(interval::mul(tenth, exact(m), prec), interval::log(factor, prec), prec);
  return interval::add(term, exact_int(1), prec);
}

// dim(r) = d ln(L0 / (2 pi r)) / (2 ln base): the pair index whose wavelength
// fits r times into the original context L0.
Ball yarn_correction_dim(double rotations, int rotary_dim, std::int64_t original_context,
                         const Ball& base, Precision prec) {
  Ball two_pi_r = interval::mul(interval::mul_2exp(interval::pi(prec), 1), exact(rotations), prec);
  Ball ratio = interval::div(exact_int(original_context), two_pi_r, prec);
  Ball numerator = interval::mul(exact_int(rotary_dim), interval::log(ratio, prec), prec);
  return interval::div(numerator, interval::mul_2exp(interval::log(base, prec), 1), prec);
}

FrequencyTable yarn_frequencies(const RopeSchedule& s, Precision prec) {
  const Scaling& sc = s.scaling;
  Ball base = exact(s.base);
  Ball factor = exact(sc.factor);
  std::vector<Ball> extrapolation = default_frequencies(base, s.rotary_dim, prec);

  Ball low = yarn_correction_dim(sc.beta_fast, s.rotary_dim, sc.original_context, base, prec);
  Ball high = yarn_correction_dim(sc.beta_slow, s.rotary_dim, sc.original_context, base, prec);
  if (sc.truncate) {
    low = exact(decided_floor(low));
    high = exact(decided_ceil(high));
  }
  low = interval::max(low, exact_int(0), prec);
  high = interval::min(high, exact_int(s.rotary_dim - 1), prec);

  // Reference code adds 0.001 to high when the two ends are equal, so that
  // the ramp has no division by zero. Equality is decidable only for exact ends.
  if (low.is_exact() && high.is_exact() && low.midpoint() == high.midpoint()) {
    high = interval::add(high, Ball::exact_ratio(1, 1000, prec), prec);
  } else if (low.overlaps(high)) {
    throw NeedsMorePrecision{};
  }

  Ball width = interval::sub(high, low, prec);
  FrequencyTable table;
  for (int i = 0; i < s.pairs(); ++i) {
    Ball ramp = interval::div(interval::sub(exact_int(i), low, prec), width, prec);
    ramp = interval::min(interval::max(ramp, exact_int(0), prec), exact_int(1), prec);
    Ball interpolation = interval::div(extrapolation[i], factor, prec);
    Ball keep = interval::sub(exact_int(1), ramp, prec);
    table.theta.push_back(interval::add(interval::mul(interpolation, ramp, prec),
                                        interval::mul(extrapolation[i], keep, prec), prec));
  }

  if (sc.attention_factor) {
    table.attention_factor = exact(*sc.attention_factor);
  } else if (sc.mscale && sc.mscale_all_dim && *sc.mscale != 0 && *sc.mscale_all_dim != 0) {
    table.attention_factor = interval::div(yarn_mscale(factor, *sc.mscale, prec),
                                           yarn_mscale(factor, *sc.mscale_all_dim, prec), prec);
  } else {
    table.attention_factor = yarn_mscale(factor, 1.0, prec);
  }
  return table;
}

FrequencyTable llama3_frequencies(const RopeSchedule& s, Precision prec) {
  const Scaling& sc = s.scaling;
  Ball factor = exact(sc.factor);
  Ball context = exact_int(sc.original_context);
  Ball low_factor = exact(sc.low_freq_factor);
  Ball high_factor = exact(sc.high_freq_factor);
  Ball long_wavelength = interval::div(context, low_factor, prec);
  Ball short_wavelength = interval::div(context, high_factor, prec);
  Ball two_pi = interval::mul_2exp(interval::pi(prec), 1);

  FrequencyTable table;
  table.attention_factor = exact_int(1);
  for (Ball& inv : default_frequencies(exact(s.base), s.rotary_dim, prec)) {
    Ball wavelength = interval::div(two_pi, inv, prec);
    if (decided(interval::greater(wavelength, long_wavelength))) {
      table.theta.push_back(interval::div(inv, factor, prec));
    } else if (decided(interval::less(wavelength, short_wavelength))) {
      table.theta.push_back(inv);
    } else {
      // Blend: t = (L0 / w - low) / (high - low), theta = (1 - t) inv / s + t inv.
      Ball t = interval::div(
          interval::sub(interval::div(context, wavelength, prec), low_factor, prec),
          interval::sub(high_factor, low_factor, prec), prec);
      Ball scaled = interval::div(inv, factor, prec);
      Ball one_minus_t = interval::sub(exact_int(1), t, prec);
      table.theta.push_back(interval::add(interval::mul(one_minus_t, scaled, prec),
                                          interval::mul(t, inv, prec), prec));
    }
  }
  return table;
}

FrequencyTable exact_frequencies_at(const RopeSchedule& s, Precision prec) {
  const Scaling& sc = s.scaling;
  Ball base = exact(s.base);
  FrequencyTable table;
  table.attention_factor = exact_int(1);

  switch (sc.kind) {
    case ScheduleKind::Default:
      table.theta = default_frequencies(base, s.rotary_dim, prec);
      return table;

    case ScheduleKind::Linear: {
      Ball factor = exact(sc.factor);
      for (Ball& inv : default_frequencies(base, s.rotary_dim, prec)) {
        table.theta.push_back(interval::div(inv, factor, prec));
      }
      return table;
    }

    case ScheduleKind::Ntk: {
      // base' = base * factor^(d / (d - 2))
      Ball exponent = Ball::exact_ratio(s.rotary_dim, s.rotary_dim - 2, prec);
      Ball raised = interval::mul(base, interval::pow(exact(sc.factor), exponent, prec), prec);
      table.theta = default_frequencies(raised, s.rotary_dim, prec);
      return table;
    }

    case ScheduleKind::Yarn:
      return yarn_frequencies(s, prec);

    case ScheduleKind::Llama3:
      return llama3_frequencies(s, prec);
  }
  throw std::logic_error("unhandled schedule kind");
}

}  // namespace

FrequencyTable exact_frequencies(const RopeSchedule& schedule, Precision prec) {
  // Guard bits so that the requested precision survives the few roundings of
  // each formula; the decisions may raise it further.
  for (Precision working = prec + 32; working <= kMaxDecisionPrecision; working *= 2) {
    try {
      return exact_frequencies_at(schedule, working);
    } catch (const NeedsMorePrecision&) {
      continue;
    }
  }
  throw InputError("schedule '" + schedule.name +
                   "' puts a frequency exactly on a branch boundary of its formula; "
                   "use the float32 precision mode or change a scaling parameter");
}

}  // namespace ropecert::model
